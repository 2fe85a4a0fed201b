"""compare() with a real reference kernel (TF1 runtime) and this process as the TF2 side.

The cases mirror what Compare must get right: equal migrations pass within tolerance, wrong ones
(a changed constant, a dropped bias, Keras' default Adam epsilon) fail, random initialisation
agrees across sides, and a cell that raises, hangs or kills its process is reported without
harming this process.  Tests run in order and share state, like notebook cells.
"""

from __future__ import annotations

import json
import os
import textwrap

import numpy as np
import pytest

pytestmark = pytest.mark.kernel


def cell(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def rows_by_name(result):
    return {row.name: row for row in result.rows}


DENSE_TF1 = cell("""
    import numpy as np
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 4])
    dense = tf.layers.Dense(3, activation=tf.nn.relu)
    y = dense(x)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    data = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)
    out = sess.run(y, {x: data})
    kernel = dense.kernel
""")
DENSE_TF2 = cell("""
    import numpy as np
    import tensorflow as tf
    dense = tf.keras.layers.Dense(3, activation="relu")
    data = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)
    out = dense(data).numpy()
    kernel = dense.kernel
""")


def test_equal_dense_layers_agree_with_aligned_initialisation(compare_api) -> None:
    result = compare_api.compare(DENSE_TF1, DENSE_TF2)
    assert result.ok, result.to_text()
    rows = rows_by_name(result)
    for name in ("kernel", "out", "data"):
        assert rows[name].ok and rows[name].max_abs_err is not None and rows[name].max_abs_err <= 1e-6, name
    assert rows["kernel"].shape == (4, 3)
    assert np.abs(rows["out"].max_abs_err) <= 1e-6
    assert result.random_draws == {"original": 1, "migrated": 1}
    assert "x" not in rows  # a placeholder on one side, absent on the other: nothing to compare
    assert result.devices == {"original": "CPU", "migrated": "CPU"}
    assert result.timings["original"] > 0 and result.timings["migrated"] > 0
    assert result.timings["overhead"] >= 0 and result.timings["total"] >= result.timings["overhead"]


def test_random_normal_variables_agree(compare_api) -> None:
    result = compare_api.compare(
        "W = tf.Variable(tf.random_normal([20, 5], stddev=0.5))\n"
        "t = tf.Variable(tf.truncated_normal([7], mean=1.0))\n"
        "u = tf.random_uniform([3], -2, 2)\n",
        "W = tf.Variable(tf.random.normal([20, 5], stddev=0.5))\n"
        "t = tf.Variable(tf.random.truncated_normal([7], mean=1.0))\n"
        "u = tf.random.uniform([3], -2, 2)\n",
    )
    assert result.ok, result.to_text()
    rows = rows_by_name(result)
    assert rows["W"].shape == (20, 5) and rows["W"].max_abs_err <= 1e-6
    assert rows["t"].max_abs_err <= 1e-6 and rows["u"].max_abs_err <= 1e-6


def test_state_is_kept_between_calls_like_cells(compare_api) -> None:
    # `sess`, `y`, `dense` and `data` come from the first test's cells on each side.
    result = compare_api.compare("again = sess.run(y, {x: data * 2})\n", "again = dense(data * 2).numpy()\n")
    assert result.ok, result.to_text()
    assert rows_by_name(result)["again"].max_abs_err <= 1e-6


def test_a_changed_constant_is_caught(compare_api) -> None:
    result = compare_api.compare(
        "scale = tf.constant(2.0)\nscaled = sess.run(scale * data)\n",
        "scale = tf.constant(2.5)\nscaled = (scale * data).numpy()\n",
    )
    assert not result.ok
    rows = rows_by_name(result)
    assert not rows["scaled"].ok and rows["scaled"].max_abs_err == pytest.approx(0.5, rel=1e-6)
    assert not rows["scale"].ok  # the constant itself differs too (graph constant, evaluated)


def test_a_dropped_bias_is_caught(compare_api) -> None:
    original = cell("""
        W2 = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        b2 = tf.Variable([0.5, -0.5])
        logits = tf.matmul(tf.constant([[1.0, 1.0]]), W2) + b2
        sess.run(tf.variables_initializer([W2, b2]))
        result = sess.run(logits)
        print(result)
    """)
    wrong = cell("""
        W2 = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        b2 = tf.Variable([0.5, -0.5])
        logits = tf.matmul(tf.constant([[1.0, 1.0]]), W2)
        result = logits.numpy()
        print(result)
    """)
    result = compare_api.compare(original, wrong)
    assert not result.ok
    rows = rows_by_name(result)
    assert not rows["result"].ok and rows["result"].max_abs_err == pytest.approx(0.5)
    assert not rows["<printed>"].ok
    assert rows["W2"].ok and rows["b2"].ok
    right = compare_api.compare(original, wrong.replace("W2)\n", "W2) + b2\n"))
    assert right.ok, right.to_text()


ADAM_TF1 = cell("""
    w = tf.Variable([1.0, -2.0])
    loss = tf.reduce_sum(1e-4 * tf.square(w))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    sess.run(tf.variables_initializer(tf.global_variables()))
    for _ in range(5):
        sess.run(train)
    final = sess.run(w)
""")
ADAM_TF2 = cell("""
    w = tf.Variable([1.0, -2.0])
    opt = tf.keras.optimizers.Adam(0.1{epsilon})
    for _ in range(5):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(1e-4 * tf.square(w))
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    final = w.numpy()
""")


def test_keras_default_adam_epsilon_is_caught(compare_api) -> None:
    wrong = compare_api.compare(ADAM_TF1, ADAM_TF2.format(epsilon=""))
    assert not wrong.ok
    assert not rows_by_name(wrong)["final"].ok
    faithful = compare_api.compare(ADAM_TF1, ADAM_TF2.format(epsilon=", epsilon=1e-8"))
    assert faithful.ok, faithful.to_text()
    rows = rows_by_name(faithful)
    assert rows["final"].ok and rows["w"].ok
    # The TF1 loss tensor is recomputed after training; the eager loss is from the last step.
    assert rows["loss"].ok and "recomputed" in rows["loss"].note


def test_printed_numbers_are_compared(compare_api) -> None:
    result = compare_api.compare("print('loss', sess.run(tf.constant(0.25)))\n",
                                 "print('loss', tf.constant(0.5).numpy())\n")
    assert not result.ok
    printed = rows_by_name(result)["<printed>"]
    assert printed.max_abs_err == pytest.approx(0.25)
    assert result.stdout == {"original": "loss 0.25\n", "migrated": "loss 0.5\n"}


def test_migrated_defaults_to_the_engine_migration(compare_api) -> None:
    from kernel_helpers import migrate

    original = "twice = sess.run(tf.constant([1.0, 2.0]) * 2)\n"
    result = compare_api.compare(original)
    assert result.migrated == migrate(original, level="tf2").source
    assert "migrate" in result.timings


def test_migrated_side_is_tf2_with_keras_3_in_this_process(compare_api) -> None:
    result = compare_api.compare("keras_major = 3\neager = False\n",
                                 "import keras\nkeras_major = int(keras.__version__.split('.')[0])\n"
                                 "eager = not tf.executing_eagerly()\n")
    assert result.ok, result.to_text()
    assert "TF_USE_LEGACY_KERAS" not in os.environ
    from kernel_helpers.compare.local import _module_namespace

    assert _module_namespace["keras_major"] == 3


def test_result_renders_for_any_frontend(compare_api) -> None:
    result = compare_api.compare(DENSE_TF1.replace("dense", "dense_b"), DENSE_TF2.replace("dense", "dense_b"))
    bundle = result._repr_mimebundle_()
    data = json.loads(json.dumps(bundle["application/vnd.tf2-migrate.compare+json"], allow_nan=False))
    assert data["ok"] is True and any(row["name"] == "kernel" for row in data["rows"])
    assert 'class="tf2m-compare-result"' in bundle["text/html"]
    assert 'data-tf2m-ok="false"' not in bundle["text/html"]


def test_a_raising_cell_is_reported_and_the_migration_not_run(compare_api) -> None:
    result = compare_api.compare("boom = 1 / 0\n", "boom = 1 / 0\n")
    assert not result.ok
    assert result.errors["original"] == "ZeroDivisionError: division by zero"
    assert result.errors["migrated"] is None
    assert "not run" in " ".join(result.notes)
    assert "ZeroDivisionError" in result.tracebacks["original"]


def test_a_raising_migration_is_reported(compare_api) -> None:
    result = compare_api.compare("fine = 1.0\n", "fine = undefined_name\n")
    assert not result.ok
    assert result.errors == {"original": None, "migrated": "NameError: name 'undefined_name' is not defined"}
    assert "undefined_name" in result.tracebacks["migrated"]


def test_a_hanging_cell_times_out_and_state_survives(compare_api) -> None:
    result = compare_api.compare("import time\ntime.sleep(60)\n", "pass\n", timeout=2)
    assert not result.ok and "timed out after 2 s" in result.errors["original"]
    after = compare_api.compare("still = sess.run(tf.constant(1.0))\n", "still = 1.0\n")
    assert after.ok, after.to_text()


@pytest.mark.parametrize("killer", ["import os\nos.kill(os.getpid(), 9)\n", "import os\nos.abort()\n"])
def test_a_cell_that_kills_its_process_leaves_this_one_alone(compare_api, killer: str) -> None:
    import tensorflow as tf

    result = compare_api.compare(killer)
    assert not result.ok
    assert "the reference kernel died" in result.errors["original"]
    assert result.errors["migrated"] is None  # never run here: it would have killed this process
    assert float(tf.constant(2.0) * 2) == 4.0
    # The next Compare gets a fresh reference kernel and says that earlier state is gone.
    fresh = compare_api.compare("v = 1\n", "v = 1\n")
    assert fresh.ok and any("started afresh" in note for note in fresh.notes)
    assert fresh.timings["reference_start"] > 0


def test_reset_restarts_the_reference_side(compare_api) -> None:
    compare_api.compare("kept = 5\n", "kept = 5\n")
    compare_api.reset()
    result = compare_api.compare("print(kept)\n", "print(kept)\n")
    assert result.errors["original"] == "NameError: name 'kept' is not defined"
