import pytest

from helpers import assert_migrates, codes

CASES = {
    "dropout-positional": ("import tensorflow as tf\ny = tf.nn.dropout(x, 0.5, None, 7)\n",
                           "import tensorflow as tf\ny = tf.nn.dropout(x, rate=1 - 0.5, noise_shape=None, seed=7)\n"),
}
NO_OP = {
    "first-argument-only": "import tensorflow as tf\ny = tf.nn.dropout(x, rate=0.5)\n",
    "keywords-already": "import tensorflow as tf\ny = tf.nn.dropout(x, rate=0.5, seed=1)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_positional_to_keyword(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source)


def test_star_args_reported_not_rewritten():
    source = "import tensorflow as tf\ny = tf.nn.dropout(x, *args)\n"
    assert_migrates(source, source)
    assert "TFM003" in codes(source)
