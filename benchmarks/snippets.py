"""Cell templates in the style of TensorFlow 1.x tutorials, for the generated benchmark corpus.

Each template takes a seeded ``random.Random``, the notebook's :class:`Style` and a serial number, and
returns the source of one cell. The serial number makes the names of repeated cells distinct, the way a
notebook that tries a second model reuses the first one's code with new names. Between them the
templates use what real TF1 notebooks use and what a migration has to deal with: placeholders,
Sessions and ``feed_dict``, ``tf.train.*Optimizer``, ``tf.layers``, ``variable_scope``/``get_variable``,
``tf.contrib.layers``, slim, ops that were renamed (``tf.log``, ``tf.random_normal``, ``tf.to_float``),
keywords that were renamed (``reduction_indices``, ``keep_dims``, ``dim``), Python 2 ``print``
statements, line and cell magics and shell escapes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """What stays the same across one notebook: its Python version and how it imports slim."""

    python2: bool = False
    slim_import: str = "import tensorflow.contrib.slim as slim"


def say(style: Style, *parts: str) -> str:
    """A print in the notebook's dialect; Python 2 tutorials used the statement form."""
    if style.python2:
        return "print " + ", ".join(parts)
    return "print(" + ", ".join(parts) + ")"


def install_cell(rng: random.Random, style: Style, n: int) -> str:
    version = rng.choice(["1.15", "1.14.0", "1.13.1", "1.4"])
    extra = rng.choice(["", " matplotlib", " pillow"])
    return f"!pip install -q tensorflow=={version}{extra}"


def imports_cell(rng: random.Random, style: Style, n: int) -> str:
    lines = [] if style.python2 else ["from __future__ import absolute_import, division, print_function", ""]
    lines += ["import os", "import time", "import numpy as np", "import tensorflow as tf"]
    if rng.random() < 0.5:
        lines.append("from tensorflow.examples.tutorials.mnist import input_data")
    lines.append(style.slim_import)
    lines += ["import matplotlib.pyplot as plt", "%matplotlib inline", ""]
    lines.append("tf.logging.set_verbosity(tf.logging.INFO)")
    lines.append(f"tf.set_random_seed({rng.randrange(1000)})")
    lines.append(say(style, '"TensorFlow version:"', "tf.__version__"))
    return "\n".join(lines)


def hyperparameters_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        "# Training parameters",
        f"learning_rate = {rng.choice(['0.001', '0.01', '0.1', '0.0005'])}",
        f"training_epochs = {rng.choice([5, 10, 15, 25])}",
        f"batch_size = {rng.choice([32, 64, 100, 128])}",
        "display_step = 1",
        "",
        "# Network parameters",
        f"n_hidden_1 = {rng.choice([128, 256, 512])}",
        f"n_hidden_2 = {rng.choice([64, 128, 256])}",
        "n_input = 784  # 28x28 images",
        "n_classes = 10",
        f"dropout = {rng.choice(['0.75', '0.5', '0.8'])}",
    ])


def mnist_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        'mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)',
        say(style, '"train:"', "mnist.train.num_examples"),
        say(style, '"test:"', "mnist.test.num_examples"),
    ])


def synthetic_data_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        f"rng = np.random.RandomState({rng.randrange(100)})",
        f"n_samples = {rng.choice([100, 500, 1000])}",
        "train_X = rng.rand(n_samples, n_input).astype(np.float32)",
        "train_Y = np.eye(n_classes)[rng.randint(0, n_classes, n_samples)].astype(np.float32)",
        "test_X, test_Y = train_X[:50], train_Y[:50]",
        say(style, '"data:"', "train_X.shape", "train_Y.shape"),
    ])


def placeholders_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        "tf.reset_default_graph()",
        "",
        'X = tf.placeholder(tf.float32, [None, n_input], name="X")',
        'Y = tf.placeholder(tf.float32, [None, n_classes], name="Y")',
        "keep_prob = tf.placeholder(tf.float32)",
        "is_training = tf.placeholder_with_default(False, shape=(), name='is_training')",
    ])


