"""Level-tf2 rules that need no notebook-wide lifting: TFM006, TFM310, TFM502."""

import pytest

from helpers import assert_migrates, codes

CASES = {
    "compat-log": ("import tensorflow as tf\ny = tf.compat.v1.log(x)\n", "import tensorflow as tf\ny = tf.math.log(x)\n"),
    "compat-successor-keywords": ("import tensorflow as tf\ns = tf.compat.v1.reduce_mean(x, reduction_indices=1)\n",
                                  "import tensorflow as tf\ns = tf.reduce_mean(x, axis=1)\n"),
    "tf1-straight-to-tf2": ("import tensorflow as tf\ni = tf.compat.v1.arg_max(y, 1)\n",
                            "import tensorflow as tf\ni = tf.math.argmax(y, 1)\n"),
    "keras-lr": ("import tensorflow as tf\nopt = tf.keras.optimizers.SGD(lr=0.1, momentum=0.9)\n",
                 "import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)\n"),
    "keras-lr-from-import": ("from tensorflow.keras.optimizers import Adam\nopt = Adam(lr=1e-3)\n",
                             "from tensorflow.keras.optimizers import Adam\nopt = Adam(learning_rate=1e-3)\n"),
    "py-func": ("import tensorflow as tf\ny = tf.py_func(f, [x], tf.float32)\n",
                "import tensorflow as tf\ny = tf.numpy_function(f, [x], tf.float32)\n"),
    "compat-py-func": ("import tensorflow as tf\ny = tf.compat.v1.py_func(f, [x], tf.float32)\n",
                       "import tensorflow as tf\ny = tf.numpy_function(f, [x], tf.float32)\n"),
}
NO_OP = {
    "keras-learning-rate": "import tensorflow as tf\nopt = tf.keras.optimizers.Adam(learning_rate=0.1)\n",
    "not-keras-lr": "import tensorflow as tf\nopt = make_optimizer(lr=0.1)\n",
    "py-func-stateless": "import tensorflow as tf\ny = tf.compat.v1.py_func(f, [x], tf.float32, stateful=False)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_tf2_rules(before, after):
    assert_migrates(before, after, level="tf2")


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source, level="tf2")


def test_tf2_rules_do_not_run_at_compat_level():
    source = "import tensorflow as tf\ny = tf.compat.v1.log(x)\nopt = tf.keras.optimizers.Adam(lr=0.1)\n"
    assert_migrates(source, source, level="compat")


def test_keras_decay_is_reported():
    assert "TFM310" in codes("import tensorflow as tf\nopt = tf.keras.optimizers.SGD(0.1, decay=1e-4)\n", level="tf2")


def test_compat_names_without_tf2_home_are_left_to_other_rules():
    assert "TFM006" not in codes("import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n", level="tf2")


LOGGING = {
    "info": ("import tensorflow as tf\ntf.logging.info('x %d', 1)\n",
             "import tensorflow as tf\nimport absl.logging\nabsl.logging.info('x %d', 1)\n"),
    "compat-and-level": ("import tensorflow as tf\ntf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.WARN)\n",
                         "import tensorflow as tf\nimport absl.logging\nabsl.logging.set_verbosity(absl.logging.WARN)\n"),
    "existing-alias": ("import tensorflow as tf\nfrom absl import logging as log\ntf.logging.warning('w')\n",
                       "import tensorflow as tf\nfrom absl import logging as log\nlog.warning('w')\n"),
}


@pytest.mark.parametrize("before,after", LOGGING.values(), ids=LOGGING.keys())
def test_logging_to_absl(before, after):
    assert_migrates(before, after, level="tf2")


def test_python_logging_is_not_touched():
    source = "import logging\nimport tensorflow as tf\nlogging.info('x')\n"
    assert_migrates(source, source, level="tf2")


def test_logging_names_absl_lacks_stay():
    assert "TFM503" not in codes("import tensorflow as tf\nv = tf.logging.TaskLevelStatusMessage('x')\n", level="tf2")
