"""TFM230: model functions that make variables with tf.get_variable become tf.Module classes, one instance per
variable scope (the rule's docs pin a whole example; tutorial 05 runs it against TF1 under --verify)."""

import ast

import pytest

from helpers import assert_refused, dedent
from kernel_helpers import migrate

LAYERS = """
    import tensorflow as tf
    def dense(inputs, n_in, n_out):
        w = tf.get_variable("w", [n_in, n_out], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [n_out], initializer=tf.zeros_initializer(), trainable=False)
        return tf.matmul(inputs, w) + b
    def net(inputs, rate):
        with tf.variable_scope("hidden"):
            hidden = tf.nn.relu(dense(inputs, 4, 3))  # a comment stays
        with tf.variable_scope("out"):
            return dense(hidden * rate, 3, 1)
    x = tf.placeholder(tf.float32, [None, 4])
"""


def test_scoped_calls_share_one_instance_and_keep_tf1_names_and_order():
    source = LAYERS + """
    with tf.variable_scope("model"):
        train_out = net(x, 0.5)
    with tf.variable_scope("model", reuse=True):
        eval_out = net(x, 1.0)
        out_w = tf.get_variable("out/w")
    names = [v.name for v in tf.global_variables()]
    trained = [v.name for v in tf.trainable_variables()]
    sess = tf.Session()
    result = sess.run(eval_out, {x: data})
    """
    migrated = migrate(dedent(source), level="tf2").source
    ast.parse(migrated)
    assert "compat.v1" not in migrated and "get_variable" not in migrated
    assert "    def __init__(self, n_in, n_out, name=None):\n" in migrated
    assert '            self.b = tf.Variable(tf.zeros_initializer()([n_out]), name="b", trainable=False)' in migrated
    assert "    def __call__(self, inputs):\n        return tf.matmul(inputs, self.w) + self.b\n" in migrated
    assert '            self.hidden = Dense(4, 3, name="hidden")\n            self.out = Dense(3, 1, name="out")' \
        in migrated
    assert "        hidden = tf.nn.relu(self.hidden(inputs))  # a comment stays\n" \
           "        return self.out(hidden * rate)\n" in migrated
    # One instance, made where TF1 made the variables; the reuse scope calls it again.
    assert migrated.count('model = Net(name="model")') == 1
    assert "return model(x, 0.5)" in migrated and "return model(x, 1.0)" in migrated
    assert "out_w = model.out.w\n" in migrated
    assert "names = [v.name for v in [model.hidden.w, model.hidden.b, model.out.w, model.out.b]]" in migrated
    assert "trained = [v.name for v in [model.hidden.w, model.out.w]]" in migrated
    assert migrate(migrated, level="tf2").source == migrated


REFUSED = {
    "second-call-without-reuse": ("""
        with tf.variable_scope("model"):
            a = net(x, 1.0)
        with tf.variable_scope("model"):
            b = net(x, 1.0)
    """, "called twice under the scope `model` without reuse"),
    "reuse-without-variables": ("""
        with tf.variable_scope("other", reuse=True):
            a = net(x, 1.0)
    """, "where it made no variables"),
    "nested-scopes": ("""
        with tf.variable_scope("outer"):
            with tf.variable_scope("model"):
                a = net(x, 1.0)
    """, "nested or computed variable scopes"),
}


@pytest.mark.parametrize("calls,reason", REFUSED.values(), ids=REFUSED.keys())
def test_refused_calls(calls, reason):
    assert_refused(dedent(LAYERS) + dedent(calls) + "sess = tf.Session()\n", reason)


FUNCTIONS = {
    "parameter-shapes-and-computes": ("""
        def dense(inputs, n):
            w = tf.get_variable("w", [n, n])
            return tf.matmul(inputs, w) * n
    """, "uses `n` both to make variables and to compute"),
    "also-a-tf-variable": ("""
        def dense(inputs, n):
            w = tf.get_variable("w", [n, n])
            b = tf.Variable(0.0)
            return tf.matmul(inputs, w) + b
    """, "makes variables both with `tf.Variable`, new at every call, and with `tf.get_variable`"),
}


@pytest.mark.parametrize("function,reason", FUNCTIONS.values(), ids=FUNCTIONS.keys())
def test_refused_functions_say_why(function, reason):
    source = "import tensorflow as tf\n" + dedent(function) + \
        "x = tf.placeholder(tf.float32, [None, 2])\ny = dense(x, 2)\nsess = tf.Session()\n"
    assert_refused(source, reason)


def test_a_reused_variable_in_the_loss_is_updated_once_with_its_module():
    source = LAYERS + """
    with tf.variable_scope("model"):
        out = net(x, 1.0)
    with tf.variable_scope("model", reuse=True):
        out_w = tf.get_variable("out/w")
    loss = tf.reduce_sum(out) + tf.reduce_sum(tf.square(out_w))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    """
    migrated = migrate(dedent(source), level="tf2").source
    assert "    variables = [*model.trainable_variables]\n" in migrated


def test_a_computed_scope_inside_a_model_function_is_refused_with_its_reason():
    source = """
        import tensorflow as tf
        def dense(inputs, n_in, n_out):
            w = tf.get_variable("w", [n_in, n_out])
            return tf.matmul(inputs, w)
        def net(inputs, name):
            with tf.variable_scope(name):
                return dense(inputs, 2, 2)
        x = tf.placeholder(tf.float32, [None, 2])
        y = net(x, "a")
        sess = tf.Session()
    """
    assert_refused(source, "`net` opens a variable scope that is nested, computed or bound to a name")
