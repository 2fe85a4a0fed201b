"""TFM230 for layer functions of tf.Variables (the Hvass tutorials' new_conv_layer): a module per call, shapes worked
out in __init__, literal defaults kept, returned variables read from the instance. The program
`variable-layer-functions` (tests/lift) trains such a network against TF1 value for value."""

import pytest

from helpers import assert_lifted, assert_refused, dedent

FACTORIES = """
    import tensorflow as tf
    def new_weights(shape):
        return tf.Variable(tf.zeros(shape))
    def new_conv_layer(input, n_in, size, n_out, use_pooling=True):
        shape = [size, size, n_in, n_out]  # worked out once
        weights = new_weights(shape=shape)
        biases = tf.Variable(tf.zeros([n_out]), name="biases")
        layer = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME") + biases
        if use_pooling:
            layer = tf.nn.max_pool(layer, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        return layer, weights
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
"""


def test_each_call_makes_its_own_module_and_the_returned_weights_are_read_from_it():
    migrated = assert_lifted(FACTORIES + """
    conv1, weights1 = new_conv_layer(input=x, n_in=1, size=3, n_out=4, use_pooling=False)
    conv2, weights2 = new_conv_layer(conv1, 4, 3, 8)
    trained = tf.trainable_variables()
    sess = tf.Session()
    out, w = sess.run([conv2, weights2], {x: data})
    """)
    assert dedent('''
        class NewConvLayer(tf.Module):
            """TF1's `new_conv_layer` as a module: its variables are made once, here."""

            def __init__(self, n_in, size, n_out, name=None):
                super().__init__(name=name)
                with self.name_scope:
                    shape = [size, size, n_in, n_out]  # worked out once
                    self.weights = new_weights(shape=shape)
                    self.biases = tf.Variable(tf.zeros([n_out]), name="biases")

            def __call__(self, input, use_pooling=True):
                layer = tf.nn.conv2d(input, self.weights, strides=[1, 1, 1, 1], padding="SAME") + self.biases
                if use_pooling:
                    layer = tf.nn.max_pool(layer, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
                return layer, self.weights
    ''') in migrated
    # TF1 made new variables at each call: two instances, the weights read from them.
    assert 'new_conv_layer_1 = NewConvLayer(n_in=1, size=3, n_out=4, name="new_conv_layer_1")\n' in migrated
    assert "    return new_conv_layer_1(input=x, use_pooling=False)[0]\nweights1 = new_conv_layer_1.weights\n" \
        in migrated
    assert 'new_conv_layer_2 = NewConvLayer(4, 3, 8, name="new_conv_layer_2")\n' in migrated
    assert "    return new_conv_layer_2(conv1(x))[0]\nweights2 = new_conv_layer_2.weights\n" in migrated
    assert "trained = [new_conv_layer_1.weights, new_conv_layer_1.biases, new_conv_layer_2.weights, " \
           "new_conv_layer_2.biases]" in migrated
    assert "out, w = [conv2(data).numpy(), weights2.numpy()]" in migrated


def test_a_network_of_layer_functions_gets_one_sub_module_per_call():
    migrated = assert_lifted("""
    import tensorflow as tf
    def new_fc_layer(input, n_in, n_out, use_relu=True):
        weights = tf.Variable(tf.ones([n_in, n_out]))
        layer = tf.matmul(input, weights)
        if use_relu:
            layer = tf.nn.relu(layer)
        return layer
    def net(input, n_hidden):
        hidden = new_fc_layer(input, 2, n_hidden)
        return new_fc_layer(hidden, n_hidden, 1, use_relu=False)
    x = tf.placeholder(tf.float32, [None, 2])
    train_out = net(x, 3)
    eval_out = net(x, 3)
    sess = tf.Session()
    """)
    assert "            self.new_fc_layer_1 = NewFcLayer(2, n_hidden, name=\"new_fc_layer_1\")\n" \
           "            self.new_fc_layer_2 = NewFcLayer(n_hidden, 1, name=\"new_fc_layer_2\")\n" in migrated
    assert "        hidden = self.new_fc_layer_1(input)\n" \
           "        return self.new_fc_layer_2(hidden, use_relu=False)\n" in migrated
    # Two calls of `net` made two sets of variables in TF1, with no scope sharing them.
    assert 'net_1 = Net(3, name="net_1")' in migrated and 'net_2 = Net(3, name="net_2")' in migrated


def test_a_function_that_only_makes_variables_stays_a_factory():
    migrated = assert_lifted("""
    import tensorflow as tf
    def weight_variable(shape):
        initial = tf.truncated_normal(shape, stddev=0.1)
        w = tf.Variable(initial)
        return w
    x = tf.placeholder(tf.float32, [None, 2])
    W = weight_variable([2, 1])
    y = tf.matmul(x, W)
    sess = tf.Session()
    """)
    assert "W = weight_variable([2, 1])\n" in migrated and "class" not in migrated


REFUSED = {
    "shape-also-computes": ("""
        def layer(input, n):
            shape = [n, n]
            w = tf.Variable(tf.zeros(shape))
            return tf.reshape(tf.matmul(input, w), shape)
        y = layer(x, 2)
    """, "uses `shape` both to make variables and to compute"),
    "shape-from-a-computed-value": ("""
        def layer(input, n):
            shape = [n, n]
            shape = shape + [1]
            w = tf.Variable(tf.zeros(shape))
            return tf.matmul(input, w)
        y = layer(x, 2)
    """, "shapes its variables from values it computes"),
    "weights-returned-early": ("""
        def layer(input, n, early):
            w = tf.Variable(tf.zeros([n, n]))
            if early:
                return input, w
            return tf.matmul(input, w), w
        y, w = layer(x, 2, False)
    """, "returns its variables other than as items of one final tuple"),
    "unpacked-into-other-names": ("""
        def layer(input, n):
            w = tf.Variable(tf.zeros([n, n]))
            return tf.matmul(input, w), w
        y, w, extra = layer(x, 2)
    """, "does not end by returning that many items"),
    "variable-in-a-block": ("""
        def layer(input, n, biased):
            w = tf.Variable(tf.zeros([n, n]))
            if biased:
                b = tf.Variable(tf.zeros([n]))
            return tf.matmul(input, w)
        y = layer(x, 2, True)
    """, "calls `tf.Variable` inside an expression or a block"),
}


@pytest.mark.parametrize("code,reason", REFUSED.values(), ids=REFUSED.keys())
def test_refused_layer_functions_say_why(code, reason):
    source = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 2])\n" + dedent(code) + \
        "sess = tf.Session()\n"
    assert_refused(source, reason)


def test_a_saver_of_every_variable_saves_the_modules():
    migrated = assert_lifted(FACTORIES + """
    conv, weights = new_conv_layer(x, 1, 3, 4)
    saver = tf.train.Saver()
    sess = tf.Session()
    saver.save(sess, "model")
    """)
    # The instance holds the variables; the name its weights were returned under is not saved a second time.
    assert 'saver = tf.train.Checkpoint(new_conv_layer_1=new_conv_layer_1)\n' in migrated
