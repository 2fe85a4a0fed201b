"""TFM017: tf.nn.xw_plus_b becomes the two ops it ran."""

import pytest

from helpers import assert_migrates, migrated


def test_arguments_keep_their_text_and_other_rules_still_apply_inside():
    assert_migrates("import tensorflow as tf\ny = tf.nn.xw_plus_b(tf.to_float(x), w, b)\n",
                    "import tensorflow as tf\ny = tf.nn.bias_add(tf.matmul(tf.cast(x, tf.float32), w), b)\n",
                    level="tf2")


def test_keyword_calls_and_level_compat_keep_the_compat_name():
    source = "import tensorflow as tf\nz = tf.nn.xw_plus_b(x, weights=w, biases=b)\n"
    assert "tf.compat.v1.nn.xw_plus_b(x, weights=w, biases=b)" in migrated(source, level="tf2")
    assert "tf.compat.v1.nn.xw_plus_b(x, w, b)" in migrated("import tensorflow as tf\ny = tf.nn.xw_plus_b(x, w, b)\n")


def test_the_rewrite_computes_what_xw_plus_b_computed():
    tf = pytest.importorskip("tensorflow")
    import numpy as np

    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in ((5, 3), (3, 4), (4,)))
    expected = tf.compat.v1.nn.xw_plus_b(x, w, b).numpy()
    source = migrated("import tensorflow as tf\ny = tf.nn.xw_plus_b(x, w, b)\n", level="tf2")
    namespace = {"x": x, "w": w, "b": b}
    exec(source, namespace)
    assert np.array_equal(namespace["y"].numpy(), expected)
