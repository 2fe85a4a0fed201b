"""TFM211: TF1's defaults of the initializers whose TF 2 namesakes changed them, written out."""

import pytest

from helpers import assert_migrates

CASES = {
    "normal-no-arguments": ("k = tf.random_normal_initializer()\n", "k = tf.random_normal_initializer(stddev=1.0)\n"),
    "normal-mean-only": ("k = tf.random_normal_initializer(0.5)\n",
                         "k = tf.random_normal_initializer(0.5, stddev=1.0)\n"),
    "uniform-no-arguments": ("k = tf.random_uniform_initializer()\n",
                             "k = tf.random_uniform_initializer(minval=0.0, maxval=1.0)\n"),
    "uniform-maxval-none": ("k = tf.random_uniform_initializer(-1, None)\n",
                            "k = tf.random_uniform_initializer(-1, 1.0)\n"),
    "uniform-trailing-comma": ("k = tf.random_uniform_initializer(\n    maxval=2.0,\n)\n",
                               "k = tf.random_uniform_initializer(\n    maxval=2.0, minval=0.0,\n)\n"),
    "tf-initializers-alias": ("k = tf.initializers.random_normal(seed=3)\n",
                              "k = tf.random_normal_initializer(seed=3, stddev=1.0)\n"),
}
NO_OP = {
    "all-given": "k = tf.random_normal_initializer(0.0, 0.1)\n",
    "keras": "k = tf.keras.initializers.RandomNormal()\n",
    "star-args": "k = tf.random_uniform_initializer(*bounds)\n",
}


@pytest.mark.parametrize("level", ["compat", "tf2"])
@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_defaults_are_written_out(before, after, level):
    assert_migrates("import tensorflow as tf\n" + before, "import tensorflow as tf\n" + after, level=level)


@pytest.mark.parametrize("level,after", [("compat", "tf.compat.v1.random_normal_initializer(stddev=1.0)"),
                                         ("tf2", "tf.random_normal_initializer(stddev=1.0)")])
def test_compat_v1_spelling(level, after):
    assert_migrates("import tensorflow as tf\nk = tf.compat.v1.random_normal_initializer()\n",
                    f"import tensorflow as tf\nk = {after}\n", level=level)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates("import tensorflow as tf\n" + source, "import tensorflow as tf\n" + source, level="tf2")


def test_the_written_defaults_give_tf1_distributions_on_tf2():
    tf = pytest.importorskip("tensorflow")
    normal = tf.random_normal_initializer(stddev=1.0)([20000]).numpy()
    uniform = tf.random_uniform_initializer(minval=0.0, maxval=1.0)([20000]).numpy()
    assert abs(normal.std() - 1.0) < 0.05 and tf.random_normal_initializer()([20000]).numpy().std() < 0.1
    assert uniform.min() >= 0.0 and uniform.max() > 0.95
