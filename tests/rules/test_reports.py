"""Rules that only report: TFM004, TFM021, TFM098, TFM099, TFM901."""

import pytest

from helpers import assert_migrates, codes

REPORTED = {
    "removed-module": ("TFM098", "from tensorflow.examples.tutorials.mnist import input_data\n"),
    "estimator": ("TFM098", "import tensorflow as tf\ne = tf.estimator.DNNClassifier([10], feature_columns=c)\n"),
    "unknown-symbol": ("TFM099", "import tensorflow as tf\ny = tf.nn.no_such_op(x)\n"),
    "logging": ("TFM021", "import tensorflow as tf\ntf.logging.info('x')\n"),
    "flags": ("TFM021", "import tensorflow as tf\nFLAGS = tf.app.flags.FLAGS\n"),
    "private": ("TFM901", "from tensorflow.python.framework import ops\n"),
}


@pytest.mark.parametrize("code,source", REPORTED.values(), ids=REPORTED.keys())
def test_reported(code, source):
    assert code in codes(source)


def test_unknown_symbol_is_not_rewritten():
    source = "import tensorflow as tf\ny = tf.nn.no_such_op(x)\n"
    assert_migrates(source, source)


def test_known_symbols_are_not_reported_unknown():
    source = "import tensorflow as tf\ny = tf.nn.relu(tf.matmul(a, b)) + tf.float32.max\nz = tf.keras.layers.Dense(3)\n"
    assert "TFM099" not in codes(source)


# Found by the parity run on real TF1 notebooks: each of these produced code that failed at run time.

def test_manual_contrib_entry_is_not_applied_as_a_rename():
    source = "import tensorflow as tf\ny = tf.contrib.layers.batch_norm(x, decay=0.9, is_training=True)\n"
    assert_migrates(source, source)
    assert "TFM900" in codes(source)


def test_member_below_a_manual_contrib_entry_is_kept():
    source = "from tensorflow.contrib import learn\nv = learn.preprocessing.VocabularyProcessor.restore('vocab')\n"
    assert_migrates(source, source)


def test_tf1_only_keyword_keeps_the_tf1_function():
    assert_migrates("import tensorflow as tf\ni = tf.random_normal_initializer(stddev=1.0, dtype=tf.float32)\n",
                    "import tensorflow as tf\ni = tf.compat.v1.random_normal_initializer(stddev=1.0, dtype=tf.float32)\n")
    assert_migrates("import tensorflow as tf\nk = tf.name_scope(None, 'default', [x])\n",
                    "import tensorflow as tf\nk = tf.compat.v1.name_scope(None, default_name='default', values=[x])\n")


def test_tf1_only_keyword_call_is_not_moved_back_at_tf2_level():
    source = "import tensorflow as tf\ni = tf.compat.v1.random_normal_initializer(stddev=1.0, dtype=tf.float32)\n"
    assert_migrates(source, source, level="tf2")
    assert "TFM004" in codes(source, level="tf2")


def test_positional_softmax_cross_entropy_beyond_tf0s_two_arguments_is_reported():
    # Two positional arguments are TF 0.x's (logits, labels), named by TFM030; a third (TF 0.x's dim) is left.
    source = "import tensorflow as tf\ncost = tf.nn.softmax_cross_entropy_with_logits(pred, y, 1)\n"
    assert_migrates(source, source)
    assert "TFM012" in codes(source)
