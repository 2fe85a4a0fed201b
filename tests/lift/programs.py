"""TF1 notebooks (as lists of cell texts) that the lifting must turn into eager TF2 computing the same values.

Data and initial values are deterministic (numpy seeds, zeros, constants) so the TF1 graph and the eager
TF2 code see the same numbers; ``compare`` names the values each program binds that must agree.
"""

SOFTMAX_DATA = """\
import numpy as np
import tensorflow as tf
rng = np.random.RandomState(0)
bx = rng.rand(64, 784)              # float64 on purpose: TF1 cast feeds to the dtype it declared
by = np.eye(10)[rng.randint(0, 10, 64)]
tx, ty = bx[:32], by[:32]
"""

#: one exercise of a course notebook: its own graph, trained at RATE, its results named after NAME
EXERCISE = [
    "graph = tf.Graph()\n"
    "with graph.as_default():\n"
    "    tf_x = tf.placeholder(tf.float32, shape=(8, 4))\n"
    "    tf_y = tf.placeholder(tf.float32, shape=(8, 3))\n"
    "    tf_valid = tf.constant(valid)\n"
    "    weights = tf.Variable(np.full([4, 3], 0.1, np.float32))\n"
    "    biases = tf.Variable(tf.zeros([3]))\n"
    "    logits = tf.matmul(tf_x, weights) + biases\n"
    "    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf_y, logits=logits))\n"
    "    optimizer = tf.train.GradientDescentOptimizer(RATE).minimize(loss)\n"
    "    valid_prediction = tf.nn.softmax(tf.matmul(tf_valid, weights) + biases)\n",
    "losses_NAME = []\n"
    "with tf.Session(graph=graph) as session:\n"
    "    tf.global_variables_initializer().run()\n"
    "    for step in range(4):\n"
    "        feed_dict = {tf_x: data[step * 8:(step + 1) * 8], tf_y: targets[step * 8:(step + 1) * 8]}\n"
    "        _, l = session.run([optimizer, loss], feed_dict=feed_dict)\n"
    "        losses_NAME.append(l)\n"
    "    valid_NAME = valid_prediction.eval()\n",
]

