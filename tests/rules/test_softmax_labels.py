import pytest

from helpers import assert_migrates

CASES = {
    "keywords": ("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y)\n",
                 "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y_), logits=y)\n"),
    "dim-renamed": ("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=a, logits=b, dim=1)\n",
                    "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(a), logits=b, axis=1)\n"),
}
NO_OP = {
    "v2-already-wrapped": "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(a), logits=b)\n",
    "sparse": "import tensorflow as tf\nl = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=a, logits=b)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_labels_wrapped(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source)


def test_v2_variant_keeps_its_unambiguous_compat_name():
    # Renamed to the TF 2 name, the call would read as TF1's function on the next run and get its labels
    # wrapped; tf.compat.v1's name for it means one thing in both.
    assert_migrates("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits_v2(labels=a, logits=b)\n",
                    "import tensorflow as tf\nl = tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(labels=a, logits=b)\n")
