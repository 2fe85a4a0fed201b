"""TFM100 with static shapes (traced once, with the placeholders' specs) and helpers given the tensors and variables
they run. The program `variable-layer-functions` (tests/lift) checks both against TF1 value for value."""

import pytest

from helpers import assert_lifted, assert_refused, dedent

GRAPH = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 4, 4, 2])
    h = tf.nn.relu(x)
    W = tf.Variable(tf.ones([2, 3]))
    y = tf.matmul(tf.reshape(h, [-1, 2]), W)
    sess = tf.Session()
"""


def test_static_shapes_are_traced_once_with_the_placeholders_specs():
    migrated = assert_lifted(GRAPH + """
    n = h.get_shape()[1:].num_elements()
    m = int(W.shape[-1])
    rows = tf.shape(h)[0]
    flat = tf.reshape(h, [-1, n])
    """)
    assert migrated.count("def static_value(function, *specs):") == 1
    assert "n = static_value(lambda x: h(x).get_shape()[1:].num_elements(), " \
           "tf.TensorSpec([None, 4, 4, 2], tf.float32))\n" in migrated
    # A variable's shape is an eager value's: it stays as written. tf.shape is dynamic: a tensor.
    assert "m = int(W.shape[-1])\n" in migrated
    assert "def rows(x):\n    return tf.shape(h(x))[0]\n" in migrated
    assert "def flat(x):\n    return tf.reshape(h(x), [-1, n])\n" in migrated


def test_a_function_returning_a_tensor_and_its_size_gives_a_function_and_a_static_value():
    migrated = assert_lifted(GRAPH + """
    def flatten(layer):
        layer_shape = layer.get_shape()
        size = layer_shape[1:4].num_elements()
        return tf.reshape(layer, [-1, size]), size
    flat, size = flatten(h)
    """)
    assert "def flat(x):\n    return flatten(h(x))[0]\n" in migrated
    assert "size = static_value(lambda x: flatten(h(x))[1], tf.TensorSpec([None, 4, 4, 2], tf.float32))\n" \
        in migrated


def test_a_static_shape_read_through_a_flag_or_a_default_stays_a_function():
    # A flag is a Python value after lifting, which the body may branch on: it cannot be traced symbolically.
    migrated = assert_lifted("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        training = tf.placeholder(tf.bool)
        keep = tf.placeholder_with_default(1.0, shape=[])
        h = tf.nn.dropout(x, keep) * tf.cast(training, tf.float32)
        n = h.get_shape()[-1]
        sess = tf.Session()
    """)
    assert "static_value" not in migrated
    assert "def n(x, training, keep=1.0):\n    return h(x, training, keep).get_shape()[-1]\n" in migrated


def test_helpers_given_tensors_and_variables_run_them_with_their_own_feed_dicts():
    migrated = assert_lifted(GRAPH + """
    def show(layer, image):
        feed_dict = {x: [image]}
        return sess.run(layer, feed_dict=feed_dict)
    def weights_of(weights):
        return sess.run(weights)
    def mean_of(tensor):
        feed_dict = {x: data}
        return tensor.eval(feed_dict=feed_dict).mean()
    a = show(layer=h, image=data[0])
    b = weights_of(W)
    c = mean_of(y)
    """)
    assert "    feed_dict = {'x': [image]}\n    return layer(feed_dict['x']).numpy()\n" in migrated
    assert "    return weights.numpy()\n" in migrated
    assert "    return tensor(feed_dict['x']).numpy().mean()\n" in migrated
    assert "a = show(layer=h, image=data[0])\nb = weights_of(W)\nc = mean_of(y)\n" in migrated


HELPERS = """
    def show(value):
        return sess.run(value, {x: data})
"""

REFUSED = {
    "tensors-and-variables": ("show(h)\nshow(W)\n", "which its calls give both tensors and other values"),
    "something-else": ("show(h + 1)\n", "a call gives it something other than a tensor or variable"),
    "passed-around": ("f = show\n", "is used other than by calls"),
    "never-called": ("", "the notebook never calls it"),
    "other-placeholders": ("z = tf.placeholder(tf.float32)\ng = z * 2\nshow(h)\nshow(g)\n",
                           "needs placeholder `z`, which this run does not feed"),
}


@pytest.mark.parametrize("calls,reason", REFUSED.values(), ids=REFUSED.keys())
def test_refused_helpers_say_why(calls, reason):
    assert_refused(dedent(GRAPH) + dedent(HELPERS) + calls, reason)


def test_expressions_evaluated_in_place_become_numpy_values():
    # Regression: `(x * 2).eval()` was left as it was, and an eager tensor has no `eval`.
    migrated = assert_lifted("""
        import numpy as np
        import tensorflow as tf
        sess = tf.InteractiveSession()
        x = tf.constant([1.0, 2.0])
        p = tf.placeholder(tf.float32)
        def double(v):
            return tf.multiply(v, 2.0)
        a = (x * 2).eval()
        b = tf.reduce_sum(p * x).eval({p: 2.0})
        c = double(np.ones(2)).eval(session=sess)
    """)
    assert "a = (x * 2).numpy()\n" in migrated
    assert "b = tf.reduce_sum(tf.convert_to_tensor(2.0, tf.float32) * x).numpy()\n" in migrated
    assert "c = double(np.ones(2)).numpy()\n" in migrated


def test_a_value_a_notebook_function_builds_is_eager_unless_it_draws_random_numbers():
    migrated = assert_lifted("""
        import tensorflow as tf
        def scaled(v):
            return tf.multiply(v, 2.0)
        def noisy(v):
            return scaled(v) + tf.random_normal([2])
        sess = tf.Session()
        fixed = scaled([1.0, 2.0])
        drawn = noisy([1.0, 2.0])
        first, second = sess.run(drawn), sess.run(drawn)
        value = sess.run(fixed)
    """)
    # TF1 drew again at each run of `drawn`: it is a function, called at each run; `fixed` is an eager value.
    assert "fixed = scaled([1.0, 2.0])\n" in migrated
    assert "def drawn():\n    return noisy([1.0, 2.0])\n" in migrated
    assert "first, second = drawn().numpy(), drawn().numpy()\n" in migrated
    assert "value = fixed.numpy()\n" in migrated


CLOSURE = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable(tf.ones([2, 2]))
    h = tf.matmul(x, w)
    def penalty(scale):
        return scale * tf.reduce_sum(tf.square(h))
"""


def test_a_function_reading_the_notebooks_tensors_gets_their_placeholders():
    migrated = assert_lifted(CLOSURE + """
    loss = tf.reduce_mean(h) + penalty(0.1)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    print(sess.run([train, loss], {x: data})[1])
    """)
    assert "def penalty(scale, *, x):\n    return scale * tf.reduce_sum(tf.square(h(x)))\n" in migrated
    assert "    return tf.reduce_mean(h(x)) + penalty(0.1, x=x)\n" in migrated


def test_a_function_reading_the_notebooks_tensors_called_where_the_graph_runs_is_refused():
    assert_refused(dedent(CLOSURE) + "loss = penalty(0.1)\nsess = tf.Session()\nprint(penalty(0.2))\n",
                   "`penalty` reads the notebook's tensors and is used where the graph is run")