def variable_scope_mlp_cell(rng: random.Random, style: Style, n: int) -> str:
    stddev = rng.choice(["0.01", "0.1", "0.05"])
    return "\n".join([
        f"def init_weights_{n}(shape, name):",
        f"    return tf.Variable(tf.random_normal(shape, stddev={stddev}), name=name)",
        "",
        f'with tf.variable_scope("mlp_{n}", reuse=tf.AUTO_REUSE):',
        '    W1 = tf.get_variable("W1", [n_input, n_hidden_1],',
        "                         initializer=tf.contrib.layers.xavier_initializer())",
        '    b1 = tf.get_variable("b1", [n_hidden_1], initializer=tf.zeros_initializer())',
        f'    W2 = init_weights_{n}([n_hidden_1, n_hidden_2], "W2")',
        "    b2 = tf.Variable(tf.constant(0.1, shape=[n_hidden_2]))",
        f"    W_out = tf.Variable(tf.truncated_normal([n_hidden_2, n_classes], stddev={stddev}))",
        "    b_out = tf.Variable(tf.zeros([n_classes]))",
        "",
        "layer_1 = tf.nn.relu(tf.add(tf.matmul(X, W1), b1))",
        "layer_1 = tf.nn.dropout(layer_1, keep_prob)",
        "layer_2 = tf.nn.relu(tf.matmul(layer_1, W2) + b2)",
        "logits = tf.matmul(layer_2, W_out) + b_out",
        "pred = tf.nn.softmax(logits)",
    ])


def layers_convnet_cell(rng: random.Random, style: Style, n: int) -> str:
    filters = rng.choice([16, 32])
    return "\n".join([
        f"def conv_net_{n}(x, n_classes, dropout, reuse, is_training):",
        f"    with tf.variable_scope('ConvNet_{n}', reuse=reuse):",
        "        x = tf.reshape(x, shape=[-1, 28, 28, 1])",
        f"        conv1 = tf.layers.conv2d(x, {filters}, 5, activation=tf.nn.relu)",
        "        conv1 = tf.layers.max_pooling2d(conv1, 2, 2)",
        f"        conv2 = tf.layers.conv2d(conv1, {filters * 2}, 3, activation=tf.nn.relu)",
        "        conv2 = tf.layers.max_pooling2d(conv2, 2, 2)",
        "        fc1 = tf.contrib.layers.flatten(conv2)",
        "        fc1 = tf.layers.dense(fc1, 1024)",
        "        fc1 = tf.layers.batch_normalization(fc1, training=is_training)",
        "        fc1 = tf.layers.dropout(fc1, rate=dropout, training=is_training)",
        "        out = tf.layers.dense(fc1, n_classes)",
        "    return out",
        "",
        f"logits = conv_net_{n}(X, n_classes, dropout, reuse=False, is_training=True)",
        f"logits_test = conv_net_{n}(X, n_classes, dropout, reuse=True, is_training=False)",
        "pred = tf.nn.softmax(logits_test)",
    ])


def contrib_layers_cell(rng: random.Random, style: Style, n: int) -> str:
    scale = rng.choice(["1e-4", "5e-4", "0.001"])
    return "\n".join([
        f"regularizer = tf.contrib.layers.l2_regularizer(scale={scale})",
        "net = tf.contrib.layers.fully_connected(X, n_hidden_1, activation_fn=tf.nn.relu,",
        "                                        weights_initializer=tf.contrib.layers.xavier_initializer(),",
        "                                        weights_regularizer=regularizer)",
        "net = tf.nn.dropout(net, keep_prob=keep_prob)",
        "net = tf.contrib.layers.fully_connected(net, n_hidden_2, activation_fn=tf.nn.relu)",
        "logits = tf.contrib.layers.fully_connected(net, n_classes, activation_fn=None)",
        "pred = tf.nn.softmax(logits)",
    ])


def slim_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        f"def lenet_{n}(images):",
        "    with slim.arg_scope([slim.conv2d, slim.fully_connected],",
        "                        activation_fn=tf.nn.relu,",
        "                        weights_initializer=tf.truncated_normal_initializer(stddev=0.1),",
        "                        weights_regularizer=slim.l2_regularizer(0.0005)):",
        "        net = tf.reshape(images, [-1, 28, 28, 1])",
        "        net = slim.conv2d(net, 20, [5, 5], scope='conv1')",
        "        net = slim.max_pool2d(net, [2, 2], scope='pool1')",
        "        net = slim.flatten(net)",
        "        net = slim.fully_connected(net, 500, scope='fc1')",
        "        return slim.fully_connected(net, n_classes, activation_fn=None, scope='fc2')",
        "",
        f"logits = lenet_{n}(X)",
        "pred = tf.nn.softmax(logits)",
    ])


