"""TFM100-TFM102 and TFM199: golden cases of the whole-notebook lifting, run through ``migrate`` at tf2."""

import pytest

from helpers import assert_migrates, assert_refused, codes, dedent, migrated
from kernel_helpers import migrate
from kernel_helpers.engine.lift import LEGACY_KERAS_LINES

LIFTED = {
    # A string joined over lines keeps its value when the session block's lines lose their indentation; the writer's
    # graph, which TF 2's writer does not take, goes whether it is `sess.graph` or the default graph.
    "session-block-with-a-joined-string-and-a-writer-of-the-default-graph": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        y = x * 2.0
        with tf.Session() as sess:
            writer = tf.summary.FileWriter("logs", graph=tf.get_default_graph())
            print("y is", \\
                  "twice x:", sess.run(y, {x: 1.0}))
    """, """
        import tensorflow as tf
        def y(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return x * 2.0
        writer = tf.summary.create_file_writer("logs")
        def write_summary(writer, summary, step):
            with writer.as_default(step=step):
                for kind, tag, value in summary:
                    getattr(tf.summary, kind)(tag, value)
        print("y is", \\
              "twice x:", y(1.0).numpy())
    """),
    "eval-and-run": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(2.0)
        y = w * x
        init = tf.global_variables_initializer()
        sess = tf.InteractiveSession()
        init.run()
        out = y.eval(feed_dict={x: [1.0]})
        sess.close()
    """, """
        import tensorflow as tf
        w = tf.Variable(2.0)
        def y(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return w * x
        out = y([1.0]).numpy()
    """),
    "fetches-written-in-place": ("""
        import tensorflow as tf
        a = tf.constant(2.0)
        b = tf.constant(3.0)
        c = a * b + 1.0
        x = tf.placeholder(tf.float32, [None])
        total = tf.reduce_sum(x)
        with tf.Session() as sess:
            s, p = sess.run([tf.add(a, b), c])
            r = sess.run(total * 2 + x, feed_dict={x: data})
    """, """
        import tensorflow as tf
        a = tf.constant(2.0)
        b = tf.constant(3.0)
        c = a * b + 1.0
        def total(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.reduce_sum(x)
        s, p = [tf.add(a, b).numpy(), c.numpy()]
        r = (total(data) * 2 + tf.convert_to_tensor(data, tf.float32)).numpy()
    """),
    "rmsprop-defines-its-subclass-once": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        train = tf.train.RMSPropOptimizer(0.1).minimize(loss)
        slow = tf.train.RMSPropOptimizer(0.01, decay=0.8)
        train_slowly = slow.minimize(loss)
        sess = tf.Session()
        sess.run(train, {x: 1.0})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def loss(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.square(w * x)
        class TF1RMSprop(tf.keras.optimizers.RMSprop):
            \"\"\"Keras RMSprop computing as TF1's RMSPropOptimizer: each mean square starts at 1.0, not 0.0, and is updated
            with TF1's formula, so an uncentered step gives TF1's numbers to the bit.\"\"\"

            def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
                return super().add_optimizer_variables(trainable_variables, name,
                                                       "ones" if name == "velocity" else initializer)

            def update_step(self, gradient, variable, learning_rate):
                if self.centered:
                    return super().update_step(gradient, variable, learning_rate)
                index = self._get_variable_index(variable)  # Keras's own slots: the mean squares are its "velocities"
                mean_square = self._velocities[index]
                gradient = tf.cast(gradient, variable.dtype)
                # TF1's kernel: ms += (g^2 - ms) * (1 - rho); Keras's rho * ms + (1 - rho) * g^2 rounds differently.
                mean_square.assign_add((tf.square(gradient) - mean_square) * (1 - tf.cast(self.rho, variable.dtype)))
                increment = tf.cast(learning_rate, variable.dtype) * gradient / tf.sqrt(mean_square + self.epsilon)
                if self.momentum > 0:
                    moment = self._momentums[index]
                    moment.assign(self.momentum * moment + increment)
                    increment = moment
                variable.assign_sub(increment)
        optimizer = TF1RMSprop(learning_rate=0.1, epsilon=1e-10)
        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def train(x):
            with tf.GradientTape() as tape:
                loss_value = loss(x)
            variables = [w]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        slow = TF1RMSprop(learning_rate=0.01, rho=0.8, epsilon=1e-10)
        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def train_slowly(x):
            with tf.GradientTape() as tape:
                loss_value = loss(x)
            variables = [w]
            slow.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        train(1.0)
    """),
    "fetched-variable-list": ("""
        import tensorflow as tf
        w = tf.Variable(tf.ones([2, 1]))
        b = tf.Variable(0.0)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        w0, b0 = sess.run(tf.trainable_variables())
    """, """
        import tensorflow as tf
        w = tf.Variable(tf.ones([2, 1]))
        b = tf.Variable(0.0)
        w0, b0 = tf.nest.map_structure(lambda tensor: tensor.numpy(), [w, b])
    """),
    "op-run-and-assign-eval": ("""
        import tensorflow as tf
        counter = tf.Variable(0)
        increment = tf.assign_add(counter, 1)
        doubled = tf.assign(counter, counter * 2)
        sess = tf.InteractiveSession()
        tf.global_variables_initializer().run()
        increment.op.run()
        doubled.eval()
        value = counter.eval()
    """, """
        import tensorflow as tf
        counter = tf.Variable(0)
        def increment():
            return counter.assign_add(1)
        def doubled():
            return counter.assign(counter * 2)
        increment()
        doubled().numpy()
        value = counter.numpy()
    """),
    "named-feed-dict-and-dict-fetch": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        y = tf.placeholder(tf.float32, [None])
        loss = tf.reduce_mean(tf.square(x - y))
        test_feed = {x: xs, y: ys}
        with tf.Session() as sess:
            first = sess.run(loss, feed_dict=test_feed)
            for batch in batches:
                feed = {x: batch[0], y: batch[1]}
                out = sess.run({"loss": loss}, feed)
    """, """
        import tensorflow as tf
        def loss(x, y):
            x = tf.convert_to_tensor(x, tf.float32)
            y = tf.convert_to_tensor(y, tf.float32)
            return tf.reduce_mean(tf.square(x - y))
        test_feed = {'x': xs, 'y': ys}
        first = loss(test_feed['x'], test_feed['y']).numpy()
        for batch in batches:
            feed = {'x': batch[0], 'y': batch[1]}
            out = {"loss": loss(feed['x'], feed['y']).numpy()}
    """),
    "placeholder-with-default": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        training = tf.placeholder_with_default(False, shape=())
        scale = tf.placeholder_with_default(1.0, [])
        y = tf.where(training, x * scale, x)
        with tf.Session() as sess:
            a = sess.run(y, {x: [1.0]})
            b = sess.run(y, {x: [1.0], scale: 3.0})
            c = sess.run(y, {training: True, x: [1.0], scale: 2.0})
    """, """
        import tensorflow as tf
        def y(x, training=False, scale=1.0):
            x = tf.convert_to_tensor(x, tf.float32)
            training = tf.convert_to_tensor(training, tf.bool)
            scale = tf.convert_to_tensor(scale, tf.float32)
            return tf.where(training, x * scale, x)
        a = y([1.0]).numpy()
        b = y([1.0], scale=3.0).numpy()
        c = y([1.0], True, 2.0).numpy()
    """),
    "tf-losses-become-plain-ops": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        y = tf.placeholder(tf.float32, [None])
        w = tf.Variable(1.0)
        loss = tf.losses.mean_squared_error(y, w * x)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: xs, y: ys})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def loss(x, y):
            x = tf.convert_to_tensor(x, tf.float32)
            y = tf.convert_to_tensor(y, tf.float32)
            return tf.reduce_mean(tf.math.squared_difference(tf.cast(w * x, tf.float32), tf.cast(y, tf.float32)))
        optimizer = tf.keras.optimizers.SGD(0.1)
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32)])
        def train(x, y):
            with tf.GradientTape() as tape:
                loss_value = loss(x, y)
            variables = [w]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        train(xs, ys)
    """),
    "softmax-v2-with-fed-labels": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        y_ = tf.placeholder(tf.float32, [None, 2])
        loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=x * 2)
        computed = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.nn.softmax(x), logits=x)
        sess = tf.Session()
        out = sess.run([loss, computed], {x: a, y_: b})
    """, """
        import tensorflow as tf
        def loss(x, y_):
            x = tf.convert_to_tensor(x, tf.float32)
            y_ = tf.convert_to_tensor(y_, tf.float32)
            return tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y_), logits=x * 2)
        def computed(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(labels=tf.nn.softmax(x), logits=x)
        out = [loss(a, b).numpy(), computed(a).numpy()]
    """),
    "tf-layers-become-keras-layers-built-where-defined": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 4])
        training = tf.placeholder_with_default(False, shape=())
        with tf.name_scope("model"):
            hidden = tf.layers.dense(x, 8, activation=tf.nn.relu, name="hidden")
            dropped = tf.layers.dropout(hidden, 0.5, training=training)
            logits = tf.layers.dense(inputs=dropped, units=3, kernel_initializer=None)
        loss = tf.reduce_mean(tf.square(logits))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: xs, training: True})
    """, """
        import tensorflow as tf
        hidden_dense = tf.keras.layers.Dense(8, activation=tf.nn.relu, name="hidden")
        hidden_dense.build((None, 4))
        def hidden(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return hidden_dense(x)
        dropped_dropout = tf.keras.layers.Dropout(0.5)
        def dropped(x, training=False):
            training = tf.convert_to_tensor(training, tf.bool)
            return dropped_dropout(hidden(x), training=training)
        logits_dense = tf.keras.layers.Dense(units=3)
        logits_dense.build((None, 8))
        def logits(x, training=False):
            return logits_dense(dropped(x, training))
        def loss(x, training=False):
            return tf.reduce_mean(tf.square(logits(x, training)))
        optimizer = tf.keras.optimizers.SGD(0.1)
        def train(x, training=False):
            with tf.GradientTape() as tape:
                loss_value = loss(x, training)
            variables = [*hidden_dense.trainable_variables, *logits_dense.trainable_variables]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        train(xs, True)
    """),
    "conv-layers-with-unknown-shapes-build-on-first-call": ("""
        import tensorflow as tf
        images = tf.placeholder(tf.float32, [None, 8, 8, 1])
        conv = tf.layers.conv2d(images, 4, 3, padding="same", activation=tf.nn.relu)
        pooled = tf.layers.flatten(tf.layers.max_pooling2d(conv, 2, 2))
        sess = tf.Session()
        out = sess.run(pooled, {images: batch})
    """, """
        import tensorflow as tf
        conv_conv2d = tf.keras.layers.Conv2D(4, 3, padding="same", activation=tf.nn.relu)
        conv_conv2d.build((None, 8, 8, 1))
        def conv(images):
            images = tf.convert_to_tensor(images, tf.float32)
            return conv_conv2d(images)
        pooled_flatten = tf.keras.layers.Flatten()
        pooled_maxpooling2d = tf.keras.layers.MaxPooling2D(2, 2)
        def pooled(images):
            return pooled_flatten(pooled_maxpooling2d(conv(images)))
        out = pooled(batch).numpy()
    """),
    "tensor-bound-again": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        net = tf.layers.dense(x, 4)
        net = tf.nn.relu(net)
        net = tf.layers.dense(net, 1)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        out = sess.run(net, {x: xs})
    """, """
        import tensorflow as tf
        net_dense = tf.keras.layers.Dense(4)
        net_dense.build((None, 3))
        def net_1(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return net_dense(x)
        def net_2(x):
            return tf.nn.relu(net_1(x))
        net_dense_2 = tf.keras.layers.Dense(1)
        net_dense_2.build((None, 4))
        def net(x):
            return net_dense_2(net_2(x))
        out = net(xs).numpy()
    """),
    "variable-lists-and-lookups-by-name": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        with tf.variable_scope("model"):
            h = tf.layers.dense(x, 3, name="hidden")
        W = tf.Variable(tf.ones([3, 1]), name="W")
        out = tf.matmul(h, W)
        names = [v.name for v in tf.trainable_variables()]
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        k = sess.run(tf.get_default_graph().get_tensor_by_name("model/hidden/kernel:0"))
        w = sess.run(sess.graph.get_tensor_by_name("W:0"))
    """, """
        import tensorflow as tf
        h_dense = tf.keras.layers.Dense(3, name="hidden")
        h_dense.build((None, 2))
        def h(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return h_dense(x)
        W = tf.Variable(tf.ones([3, 1]), name="W")
        def out(x):
            return tf.matmul(h(x), W)
        names = [v.name for v in [*h_dense.trainable_variables, W]]
        k = h_dense.kernel.numpy()
        w = W.numpy()
    """),
    "get-variable": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("softmax"):
            W = tf.get_variable("W", [4, 3], initializer=tf.random_normal_initializer(stddev=0.1))
            b = tf.get_variable("b", shape=[3], dtype=tf.float32, initializer=tf.zeros_initializer())
            g = tf.get_variable("g", [3, 3])
            c = tf.get_variable("c", initializer=tf.constant([1.0, 2.0]), trainable=False)
        y = tf.matmul(tf.matmul(x, W) + b, g)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        w = sess.run(tf.get_default_graph().get_tensor_by_name("softmax/W:0"))
    """, """
        import tensorflow as tf
        W = tf.Variable(tf.random_normal_initializer(stddev=0.1)([4, 3]), name="W")
        b = tf.Variable(tf.zeros_initializer()([3], dtype=tf.float32), name="b")
        g = tf.Variable(tf.keras.initializers.GlorotUniform()([3, 3]), name="g")
        c = tf.Variable(tf.constant([1.0, 2.0]), name="c", trainable=False)
        def y(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.matmul(tf.matmul(x, W) + b, g)
        w = W.numpy()
    """),
    "variables-in-a-dict-read-by-a-model-function": ("""
        import tensorflow as tf
        X = tf.placeholder(tf.float32, [None, 4])
        weights = {
            'h1': tf.Variable(tf.random_normal([4, 8])),
            'out': tf.Variable(tf.random_normal([8, 2])),
        }
        biases = [tf.Variable(tf.zeros([8])), tf.Variable(tf.zeros([2]))]
        def neural_net(x):
            layer_1 = tf.add(tf.matmul(x, weights['h1']), biases[0])
            return tf.matmul(layer_1, weights['out']) + biases[1]
        logits = neural_net(X)
        loss_op = tf.reduce_mean(tf.square(logits))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss_op)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op, feed_dict={X: bx})
            w = sess.run(weights['h1'])
    """, """
        import tensorflow as tf
        weights = {
            'h1': tf.Variable(tf.random.normal([4, 8])),
            'out': tf.Variable(tf.random.normal([8, 2])),
        }
        biases = [tf.Variable(tf.zeros([8])), tf.Variable(tf.zeros([2]))]
        def neural_net(x):
            layer_1 = tf.add(tf.matmul(x, weights['h1']), biases[0])
            return tf.matmul(layer_1, weights['out']) + biases[1]
        def logits(X):
            X = tf.convert_to_tensor(X, tf.float32)
            return neural_net(X)
        def loss_op(X):
            return tf.reduce_mean(tf.square(logits(X)))
        optimizer = tf.keras.optimizers.SGD(0.1)
        @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
        def train_op(X):
            with tf.GradientTape() as tape:
                loss_value = loss_op(X)
            variables = [*weights.values(), *biases]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        train_op(bx)
        w = weights['h1'].numpy()
    """),
    "python-2-print-in-a-graph-cell": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        y = x * 2
        sess = tf.Session()
        print sess.run(y, {x: 3.0})
    """, """
        import tensorflow as tf
        def y(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return x * 2
        print(y(3.0).numpy())
    """),
    "contrib-and-slim-layers-in-a-device-block": ("""
        import tensorflow as tf
        import tensorflow.contrib.slim as slim
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        with tf.device('/cpu:0'):
            net = slim.conv2d(x, 4, [3, 3], scope='conv1')
            net = slim.max_pool2d(net, [2, 2])
            net = tf.contrib.layers.flatten(net)
            net = slim.dropout(net, keep_prob=0.8)
            net = tf.contrib.layers.fully_connected(net, 3, activation_fn=None, biases_initializer=None)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        out = sess.run(net, {x: xs})
    """, """
        import tensorflow as tf
        net_conv2d = tf.keras.layers.Conv2D(filters=4, kernel_size=[3, 3], name='conv1', padding='same', activation=tf.nn.relu)
        net_conv2d.build((None, 8, 8, 1))
        def net_1(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return net_conv2d(x)
        net_maxpooling2d = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2)
        def net_2(x):
            return net_maxpooling2d(net_1(x))
        net_flatten = tf.keras.layers.Flatten()
        def net_3(x):
            return net_flatten(net_2(x))
        net_dropout = tf.keras.layers.Dropout(rate=1 - 0.8)
        def net_4(x):
            return net_dropout(net_3(x), training=True)
        net_dense = tf.keras.layers.Dense(units=3, use_bias=False)
        def static_value(function, *specs):
            \"\"\"What TF1 knew of a value before running its graph (a static shape): `function` is traced with the specs
            of its inputs, not run.\"\"\"
            values = []
            tf.function(lambda *args: values.append(function(*args))).get_concrete_function(*specs)
            return values[0]
        net_dense.build(static_value(lambda x: net_4(x).shape, tf.TensorSpec([None, 8, 8, 1], tf.float32)))
        def net(x):
            return net_dense(net_4(x))
        out = net(xs).numpy()
    """),
    # A function reading a placeholder from the notebook is given it (closures.py), converted as the feed was.
    "function-reading-a-placeholder": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        z = tf.placeholder(tf.float32)
        def scaled(v):
            return v * x
        y = scaled(w * z)
        sess = tf.Session()
        sess.run(y, {x: 1.0, z: 2.0})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def scaled(v, *, x):
            return v * x
        def y(x, z):
            x = tf.convert_to_tensor(x, tf.float32)
            z = tf.convert_to_tensor(z, tf.float32)
            return scaled(w * z, x=x)
        tf.nest.map_structure(lambda tensor: tensor.numpy(), y(1.0, 2.0))
    """),
    "graph-built-in-a-session-block-and-a-feed-dict-in-a-function": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        W = tf.Variable(tf.zeros([2, 1]))
        pred = tf.matmul(x, W)
        session = tf.Session()
        session.run(tf.global_variables_initializer())
        def predict(batch):
            feed_dict_test = {x: batch}
            return session.run(pred, feed_dict=feed_dict_test)
        with session.as_default():
            total = tf.reduce_sum(pred)
            value = total.eval({x: bx})
    """, """
        import tensorflow as tf
        W = tf.Variable(tf.zeros([2, 1]))
        def pred(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.matmul(x, W)
        def predict(batch):
            feed_dict_test = {'x': batch}
            return pred(feed_dict_test['x']).numpy()
        def total(x):
            return tf.reduce_sum(pred(x))
        value = total(bx).numpy()
    """),
    "loss-written-in-minimize": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(1.0)
        train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_mean(tf.square(w * x - 1.0)))
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: xs})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def train_loss(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.reduce_mean(tf.square(w * x - 1.0))
        optimizer = tf.keras.optimizers.Adam(learning_rate=0.1, epsilon=1e-8)
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def train(x):
            with tf.GradientTape() as tape:
                loss_value = train_loss(x)
            variables = [w]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        train(xs)
    """),
    "fetched-structures-of-a-notebook-function": ("""
        import tensorflow as tf
        def model(x):
            return {'out': x * 2, 'layers': (x, x + 1)}
        x = tf.placeholder(tf.float32, [None])
        net = model(x)['layers']
        sess = tf.Session()
        layers = sess.run(net, {x: xs})
        out = sess.run(model(x)['out'], {x: xs})
    """, """
        import tensorflow as tf
        def model(x):
            return {'out': x * 2, 'layers': (x, x + 1)}
        def net(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return model(x)['layers']
        layers = tf.nest.map_structure(lambda tensor: tensor.numpy(), net(xs))
        out = tf.nest.map_structure(lambda tensor: tensor.numpy(), model(tf.convert_to_tensor(xs, tf.float32))['out'])
    """),
    "global-step-counted-by-the-train-step": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(1.0)
        loss = tf.reduce_mean(tf.square(w * x - 1.0))
        global_step = tf.train.get_or_create_global_step()
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: xs})
        step = sess.run(global_step)
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def loss(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.reduce_mean(tf.square(w * x - 1.0))
        global_step = tf.Variable(0, trainable=False, dtype=tf.int64, name="global_step")
        optimizer = tf.keras.optimizers.SGD(0.1)
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def train(x):
            with tf.GradientTape() as tape:
                loss_value = loss(x)
            variables = [w]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            global_step.assign_add(1)
            return loss_value
        train(xs)
        step = global_step.numpy()
    """),
    "get-variable-in-a-dict-with-a-contrib-initializer": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        weights = {'h1': tf.get_variable('h1', shape=[2, 3], initializer=tf.contrib.layers.xavier_initializer()),
                   'out': tf.get_variable('out', [3, 1])}
        out = tf.matmul(tf.matmul(x, weights['h1']), weights['out'])
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        value = sess.run(out, {x: xs})
    """, """
        import tensorflow as tf
        weights = {'h1': tf.Variable(tf.keras.initializers.GlorotUniform()([2, 3]), name='h1'),
                   'out': tf.Variable(tf.keras.initializers.GlorotUniform()([3, 1]), name='out')}
        def out(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.matmul(tf.matmul(x, weights['h1']), weights['out'])
        value = out(xs).numpy()
    """),
    "graphs-made-default-and-sessions-on-them": ("""
        import tensorflow as tf
        graph = tf.Graph()
        with graph.as_default():
            x = tf.placeholder(tf.float32, [None, 2])
            W = tf.Variable(tf.zeros([2, 1]))
            loss = tf.reduce_mean(tf.square(tf.matmul(x, W) - 1.0))
            optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session(graph=graph) as session:
            tf.global_variables_initializer().run()
            _, l = session.run([optimizer, loss], feed_dict={x: xs})
        with tf.Graph().as_default(), tf.Session() as sess:
            c = tf.constant(2.0) * 3
            value = sess.run(c)
    """, """
        import tensorflow as tf
        W = tf.Variable(tf.zeros([2, 1]))
        def loss(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.reduce_mean(tf.square(tf.matmul(x, W) - 1.0))
        optimizer_2 = tf.keras.optimizers.SGD(0.5)
        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
        def optimizer(x):
            with tf.GradientTape() as tape:
                loss_value = loss(x)
            variables = [W]
            optimizer_2.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        _, l = [None, optimizer(xs).numpy()]
        c = tf.constant(2.0) * 3
        value = c.numpy()
    """),
    "fetch-list-tuple-and-chain": ("""
        import tensorflow as tf
        a = tf.placeholder(tf.int32, [])
        b = tf.placeholder(tf.int32, [])
        s = a + b
        d = s * 2
        with tf.Session() as sess:
            r = sess.run([s, d], {a: 1, b: 2})
            t = sess.run((d,), feed_dict={b: 5, a: 4})
    """, """
        import tensorflow as tf
        def s(a, b):
            a = tf.convert_to_tensor(a, tf.int32)
            b = tf.convert_to_tensor(b, tf.int32)
            return a + b
        def d(a, b):
            return s(a, b) * 2
        r = [s(1, 2).numpy(), d(1, 2).numpy()]
        t = (d(4, 5).numpy(),)
    """),
    "constant-stays-a-value": ("""
        import tensorflow as tf
        c = tf.constant(3.0)
        with tf.Session() as sess:
            print(sess.run(c))
    """, """
        import tensorflow as tf
        c = tf.constant(3.0)
        print(c.numpy())
    """),
    "random-op-becomes-a-function": ("""
        import tensorflow as tf
        noise = tf.random_normal([2])
        sess = tf.Session()
        n1 = sess.run(noise)
    """, """
        import tensorflow as tf
        def noise():
            return tf.random.normal([2])
        n1 = noise().numpy()
    """),
    "assign-becomes-eager": ("""
        import tensorflow as tf
        v = tf.Variable(1.0)
        bump = tf.assign_add(v, 1.0)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(bump)
    """, """
        import tensorflow as tf
        v = tf.Variable(1.0)
        def bump():
            return v.assign_add(1.0)
        bump().numpy()
    """),
    "session-block-in-a-loop-gets-pass": ("""
        import tensorflow as tf
        v = tf.Variable(1.0)
        for _ in range(2):
            with tf.Session() as sess:
                tf.reset_default_graph()
    """, """
        import tensorflow as tf
        v = tf.Variable(1.0)
        for _ in range(2):
            pass
    """),
    "train-with-other-fetch-reads-before-the-update": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(1.0)
        frozen = tf.Variable(3.0, trainable=False)
        pred = w * x * frozen
        loss = tf.reduce_mean(tf.square(pred - 1.0))
        opt = tf.train.MomentumOptimizer(0.1, 0.9)
        train = opt.minimize(loss)
        sess = tf.Session()
        _, p = sess.run([train, pred], {x: xs})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        frozen = tf.Variable(3.0, trainable=False)
        def pred(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return w * x * frozen
        def loss(x):
            return tf.reduce_mean(tf.square(pred(x) - 1.0))
        opt = tf.keras.optimizers.SGD(0.1, momentum=0.9)
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def train(x):
            with tf.GradientTape() as tape:
                loss_value = loss(x)
            variables = [w]
            opt.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        def run_train_pred(x):
            pred_value = pred(x).numpy()
            train(x)
            return [None, pred_value]
        _, p = run_train_pred(xs)
    """),
    "graph-built-inside-a-function-is-lifted-inside-it": ("""
        import tensorflow as tf
        def main(rate):
            tf.reset_default_graph()
            x = tf.placeholder(tf.float32, [None])
            w = tf.Variable(1.0)
            loss = tf.reduce_mean(tf.square(w * x - 2.0))
            train = tf.train.GradientDescentOptimizer(rate).minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for step in range(10):
                    _, value = sess.run([train, loss], feed_dict={x: [1.0, 2.0]})
                result = {"loss": value, "w": sess.run(w)}
            return result
        fast = main(0.1)
        slow = main(0.01)
    """, """
        import tensorflow as tf
        def main(rate):
            w = tf.Variable(1.0)
            def loss(x):
                x = tf.convert_to_tensor(x, tf.float32)
                return tf.reduce_mean(tf.square(w * x - 2.0))
            optimizer = tf.keras.optimizers.SGD(rate)
            @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
            def train(x):
                with tf.GradientTape() as tape:
                    loss_value = loss(x)
                variables = [w]
                optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
                return loss_value
            for step in range(10):
                _, value = [None, train([1.0, 2.0]).numpy()]
            result = {"loss": value, "w": w.numpy()}
            return result
        fast = main(0.1)
        slow = main(0.01)
    """),
    "clipped-gradients-become-one-train-step": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x - 2.0)
        opt = tf.train.GradientDescentOptimizer(0.1)
        grads_and_vars = opt.compute_gradients(loss)
        capped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in grads_and_vars]
        train = opt.apply_gradients(capped)
        sess = tf.Session()
        _, g = sess.run([train, grads_and_vars], {x: 3.0})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def loss(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.square(w * x - 2.0)
        opt = tf.keras.optimizers.SGD(0.1)
        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def train(x):
            with tf.GradientTape() as tape:
                loss_value = loss(x)
            variables = [w]
            grads_and_vars = list(zip(tape.gradient(loss_value, variables), variables))
            capped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in grads_and_vars]
            opt.apply_gradients(capped)
            return loss_value, grads_and_vars
        def run_train_grads_and_vars(x):
            loss_value_2, grads_and_vars_value = train(x)
            return [None, tf.nest.map_structure(lambda tensor: tensor.numpy(), grads_and_vars_value)]
        _, g = run_train_grads_and_vars(3.0)
    """),
    "ptb-style-gradients-of-all-trainable-variables": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        cost = tf.square(w * x)
        lr = tf.Variable(0.5, trainable=False)
        grads, _ = tf.clip_by_global_norm(tf.gradients(cost, tf.trainable_variables()), 5.0)
        train = tf.train.GradientDescentOptimizer(lr).apply_gradients(zip(grads, tf.trainable_variables()))
        sess = tf.Session()
        c, _ = sess.run([cost, train], {x: 2.0})
    """, """
        import tensorflow as tf
        w = tf.Variable(1.0)
        def cost(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.square(w * x)
        lr = tf.Variable(0.5, trainable=False)
        optimizer = tf.keras.optimizers.SGD(lambda: lr)
        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def train(x):
            with tf.GradientTape() as tape:
                loss_value = cost(x)
            grads, _ = tf.clip_by_global_norm(tape.gradient(loss_value, [w]), 5.0)
            optimizer.apply_gradients(zip(grads, [w]))
            return loss_value
        c, _ = [train(2.0).numpy(), None]
    """),
    "var-list-as-a-container-or-dict-values": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        weights = {"g": tf.Variable(1.0), "d": tf.Variable(2.0)}
        bias = tf.Variable(0.5)
        g_vars = [weights["g"], bias]
        g_loss = tf.square(weights["g"] * x + bias)
        d_loss = tf.square(weights["d"] * g_loss)
        g_train = tf.train.GradientDescentOptimizer(0.1).minimize(g_loss, var_list=g_vars)
        d_train = tf.train.GradientDescentOptimizer(0.1).minimize(d_loss, var_list=weights.values())
        sess = tf.Session()
        sess.run(g_train, {x: 1.0})
    """, """
        import tensorflow as tf
        weights = {"g": tf.Variable(1.0), "d": tf.Variable(2.0)}
        bias = tf.Variable(0.5)
        g_vars = [weights["g"], bias]
        def g_loss(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return tf.square(weights["g"] * x + bias)
        def d_loss(x):
            return tf.square(weights["d"] * g_loss(x))
        optimizer = tf.keras.optimizers.SGD(0.1)
        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def g_train(x):
            with tf.GradientTape() as tape:
                loss_value = g_loss(x)
            variables = [*g_vars]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        optimizer_2 = tf.keras.optimizers.SGD(0.1)
        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def d_train(x):
            with tf.GradientTape() as tape:
                loss_value = d_loss(x)
            variables = [*weights.values()]
            optimizer_2.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        g_train(1.0)
    """),
}

#: (source, the reason's words) for graphs the lifting must refuse: kept at compat with a TFM199 finding
REFUSED = {
    "class-using-tensorflow": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        class Model:
            def output(self):
                return x * 2
        sess = tf.Session()
        sess.run(x * 3, feed_dict={x: 1.0})
    """, "a class that uses TensorFlow"),
    "dynamic-feed": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        y = x + 1
        feed = dict(zip([x], [1.0]))
        sess = tf.Session()
        sess.run(y, feed_dict=feed)
    """, "feed dict is built dynamically"),
    "placeholder-read-in-place-with-a-computed-feed": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        sess = tf.Session()
        sess.run(x * 2, feed_dict={x: load()})
    """, "computed by a call"),
    "losses-collection": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        l = tf.losses.absolute_difference(x, 2.0)
        total = tf.add_n(tf.losses.get_losses())
        sess = tf.Session()
        sess.run(total, feed_dict={x: 1.0})
    """, "works on graph collections"),
    "default-not-a-literal": ("""
        import tensorflow as tf
        x = tf.placeholder_with_default(tf.zeros([2]), shape=[2])
        sess = tf.Session()
        sess.run(x * 2)
    """, "default is not a number or bool literal"),
    "layer-reuse": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        a = tf.layers.dense(x, 2, name="shared")
        b = tf.layers.dense(x, 2, name="shared", reuse=True)
        sess = tf.Session()
        sess.run(b, {x: xs})
    """, "reuses the variables of another layer"),
    "lookup-of-a-tensor-by-name": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        y = tf.identity(x * 2, name="y")
        sess = tf.Session()
        sess.run(tf.get_default_graph().get_tensor_by_name("y:0"), {x: xs})
    """, "works on the graph itself"),
    "model-function-creating-variables": ("""
        import tensorflow as tf
        def dense(x, n):
            return tf.layers.dense(x, n)
        def model(x):
            return dense(dense(x, 4), 1)
        x = tf.placeholder(tf.float32, [None, 2])
        y = model(x)
        sess = tf.Session()
        sess.run(y, {x: xs})
    """, "`model` creates variables and is called on graph tensors"),
    "get-variable-with-reuse": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.get_variable("w", [2, 1])
        with tf.variable_scope("", reuse=True):
            same = tf.get_variable("w")
        sess = tf.Session()
        sess.run(tf.matmul(x, w), {x: xs})
    """, "reuses variables"),
    "get-variable-nested-in-an-expression": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        y = tf.matmul(x, tf.get_variable("w", [2, 1]))
        sess = tf.Session()
        sess.run(y, {x: xs})
    """, "nested in an expression"),
    "get-variable-regularizer": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.get_variable("w", [2, 1], regularizer=tf.nn.l2_loss)
        sess = tf.Session()
        sess.run(tf.matmul(x, w), {x: xs})
    """, "regularization loss"),
    "second-session-initializes-again": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = tf.global_variables_initializer()
        with tf.Session() as sess:
            sess.run(init)
            sess.run(train, {x: 1.0})
        with tf.Session() as sess:
            sess.run(init)
    """, "initialized a second time"),
    "initializer-in-a-loop": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        for run in range(3):
            sess.run(tf.global_variables_initializer())
            sess.run(train, {x: 1.0})
    """, "initialized a second time"),
    "saver-with-latest-checkpoint": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        saver = tf.train.Saver()
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        saver.save(sess, "ckpt/model")
        saver.restore(sess, tf.train.latest_checkpoint("ckpt"))
    """, "latest_checkpoint"),
    "saver-passed-along": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        saver = tf.train.Saver()
        sess = tf.Session()
        keep(saver)
    """, "(saver) is used outside graph construction"),
    "summary-writer-adds-the-graph": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        tf.summary.scalar("x", x)
        merged = tf.summary.merge_all()
        sess = tf.Session()
        writer = tf.summary.FileWriter("logs")
        writer.add_graph(sess.graph)
    """, "`writer.add_graph` is called in a way the lifting does not carry over"),
    "triple-quoted-string-in-a-session-block": ('''
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        with tf.Session() as sess:
            print("""y is
        %s""" % sess.run(x * 2, {x: 1.0}))
    ''', "multi-line string in a session block"),
    "summary-in-a-computed-scope": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        with tf.name_scope(scope_name):
            tf.summary.scalar("x", x)
        sess = tf.Session()
    """, "scope whose name is computed"),
    "tensor-in-a-container": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        y = x + 1
        ops = [y]
        sess = tf.Session()
        sess.run(ops, feed_dict={x: 1.0})
    """, "used outside graph construction"),
    "graph-lookup-by-name": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, name="x")
        y = tf.identity(x + 1, name="y")
        t = tf.get_default_graph().get_tensor_by_name("y:0")
        sess = tf.Session()
        sess.run(y, feed_dict={x: 1.0})
    """, "works on the graph itself"),
    "ftrl": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        train = tf.train.FtrlOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(train, {x: 1.0})
    """, "numerically the same"),
    "learning-rate-fed-each-step": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        rate = tf.placeholder(tf.float32)
        lr = rate * 1.0
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
        sess = tf.Session()
        sess.run(train, {x: 1.0, rate: 0.1})
    """, "fed at each step"),
    "used-between-definitions": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        h = x * 2
        sess = tf.Session()
        first = sess.run(h, {x: 1.0})
        h = h + 1
        second = sess.run(h, {x: 1.0})
    """, "used between two of its definitions"),
    "placeholder-rebound-as-tensor": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        x = x * 2
        sess = tf.Session()
        sess.run(x, {x: 1.0})
    """, "bound again after it was defined as a placeholder"),
    "missing-feed": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        y = x * 2
        sess = tf.Session()
        sess.run(y)
    """, "does not feed"),
    "collections": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        tf.add_to_collection("inputs", x)
        sess = tf.Session()
    """, "collections"),
    "graph-function-returns-a-tensor": ("""
        import tensorflow as tf
        def build():
            x = tf.placeholder(tf.float32)
            y = x * 2
            sess = tf.Session()
            return y
        y = build()
    """, "`y` (tensor) is used outside graph construction"),
    "graph-function-declares-globals": ("""
        import tensorflow as tf
        def build():
            global sess
            x = tf.placeholder(tf.float32)
            v = tf.Variable(1.0)
            sess = tf.Session()
    """, "declares `global` names"),
    "gradient-value-fetched-without-its-step": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        opt = tf.train.GradientDescentOptimizer(0.1)
        grads, norm = tf.clip_by_global_norm(tf.gradients(loss, [w]), 1.0)
        train = opt.apply_gradients(zip(grads, [w]))
        sess = tf.Session()
        print(sess.run(norm, {x: 1.0}))
    """, "is fetched without that step"),
    "gradients-never-applied": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        grads = tf.gradients(loss, [w])
        sess = tf.Session()
    """, "computed but not applied"),
    "gradients-with-respect-to-a-feed": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        saliency = tf.gradients(loss, x)
        sess = tf.Session()
        sess.run(saliency, {x: 1.0})
    """, "with respect to a feed or tensor"),
    "gradients-scaled-by-a-feed": ("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        scale = tf.placeholder(tf.float32)
        w = tf.Variable(1.0)
        loss = tf.square(w * x)
        opt = tf.train.GradientDescentOptimizer(0.1)
        grads = [g * scale for g in tf.gradients(loss, [w])]
        train = opt.apply_gradients(zip(grads, [w]))
    """, "read between computing and applying gradients"),
    "a-function-returns-the-placeholders-it-makes": ("""
        import tensorflow as tf
        def build_model():
            x = tf.placeholder(tf.float32, [None])
            w = tf.Variable(1.0)
            return x, w * x
        x, y = build_model()
        sess = tf.Session()
        sess.run(y, {x: [1.0]})
    """, "`build_model` makes placeholders and returns what it builds"),
}

