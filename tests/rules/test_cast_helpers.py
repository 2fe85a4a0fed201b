import pytest

from helpers import assert_migrates

CASES = {
    "to-float": ("import tensorflow as tf\na = tf.to_float(c)\n", "import tensorflow as tf\na = tf.cast(c, tf.float32)\n"),
    "to-int64-with-name": ("import tensorflow as tf\na = tf.to_int64(c, name='n')\n",
                           "import tensorflow as tf\na = tf.cast(c, tf.int64, name='n')\n"),
    "keyword-x": ("import tensorflow as tf\na = tf.to_double(x=c)\n",
                  "import tensorflow as tf\na = tf.cast(x=c, dtype=tf.float64)\n"),
    "nested": ("import tensorflow as tf\na = tf.reduce_mean(tf.to_float(tf.equal(p, q)))\n",
               "import tensorflow as tf\na = tf.reduce_mean(tf.cast(tf.equal(p, q), tf.float32))\n"),
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_casts(before, after):
    assert_migrates(before, after)


def test_no_op_on_cast():
    source = "import tensorflow as tf\na = tf.cast(c, tf.float32)\n"
    assert_migrates(source, source)
