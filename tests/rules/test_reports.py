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