NO_OP = {
    "no-graph-code": "import tensorflow as tf\nv = tf.Variable(1.0)\nprint(v.numpy())\n",
    "eager-tf2": "import tensorflow as tf\nwith tf.GradientTape() as tape:\n    y = w * w\n",
    "numpy-alias-named-tf": "import numpy as tf\nx = tf.placeholder(1)\nsess = tf.Session()\nsess.run(x)\n",
}


@pytest.mark.parametrize("before,after", LIFTED.values(), ids=LIFTED.keys())
def test_lifted(before, after):
    assert_migrates(before, after, level="tf2")


#: refused graphs that use TF1 layers, which TF 2.16+ has only in tf_keras
LEGACY_LAYERS = {"layer-reuse", "model-function-creating-variables"}


@pytest.mark.parametrize("source,reason", REFUSED.values(), ids=REFUSED.keys())
def test_refused_graph_stays_at_compat_with_a_manual_finding(source, reason):
    result = migrate(dedent(source), level="tf2")
    # The compat output, with its TF1 runtime switched back on right after the import (TFM103), and tf_keras
    # chosen before it where the graph uses TF1 layers.
    name = next(key for key, value in REFUSED.items() if value == (source, reason))
    legacy = LEGACY_KERAS_LINES if name in LEGACY_LAYERS else ""
    assert result.source == migrated(source, level="compat").replace(
        "import tensorflow as tf\n", legacy + "import tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\n", 1)
    assert "TFM103" in {f.code for f in result.applied}
    manual = [f for f in result.remaining if f.code == "TFM199"]
    assert len(manual) == 1 and manual[0].applicability.value == "manual"
    assert reason in manual[0].message
    assert migrate(result.source, level="tf2").source == result.source


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    result = migrate(dedent(source), level="tf2")
    assert result.source == migrated(source, level="compat")
    assert not {"TFM100", "TFM101", "TFM102", "TFM199"} & {f.code for f in result.findings}


