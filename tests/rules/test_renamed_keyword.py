import pytest

from helpers import assert_migrates

CASES = {
    "reduction-indices": ("import tensorflow as tf\ns = tf.reduce_sum(x, reduction_indices=[1])\n",
                          "import tensorflow as tf\ns = tf.reduce_sum(x, axis=[1])\n"),
    "keep-dims": ("import tensorflow as tf\ns = tf.reduce_mean(x, 1, keep_dims=True)\n",
                  "import tensorflow as tf\ns = tf.reduce_mean(x, 1, keepdims=True)\n"),
    "argmax-dimension": ("import tensorflow as tf\ni = tf.argmax(y, dimension=1)\n",
                         "import tensorflow as tf\ni = tf.argmax(y, axis=1)\n"),
    "from-import": ("from tensorflow import reduce_sum\ns = reduce_sum(x, keep_dims=True)\n",
                    "from tensorflow import reduce_sum\ns = reduce_sum(x, keepdims=True)\n"),
}
NO_OP = {
    "already-new": "import tensorflow as tf\ns = tf.reduce_sum(x, axis=1, keepdims=True)\n",
    "not-tensorflow": "import numpy as np\ns = np.sum(x, keep_dims=True)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_keyword_renames(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source)