PROGRAMS = {
    # The example of issue 5: softmax regression, InteractiveSession, initializer .run(), a training loop.
    "softmax-interactive": dict(cells=[
        SOFTMAX_DATA,
        "x = tf.placeholder(tf.float32, [None, 784]); W = tf.Variable(tf.zeros([784, 10])); "
        "b = tf.Variable(tf.zeros([10]))\n"
        "y_ = tf.placeholder(tf.float32, [None, 10])\n",
        "y = tf.matmul(x, W) + b\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))\n"
        "accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))\n",
        "sess = tf.InteractiveSession(); tf.global_variables_initializer().run()\n"
        "for _ in range(20): sess.run(train, feed_dict={x: bx, y_: by})\n"
        "print(sess.run(accuracy, feed_dict={x: tx, y_: ty}))\n"
        "acc = sess.run(accuracy, feed_dict={x: tx, y_: ty})\n"
        "logits = y.eval(feed_dict={x: tx})\n"
        "weights = sess.run(W)\n",
    ], compare=["acc", "logits", "weights"]),

    # `with tf.Session()`, a fetch list with the train op (pre-update values), .eval/.run, Adam,
    # variables from a helper function, and a helper whose parameters shadow the placeholder names.
    "mlp-session-block": dict(cells=[
        SOFTMAX_DATA,
        "def weight_variable(shape, seed):\n"
        "    initial = np.random.RandomState(seed).normal(0, 0.1, shape).astype(np.float32)\n"
        "    return tf.Variable(initial)\n"
        "\n"
        "def dense(x, W, b):\n"
        "    return tf.matmul(x, W) + b\n",
        "x = tf.placeholder(tf.float32, shape=[None, 784], name='x')\n"
        "y_ = tf.placeholder(tf.float32, shape=[None, 10])\n"
        "W1 = weight_variable([784, 32], 1)\n"
        "b1 = tf.Variable(tf.constant(0.1, shape=[32]))\n"
        "W2 = weight_variable([32, 10], 2)\n"
        "b2 = tf.Variable(tf.zeros([10]))\n"
        "hidden = tf.nn.relu(dense(x, W1, b1))\n"
        "logits_t = dense(hidden, W2, b2)\n"
        "cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits_t))\n"
        "optimizer = tf.train.AdamOptimizer(1e-3)\n"
        "train_step = optimizer.minimize(cross_entropy)\n"
        "accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits_t, 1), tf.argmax(y_, 1)), tf.float32))\n"
        "init = tf.global_variables_initializer()\n",
        "losses, accs = [], []\n"
        "with tf.Session() as sess:\n"
        "    sess.run(init)\n"
        "    for i in range(5):\n"
        "        _, l = sess.run([train_step, cross_entropy], feed_dict={x: bx, y_: by})\n"
        "        losses.append(l)\n"
        "        _, l2, a = sess.run([train_step, cross_entropy, accuracy], feed_dict={x: bx, y_: by})\n"
        "        losses.append(l2)\n"
        "        accs.append(a)\n"
        "        train_step.run(feed_dict={x: bx, y_: by})\n"
        "    final_accuracy = accuracy.eval(feed_dict={x: tx, y_: ty})\n"
        "    last_loss = cross_entropy.eval({x: tx, y_: ty})\n"
        "    w2 = W2.eval()\n",
    ], compare=["losses", "accs", "final_accuracy", "last_loss", "w2"]),

    # A named momentum optimizer with var_list, an assign op run through the session, a constant fetch,
    # reset_default_graph and Session.close.
    "momentum-assign": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\ntf.reset_default_graph()\n",
        "a = tf.placeholder(tf.float32, [None, 3])\n"
        "target = tf.placeholder(tf.float32, [None])\n"
        "w = tf.Variable(tf.ones([3]))\n"
        "bias = tf.Variable(0.5)\n"
        "pred = tf.reduce_sum(a * w, axis=1) + bias\n"
        "mse = tf.reduce_mean(tf.square(pred - target))\n"
        "opt = tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True)\n"
        "step = opt.minimize(mse, var_list=[w])\n"
        "reset_bias = tf.assign(bias, bias * 2.0)\n"
        "two = tf.constant(2.0)\n",
        "data = np.arange(12, dtype=np.float32).reshape(4, 3) / 10\n"
        "labels = np.array([1.0, 2.0, 3.0, 4.0])\n"
        "sess = tf.Session()\n"
        "sess.run(tf.global_variables_initializer())\n"
        "history = [sess.run([step, mse], {a: data, target: labels})[1] for _ in range(4)]\n"
        "doubled = sess.run(reset_bias)\n"
        "two_value = sess.run(two)\n"
        "after = sess.run([pred, mse], feed_dict={a: data, target: labels})\n"
        "w_value, bias_value = sess.run((w, bias))\n"
        "sess.close()\n",
    ], compare=["history", "doubled", "two_value", "after", "w_value", "bias_value"]),

    # Fetches written in place, op.run(), a named feed dict, a dict of fetches, placeholder_with_default
    # (a dropout switch left at its default for evaluation) and tf.losses turned into plain ops.
    "inline-feeds-defaults-losses": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(1)\nxs = rng.rand(16, 3)\nys = rng.randint(0, 2, 16)\n",
        "x = tf.placeholder(tf.float32, [None, 3])\n"
        "labels = tf.placeholder(tf.int64, [None])\n"
        "scale = tf.placeholder_with_default(1.0, shape=())\n"
        "W = tf.Variable(tf.ones([3, 2]) * 0.1)\n"
        "steps = tf.Variable(0)\n"
        "count = tf.assign_add(steps, 1)\n"
        "logits = tf.matmul(x * scale, W)\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)\n"
        "mse = tf.losses.mean_squared_error(tf.one_hot(labels, 2), tf.nn.softmax(logits))\n"
        "train = tf.train.AdamOptimizer(0.1).minimize(loss)\n",
        "sess = tf.InteractiveSession()\ntf.global_variables_initializer().run()\n"
        "feed = {x: xs, labels: ys}\n"
        "for _ in range(5):\n"
        "    sess.run(train, feed_dict={x: xs, labels: ys, scale: 0.5})\n"
        "    count.op.run()\n"
        "final = sess.run({'loss': loss, 'mse': mse}, feed_dict=feed)\n"
        "final_loss, final_mse = final['loss'], final['mse']\n"
        "inline = sess.run(tf.reduce_sum(logits) * 2 + tf.reduce_max(x), feed_dict={x: xs})\n"
        "scaled = sess.run([loss, logits], feed_dict={x: xs, labels: ys, scale: 2.0})[0]\n"
        "counted = steps.eval()\n",
    ], compare=["final_loss", "final_mse", "inline", "scaled", "counted"]),

    # tf.layers: a conv net (conv2d, max_pooling2d, flatten, dense) as Keras layers built where they are defined,
    # trained with Adam; constant initializers so both sides start from the same weights.
    "layers-convnet": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(2)\nimages = rng.rand(8, 6, 6, 1)\nclasses = rng.randint(0, 3, 8)\n",
        "x = tf.placeholder(tf.float32, [None, 6, 6, 1])\n"
        "y = tf.placeholder(tf.int64, [None])\n"
        "conv = tf.layers.conv2d(x, 4, 3, padding='same', activation=tf.nn.relu,\n"
        "                        kernel_initializer=tf.constant_initializer(0.05))\n"
        "pooled = tf.layers.max_pooling2d(conv, 2, 2)\n"
        "flat = tf.layers.flatten(pooled)\n"
        "logits = tf.layers.dense(flat, 3, kernel_initializer=tf.constant_initializer(0.02),\n"
        "                         bias_initializer=tf.constant_initializer(0.1))\n"
        "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
        "train = tf.train.AdamOptimizer(0.01).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: images, y: classes})[1] for _ in range(6)]\n"
        "final_logits = sess.run(logits, {x: images})\n",
    ], compare=["losses", "final_logits"]),

    # The shape of many public TF1 notebooks: weights and biases in dicts, a model function that reads
    # them, Adam and a `with tf.Session()` training loop.
    "dict-of-variables-model-function": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(3)\nbx = rng.rand(32, 4)\nby = np.eye(3)[rng.randint(0, 3, 32)]\n",
        "X = tf.placeholder(tf.float32, [None, 4])\nY = tf.placeholder(tf.float32, [None, 3])\n"
        "weights = {\n    'h1': tf.Variable(tf.ones([4, 5]) * 0.1),\n    'out': tf.Variable(tf.ones([5, 3]) * 0.2),\n}\n"
        "biases = {'b1': tf.Variable(tf.zeros([5])), 'out': tf.Variable(tf.zeros([3]))}\n"
        "def neural_net(x):\n"
        "    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights['h1']), biases['b1']))\n"
        "    return tf.matmul(layer_1, weights['out']) + biases['out']\n"
        "logits = neural_net(X)\n"
        "loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))\n"
        "train_op = tf.train.AdamOptimizer(learning_rate=0.05).minimize(loss_op)\n",
        "with tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n"
        "    losses = []\n"
        "    for step in range(8):\n"
        "        _, l = sess.run([train_op, loss_op], feed_dict={X: bx, Y: by})\n"
        "        losses.append(l)\n"
        "    print('loss', losses[-1])\n"
        "    h1 = sess.run(weights['h1'])\n",
    ], compare=["losses", "h1"]),

    # tf.train.Saver: save after training, spoil a variable, restore, read it back.
    "saver-save-restore": dict(cells=[
        "import os, tempfile\nimport numpy as np\nimport tensorflow as tf\n"
        "folder = tempfile.mkdtemp()\nxs = np.linspace(0, 1, 8).reshape(4, 2)\n",
        "x = tf.placeholder(tf.float32, [None, 2])\n"
        "weights = {'h': tf.Variable(tf.ones([2, 1]))}\nb = tf.Variable(0.5)\n"
        "loss = tf.reduce_mean(tf.square(tf.matmul(x, weights['h']) + b - 1.0))\n"
        "train = tf.train.AdamOptimizer(0.1).minimize(loss)\n"
        "saver = tf.train.Saver(max_to_keep=2)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "for step in range(3):\n    sess.run(train, {x: xs})\n"
        "    path = saver.save(sess, os.path.join(folder, 'model.ckpt'), global_step=step)\n"
        "trained = sess.run(b)\nspoiled = sess.run(tf.assign(b, 5.0))\n"
        "saver.restore(sess, os.path.join(folder, 'model.ckpt-2'))\n"
        "restored = sess.run(b)\nrestored_h = sess.run(weights['h'])\nsaved_name = os.path.basename(path)\n"
        "next_loss = sess.run([train, loss], {x: xs})[1]\n",
    ], compare=["trained", "spoiled", "restored", "restored_h", "next_loss"]),

    # Summaries: a scalar and a histogram in name scopes, merge_all, a FileWriter, add_summary at steps; the
    # events are read back (TF1 wrote simple_value scalars, TF 2 writes tensors).
    "summaries-written-at-steps": dict(cells=[
        "import os, tempfile\nimport numpy as np\nimport tensorflow as tf\n"
        "from tensorflow.python.summary.summary_iterator import summary_iterator\n"
        "logdir = tempfile.mkdtemp()\nxs = np.linspace(0, 1, 8).reshape(4, 2)\nys = np.array([0, 1, 2, 1])\n",
        "x = tf.placeholder(tf.float32, [None, 2])\ny = tf.placeholder(tf.int32, [None])\n"
        "with tf.name_scope('layer'):\n    W = tf.Variable(tf.ones([2, 3]) * 0.1)\n    logits = tf.matmul(x, W)\n"
        "    tf.summary.histogram('weights', W)\n"
        "with tf.name_scope('loss'):\n"
        "    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
        "    tf.summary.scalar('cross_entropy', loss)\n"
        "train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\nmerged = tf.summary.merge_all()\n",
        "sess = tf.Session()\nwriter = tf.summary.FileWriter(logdir, sess.graph)\n"
        "sess.run(tf.global_variables_initializer())\n"
        "for step in range(6):\n"
        "    if step % 2 == 0:\n"
        "        summary, _ = sess.run([merged, train_op], feed_dict={x: xs, y: ys})\n"
        "        writer.add_summary(summary, step)\n"
        "    else:\n        sess.run(train_op, feed_dict={x: xs, y: ys})\n"
        "writer.close()\n",
        "def scalar(value):\n"
        "    return value.simple_value if value.HasField('simple_value') else float(tf.make_ndarray(value.tensor))\n"
        "events = [e for name in sorted(os.listdir(logdir)) for e in summary_iterator(os.path.join(logdir, name))]\n"
        "logged_steps = [e.step for e in events for v in e.summary.value if v.tag == 'loss/cross_entropy']\n"
        "logged = [scalar(v) for e in events for v in e.summary.value if v.tag == 'loss/cross_entropy']\n"
        "histogram_steps = [e.step for e in events for v in e.summary.value if v.tag == 'layer/weights']\n",
    ], compare=["logged_steps", "logged", "histogram_steps"],
        # the event-file reader is a private module, reported as such (TFM901)
        manual_allowed={"TFM901"}),

    # global_step counted by minimize, an exponentially decaying learning rate read from it, fetched with the step.
    "global-step-and-decay": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\nxs = np.linspace(-1, 1, 16)\n",
        "x = tf.placeholder(tf.float32, [None])\nw = tf.Variable(2.0)\n"
        "loss = tf.reduce_mean(tf.square(w * x - 0.5 * x))\n"
        "global_step = tf.Variable(0, trainable=False)\n"
        "learning_rate = tf.train.exponential_decay(0.5, global_step, 3, 0.5, staircase=True)\n"
        "train = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss, global_step=global_step)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "rates, losses = [], []\n"
        "for _ in range(7):\n"
        "    _, l, r = sess.run([train, loss, learning_rate], {x: xs})\n"
        "    losses.append(l)\n    rates.append(r)\n"
        "steps_done = sess.run(global_step)\nw_final = sess.run(w)\n",
    ], compare=["rates", "losses", "steps_done", "w_final"]),

    # The graph is built inside main(), which resets it and is called twice with different flags: each call
    # trains fresh variables, as TF1's new graph and session did.
    "graph-built-inside-main": dict(cells=[
        SOFTMAX_DATA,
        "def main(rate, steps):\n"
        "    tf.reset_default_graph()\n"
        "    x = tf.placeholder(tf.float32, [None, 784])\n"
        "    y_ = tf.placeholder(tf.float32, [None, 10])\n"
        "    W = tf.Variable(tf.zeros([784, 10]))\n"
        "    b = tf.Variable(tf.zeros([10]))\n"
        "    logits = tf.matmul(x, W) + b\n"
        "    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))\n"
        "    train = tf.train.MomentumOptimizer(rate, 0.9).minimize(loss)\n"
        "    with tf.Session() as sess:\n"
        "        sess.run(tf.global_variables_initializer())\n"
        "        history = []\n"
        "        for _ in range(steps):\n"
        "            feed = {x: bx, y_: by}\n"
        "            _, l = sess.run([train, loss], feed_dict=feed)\n"
        "            history.append(l)\n"
        "        return history, sess.run(logits, feed_dict={x: tx}), W.eval()\n",
        "fast_history, fast_logits, fast_W = main(0.5, 12)\n"
        "slow_history, slow_logits, slow_W = main(0.05, 6)\n",
    ], compare=["fast_history", "fast_logits", "fast_W", "slow_history", "slow_logits", "slow_W"]),

    # Gradients clipped between compute_gradients and apply_gradients (the norm fetched with the step), and the
    # PTB form: tf.gradients over tf.trainable_variables(), clipped, applied with a global step.
    "clipped-gradient-pipelines": dict(cells=[
        SOFTMAX_DATA,
        "x = tf.placeholder(tf.float32, [None, 784])\ny_ = tf.placeholder(tf.float32, [None, 10])\n"
        "W = tf.Variable(np.random.RandomState(1).normal(0, 0.05, (784, 10)).astype(np.float32))\n"
        "b = tf.Variable(tf.zeros([10]))\n"
        "logits = tf.matmul(x, W) + b\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))\n"
        "optimizer = tf.train.MomentumOptimizer(0.5, 0.9)\n"
        "gradients, variables = zip(*optimizer.compute_gradients(loss))\n"
        "clipped, global_norm = tf.clip_by_global_norm(gradients, 0.5)\n"
        "train_op = optimizer.apply_gradients(zip(clipped, variables))\n",
        "V = tf.Variable(tf.zeros([784, 10]))\n"
        "second_loss = tf.reduce_mean(tf.square(tf.matmul(x, V) - y_))\n"
        "step = tf.Variable(0, trainable=False)\n"
        "tvars = [V]\n"
        "grads, _ = tf.clip_by_global_norm(tf.gradients(second_loss, tvars), 0.01)\n"
        "capped = [tf.clip_by_value(g, -1e-4, 1e-4) for g in grads]\n"
        "second_train = tf.train.AdamOptimizer(1e-3).apply_gradients(zip(capped, tvars), global_step=step)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses, norms, second_losses = [], [], []\n"
        "for _ in range(8):\n"
        "    _, l, n = sess.run([train_op, loss, global_norm], feed_dict={x: bx, y_: by})\n"
        "    losses.append(l)\n    norms.append(n)\n"
        "    _, l2 = sess.run([second_train, second_loss], feed_dict={x: bx, y_: by})\n"
        "    second_losses.append(l2)\n"
        "trained_W, trained_V, steps = sess.run([W, V, step])\n",
    ], compare=["losses", "norms", "second_losses", "trained_W", "trained_V", "steps"]),

    # A learning rate held in a variable and assigned a new value between steps (the PTB tutorial's decay).
    "learning-rate-variable-assigned": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\nxs = np.linspace(-1, 1, 16)\n",
        "x = tf.placeholder(tf.float32, [None])\nw = tf.Variable(2.0)\n"
        "lr = tf.Variable(0.5, trainable=False)\n"
        "loss = tf.reduce_mean(tf.square(w * x - 0.5 * x))\n"
        "train = tf.train.GradientDescentOptimizer(lr).minimize(loss)\n"
        "new_lr = tf.placeholder(tf.float32, [])\nlr_update = tf.assign(lr, new_lr)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = []\n"
        "for epoch in range(3):\n"
        "    sess.run(lr_update, feed_dict={new_lr: 0.5 * 0.5 ** epoch})\n"
        "    for _ in range(3):\n"
        "        _, l = sess.run([train, loss], {x: xs})\n"
        "        losses.append(l)\n"
        "w_final, lr_final = sess.run([w, lr])\n",
    ], compare=["losses", "w_final", "lr_final"]),

    # The TF1 examples' conv_net: tf.layers under the function's own variable scope with a reuse flag, called to
    # train (dropout on) and again with reuse=True to evaluate (dropout off); Adam over the shared layers.
    "layers-function-with-reuse": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(4)\nimages = rng.rand(8, 36)\nlabels = np.eye(3)[rng.randint(0, 3, 8)]\n",
        "X = tf.placeholder(tf.float32, [None, 36])\nY = tf.placeholder(tf.float32, [None, 3])\n"
        "def conv_net(x, n_classes, dropout, reuse, is_training):\n"
        "    with tf.variable_scope('ConvNet', reuse=reuse):\n"
        "        x = tf.reshape(x, shape=[-1, 6, 6, 1])\n"
        "        conv = tf.layers.conv2d(x, 4, 3, padding='same', activation=tf.nn.relu,\n"
        "                                kernel_initializer=tf.constant_initializer(0.05))\n"
        "        conv = tf.layers.max_pooling2d(conv, 2, 2)\n"
        "        fc = tf.layers.flatten(conv)\n"
        "        fc = tf.layers.dropout(fc, rate=dropout, training=is_training)\n"
        "        out = tf.layers.dense(fc, n_classes, kernel_initializer=tf.constant_initializer(0.02),\n"
        "                              bias_initializer=tf.constant_initializer(0.1))\n"
        "        out = tf.nn.softmax(out) if not is_training else out\n"
        "    return out\n"
        "logits_train = conv_net(X, 3, 0.0, reuse=False, is_training=True)\n"
        "probabilities = conv_net(X, 3, 0.0, reuse=True, is_training=False)\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits_train, labels=Y))\n"
        "train = tf.train.AdamOptimizer(0.01).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {X: images, Y: labels})[1] for _ in range(6)]\n"
        "final = sess.run(probabilities, {X: images})\n",
    ], compare=["losses", "final"]),

    # A cell factory (the PTB tutorial's `lstm_cell()`) stacked by MultiRNNCell and run by dynamic_rnn with sequence
    # lengths; the top layer's last h is read out and trained.
    "rnn-cell-factory": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(5)\nseqs = rng.rand(4, 6, 3)\nlengths = np.array([6, 3, 5, 2])\n"
        "targets = rng.rand(4, 1)\n",
        "x = tf.placeholder(tf.float32, [None, 6, 3])\nn = tf.placeholder(tf.int32, [None])\n"
        "y = tf.placeholder(tf.float32, [None, 1])\n"
        "def lstm_cell():\n"
        "    return tf.nn.rnn_cell.LSTMCell(4, initializer=tf.constant_initializer(0.1))\n"
        "stacked = tf.nn.rnn_cell.MultiRNNCell([lstm_cell() for _ in range(2)])\n"
        "outputs, state = tf.nn.dynamic_rnn(stacked, x, sequence_length=n, dtype=tf.float32)\n"
        "w = tf.Variable(tf.ones([4, 1]) * 0.5)\n"
        "prediction = tf.matmul(state[-1].h, w)\n"
        "loss = tf.reduce_mean(tf.square(prediction - y))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: seqs, n: lengths, y: targets})[1] for _ in range(4)]\n"
        "final_outputs = sess.run(outputs, {x: seqs, n: lengths})\n",
    ], compare=["losses", "final_outputs"]),
    # The PTB shape: a cell factory wrapping each cell in a DropoutWrapper whose keep probability is fed (0.6 to
    # train, the default 1.0 to evaluate). Random draws are aligned, so both sides drop the same units; a run
    # that reads only the top state does not drop the top layer's outputs in TF1, nor in the lifted code.
    "rnn-dropout-feed": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(5)\nseqs = rng.rand(4, 6, 3)\nlengths = np.array([6, 3, 5, 2])\n"
        "targets = rng.rand(4, 1)\n",
        "x = tf.placeholder(tf.float32, [None, 6, 3])\nn = tf.placeholder(tf.int32, [None])\n"
        "y = tf.placeholder(tf.float32, [None, 1])\nkeep = tf.placeholder_with_default(1.0, shape=())\n"
        "def lstm_cell():\n"
        "    cell = tf.nn.rnn_cell.LSTMCell(4, initializer=tf.constant_initializer(0.1))\n"
        "    return tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=keep)\n"
        "stacked = tf.nn.rnn_cell.MultiRNNCell([lstm_cell() for _ in range(2)])\n"
        "outputs, state = tf.nn.dynamic_rnn(stacked, x, sequence_length=n, dtype=tf.float32)\n"
        "w = tf.Variable(tf.ones([4, 1]) * 0.5)\n"
        "prediction = tf.matmul(state[-1].h, w)\n"
        "loss = tf.reduce_mean(tf.square(prediction - y))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: seqs, n: lengths, y: targets, keep: 0.6})[1] for _ in range(4)]\n"
        "final_loss = sess.run(loss, {x: seqs, n: lengths, y: targets})\n"
        "final_outputs = sess.run(outputs, {x: seqs, n: lengths, keep: 0.5})\n",
    ], compare=["losses", "final_loss", "final_outputs"]),

    # A function of tf.layers calls with the default (Glorot) kernels, under aligned draws: Keras must not build
    # the layers by tracing `call`, which reads each initializer once more and shifts the draws.
    "layers-function-default-init": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(8)\nimages = rng.rand(6, 5)\nlabels = np.eye(3)[rng.randint(0, 3, 6)]\n",
        "X = tf.placeholder(tf.float32, [None, 5])\nY = tf.placeholder(tf.float32, [None, 3])\n"
        "def mlp(x):\n"
        "    hidden = tf.layers.dense(x, 4, activation=tf.nn.relu)\n"
        "    return tf.layers.dense(hidden, 3)\n"
        "logits = mlp(X)\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {X: images, Y: labels})[1] for _ in range(3)]\n"
        "final = sess.run(logits, {X: images})\n",
    ], compare=["losses", "final"]),
    # static_rnn at the notebook's top level over an unstacked input; the run's list of outputs and its LSTM state
    # tuple are fetched as the same structures of arrays.
    "rnn-static-top-level": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(9)\nseqs = rng.rand(3, 4, 2)\ntargets = rng.rand(3, 1)\n",
        "x = tf.placeholder(tf.float32, [None, 4, 2])\ny = tf.placeholder(tf.float32, [None, 1])\n"
        "cell = tf.nn.rnn_cell.LSTMCell(3, initializer=tf.constant_initializer(0.2))\n"
        "outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, 4, 1), dtype=tf.float32)\n"
        "w = tf.Variable(tf.ones([3, 1]) * 0.5)\n"
        "loss = tf.reduce_mean(tf.square(tf.matmul(outputs[-1], w) - y))\n"
        "train = tf.train.AdamOptimizer(0.1).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: seqs, y: targets})[1] for _ in range(3)]\n"
        "steps = sess.run(outputs, {x: seqs})\nfinal_c, final_h = sess.run(state, {x: seqs})\n",
    ], compare=["losses", "steps", "final_c", "final_h"]),
    # nlintz's autoencoder: a random tensor bound to a name and used only as a variable's initial value (TF1
    # evaluated it once, when the initializer ran), tied weights through a transpose, a fed corruption mask.
    "random-initial-value": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(10)\nimages = rng.rand(6, 8)\nmasks = rng.binomial(1, 0.7, (6, 8))\n",
        "X = tf.placeholder('float', [None, 8])\nmask = tf.placeholder('float', [None, 8])\n"
        "W_init_max = 4 * np.sqrt(6. / (8 + 3))\n"
        "W_init = tf.random_uniform(shape=[8, 3], minval=-W_init_max, maxval=W_init_max)\n"
        "W = tf.Variable(W_init, name='W')\nb = tf.Variable(tf.zeros([3]), name='b')\n"
        "W_prime = tf.transpose(W)\nb_prime = tf.Variable(tf.zeros([8]), name='b_prime')\n"
        "Y = tf.nn.sigmoid(tf.matmul(mask * X, W) + b)\nZ = tf.nn.sigmoid(tf.matmul(Y, W_prime) + b_prime)\n"
        "cost = tf.reduce_sum(tf.pow(X - Z, 2))\n"
        "train_op = tf.train.GradientDescentOptimizer(0.02).minimize(cost)\n",
        "with tf.Session() as sess:\n"
        "    tf.global_variables_initializer().run()\n"
        "    w0 = sess.run(W)\n"
        "    costs = [sess.run([train_op, cost], {X: images, mask: masks})[1] for _ in range(3)]\n"
        "    reconstructed = sess.run(Z, {X: images, mask: masks})\n",
    ], compare=["w0", "costs", "reconstructed"]),
    # A queue pipeline (TFM420): CSV files through string_input_producer, TextLineReader and decode_csv, batched by
    # tf.train.batch and trained on until the queue's OutOfRangeError; then records read one by one, and in-memory
    # slices batched with allow_smaller_final_batch, one of the batch's tensors fetched alone.
    "queue-pipelines": dict(cells=[
        "import os, tempfile\nimport numpy as np\nimport tensorflow as tf\n"
        "folder = tempfile.mkdtemp()\nrng = np.random.RandomState(11)\npaths = []\n"
        "for index in range(2):\n"
        "    rows = rng.rand(7, 2)\n"
        "    paths.append(os.path.join(folder, 'part%d.csv' % index))\n"
        "    with open(paths[-1], 'w') as handle:\n"
        "        handle.write('x1,x2,label\\n')\n"
        "        handle.writelines('%.4f,%.4f,%d\\n' % (a, b, a + b > 1) for a, b in rows)\n",
        "filename_queue = tf.train.string_input_producer(paths, num_epochs=2, shuffle=False)\n"
        "reader = tf.TextLineReader(skip_header_lines=1)\n"
        "key, value = reader.read(filename_queue)\n"
        "x1, x2, label = tf.decode_csv(value, record_defaults=[[0.0], [0.0], [0]])\n"
        "features = tf.stack([x1, x2])\n"
        "batch_x, batch_y = tf.train.batch([features, label], batch_size=3)\n"
        "w = tf.Variable(tf.zeros([2, 1]))\n"
        "logits = tf.squeeze(tf.matmul(batch_x, w), 1)\n"
        "loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.to_float(batch_y), logits=logits))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n"
        "rows_queue = tf.train.string_input_producer(paths[:1], shuffle=False)\n"
        "row_reader = tf.TextLineReader(skip_header_lines=1)\n"
        "_, row = row_reader.read(rows_queue)\n"
        "first, second, _ = tf.decode_csv(row, record_defaults=[[0.0], [0.0], [0]])\n"
        "xs = np.arange(12, dtype=np.float32).reshape(6, 2)\n"
        "x, y = tf.train.slice_input_producer([xs, np.arange(6)], num_epochs=1, shuffle=False)\n"
        "bx, by = tf.train.batch([x * 2.0, y], batch_size=4, allow_smaller_final_batch=True)\n",
        "losses, rows, batches = [], [], []\n"
        "with tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    sess.run(tf.local_variables_initializer())\n"
        "    coord = tf.train.Coordinator()\n"
        "    threads = tf.train.start_queue_runners(sess=sess, coord=coord)\n"
        "    try:\n"
        "        while not coord.should_stop():\n"
        "            losses.append(sess.run([train, loss])[1])\n"
        "    except tf.errors.OutOfRangeError:\n"
        "        pass\n"
        "    for _ in range(9):\n"
        "        rows.append(sess.run([first, second]))\n"
        "    try:\n"
        "        while True:\n"
        "            batches.append(sess.run(bx))\n"
        "    except tf.errors.OutOfRangeError:\n"
        "        coord.request_stop()\n"
        "    coord.join(threads)\n"
        "    w_final = sess.run(w)\n"
        "steps = len(losses)\nrows = np.array(rows)\nbatch_sizes = [len(b) for b in batches]\n"
        "first_batch, last_batch = batches[0], batches[-1]\n",
    ], compare=["losses", "steps", "w_final", "rows", "batch_sizes", "first_batch", "last_batch"]),
    # tf.metrics pairs (TFM340): accuracy and a mean of the loss, updated in the training run (with the values before
    # the step, as one sess.run saw them), read after each epoch, and reset by the local variables' initializer.
    "metrics-streaming": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(3)\ndata_x = rng.rand(12, 3).astype(np.float32)\n"
        "data_y = np.eye(2)[rng.randint(0, 2, 12)]\n",
        "x = tf.placeholder(tf.float32, [None, 3])\ny = tf.placeholder(tf.float32, [None, 2])\n"
        "w = tf.Variable(tf.ones([3, 2]) * 0.1)\nlogits = tf.matmul(x, w)\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n"
        "acc, acc_op = tf.metrics.accuracy(labels=tf.argmax(y, 1), predictions=tf.argmax(logits, 1))\n"
        "mean_loss, mean_loss_op = tf.metrics.mean(loss)\n"
        "mse, mse_op = tf.metrics.mean_squared_error(y, tf.nn.softmax(logits), weights=tf.ones([4, 1]))\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\nrunning, epochs = [], []\n"
        "for epoch in range(3):\n"
        "    sess.run(tf.local_variables_initializer())\n"
        "    for start in range(0, 12, 4):\n"
        "        feed = {x: data_x[start:start + 4], y: data_y[start:start + 4]}\n"
        "        _, a_now, l_now = sess.run([train, acc_op, mean_loss_op], feed)\n"
        "        sess.run(mse_op, feed)\n"
        "        running.append([a_now, l_now])\n"
        "    epochs.append(sess.run([acc, mean_loss, mse]))\n"
        "running, epochs = np.array(running), np.array(epochs)\n",
    ], compare=["running", "epochs"]),
    # The TF1 examples' bidirectional_rnn: static_bidirectional_rnn inside a function, with their try/except fallback
    # for older releases; and bidirectional_dynamic_rnn with sequence lengths, both directions' last states read out.
    "rnn-function-bidirectional": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(12)\nimages = rng.rand(4, 5, 3)\nlabels = np.eye(2)[rng.randint(0, 2, 4)]\n"
        "lengths = np.array([5, 2, 4, 3])\ntimesteps, num_hidden = 5, 4\n",
        "X = tf.placeholder('float', [None, timesteps, 3])\nY = tf.placeholder('float', [None, 2])\n"
        "n = tf.placeholder(tf.int32, [None])\n"
        "weights = {'out': tf.Variable(tf.random_normal([2 * num_hidden, 2]))}\n"
        "def BiRNN(x, weights):\n"
        "    x = tf.unstack(x, timesteps, 1)\n"
        "    lstm_fw_cell = tf.nn.rnn_cell.BasicLSTMCell(num_hidden, forget_bias=1.0)\n"
        "    lstm_bw_cell = tf.nn.rnn_cell.BasicLSTMCell(num_hidden, forget_bias=1.0)\n"
        "    try:\n"
        "        outputs, _, _ = tf.nn.static_bidirectional_rnn(lstm_fw_cell, lstm_bw_cell, x, dtype=tf.float32)\n"
        "    except Exception:\n"
        "        outputs = tf.nn.static_bidirectional_rnn(lstm_fw_cell, lstm_bw_cell, x, dtype=tf.float32)\n"
        "    return tf.matmul(outputs[-1], weights['out'])\n"
        "def lengths_model(x, n):\n"
        "    fw = tf.nn.rnn_cell.GRUCell(3)\n"
        "    bw = tf.nn.rnn_cell.GRUCell(3)\n"
        "    (out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=n,\n"
        "                                                                             dtype=tf.float32)\n"
        "    return tf.concat([state_fw, state_bw, out_bw[:, 0]], 1)\n",
        "logits = BiRNN(X, weights)\nsummary = lengths_model(X, n)\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))\n"
        "loss += tf.reduce_mean(tf.square(summary))\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {X: images, Y: labels, n: lengths})[1] for _ in range(4)]\n"
        "final = sess.run(logits, {X: images})\nfinal_summary = sess.run(summary, {X: images, n: lengths})\n",
    ], compare=["losses", "final", "final_summary"]),
    # The TF1 examples' recurrent_network: a function that unstacks its input, makes a BasicLSTMCell and runs it with
    # static_rnn, reading out the last step with weights from dicts. The Glorot kernel is drawn when the cell is
    # built (aligned draws), after the dict's random weights, on both sides.
    "rnn-function-static": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(6)\nimages = rng.rand(4, 5, 3)\nlabels = np.eye(2)[rng.randint(0, 2, 4)]\n"
        "timesteps, num_hidden = 5, 6\n",
        "X = tf.placeholder('float', [None, timesteps, 3])\nY = tf.placeholder('float', [None, 2])\n"
        "weights = {'out': tf.Variable(tf.random_normal([num_hidden, 2]))}\n"
        "biases = {'out': tf.Variable(tf.random_normal([2]))}\n",
        "def RNN(x, weights, biases):\n"
        "    x = tf.unstack(x, timesteps, 1)\n"
        "    lstm_cell = tf.nn.rnn_cell.BasicLSTMCell(num_hidden, forget_bias=1.0)\n"
        "    outputs, states = tf.nn.static_rnn(lstm_cell, x, dtype=tf.float32)\n"
        "    return tf.matmul(outputs[-1], weights['out']) + biases['out']\n",
        "logits = RNN(X, weights, biases)\n"
        "loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))\n"
        "train_op = tf.train.GradientDescentOptimizer(learning_rate=0.5).minimize(loss_op)\n"
        "init = tf.global_variables_initializer()\n",
        "with tf.Session() as sess:\n"
        "    sess.run(init)\n"
        "    losses = [sess.run([train_op, loss_op], feed_dict={X: images, Y: labels})[1] for _ in range(4)]\n"
        "    final = sess.run(logits, feed_dict={X: images})\n",
    ], compare=["losses", "final"]),
    # The TF1 examples' dynamic_rnn: static_rnn with sequence lengths inside the function, the last valid output
    # gathered by index; here also a GRU made from a parameter that the body computes with too, and a tf.layers
    # dense read-out, so the function's layer holds a cell and a layer.
    "rnn-function-lengths": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(7)\nseqs = rng.rand(4, 6, 1)\nlengths = np.array([6, 2, 4, 3])\n"
        "labels = np.eye(2)[rng.randint(0, 2, 4)]\nseq_max_len = 6\n",
        "x = tf.placeholder('float', [None, seq_max_len, 1])\ny = tf.placeholder('float', [None, 2])\n"
        "seqlen = tf.placeholder(tf.int32, [None])\n",
        "def dynamicRNN(x, seqlen, n_hidden):\n"
        "    x = tf.unstack(x, seq_max_len, 1)\n"
        "    cell = tf.nn.rnn_cell.GRUCell(n_hidden)\n"
        "    outputs, states = tf.nn.static_rnn(cell, x, dtype=tf.float32, sequence_length=seqlen)\n"
        "    outputs = tf.transpose(tf.stack(outputs), [1, 0, 2])\n"
        "    batch_size = tf.shape(outputs)[0]\n"
        "    index = tf.range(0, batch_size) * seq_max_len + (seqlen - 1)\n"
        "    outputs = tf.gather(tf.reshape(outputs, [-1, n_hidden]), index)\n"
        "    return tf.layers.dense(outputs, 2)\n",
        "pred = dynamicRNN(x, seqlen, 5)\n"
        "cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=pred, labels=y))\n"
        "optimizer = tf.train.AdamOptimizer(0.05).minimize(cost)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([optimizer, cost], {x: seqs, y: labels, seqlen: lengths})[1] for _ in range(4)]\n"
        "final = sess.run(pred, {x: seqs, seqlen: lengths})\n",
    ], compare=["losses", "final"]),
    # tf.layers.batch_normalization on 2-D and 4-D (fused in TF1, channels last and first) inputs with a fed training
    # flag, its update ops
    # run through control_dependencies around minimize. A training-mode evaluation outside the step must not move
    # the averages, and the inference outputs read them. (Plain SGD: the first layer's offsets get no gradient
    # through the second layer's normalization but rounding noise, which Adam would scale up to steps.)
    "batch-norm-update-ops": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(13)\nimages = rng.rand(6, 4, 4, 2) * 3 + 1\n"
        "labels = np.eye(3)[rng.randint(0, 3, 6)]\n",
        "x = tf.placeholder(tf.float32, [None, 4, 4, 2])\ny = tf.placeholder(tf.float32, [None, 3])\n"
        "is_training = tf.placeholder(tf.bool)\n"
        "normed = tf.layers.batch_normalization(x, training=is_training, momentum=0.9)\n"
        "channels_first = tf.layers.batch_normalization(x, axis=1, training=is_training, scale=False)\n"
        "flat = tf.reshape(normed + channels_first, [-1, 32])\n"
        "w = tf.Variable(tf.ones([32, 3]) * 0.05)\n"
        "hidden = tf.matmul(flat, w)\n"
        "logits = tf.layers.batch_normalization(hidden, training=is_training, epsilon=0.01, center=False)\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))\n"
        "update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)\n"
        "with tf.control_dependencies(update_ops):\n"
        "    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: images, y: labels, is_training: True})[1] for _ in range(3)]\n"
        "training_logits = sess.run(logits, {x: images[:3], is_training: True})\n"
        "final = sess.run(logits, {x: images, is_training: False})\n",
    ], compare=["losses", "training_logits", "final"]),
    # A DCGAN's batch normalization: two networks in model functions under their own variable scopes, each train
    # step running only its network's update ops (get_collection by scope) and updating its own variables. (SGD:
    # normalized layers get gradients of rounding noise in some directions, which Adam would scale up to steps.)
    "batch-norm-gan-scopes": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(14)\nreal = rng.rand(8, 5)\nnoise = [rng.rand(8, 3) for _ in range(3)]\n",
        "z = tf.placeholder(tf.float32, [None, 3])\nreal_input = tf.placeholder(tf.float32, [None, 5])\n"
        "is_training = tf.placeholder(tf.bool)\n"
        "def generator(x, reuse=False):\n"
        "    with tf.variable_scope('Generator', reuse=reuse):\n"
        "        x = tf.layers.dense(x, 6, kernel_initializer=tf.constant_initializer(0.3), use_bias=False)\n"
        "        x = tf.layers.batch_normalization(x, training=is_training)\n"
        "        return tf.layers.dense(tf.nn.relu(x), 5, kernel_initializer=tf.constant_initializer(-0.2))\n"
        "def discriminator(x, reuse=False):\n"
        "    with tf.variable_scope('Discriminator', reuse=reuse):\n"
        "        x = tf.layers.dense(x, 4, kernel_initializer=tf.constant_initializer(0.1), use_bias=False)\n"
        "        x = tf.layers.batch_normalization(x, training=is_training)\n"
        "        return tf.layers.dense(tf.nn.relu(x), 1, kernel_initializer=tf.constant_initializer(0.5))\n"
        "fake = generator(z)\ndisc_real = discriminator(real_input)\ndisc_fake = discriminator(fake, reuse=True)\n"
        "disc_loss = tf.reduce_mean(tf.square(disc_real - 1.0)) + tf.reduce_mean(tf.square(disc_fake))\n"
        "gen_loss = tf.reduce_mean(tf.square(disc_fake - 1.0))\n"
        "gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Generator')\n"
        "disc_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Discriminator')\n"
        "gen_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='Generator')\n"
        "with tf.control_dependencies(gen_update_ops):\n"
        "    train_gen = tf.train.GradientDescentOptimizer(0.2).minimize(gen_loss, var_list=gen_vars)\n"
        "disc_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='Discriminator')\n"
        "with tf.control_dependencies(disc_update_ops):\n"
        "    train_disc = tf.train.GradientDescentOptimizer(0.2).minimize(disc_loss, var_list=disc_vars)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\nlosses = []\n"
        "for batch in noise:\n"
        "    _, dl = sess.run([train_disc, disc_loss], {real_input: real, z: batch, is_training: True})\n"
        "    _, gl = sess.run([train_gen, gen_loss], {z: batch, is_training: True})\n"
        "    losses.append([dl, gl])\n"
        "losses = np.array(losses)\nsamples = sess.run(fake, {z: noise[0], is_training: False})\n",
    ], compare=["losses", "samples"]),
    # Batch normalization without the UPDATE_OPS idiom (a common TF1 bug): the averages never moved.
    "batch-norm-no-update-ops": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "rng = np.random.RandomState(15)\ndata = rng.rand(5, 3) * 4\ntargets = rng.rand(5, 1)\n",
        "x = tf.placeholder(tf.float32, [None, 3])\ny = tf.placeholder(tf.float32, [None, 1])\n"
        "training = tf.placeholder_with_default(False, shape=())\n"
        "h = tf.layers.batch_normalization(x, training=training)\n"
        "w = tf.Variable(tf.ones([3, 1]))\nloss = tf.reduce_mean(tf.square(tf.matmul(h, w) - y))\n"
        "train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: data, y: targets, training: True})[1] for _ in range(3)]\n"
        "inference = sess.run(h, {x: data})\n",
    ], compare=["losses", "inference"]),
    # The TF examples' GAN: both train steps in one run, each on its own variables. With resource variables (reads
    # are snapshots), TF1 computed both gradients from the variables before either update; with reference variables
    # a step could read what the other had updated, and the losses varied between runs in the sixth digit.
    "gan-joint-steps": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\ntf.enable_resource_variables()\n"
        "rng = np.random.RandomState(16)\nreal = rng.rand(8, 4)\nnoise = [rng.uniform(-1, 1, (8, 2)) for _ in range(6)]\n",
        "weights = {'gen': tf.Variable(tf.constant(rng.randn(2, 4) * 0.5, tf.float32)),\n"
        "           'disc': tf.Variable(tf.constant(rng.randn(4, 1) * 0.5, tf.float32))}\n"
        "biases = {'gen': tf.Variable(tf.zeros([4])), 'disc': tf.Variable(tf.zeros([1]))}\n"
        "def generator(x):\n"
        "    return tf.nn.sigmoid(tf.add(tf.matmul(x, weights['gen']), biases['gen']))\n"
        "def discriminator(x):\n"
        "    return tf.nn.sigmoid(tf.add(tf.matmul(x, weights['disc']), biases['disc']))\n"
        "gen_input = tf.placeholder(tf.float32, shape=[None, 2])\n"
        "disc_input = tf.placeholder(tf.float32, shape=[None, 4])\n"
        "gen_sample = generator(gen_input)\ndisc_real = discriminator(disc_input)\ndisc_fake = discriminator(gen_sample)\n"
        "gen_loss = -tf.reduce_mean(tf.log(disc_fake))\n"
        "disc_loss = -tf.reduce_mean(tf.log(disc_real) + tf.log(1. - disc_fake))\n"
        "gen_vars = [weights['gen'], biases['gen']]\ndisc_vars = [weights['disc'], biases['disc']]\n"
        "train_gen = tf.train.AdamOptimizer(0.05).minimize(gen_loss, var_list=gen_vars)\n"
        "train_disc = tf.train.AdamOptimizer(0.05).minimize(disc_loss, var_list=disc_vars)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\nlosses = []\n"
        "for z in noise:\n"
        "    _, _, gl, dl = sess.run([train_gen, train_disc, gen_loss, disc_loss],\n"
        "                            feed_dict={disc_input: real, gen_input: z})\n"
        "    losses.append([gl, dl])\n"
        "losses = np.array(losses)\nsamples = sess.run(gen_sample, {gen_input: noise[0]})\n",
    ], compare=["losses", "samples"]),
    # TF-Slim: an arg_scope inside a model function named by its scope parameter, layers with L2 regularizers, the
    # LOSSES and REGULARIZATION_LOSSES collections summed by tf.losses' getters, create_train_op's step returning the
    # total loss, and a lookup of a layer's weights by name.
    "slim-collections": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"
        "rng = np.random.RandomState(17)\ndata = rng.rand(8, 3)\nclasses = rng.randint(0, 2, 8)\n",
        "def net(x, scope='net'):\n"
        "    with tf.variable_scope(scope):\n"
        "        with slim.arg_scope([slim.fully_connected], weights_initializer=tf.constant_initializer(0.1),\n"
        "                            weights_regularizer=tf.contrib.layers.l2_regularizer(0.01)):\n"
        "            h = slim.fully_connected(x, 4, scope='hidden')\n"
        "            out = slim.fully_connected(h, 2, activation_fn=None, scope='out')\n"
        "    return out\n"
        "x = tf.placeholder(tf.float32, [None, 3])\ny = tf.placeholder(tf.int64, [None])\nlogits = net(x)\n"
        "data_loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)\n"
        "regularization = tf.losses.get_regularization_loss()\ntotal = tf.losses.get_total_loss()\n"
        "train_op = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.5))\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "totals = np.array([sess.run(train_op, {x: data, y: classes}) for _ in range(4)])\n"
        "parts = np.array(sess.run([data_loss, regularization], {x: data, y: classes}))\n"
        "hidden_weights = sess.run(slim.get_variables_by_name('weights', scope='net/hidden')[0])\n",
    ], compare=["totals", "parts", "hidden_weights"]),

    # Hvass-style layer functions: they make tf.Variables through variable factories and compute with them; each
    # call makes new variables (a fresh module per call), one returns its weights too, one takes a default flag.
    "variable-layer-functions": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\nrng = np.random.RandomState(0)\n"
        "bx = rng.rand(16, 64).astype(np.float32)\nby = np.eye(10)[rng.randint(0, 10, 16)]\n",
        "def new_weights(shape, seed):\n"
        "    return tf.Variable(np.random.RandomState(seed).normal(0, 0.05, shape).astype(np.float32))\n"
        "def new_biases(length):\n"
        "    return tf.Variable(tf.constant(0.05, shape=[length]))\n",
        "def new_conv_layer(input, num_input_channels, filter_size, num_filters, seed, use_pooling=True):\n"
        "    shape = [filter_size, filter_size, num_input_channels, num_filters]\n"
        "    weights = new_weights(shape=shape, seed=seed)\n"
        "    biases = new_biases(length=num_filters)\n"
        "    layer = tf.nn.conv2d(input=input, filter=weights, strides=[1, 1, 1, 1], padding='SAME')\n"
        "    layer += biases\n"
        "    if use_pooling:\n"
        "        layer = tf.nn.max_pool(value=layer, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
        "    layer = tf.nn.relu(layer)\n"
        "    return layer, weights\n",
        "def new_fc_layer(input, num_inputs, num_outputs, seed, use_relu=True):\n"
        "    weights = new_weights(shape=[num_inputs, num_outputs], seed=seed)\n"
        "    biases = tf.Variable(tf.zeros([num_outputs]), name='biases')\n"
        "    layer = tf.matmul(input, weights) + biases\n"
        "    if use_relu:\n"
        "        layer = tf.nn.relu(layer)\n"
        "    return layer\n",
        "x = tf.placeholder(tf.float32, [None, 64])\ny_true = tf.placeholder(tf.float32, [None, 10])\n"
        "x_image = tf.reshape(x, [-1, 8, 8, 1])\n"
        "layer_conv1, weights_conv1 = new_conv_layer(input=x_image, num_input_channels=1, filter_size=3,\n"
        "                                            num_filters=4, seed=1, use_pooling=True)\n"
        "layer_conv2, weights_conv2 = new_conv_layer(layer_conv1, 4, 3, 8, 2)\n"
        "def flatten_layer(layer):\n"
        "    layer_shape = layer.get_shape()\n"
        "    num_features = layer_shape[1:4].num_elements()\n"
        "    layer_flat = tf.reshape(layer, [-1, num_features])\n"
        "    return layer_flat, num_features\n"
        "layer_flat, num_features = flatten_layer(layer_conv2)\n"
        "channels = int(layer_conv2.get_shape()[-1])\n"
        "layer_fc1 = new_fc_layer(input=layer_flat, num_inputs=num_features, num_outputs=16, seed=3)\n"
        "layer_fc2 = new_fc_layer(layer_fc1, 16, 10, 4, use_relu=False)\n"
        "cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=layer_fc2, labels=y_true))\n"
        "optimizer = tf.train.AdamOptimizer(learning_rate=1e-2).minimize(cost)\n"
        "correct = tf.equal(tf.argmax(layer_fc2, 1), tf.argmax(y_true, 1))\n"
        "accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))\n",
        "session = tf.Session()\nsession.run(tf.global_variables_initializer())\nlosses = []\n"
        "for i in range(5):\n"
        "    _, l = session.run([optimizer, cost], feed_dict={x: bx, y_true: by})\n"
        "    losses.append(l)\n"
        "conv_weights = session.run(weights_conv2)\n"
        "acc = session.run(accuracy, feed_dict={x: bx, y_true: by})\n"
        "trained = len(tf.trainable_variables())\n",
        # Helpers given the tensors and variables they run; two local feed dicts of one name, other keys.
        "def conv_values(layer, image):\n"
        "    feed_dict = {x: [image]}\n"
        "    return session.run(layer, feed_dict=feed_dict)\n"
        "def weight_values(weights):\n"
        "    return session.run(weights)\n"
        "def batch_accuracy(images, labels):\n"
        "    feed_dict = {x: images, y_true: labels}\n"
        "    return session.run(accuracy, feed_dict=feed_dict)\n"
        "def mean_value(tensor):\n"
        "    return tensor.eval(feed_dict={x: bx}, session=session).mean()\n"
        "fc_mean = mean_value(layer_fc1)\n"
        "first_conv = conv_values(layer=layer_conv1, image=bx[0])\n"
        "second_conv = conv_values(layer_conv2, bx[1])\n"
        "first_weights = weight_values(weights_conv1)\n"
        "acc2 = batch_accuracy(bx[:8], by[:8])\n",
    ], compare=["losses", "conv_weights", "acc", "trained", "num_features", "channels", "fc_mean",
                "first_conv", "second_conv", "first_weights", "acc2"]),

    # tf.layers whose input shapes the source does not show (sizes computed from the data): each layer is built
    # where TF1 made its variables, with the shape tracing finds, so the variables list and the draws line up.
    "layers-traced-build": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "data = np.random.RandomState(0).rand(8, 64).astype(np.float32)\n"
        "classes = np.random.RandomState(1).randint(0, 3, 8)\nsize = int(np.sqrt(data.shape[1]))\n",
        "x = tf.placeholder(tf.float32, [None, size * size])\ny = tf.placeholder(tf.int64, [None])\n"
        "net = tf.reshape(x, [-1, size, size, 1])\n"
        "net = tf.layers.conv2d(net, filters=4, kernel_size=3, padding='same', activation=tf.nn.relu, name='conv')\n"
        "net = tf.layers.max_pooling2d(net, 2, 2)\n"
        "net = tf.reshape(net, [-1, net.get_shape()[1:].num_elements()])\n"
        "logits = tf.layers.dense(net, 3, name='out')\n"
        "n_variables = len(tf.global_variables())\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)\n"
        "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: data, y: classes})[1] for _ in range(4)]\n"
        "out = sess.run(logits, {x: data})\n",
    ], compare=["n_variables", "losses", "out"]),

    # Hvass 03B in small: every variable listed after `minimize` (Adam's slots with them), and the layers' kernels read
    # back through a function that looks them up by scope under `reuse=True`.
    "variables-looked-up-by-name": dict(aligned=True, cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "data = np.random.RandomState(0).rand(8, 4).astype(np.float32)\n"
        "classes = np.random.RandomState(1).randint(0, 3, 8)\n",
        "x = tf.placeholder(tf.float32, [None, 4])\ny = tf.placeholder(tf.int64, [None])\n"
        "net = tf.layers.dense(x, 5, activation=tf.nn.relu, name='hidden')\n"
        "logits = tf.layers.dense(net, 3, name='out')\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)\n"
        "train = tf.train.AdamOptimizer(0.1).minimize(loss)\n",
        "for var in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES):\n    print(var)\n",
        "def get_weights_variable(layer_name):\n"
        "    # the kernel tf.layers made in that scope\n"
        "    with tf.variable_scope(layer_name, reuse=True):\n"
        "        variable = tf.get_variable('kernel')\n"
        "    return variable\n",
        "weights_hidden = get_weights_variable(layer_name='hidden')\nweights_out = get_weights_variable('out')\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train, loss], {x: data, y: classes})[1] for _ in range(4)]\n"
        "hidden_kernel, out_kernel = sess.run([weights_hidden, weights_out])\n",
    ], compare=["losses", "hidden_kernel", "out_kernel"]),

    # Hvass 12's adversarial noise: a variable made with trainable=False, trained through `var_list` by a second
    # optimizer, and through `compute_gradients(var_list=...)` (TF1 took its gradient all the same; a tape records it
    # only when told to watch it).
    "untrainable-variable-in-var-list": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None])\nw = tf.Variable(1.5)\n"
        "noise = tf.Variable(0.0, trainable=False)\n"
        "loss = tf.reduce_mean(tf.square(w * x + noise - 2.0))\n"
        "train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
        "train_noise = tf.train.AdamOptimizer(0.05).minimize(loss, var_list=[noise])\n"
        "sgd = tf.train.GradientDescentOptimizer(0.1)\npairs = sgd.compute_gradients(loss, var_list=[noise])\n"
        "clipped = sgd.apply_gradients([(tf.clip_by_value(g, -0.5, 0.5), v) for g, v in pairs])\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train_noise, loss], {x: [1.0, 2.0, 3.0]})[1] for _ in range(3)]\n"
        "losses += [sess.run([train, loss], {x: [1.0, 2.0, 3.0]})[1] for _ in range(2)]\n"
        "losses += [sess.run([clipped, loss], {x: [1.0, 2.0, 3.0]})[1] for _ in range(2)]\n"
        "values = sess.run([w, noise])\n",
    ], compare=["losses", "values"]),

    # A course notebook's exercises: a graph each, built again under the same names (each lifted on its own), and
    # a dataset element's name given to a plain value once nothing is built on it.
    "graphs-one-after-another": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\nrng = np.random.RandomState(0)\n"
        "data = rng.rand(32, 4).astype(np.float32)\ntargets = np.eye(3)[rng.randint(0, 3, 32)].astype(np.float32)\n"
        "valid = data[:5]\n",
        *(text.replace("RATE", rate).replace("NAME", name) for rate, name in (("0.5", "first"), ("0.1", "second"))
          for text in EXERCISE),
        "tf.reset_default_graph()\n"
        "batches = tf.data.Dataset.from_tensor_slices(data).batch(4).make_one_shot_iterator()\n"
        "d = batches.get_next()\n"
        "sess = tf.Session()\nfirst_batch = sess.run(d)\n"
        "d = len(first_batch)\n",
    ], compare=["losses_first", "valid_first", "losses_second", "valid_second", "first_batch", "d"]),

    # The TF examples' first notebook: constants run, then placeholders under the same names.
    "names-taken-over-by-placeholders": dict(cells=[
        "import tensorflow as tf\na = tf.constant(2)\nb = tf.constant(3)\n"
        "with tf.Session() as sess:\n    total = sess.run(a + b)\n    product = sess.run(a * b)\n",
        "a = tf.placeholder(tf.int16)\nb = tf.placeholder(tf.int16)\nadd = tf.add(a, b)\nmul = tf.multiply(a, b)\n"
        "with tf.Session() as sess:\n    fed_sum = sess.run(add, feed_dict={a: 2, b: 3})\n"
        "    fed_product = sess.run(mul, feed_dict={a: 2, b: 3})\n",
    ], compare=["total", "product", "fed_sum", "fed_product"]),

    # A loss function reading the notebook's tensors (the TF examples' VAE): it gets their placeholder to compute them.
    # The noise is a constant: aligned draws agree on a graph's re-run random op at the first step only.
    "loss-function-reading-tensors": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\n"
        "data = np.random.RandomState(0).rand(16, 6).astype(np.float32)\n",
        "weights = {'mean': tf.Variable(np.full([6, 2], 0.1, np.float32)),\n"
        "           'std': tf.Variable(np.full([6, 2], -0.1, np.float32)),\n"
        "           'out': tf.Variable(np.full([2, 6], 0.2, np.float32))}\n"
        "image = tf.placeholder(tf.float32, shape=[None, 6])\n"
        "z_mean = tf.matmul(image, weights['mean'])\nz_std = tf.matmul(image, weights['std'])\n"
        "eps = tf.ones_like(z_std) * 0.5\nz = z_mean + tf.exp(z_std / 2) * eps\n"
        "decoded = tf.nn.sigmoid(tf.matmul(z, weights['out']))\n"
        "def vae_loss(x_reconstructed, x_true):\n"
        "    reconstruction = -tf.reduce_sum(x_true * tf.log(1e-10 + x_reconstructed), 1)\n"
        "    kl = -0.5 * tf.reduce_sum(1 + z_std - tf.square(z_mean) - tf.exp(z_std), 1)\n"
        "    return tf.reduce_mean(reconstruction + kl)\n"
        "loss_op = vae_loss(decoded, image)\n"
        "train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss_op)\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "losses = [sess.run([train_op, loss_op], {image: data})[1] for _ in range(3)]\n"
        "means = sess.run(z_mean, {image: data})\n",
    ], compare=["losses", "means"]),

    # A Saver of every variable saves the modules that model functions and layer functions became (a fix: their
    # variables were left out, so a restore kept the values assigned after the save). No optimizer: a Keras
    # optimizer's checkpoint would bring the variables it updated along and hide the gap.
    "saver-of-modules": dict(cells=[
        "import numpy as np\nimport tensorflow as tf\nimport tempfile, os\nfolder = tempfile.mkdtemp()\n"
        "data = np.random.RandomState(0).rand(8, 2).astype(np.float32)\n",
        "def dense(inputs, n_in, n_out):\n"
        "    w = tf.get_variable('w', [n_in, n_out], initializer=tf.constant_initializer(0.5))\n"
        "    return tf.matmul(inputs, w)\n"
        "def new_fc_layer(input, n_in, n_out):\n"
        "    weights = tf.Variable(tf.ones([n_in, n_out]))\n"
        "    return tf.matmul(input, weights), weights\n"
        "x = tf.placeholder(tf.float32, [None, 2])\n"
        "with tf.variable_scope('hidden'):\n    h = dense(x, 2, 3)\n"
        "out, out_weights = new_fc_layer(h, 3, 1)\nsaver = tf.train.Saver()\n"
        "with tf.variable_scope('hidden', reuse=True):\n    hidden_w = tf.get_variable('w')\n",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "saved = sess.run(out, {x: data})\nsaver.save(sess, os.path.join(folder, 'model'))\n"
        "sess.run(tf.assign(out_weights, tf.zeros([3, 1])))\nsess.run(tf.assign(hidden_w, tf.zeros([2, 3])))\n"
        "changed = sess.run(out, {x: data})\n"
        "saver.restore(sess, os.path.join(folder, 'model'))\n"
        "restored = sess.run(out, {x: data})\nrestored_weights = sess.run(out_weights)\n",
    ], compare=["saved", "changed", "restored", "restored_weights"]),
}