def test_analysis_underlines_the_graph_code_per_cell():
    source = """
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        train = opt.minimize(loss)
        sess = tf.Session()
    """
    assert {"TFM100", "TFM101", "TFM102"} <= set(codes(source, level="tf2"))
    assert not {"TFM100", "TFM101", "TFM102"} & set(codes(source, level="compat"))


def test_a_cell_with_its_notebook_context_is_not_lifted_alone():
    from kernel_helpers.engine.context import NotebookContext

    cell = "x = tf.placeholder(tf.float32)\n"
    context = NotebookContext.from_cells(["import tensorflow as tf\n", cell])
    assert "placeholder" in migrate(cell, level="tf2", context=context).source


def test_a_kept_graph_still_gets_the_tf2_rules_whose_output_runs_in_graph_mode():
    source = """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data
        x = tf.placeholder(tf.float32)
        tf.add_to_collection("inputs", x)
        tf.logging.info("built")
        sess = tf.Session()
    """
    result = migrate(dedent(source), level="tf2")
    assert "TFM199" in {f.code for f in result.remaining}
    # The graph keeps TF1's runtime, but the loader import and the logging are TF 2's (both run in graph mode).
    assert "from kernel_helpers.runtime import datasets as input_data\n" in result.source
    assert "absl.logging.info(\"built\")" in result.source
    assert "tf.compat.v1.placeholder(tf.float32)" in result.source
    # At level compat, neither.
    compat = migrate(dedent(source), level="compat").source
    assert "tensorflow.examples" in compat and "tf.compat.v1.logging.info" in compat


