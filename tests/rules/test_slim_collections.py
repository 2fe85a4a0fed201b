"""TFM231 and TFM321: slim's arg_scope in model functions, tf.losses' collections, create_train_op and lookups of
variables by name (tests/lift/programs.py runs one against TF1; tutorial 12 is verified)."""

import pytest

from helpers import assert_refused, dedent, migrated

NET = dedent("""
    import tensorflow as tf
    import tensorflow.contrib.slim as slim
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.int64, [None])
    def net(x, scope='net'):
        with tf.variable_scope(scope):
            with slim.arg_scope([slim.fully_connected], activation_fn=tf.nn.sigmoid,
                                weights_regularizer=tf.contrib.layers.l2_regularizer(0.01)):
                with slim.arg_scope([tf.contrib.layers.fully_connected], activation_fn=tf.nn.tanh):
                    h = slim.fully_connected(x, 4, scope='hidden')
                    h = slim.fully_connected(h, 4, tf.nn.relu, scope='relu')
                out = slim.fully_connected(h, 2, activation_fn=None, scope='out')
        return out
""")


def lifted(source):
    return migrated(source, level="tf2")


def test_arg_scope_defaults_reach_the_layers_inner_blocks_first_and_given_arguments_win():
    result = lifted(NET + "logits = net(x)\n")
    # The inner block's tanh wins over the outer sigmoid; a positional or keyword activation wins over both.
    assert "Dense(units=4, name='hidden', activation=tf.nn.tanh, kernel_regularizer=" in result
    assert "Dense(units=4, activation=tf.nn.relu, name='relu', kernel_regularizer=" in result
    assert "Dense(units=2, name='out', kernel_regularizer=" in result
    assert "arg_scope" not in result and "slim" not in result and "variable_scope" not in result
    assert 'net_layer = Net(name="net")' in result


def test_a_scope_given_to_the_scope_parameter_names_the_instance():
    result = lifted(NET + "logits = net(x, scope='other')\n")
    assert 'net_layer = Net(name="other")\n' in result and "scope" not in result.split("def call")[1]


def test_collections_sum_what_they_held_where_the_getter_was_called():
    result = lifted(NET + dedent("""
        logits = net(x)
        first = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        total_before = tf.losses.get_total_loss()
        second = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits, weights=2.0)
        regularization = tf.losses.get_regularization_loss()
        total = tf.losses.get_total_loss()
        unrelated = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits, loss_collection=None)
        total_after = tf.losses.get_total_loss()
    """))
    assert "return tf.add_n([first(x, y), *net_layer.losses])" in result
    assert "return tf.add_n([*net_layer.losses])" in result
    assert "return tf.add_n([first(x, y), second(x, y), *net_layer.losses])" in result
    assert result.count("second(x, y), *net_layer.losses])") == 2  # `unrelated` is in no collection


def test_create_train_op_returns_the_loss_and_increments_the_global_step():
    result = lifted(NET + dedent("""
        logits = net(x)
        step = tf.train.get_or_create_global_step()
        loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), tf.train.AdamOptimizer(0.1))
        sess = tf.Session()
        value = sess.run(train_op, {x: xs, y: ys})
        weights = sess.run(slim.get_variables_by_name('weights', scope='net/out'))
    """))
    assert "    step.assign_add(1)\n    return loss_value\n" in result
    assert "value = train_op(xs, ys).numpy()" in result
    assert "[net_layer.dense_2.kernel]" in result


def test_an_empty_regularization_collection_is_zero():
    result = lifted(dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(tf.ones([3, 1]))
        loss = tf.reduce_sum(tf.matmul(x, w))
        penalty = tf.losses.get_regularization_loss()
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss + penalty)
    """))
    assert "penalty = tf.add_n([tf.constant(0.0)])\n" in result


@pytest.mark.parametrize("tail,reason", [
    ("loss = 2 * tf.losses.sparse_softmax_cross_entropy(labels=y, logits=net(x))\n"
     "total = tf.losses.get_total_loss()\n", "a `tf.losses` loss is computed inside an expression"),
    ("loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=net(x))\n"
     "train = slim.learning.create_train_op(loss, tf.train.AdamOptimizer(0.1), clip_gradient_norm=5.0)\n",
     "`create_train_op` is given `clip_gradient_norm`"),
    ("logits = net(x) + tf.layers.dense(x, 2)\nsess = tf.Session()\n"
     "w = sess.run(slim.get_variables_by_name('weights'))\n", "does not know every variable's TF1 name"),
    ("logits = net(x, scope=name)\n", "is given a `scope` that is not a literal name"),
])
def test_what_the_lifting_cannot_follow_is_refused_with_a_reason(tail, reason):
    assert_refused(NET + tail, reason)
