"""TFM410: the TF1 tutorials' MNIST import points at tf2-migrate's offline loader."""

import subprocess
import sys

import pytest

from helpers import assert_migrates, codes

CASES = {
    "from-package": ("from tensorflow.examples.tutorials.mnist import input_data\n",
                     "from kernel_helpers.runtime import datasets as input_data\n"),
    "aliased": ("from tensorflow.examples.tutorials.mnist import input_data as mnist_data\n",
                "from kernel_helpers.runtime import datasets as mnist_data\n"),
    "module-alias": ("import tensorflow.examples.tutorials.mnist.input_data as input_data\n",
                     "from kernel_helpers.runtime import datasets as input_data\n"),
    "function": ("from tensorflow.examples.tutorials.mnist.input_data import read_data_sets\n",
                 "from kernel_helpers.runtime.datasets import read_data_sets\n"),
}
NO_OP = {
    "keras-datasets": "import tensorflow as tf\n(x, y), _ = tf.keras.datasets.mnist.load_data()\n",
    "other-examples-module": "from tensorflow.examples.tutorials.word2vec import word2vec_basic\n",
    "plain-import-without-alias": "import tensorflow.examples.tutorials.mnist.input_data\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_mnist_import(before, after):
    assert_migrates(before, after, level="tf2")


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert "TFM410" not in codes(source, level="tf2")


def test_compat_level_leaves_the_import():
    source = "from tensorflow.examples.tutorials.mnist import input_data\n"
    assert_migrates(source, source, level="compat")


def test_the_migrated_import_gives_the_tutorial_api_without_tensorflow(tmp_path):
    # The replacement must really provide read_data_sets/next_batch, offline, in a plain interpreter.
    code = ("from kernel_helpers.runtime import datasets as input_data\n"
            "import warnings\nwarnings.simplefilter('ignore')\n"
            f"mnist = input_data.read_data_sets({str(tmp_path)!r}, one_hot=True)\n"
            "xs, ys = mnist.train.next_batch(10)\n"
            "print(xs.shape, ys.shape, mnist.test.images.shape[1], 'tensorflow' in __import__('sys').modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[:4] == ["(10,", "784)", "(10,", "10)"]
    assert out.split()[-2:] == ["784", "False"]