def test_a_kept_graph_with_tf1_layers_runs_on_tf2_with_keras_3_installed(tmp_path):
    """TF 2.21 raises for `tf.compat.v1.layers.dense` under Keras 3; the kept graph selects tf_keras first."""
    pytest.importorskip("tf_keras")
    import os
    import subprocess
    import sys

    result = migrate(dedent("""
        import numpy as np
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        h = tf.layers.dense(x, 2, kernel_initializer=tf.ones_initializer())
        tf.add_to_collection("outputs", h)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        print(sess.run(h, {x: np.ones((1, 3))}).tolist())
    """), level="tf2")
    script = tmp_path / "kept.py"
    script.write_text(result.source, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=environment,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[[3.0, 3.0]]"
    # Without the line, the same code fails under Keras 3: the test would catch its loss.
    script.write_text(result.source.replace(LEGACY_KERAS_LINES, ""), encoding="utf-8")
    failed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=environment,
                            timeout=300)
    assert failed.returncode != 0 and "not available with Keras 3" in failed.stderr


def test_a_submodule_import_goes_only_when_lifting_leaves_no_use_of_it():
    graph = """
        import tensorflow as tf
        from tensorflow.contrib import rnn
        x = tf.placeholder(tf.float32, [None, 3, 2])
        cell = rnn.GRUCell(4)
        outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        out = sess.run(state, {x: xs})
    """
    lifted = migrate(dedent(graph), level="tf2")
    assert "import rnn" not in lifted.source and "compat" not in lifted.source
    assert any(f.code == "TFM100" and "its import goes" in f.message for f in lifted.applied)
    kept = migrate(dedent(graph) + "print(rnn.__name__)\n", level="tf2").source
    assert "from tensorflow.compat.v1.nn import rnn_cell as rnn\n" in kept