def rnn_cell(rng: random.Random, style: Style, n: int) -> str:
    units = rng.choice([64, 128])
    return "\n".join([
        "timesteps, num_input = 28, 28",
        "x_seq = tf.unstack(tf.reshape(X, [-1, timesteps, num_input]), timesteps, 1)",
        f"lstm_cell = tf.contrib.rnn.BasicLSTMCell({units}, forget_bias=1.0)",
        "outputs, states = tf.contrib.rnn.static_rnn(lstm_cell, x_seq, dtype=tf.float32)",
        f"W_rnn = tf.Variable(tf.random_normal([{units}, n_classes]))",
        "logits = tf.matmul(outputs[-1], W_rnn)",
        "pred = tf.nn.softmax(logits)",
    ])


def loss_cell(rng: random.Random, style: Style, n: int) -> str:
    if rng.random() < 0.5:
        return "\n".join([
            "# cross entropy written out by hand, as in the first MNIST tutorial",
            "cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(pred + 1e-10), reduction_indices=[1]))",
            "reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)",
            "loss_op = cost + tf.add_n(reg_losses) if reg_losses else cost",
        ])
    return "\n".join([
        "loss_op = tf.reduce_mean(",
        "    tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))",
        "loss_op += 1e-4 * tf.add_n([tf.nn.l2_loss(v) for v in tf.trainable_variables()])",
        'tf.summary.scalar("loss", loss_op)',
    ])


_OPTIMIZERS = [
    "tf.train.AdamOptimizer(learning_rate=lr, beta1=0.9, beta2=0.999)",
    "tf.train.GradientDescentOptimizer(lr)",
    "tf.train.MomentumOptimizer(lr, momentum=0.9, use_nesterov=True)",
    "tf.train.RMSPropOptimizer(lr, decay=0.9, epsilon=1e-10)",
    "tf.train.AdagradOptimizer(lr, initial_accumulator_value=0.1)",
]


def optimizer_cell(rng: random.Random, style: Style, n: int) -> str:
    lines = [
        "global_step = tf.train.get_or_create_global_step()",
        "lr = tf.train.exponential_decay(learning_rate, global_step, 1000, 0.96, staircase=True)",
        f"optimizer = {rng.choice(_OPTIMIZERS)}",
    ]
    if rng.random() < 0.5:
        lines += [
            "update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)",
            "with tf.control_dependencies(update_ops):",
            "    train_op = optimizer.minimize(loss_op, global_step=global_step)",
        ]
    else:
        lines += [
            "grads_and_vars = optimizer.compute_gradients(loss_op)",
            "clipped = [(tf.clip_by_norm(g, 5.0), v) for g, v in grads_and_vars if g is not None]",
            "train_op = optimizer.apply_gradients(clipped, global_step=global_step)",
        ]
    return "\n".join(lines)


def evaluation_cell(rng: random.Random, style: Style, n: int) -> str:
    cast = rng.choice(["tf.to_float(correct_pred)", "tf.cast(correct_pred, tf.float32)"])
    return "\n".join([
        "correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(Y, 1))",
        f"accuracy = tf.reduce_mean({cast})",
        'tf.summary.scalar("accuracy", accuracy)',
        "",
        "merged = tf.summary.merge_all()",
        "init = tf.global_variables_initializer()",
        f"saver = tf.train.Saver(max_to_keep={rng.choice([1, 3, 5])})",
    ])


