"""TFM230: functions of tf.layers calls (the TF1 examples' conv_net, under its own variable scope with a reuse
flag) become Keras layer classes that make their layers once (tests/lift/programs.py runs one against TF1)."""

import pytest

from helpers import assert_migrates, assert_refused, dedent, migrated

CONV_NET = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 16])
    def conv_net(x, n_classes, dropout, reuse, is_training):
        with tf.variable_scope("ConvNet", reuse=reuse):
            x = tf.reshape(x, shape=[-1, 4, 4, 1])
            conv = tf.layers.conv2d(x, 8, 3, activation=tf.nn.relu)
            fc = tf.layers.dropout(tf.layers.flatten(conv), rate=dropout, training=is_training)
            out = tf.layers.dense(fc, n_classes)
        return out
"""


def test_the_function_becomes_a_keras_layer_made_once_and_called_again_under_reuse():
    assert_migrates(dedent(CONV_NET) + dedent("""
        train_logits = conv_net(x, 10, 0.25, reuse=False, is_training=True)
        test_logits = conv_net(x, 10, 0.25, reuse=True, is_training=False)
        sess = tf.Session()
        out = sess.run(test_logits, {x: xs})
    """), """
        import tensorflow as tf
        class ConvNet(tf.keras.layers.Layer):
            \"\"\"TF1's `conv_net` as a Keras layer: its layers are made once, here.\"\"\"

            def __init__(self, n_classes, dropout, **kwargs):
                super().__init__(**kwargs)
                self.conv2d = tf.keras.layers.Conv2D(8, 3, activation=tf.nn.relu)
                self.flatten = tf.keras.layers.Flatten()
                self.dropout = tf.keras.layers.Dropout(rate=dropout)
                self.dense = tf.keras.layers.Dense(n_classes)

            def build(self, input_shape):
                # Keras would build the layers by tracing `call`, drawing random initial values it throws away
                # (so aligned draws would not line up): each is built at its first call, as TF1 made them.
                super().build(input_shape)

            def call(self, x, is_training):
                x = tf.reshape(x, shape=[-1, 4, 4, 1])
                conv = self.conv2d(x)
                fc = self.dropout(self.flatten(conv), training=is_training)
                out = self.dense(fc)
                return out

        conv_net_layer = ConvNet(10, 0.25, name="ConvNet")
        def train_logits(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return conv_net_layer(x, is_training=True)
        def test_logits(x):
            x = tf.convert_to_tensor(x, tf.float32)
            return conv_net_layer(x, is_training=False)
        out = test_logits(xs).numpy()
    """, level="tf2")


@pytest.mark.parametrize("calls,reason", [
    ("a = conv_net(x, 10, 0.25, reuse=False, is_training=True)\n"
     "b = conv_net(x, 10, 0.5, reuse=True, is_training=False)\n", "called again with other arguments"),
    ("a = conv_net(x, 10, 0.25, reuse=False, is_training=True)\n"
     "b = conv_net(x, 10, 0.25, reuse=False, is_training=False)\n", "called twice under the scope `ConvNet`"),
    ("flag = True\na = conv_net(x, 10, 0.25, reuse=flag, is_training=True)\n", "not a literal True or False"),
])
def test_calls_that_tf1_would_treat_otherwise_are_refused(calls, reason):
    assert_refused(dedent(CONV_NET) + calls + "sess = tf.Session()\n", reason)


@pytest.mark.parametrize("function,reason", [
    ("def net(x):\n    for units in (4, 2):\n        x = tf.layers.dense(x, units)\n    return x\n",
     "calls a layer in a loop"),
    ("def net(x):\n    h = tf.layers.dense(x, 4)\n    return tf.layers.dense(h, h.shape[1])\n",
     "shapes its layers from values it computes"),
    ("def net(x, reuse):\n    with tf.variable_scope('n', reuse=reuse):\n        h = tf.layers.dense(x, 4)\n"
     "    return tf.layers.dense(h, 1)\n", "not its whole body"),
])
def test_functions_the_lifting_cannot_prove_are_refused_with_why(function, reason):
    source = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 2])\n" + function + \
        "y = net(x" + (", 2" if "n)" in function.split("\n")[0] else "") + \
        (", reuse=False" if "reuse" in function else "") + ")\nsess = tf.Session()\n"
    assert_refused(source, reason)


def test_a_parameter_that_shapes_a_layer_and_computes_goes_to_init_and_call():
    result = migrated(dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        def net(x, n):
            return tf.layers.dense(x, n) * n
        y = net(x, 3)
        sess = tf.Session()
        out = sess.run(y, {x: xs})
    """), level="tf2")
    assert "def __init__(self, n, **kwargs):" in result
    assert "self.dense = tf.keras.layers.Dense(n)" in result
    assert "def call(self, x, n):" in result and "return self.dense(x) * n" in result
    assert 'net_layer = Net(3, name="net")' in result
    assert "return net_layer(x, n=3)" in result