def test_a_plain_python_class_stays_as_it_is_in_a_lifted_notebook():
    """aymericdamien's dynamic_rnn generates its data with a class of its own: plain Python, nothing to lift."""
    result = migrate(dedent("""
        import random
        import tensorflow as tf
        class ToyData(object):
            def __init__(self, n):
                self.data = [random.random() for _ in range(n)]
        data = ToyData(4).data
        x = tf.placeholder(tf.float32)
        sess = tf.Session()
        out = sess.run(x * 2, feed_dict={x: data[0]})
    """), level="tf2")
    assert "TFM199" not in {f.code for f in result.remaining}
    assert "class ToyData(object):\n    def __init__(self, n):\n" in result.source
    assert "Session" not in result.source


def test_a_random_tensor_only_used_as_initial_values_stays_an_eager_value():
    """TF1 evaluated it once, when the initializer ran (nlintz's autoencoder); one also fetched stays a function,
    which draws again at each call as each run did."""
    result = migrate(dedent("""
        import tensorflow as tf
        W_init = tf.random_uniform([4, 2], -1.0, 1.0)
        W = tf.Variable(W_init)
        noise = tf.random_normal([2])
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.matmul(x, W) + noise
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        out = sess.run(y, {x: xs})
        again = sess.run(noise)
    """), level="tf2")
    assert "W_init = tf.random.uniform([4, 2], -1.0, 1.0)\nW = tf.Variable(W_init)\n" in result.source
    assert "def noise():\n    return tf.random.normal([2])\n" in result.source
    assert "TFM199" not in {f.code for f in result.remaining}


