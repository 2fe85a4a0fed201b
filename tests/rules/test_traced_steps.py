"""TFM102: a lifted train step is a ``tf.function`` traced with its placeholders' specs (iterator elements: without
a signature), unless it takes flags or runs RNNs through the ``dynamic_rnn`` helper."""

import subprocess
import sys
import textwrap

import pytest

from helpers import assert_lifted

MLP = """
    import numpy as np
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    keep_prob = tf.placeholder(tf.float32)
    w = tf.Variable(tf.ones([3, 1]) * 0.1)
    b = tf.Variable(0.0)
    prediction = tf.matmul(tf.nn.dropout(x, keep_prob), w) + b
    loss = tf.reduce_mean(tf.square(prediction - y))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
"""


def test_a_step_of_placeholders_is_traced_with_their_specs_in_its_parameters_order():
    source = assert_lifted(MLP)
    assert ("@tf.function(input_signature=[\n"
            "    tf.TensorSpec([None, 3], tf.float32),\n"
            "    tf.TensorSpec([None, 1], tf.float32),\n"
            "    tf.TensorSpec(None, tf.float32),\n"
            "])\ndef train(x, y, keep_prob):") in source
    # Only the step: the tensors it computes stay plain functions, called by it and by the notebook.
    assert source.count("@tf.function") == 1


def test_a_short_signature_stays_on_one_line():
    source = assert_lifted("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(1.0)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(w * x))
    """)
    assert "@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])\ndef train(x):" in source


@pytest.mark.parametrize("change", [
    # A flag: the lifted code gives Keras layers and the body the Python value, which a traced tensor cannot be.
    ("keep_prob = tf.placeholder(tf.float32)", "keep_prob = tf.placeholder_with_default(1.0, [])"),
    ("keep_prob = tf.placeholder(tf.float32)\n", "keep_prob = tf.placeholder(tf.float32)\n"
     "    training = tf.placeholder(tf.bool)\n"),
], ids=["placeholder-with-default", "bool-placeholder"])
def test_a_step_fed_a_flag_stays_eager(change):
    source = MLP.replace(*change)
    if "training" in change[1]:
        source = source.replace("prediction - y)", "prediction - y) * tf.cast(training, tf.float32)")
    lifted = assert_lifted(source)
    assert "def train(" in lifted and "@tf.function" not in lifted


def test_a_step_of_iterator_elements_is_traced_without_a_signature():
    lifted = assert_lifted("""
        import numpy as np
        import tensorflow as tf
        dataset = tf.data.Dataset.from_tensor_slices((np.ones([8, 3], np.float32), np.ones([8, 1], np.float32)))
        x, y = dataset.batch(4).make_one_shot_iterator().get_next()
        w = tf.Variable(tf.ones([3, 1]))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
    """)
    # Elements are tensors: only the shape of a smaller last batch retraces it, once.
    assert "@tf.function(reduce_retracing=True)\ndef train(x, y):" in lifted


def test_a_step_through_the_dynamic_rnn_helper_stays_eager():
    lifted = assert_lifted("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 5, 2])
        y = tf.placeholder(tf.float32, [None, 4])
        cell = tf.nn.rnn_cell.BasicLSTMCell(4)
        outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(state.h - y))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
    """)
    assert "def dynamic_rnn(" in lifted and "@tf.function" not in lifted


@pytest.mark.slow
def test_the_traced_step_is_not_traced_again_for_other_batch_sizes_or_python_numbers(tmp_path):
    """TF1 built its graph once; the step is traced at its first call (twice, as a tf.function that makes the
    optimizer's slots is) and never again, whatever batch size, array dtype or Python number the loop feeds."""
    pytest.importorskip("tensorflow")
    lifted = assert_lifted(MLP)
    program = lifted + textwrap.dedent("""
        tf.random.set_seed(0)  # the dropout masks: unseeded, a weight could end within 1e-3 of where it started
        rng = np.random.RandomState(0)
        def batch(n):
            return rng.rand(n, 3), rng.rand(n, 1)  # float64, as numpy makes them: the session cast them
        first = train(*batch(4), 0.5).numpy()
        traces = train.experimental_get_tracing_count()
        losses = [train(bx, by, keep).numpy() for n, keep in [(3, 0.7), (9, 0.9), (1, 1.0), (4, 0.25)]
                  for bx, by in [batch(n)]]
        print("TRACES", traces, train.experimental_get_tracing_count(), w.numpy().ravel().tolist())
    """)
    path = tmp_path / "traced.py"
    path.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300,
                          env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    line = [line for line in done.stdout.splitlines() if line.startswith("TRACES")]
    assert line, done.stderr[-3000:]
    _, before, after, weights = line[0].split(" ", 3)
    assert int(before) <= 2 and after == before
    # The traced step trained the variable it captured: five Adam steps moved every weight off 0.1.
    assert all(abs(v - 0.1) > 1e-3 for v in eval(weights))
