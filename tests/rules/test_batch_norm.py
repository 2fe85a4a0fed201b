"""TFM240: tf.layers.batch_normalization and its UPDATE_OPS in a lifted graph (tests/lift/programs.py runs three
programs against TF1; tutorial 17 is verified)."""

import pytest

from helpers import assert_refused, dedent, migrated

GRAPH = dedent("""
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    training = tf.placeholder(tf.bool)
    h = tf.layers.batch_normalization(x, training=training, name='bn')
    w = tf.Variable(tf.ones([3, 1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(h, w) - y))
""")


def lifted(source):
    return migrated(dedent(source), level="tf2")


def test_a_train_step_under_the_update_ops_enters_them_around_its_forward_pass():
    result = lifted(GRAPH + dedent("""
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: data, y: labels, training: True})
    """))
    assert "h_batchnormalization = TF1BatchNormalization(name='bn')\n" in result
    assert "return h_batchnormalization(x, training=training)" in result
    assert "update_ops = UpdateOps([h_batchnormalization])\n" in result
    assert "    with update_ops, tf.GradientTape() as tape:\n" in result
    assert "with tf.control_dependencies" not in result and "compat" not in result
    # The classes are written once, before the layer.
    assert result.count("class TF1BatchNormalization(") == 1 and result.count("class UpdateOps(") == 1
    assert result.index("class TF1BatchNormalization(") < result.index("h_batchnormalization = ")


def test_update_ops_written_inside_the_block_get_a_name_of_their_own():
    result = lifted(GRAPH + dedent("""
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.AdamOptimizer(0.1).minimize(loss)
    """))
    assert "update_ops = UpdateOps([h_batchnormalization])\n" in result
    assert "    with update_ops, tf.GradientTape() as tape:\n" in result


def test_without_the_update_ops_the_step_moves_no_averages():
    result = lifted(GRAPH + "train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n")
    assert "    with tf.GradientTape() as tape:\n" in result
    assert "UpdateOps([" not in result


def test_update_ops_found_by_scope_are_those_of_the_model_function_made_under_it():
    result = lifted("""
        import tensorflow as tf
        z = tf.placeholder(tf.float32, [None, 4])
        is_training = tf.placeholder(tf.bool)
        def generator(x, reuse=False):
            with tf.variable_scope('Generator', reuse=reuse):
                x = tf.layers.dense(x, 8, use_bias=False)
                return tf.layers.batch_normalization(x, training=is_training)
        fake = generator(z)
        loss = tf.reduce_mean(fake)
        gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Generator')
        gen_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='Generator')
        other_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='Discriminator')
        with tf.control_dependencies(gen_update_ops):
            train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=gen_vars)
    """)
    # The model function reads the notebook's placeholder: its layer takes it as an argument.
    assert "    def call(self, x, is_training):\n" in result
    assert "return generator_layer(z, is_training=is_training)" in result
    assert "gen_update_ops = UpdateOps([generator_layer.batch_normalization])\n" in result
    assert "other_ops = UpdateOps([])\n" in result
    # Keras makes the layer's variables at its first call: the step reads them after the forward pass.
    assert "gen_vars" not in result.split("def train(")[0].split("class Generator")[1].split("gen_update_ops")[0]
    assert "    variables = [*generator_layer.trainable_variables]\n" in result


@pytest.mark.parametrize("source,reason", [
    (GRAPH.replace("name='bn'", "renorm=True"), "`tf.layers.batch_normalization` is given `renorm`"),
    (GRAPH.replace(", name='bn'", "") + "u = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='net')\n",
     "a batch normalization layer has no name the lifting knows"),
    (GRAPH + "u = tf.get_collection(tf.GraphKeys.UPDATE_OPS)\n"
             "sess = tf.Session()\nsess.run(u, {x: d, training: True})\n", "a fetch is not a lifted tensor"),
    (GRAPH + "with tf.control_dependencies([loss]):\n    train = tf.train.AdamOptimizer(0.1).minimize(loss)\n",
     "`tf.control_dependencies` is not lifted automatically yet"),
    (GRAPH + "v = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='bn')\n",
     "does not name one model function's scope"),
])
def test_what_the_lifting_cannot_follow_is_refused_with_a_reason(source, reason):
    assert_refused(source, reason)


def test_a_model_function_calling_a_layer_the_lifting_does_not_map_is_refused():
    assert_refused("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 8, 8, 3])
        def net(x):
            x = tf.layers.separable_conv2d(x, 4, 3)
            return tf.layers.dense(tf.layers.flatten(x), 2)
        loss = tf.reduce_mean(net(x))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    """, "`net` calls `tf.layers.separable_conv2d`, which the lifting does not make a Keras layer")


def test_a_variable_scope_function_reading_a_placeholder_from_the_notebook_is_refused():
    assert_refused("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        keep = tf.placeholder(tf.float32)
        def layer(x):
            w = tf.get_variable('w', [3, 2])
            return tf.nn.dropout(tf.matmul(x, w), keep)
        loss = tf.reduce_mean(layer(x))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    """, "`layer` reads the placeholder `keep` from the notebook")
