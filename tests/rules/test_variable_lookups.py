"""TFM230 and TFM102: functions that look variables up by scope, and every variable listed after ``minimize``
(Hvass's 03B). Numbers: program ``variables-looked-up-by-name`` in tests/lift."""

import pytest

from helpers import assert_lifted, assert_refused

LAYERS = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.int64, [None])
    net = tf.layers.dense(x, 5, activation=tf.nn.relu, name='hidden')
    logits = tf.layers.dense(net, 3, name='out')
    loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
"""

LOOKUP = """
    def get_weights_variable(layer_name):
        \"\"\"The kernel tf.layers made in that scope.\"\"\"
        with tf.variable_scope(layer_name, reuse=True):
            variable = tf.get_variable('kernel')
        return variable
"""


def test_each_call_of_a_lookup_function_becomes_the_variable_of_that_name():
    lifted = assert_lifted(LAYERS + LOOKUP + """
    weights_hidden = get_weights_variable(layer_name='hidden')
    weights_out = get_weights_variable('out')
    """)
    assert "weights_hidden = net_dense.kernel\nweights_out = logits_dense.kernel" in lifted
    assert "def get_weights_variable" not in lifted and "# `get_weights_variable` looked variables up" in lifted


def test_a_lookup_returning_the_call_itself_is_followed_too():
    lifted = assert_lifted(LAYERS + """
    def kernel_of(scope):
        with tf.variable_scope(scope, reuse=True):
            return tf.get_variable("kernel")
    w = kernel_of("out")
    """)
    assert "w = logits_dense.kernel" in lifted


@pytest.mark.parametrize("use,reason", [
    ("print(get_weights_variable)", "is used other than as `x = get_weights_variable(<scope>)`"),
    ("w = [get_weights_variable('out')]", "is used other than as"),
    ("w = get_weights_variable('missing')", "looks up `missing/kernel`, a variable the lifting does not know"),
    ("name = 'out'\nw = get_weights_variable(name)", "is not given a literal scope name"),
])
def test_other_uses_of_a_lookup_function_are_refused(use, reason):
    assert_refused(LAYERS + LOOKUP + "\n".join("    " + line for line in use.splitlines()) + "\n", reason)


def test_a_function_that_reuses_variables_another_way_is_refused_rather_than_left_to_fail():
    # It would run `get_variable` under `reuse=True` in eager TF2, which has no variable store to find it in.
    assert_refused(LAYERS + """
    def kernel_and_bias(layer_name):
        with tf.variable_scope(layer_name, reuse=True):
            kernel = tf.get_variable('kernel')
            bias = tf.get_variable('bias')
        return kernel, bias
    k, b = kernel_and_bias('out')
    """, "`kernel_and_bias` reuses variables by scope in a way the lifting does not follow")


def test_every_variable_listed_after_minimize_includes_the_optimizers_built_where_tf1_made_its_slots():
    lifted = assert_lifted(LAYERS + """
    for var in tf.global_variables():
        print(var)
    trainable = tf.trainable_variables()
    """)
    step = lifted.index("def train(")
    build = lifted.index("optimizer.build([*net_dense.trainable_variables, *logits_dense.trainable_variables])")
    assert step < build
    assert ("for var in [*net_dense.variables, *logits_dense.variables, *optimizer.variables]:" in lifted)
    assert "trainable = [*net_dense.trainable_variables, *logits_dense.trainable_variables]" in lifted


def test_a_notebook_that_lists_no_variable_does_not_build_its_optimizer():
    assert ".build([*hidden" not in assert_lifted(LAYERS)


def test_slots_of_an_optimizer_not_built_at_its_step_are_refused():
    # A step that applies gradients the notebook transforms is not followed by a build (only `minimize` is).
    assert_refused(LAYERS.replace("train = tf.train.AdamOptimizer(0.1).minimize(loss)", """opt = tf.train.AdamOptimizer(0.1)
    gradients = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in opt.compute_gradients(loss)]
    train = opt.apply_gradients(gradients)""") + """
    print(len(tf.global_variables()))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    """, "would list the optimizer's slot variables too, and the lifting does not build the optimizer where TF1")