def test_an_initializer_object_bound_to_a_name_is_a_plain_value():
    """sjchoi86's semseg: `initfun = tf.random_normal_initializer(...)` given to each `get_variable`."""
    result = migrate(dedent("""
        import tensorflow as tf
        initfun = tf.random_normal_initializer(mean=0.0, stddev=0.1)
        w1 = tf.get_variable("w1", shape=[4, 2], initializer=initfun)
        w2 = tf.get_variable("w2", shape=[2, 1], initializer=initfun)
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.matmul(tf.matmul(x, w1), w2)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        out = sess.run(y, {x: xs})
    """), level="tf2")
    assert "TFM199" not in {f.code for f in result.remaining}, result.source
    assert "initfun = tf.random_normal_initializer(mean=0.0, stddev=0.1)\n" in result.source
    assert "def initfun" not in result.source


@pytest.mark.parametrize("line,reason", [
    ("pair = tf.metrics.accuracy(y, p)\n", "not unpacked into two names"),
    ("acc, acc_op = tf.metrics.accuracy(y, p, metrics_collections=['m'])\n", "graph collections"),
    ("auc, auc_op = tf.metrics.auc(y, p)\n", "tf.metrics.auc"),
])
def test_metrics_the_lifting_cannot_map_are_refused(line, reason):
    source = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None])\ny = x * 2\np = x * 3\n" + line + \
             "sess = tf.Session()\nsess.run(tf.local_variables_initializer())\nsess.run(p, {x: xs})\n"
    result = migrate(source, level="tf2")
    manual = [f.message for f in result.remaining if f.code == "TFM199"]
    assert manual and reason in manual[0], manual


