import pytest

from helpers import assert_migrates

CASES = {
    "name": ("import tensorflow as tf\nh = tf.nn.dropout(h, keep_prob=keep)\n",
             "import tensorflow as tf\nh = tf.nn.dropout(h, rate=1 - keep)\n"),
    "literal": ("import tensorflow as tf\nh = tf.nn.dropout(h, keep_prob=0.8)\n",
                "import tensorflow as tf\nh = tf.nn.dropout(h, rate=1 - 0.8)\n"),
    "expression-parenthesised": ("import tensorflow as tf\nh = tf.nn.dropout(h, keep_prob=a + b)\n",
                                 "import tensorflow as tf\nh = tf.nn.dropout(h, rate=1 - (a + b))\n"),
}
NO_OP = {
    "rate-already": "import tensorflow as tf\nh = tf.nn.dropout(h, rate=0.2)\n",
    "keras-dropout": "import tensorflow as tf\nh = tf.keras.layers.Dropout(0.2)(h)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_keep_prob(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source)
