"""TFM015, TFM016, TFM020 and TFM900: tf.contrib's successors, special cases and dead ends."""

import pytest

from helpers import assert_migrates, codes
from kernel_helpers import migrate

SUCCESSORS = {
    "slim-import": ("import tensorflow as tf\nimport tensorflow.contrib.slim as slim\nnet = slim.fully_connected(x, 10)\n",
                    "import tensorflow as tf\nimport tf_slim as slim\nnet = slim.fully_connected(x, 10)\n"),
    "slim-from-import": ("from tensorflow.contrib import slim\nnet = slim.conv2d(x, 8, [3, 3])\n",
                         "import tf_slim as slim\nnet = slim.conv2d(x, 8, [3, 3])\n"),
    "layers-use": ("import tensorflow as tf\nnet = tf.contrib.layers.fully_connected(x, 10)\n",
                   "import tensorflow as tf\nimport tf_slim\nnet = tf_slim.layers.fully_connected(x, 10)\n"),
    "rnn-cell": ("import tensorflow as tf\ncell = tf.contrib.rnn.BasicLSTMCell(32)\n",
                 "import tensorflow as tf\ncell = tf.compat.v1.nn.rnn_cell.BasicLSTMCell(32)\n"),
}
SPECIAL = {
    "xavier-default": ("import tensorflow as tf\ni = tf.contrib.layers.xavier_initializer()\n",
                       "import tensorflow as tf\ni = tf.compat.v1.glorot_uniform_initializer()\n"),
    "xavier-seed": ("import tensorflow as tf\ni = tf.contrib.layers.xavier_initializer(seed=3)\n",
                    "import tensorflow as tf\ni = tf.compat.v1.glorot_uniform_initializer(seed=3)\n"),
    "l2": ("import tensorflow as tf\nr = tf.contrib.layers.l2_regularizer(scale=0.1)\n",
           "import tensorflow as tf\nr = tf.keras.regularizers.l2(0.5 * 0.1)\n"),
    "l2-expression": ("import tensorflow as tf\nr = tf.contrib.layers.l2_regularizer(a + b)\n",
                      "import tensorflow as tf\nr = tf.keras.regularizers.l2(0.5 * (a + b))\n"),
    "l1": ("import tensorflow as tf\nr = tf.contrib.layers.l1_regularizer(0.1)\n",
           "import tensorflow as tf\nr = tf.keras.regularizers.l1(0.1)\n"),
}


@pytest.mark.parametrize("before,after", SUCCESSORS.values(), ids=SUCCESSORS.keys())
def test_successors(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("before,after", SPECIAL.values(), ids=SPECIAL.keys())
def test_special_cases(before, after):
    assert_migrates(before, after)


def test_xavier_normal_is_unsafe():
    source = "import tensorflow as tf\ni = tf.contrib.layers.xavier_initializer(uniform=False)\n"
    assert_migrates(source, source.replace("tf.contrib.layers.xavier_initializer(uniform=False)",
                                           "tf.compat.v1.glorot_normal_initializer()"), unsafe=True)


def test_no_successor_is_reported_and_kept():
    source = "import tensorflow as tf\nd = tf.contrib.distributions.Normal(0.0, 1.0)\n"
    assert_migrates(source, source)
    assert "TFM900" in codes(source)


@pytest.mark.parametrize("call", ["tf.contrib.layers.xavier_initializer(uniform=False)",
                                  "tf.contrib.layers.xavier_initializer(False)",
                                  "tf.contrib.layers.xavier_initializer(uniform=flag)"])
def test_xavier_with_another_variant_is_not_renamed_to_glorot_uniform(call):
    # GlorotUniform(uniform=False) would raise: the variant is a person's choice (TFM015 proposes one, unsafe).
    result = migrate(f"import tensorflow as tf\nk = {call}\n", level="tf2")
    assert "GlorotUniform" not in result.source
    assert any(f.code == "TFM020" and f.applicability.value == "manual" for f in result.remaining)


@pytest.mark.parametrize("source, code", [
    # TFM016 replaces the call: "removed, replace it by hand" would contradict the fix
    ("import tensorflow as tf\nr = tf.contrib.layers.l2_regularizer(1e-3)\n", "TFM016"),
    # the import moves to tf_slim (TFM020), so its uses are tf_slim's, not removed names
    ("import tensorflow.contrib.slim as slim\nnet = slim.fully_connected(x, 10)\n", "TFM020"),
])
def test_a_name_a_fix_replaces_is_not_also_reported_as_removed(source, code):
    assert codes(source) == [code]


def test_a_removed_name_no_fix_replaces_is_still_reported():
    found = codes("import tensorflow as tf\nm = tf.contrib.factorization.KMeans(x, 3)\n"
                  "r = tf.contrib.layers.l2_regularizer(1e-3)\n")
    assert "TFM900" in found and "TFM016" in found