def test_a_tensor_added_to_in_place_is_a_new_definition_reading_the_one_before():
    """`loss += beta * tf.nn.l2_loss(w)`, the TF1 examples' weight decay."""
    result = migrate(dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(tf.ones([3, 1]))
        loss = tf.reduce_mean(tf.matmul(x, w))
        loss += 0.01 * tf.nn.l2_loss(w)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        l = sess.run([train, loss], {x: xs})[1]
    """), level="tf2")
    assert "def loss_1(x):" in result.source
    assert "def loss(x):\n    return loss_1(x) + (0.01 * tf.nn.l2_loss(w))\n" in result.source
    assert "loss_value = loss(x)" in result.source


def test_comments_that_spoke_of_a_deleted_statement_go_with_it():
    """`# Initialize the variables` above `init = tf.global_variables_initializer()` goes; a comment above a group
    of statements whose first one goes stays with the others; no gap grows where the lines were."""
    result = migrate(dedent("""
        import tensorflow as tf
        # Inputs and weights
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.Variable(tf.ones([2, 1]))
        y = tf.matmul(x, w)

        # Initialize the variables (i.e. assign their default value)
        init = tf.global_variables_initializer()

        sess = tf.Session()
        # Run the initializer
        sess.run(init)

        # Read the output
        out = sess.run(y, {x: xs})
        # Close the session
        sess.close()
    """), level="tf2").source
    assert "# Inputs and weights\nw = tf.Variable(tf.ones([2, 1]))\n" in result
    assert "Initialize the variables" not in result and "Run the initializer" not in result
    assert "Close the session" not in result and result.endswith("# Read the output\nout = y(xs).numpy()\n")
    assert "\n\n\n" not in result


def test_initializers_grouped_or_listed_run_as_one_each():
    """`tf.group(global_init, local_init)` and `sess.run([global_init, local_init])`: the variables need nothing,
    the metrics start again."""
    result = migrate(dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(2.0)
        mean, mean_op = tf.metrics.mean(x * w)
        init = tf.group(tf.global_variables_initializer(), tf.local_variables_initializer())
        sess = tf.Session()
        sess.run(init)
        sess.run(mean_op, {x: xs})
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        after = sess.run(mean)
    """), level="tf2").source
    assert "TFM199" not in result and "group" not in result
    assert result.count("mean_metric.reset_state()\n") == 2
    assert result.endswith("mean_metric.reset_state()\nafter = mean().numpy()\n")