def session_training_cell(rng: random.Random, style: Style, n: int) -> str:
    log_dir = f"/tmp/tf_logs/run_{n}"
    return "\n".join([
        "with tf.Session() as sess:",
        "    sess.run(init)",
        f'    writer = tf.summary.FileWriter("{log_dir}", sess.graph)',
        "    for epoch in range(training_epochs):",
        "        avg_cost = 0.",
        "        total_batch = int(mnist.train.num_examples / batch_size)",
        "        for i in range(total_batch):",
        "            batch_x, batch_y = mnist.train.next_batch(batch_size)",
        "            _, c, summary = sess.run([train_op, loss_op, merged],",
        "                                     feed_dict={X: batch_x, Y: batch_y, keep_prob: dropout})",
        "            writer.add_summary(summary, epoch * total_batch + i)",
        "            avg_cost += c / total_batch",
        "        if epoch % display_step == 0:",
        "            " + say(style, '"Epoch:"', "'%04d' % (epoch + 1)", '"cost={:.9f}".format(avg_cost)'),
        f'    save_path = saver.save(sess, "/tmp/model_{n}.ckpt")',
        "    " + say(style, '"Optimization finished, model saved in", save_path'),
        "    acc = sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels, keep_prob: 1.0})",
        "    " + say(style, '"Test accuracy:"', "acc"),
    ])


def interactive_session_cell(rng: random.Random, style: Style, n: int) -> str:
    steps = rng.choice([200, 500, 1000])
    return "\n".join([
        "sess = tf.InteractiveSession()",
        "tf.global_variables_initializer().run()",
        f"for step in range({steps}):",
        "    idx = np.random.randint(0, len(train_X), batch_size)",
        "    train_op.run(feed_dict={X: train_X[idx], Y: train_Y[idx], keep_prob: dropout})",
        "    if step % 100 == 0:",
        "        train_accuracy = accuracy.eval(feed_dict={X: train_X[idx], Y: train_Y[idx], keep_prob: 1.0})",
        "        " + say(style, "'step %d, training accuracy %g' % (step, train_accuracy)"),
    ])


def dataset_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        "dataset = tf.data.Dataset.from_tensor_slices((train_X, train_Y))",
        f"dataset = dataset.shuffle(buffer_size={rng.choice([1000, 10000])}).batch(batch_size).repeat()",
        "iterator = dataset.make_one_shot_iterator()",
        "next_x, next_y = iterator.get_next()",
        "",
        "with tf.Session() as sess:",
        "    bx, by = sess.run([next_x, next_y])",
        "    " + say(style, "bx.shape", "by.shape"),
    ])


def image_ops_cell(rng: random.Random, style: Style, n: int) -> str:
    size = rng.choice([32, 64, 224])
    return "\n".join([
        "images = tf.reshape(X, [-1, 28, 28, 1])",
        f"resized = tf.image.resize_images(images, [{size}, {size}], method=tf.image.ResizeMethod.BILINEAR)",
        "nearest = tf.image.resize_nearest_neighbor(images, [14, 14])",
        "flipped = tf.image.random_flip_left_right(resized[0])",
        f"cropped = tf.random_crop(resized, [batch_size, {size // 2}, {size // 2}, 1])",
        "tf.summary.image('inputs', images, max_outputs=4)",
    ])


def renamed_ops_cell(rng: random.Random, style: Style, n: int) -> str:
    shape = rng.choice(["[3, 4]", "[8, 8]", "[batch_size, 10]"])
    return "\n".join([
        f"a_{n} = tf.random_normal({shape}, mean=0.0, stddev=1.0, seed=1)",
        f"b_{n} = tf.random_uniform({shape}, minval=0, maxval=1)",
        f"c_{n} = tf.log(tf.abs(a_{n}) + 1.0) + tf.squared_difference(a_{n}, b_{n})",
        f"d_{n} = tf.reduce_sum(c_{n}, reduction_indices=1, keep_dims=True)",
        f"e_{n} = tf.div(tf.to_float(tf.argmax(c_{n}, dimension=1)), 2.0)",
        f"f_{n} = tf.expand_dims(tf.to_int32(e_{n}), dim=0)",
        f"g_{n} = tf.count_nonzero(tf.greater(a_{n}, b_{n}), axis=1)",
        f"h_{n} = tf.Print(d_{n}, [d_{n}], message='d = ')",
        f"samples_{n} = tf.multinomial(tf.log([[0.5, 0.5]]), 5)",
    ])