JOINT = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 2])
    g = tf.Variable(tf.ones([2, 2]))
    d = tf.Variable(tf.ones([2, 1]))
    fake = tf.matmul(x, g)
    gen_loss = -tf.reduce_mean(tf.matmul(fake, d))
    disc_loss = tf.reduce_mean(tf.matmul(fake, d) - tf.matmul(x, d))
    step = tf.train.get_or_create_global_step()
    train_gen = tf.train.AdamOptimizer(0.1).minimize(gen_loss, var_list=[g], global_step=step)
"""


def test_train_steps_run_together_compute_every_gradient_before_any_update():
    result = migrated(dedent(JOINT) + dedent("""
        train_disc = tf.train.AdamOptimizer(0.1).minimize(disc_loss, var_list=[d])
        sess = tf.Session()
        _, _, gl, dl, f = sess.run([train_gen, train_disc, gen_loss, disc_loss, fake], {x: xs})
    """), level="tf2")
    # The losses, gradients and updates are one tf.function; the helper reads the other fetches before it runs.
    assert dedent("""
        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
        def run_train_gen_train_disc_gen_loss_disc_loss_fake_step(x):
            with tf.GradientTape(persistent=True) as tape:
                gen_loss_value = gen_loss(x)
                disc_loss_value = disc_loss(x)
            train_gen_variables = [g]
            train_gen_gradients = tape.gradient(gen_loss_value, train_gen_variables)
            train_disc_variables = [d]
            train_disc_gradients = tape.gradient(disc_loss_value, train_disc_variables)
            optimizer.apply_gradients(zip(train_gen_gradients, train_gen_variables))
            step.assign_add(1)
            optimizer_2.apply_gradients(zip(train_disc_gradients, train_disc_variables))
            return gen_loss_value, disc_loss_value
        def run_train_gen_train_disc_gen_loss_disc_loss_fake(x):
            fake_value = fake(x).numpy()
            gen_loss_value, disc_loss_value = run_train_gen_train_disc_gen_loss_disc_loss_fake_step(x)
            return [None, None, gen_loss_value.numpy(), disc_loss_value.numpy(), fake_value]
    """) in result
    assert "_, _, gl, dl, f = run_train_gen_train_disc_gen_loss_disc_loss_fake(xs)" in result


@pytest.mark.parametrize("steps,run,reason", [
    ("train_disc = tf.train.AdamOptimizer(0.1).minimize(disc_loss, var_list=[g, d])\n", "[train_gen, train_disc]",
     "two of them update the same variables"),
    ("opt = tf.train.AdamOptimizer(0.1)\ntrain_a = opt.minimize(gen_loss, var_list=[g])\n"
     "train_b = opt.minimize(disc_loss, var_list=[d])\n", "[train_a, train_b]", "shares its optimizer"),
])
def test_train_steps_run_together_that_would_race_are_refused(steps, run, reason):
    # TF1 ran such steps' updates concurrently, in no fixed order.
    assert_refused(dedent(JOINT) + steps + f"sess = tf.Session()\nsess.run({run}, {{x: xs}})\n", reason)


SAVED = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32)
    w = tf.Variable(1.0)
    loss = tf.square(w * x)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    init = tf.global_variables_initializer()
"""


#: a first session that trains and saves, then a second that initializes again
TRAINED_THEN_NEW_SESSION = dedent("""
    with tf.Session() as sess:
        sess.run(init)
        sess.run(train, {x: 1.0})
        saver.save(sess, path)
    with tf.Session() as sess:
        sess.run(init)
""")


def test_initializing_again_right_before_restoring_every_variable_goes_away():
    result = migrated(dedent(SAVED) + "saver = tf.train.Saver()\n" + TRAINED_THEN_NEW_SESSION
                      + "    saver.restore(sess, path)\n    value = sess.run(w)\n", level="tf2")
    assert result.endswith("saver.write(path)\nsaver.read(path).assert_existing_objects_matched()\nvalue = w.numpy()\n")


@pytest.mark.parametrize("saver,between", [
    ("saver = tf.train.Saver([w])\n", ""),  # the optimizer's state is not restored
    ("saver = tf.train.Saver()\nv = tf.Variable(2.0)\n", ""),  # `v` is not in the checkpoint
    ("saver = tf.train.Saver()\n", "    print(sess.run(w))\n"),  # the reset value is read
])
def test_initializing_again_is_refused_unless_a_restore_of_everything_follows(saver, between):
    assert_refused(dedent(SAVED) + saver + TRAINED_THEN_NEW_SESSION + between + "    saver.restore(sess, path)\n",
                   "initialized a second time")


def test_a_tensor_defined_again_the_same_way_keeps_its_first_function():
    result = migrated(dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(2.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            double = w * x
            first = double.eval({x: 1.0})
        with tf.Session() as sess:
            double = w * x
            second = double.eval({x: 3.0})
    """), level="tf2")
    assert result.count("def double(") == 1
    assert "first = double(1.0).numpy()\nsecond = double(3.0).numpy()\n" in result


def test_a_definition_back_to_an_earlier_expression_is_one_of_its_own():
    result = migrated(dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32)
        w = tf.Variable(2.0)
        double = w * x
        double = double + 1.0
        double = w * x
        sess = tf.Session()
        value = sess.run(double, {x: 3.0})
    """), level="tf2")
    assert "def double_1(" in result and "def double_2(" in result and "def double(" in result


def test_cells_that_show_a_tensor_or_run_no_code_do_not_stop_the_lifting():
    result = migrated(dedent("""
        import tensorflow as tf
        data = load()
        data.test.cls = data.test.labels.argmax(axis=1)
        x = tf.placeholder(tf.float32, [None, 3])
        h = tf.layers.dense(x, 4)
        h
        x
        h = tf.nn.relu(h)
        if False:
            wrapped = pretty_tensor.wrap(h)
        sess = tf.Session()
        out = sess.run(h, {x: data.test.images})
    """), level="tf2")
    assert "# `h` was a symbolic tensor of the TF1 graph: eager TF2 computes its values when its function is called\n" \
        in result
    assert "# `x` was a placeholder of the TF1 graph, now a parameter of the functions that read it\n" in result
    # An attribute set on a plain value changes the object, not the name; code under `if False:` never runs.
    assert "data.test.cls = data.test.labels.argmax(axis=1)\n" in result
    assert "if False:\n    wrapped = pretty_tensor.wrap(h)\n" in result
    assert "out = h(data.test.images).numpy()" in result