def linear_regression_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        f"x_lin = tf.placeholder(tf.float32, name='x_lin_{n}')",
        f"y_lin = tf.placeholder(tf.float32, name='y_lin_{n}')",
        f"W_lin = tf.Variable({rng.uniform(-1, 1):.3f}, name='weight')",
        f"b_lin = tf.Variable({rng.uniform(-1, 1):.3f}, name='bias')",
        "y_hat = tf.add(tf.multiply(x_lin, W_lin), b_lin)",
        "mse = tf.reduce_sum(tf.pow(y_hat - y_lin, 2)) / (2 * 17)",
        "sgd = tf.train.GradientDescentOptimizer(0.01).minimize(mse)",
        "with tf.Session() as sess:",
        "    sess.run(tf.initialize_all_variables())",
        "    for (px, py) in zip([3.3, 4.4, 5.5], [1.7, 2.76, 2.09]):",
        "        sess.run(sgd, feed_dict={x_lin: px, y_lin: py})",
        "    " + say(style, '"W=", sess.run(W_lin)', '"b=", sess.run(b_lin)'),
    ])


def flags_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        "flags = tf.app.flags",
        "FLAGS = flags.FLAGS",
        f"flags.DEFINE_integer('max_steps_{n}', {rng.choice([1000, 2000])}, 'Number of steps to run trainer.')",
        f"flags.DEFINE_string('log_dir_{n}', '/tmp/logs', 'Summaries log directory')",
        f"if tf.gfile.Exists('/tmp/logs/{n}'):",
        f"    tf.gfile.DeleteRecursively('/tmp/logs/{n}')",
        f"tf.gfile.MakeDirs('/tmp/logs/{n}')",
        "tf.logging.info('logging to %s', '/tmp/logs')",
    ])


def timed_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        "%%time",
        "with tf.Session() as sess:",
        "    sess.run(tf.global_variables_initializer())",
        f"    for _ in range({rng.choice([10, 100])}):",
        "        sess.run(train_op, feed_dict={X: train_X[:batch_size], Y: train_Y[:batch_size], keep_prob: 1.0})",
    ])


def plot_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        f"fig, axes = plt.subplots(1, {rng.choice([4, 5, 8])}, figsize=(10, 2))",
        "for k, ax in enumerate(axes):",
        "    ax.imshow(train_X[k].reshape(28, 28), cmap='gray')",
        "    ax.set_title(str(np.argmax(train_Y[k])))",
        "    ax.axis('off')",
        "plt.show()",
    ])


def plain_python_cell(rng: random.Random, style: Style, n: int) -> str:
    # Code that does not touch TensorFlow: a migration must leave it alone.
    return "\n".join([
        f"def moving_average_{n}(values, window={rng.choice([3, 5, 10])}):",
        "    out = []",
        "    for i in range(len(values)):",
        "        chunk = values[max(0, i - window + 1):i + 1]",
        "        out.append(sum(chunk) / float(len(chunk)))",
        "    return out",
        "",
        f"history_{n} = moving_average_{n}([np.log(1.0 + k) for k in range(20)])",
        say(style, f"history_{n}[-1]"),
    ])


def shell_cell(rng: random.Random, style: Style, n: int) -> str:
    return "\n".join([
        "!ls -la /tmp/tf_logs",
        "!nvidia-smi",
        f"!du -sh /tmp/model_{n}*",
    ])


Template = Callable[[random.Random, Style, int], str]

#: Cells with which a tutorial builds and trains one model, in order; each entry lists alternatives.
PIPELINE: list[list[Template]] = [
    [hyperparameters_cell],
    [mnist_cell, synthetic_data_cell],
    [placeholders_cell],
    [variable_scope_mlp_cell, layers_convnet_cell, contrib_layers_cell, slim_cell, rnn_cell],
    [loss_cell],
    [optimizer_cell],
    [evaluation_cell],
    [session_training_cell, interactive_session_cell],
]

#: Cells a tutorial adds around its model: experiments, plots, helpers.
EXTRAS: list[Template] = [
    renamed_ops_cell,
    dataset_cell,
    image_ops_cell,
    linear_regression_cell,
    flags_cell,
    timed_cell,
    plot_cell,
    plain_python_cell,
    shell_cell,
    renamed_ops_cell,
    variable_scope_mlp_cell,
    optimizer_cell,
]

MARKDOWN = [
    "## Parameters",
    "## Load the data\nThe data is read from a local folder.",
    "## Build the graph",
    "### Loss and optimizer",
    "## Train the model\nWe run the graph in a `tf.Session` and feed batches through `feed_dict`.",
    "## Evaluate",
    "## Visualise a few examples",
    "Let's try something else.",
]
