"""TFM104: tf.enable_eager_execution() goes at level tf2 (TF 2 starts eager)."""

import pytest

from helpers import assert_migrates, migrated

CASES = {
    "statement": ("import tensorflow as tf\ntf.enable_eager_execution()\nx = tf.constant(2.0)\n",
                  "import tensorflow as tf\nx = tf.constant(2.0)\n"),
    "alone-in-a-block": ("import tensorflow as tf\nif eager:\n    tf.enable_eager_execution()\nx = 1\n",
                         "import tensorflow as tf\nif eager:\n    pass\nx = 1\n"),
    "contrib-alias": ("import tensorflow.contrib.eager as tfe\ntfe.enable_eager_execution()\nv = 1\n",
                      "import tensorflow.contrib.eager as tfe\nv = 1\n"),
    "sharing-a-line-is-left-to-the-rename": ("import tensorflow as tf\ntf.enable_eager_execution(); x = 1\n",
                                             "import tensorflow as tf\ntf.compat.v1.enable_eager_execution(); x = 1\n"),
    "inside-an-expression-is-left-to-the-rename": ("import tensorflow as tf\nok = tf.enable_eager_execution()\n",
                                                   "import tensorflow as tf\nok = tf.compat.v1.enable_eager_execution()\n"),
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_tf2(before, after):
    assert_migrates(before, after, level="tf2")


def test_compat_keeps_the_call():
    source = "import tensorflow as tf\ntf.enable_eager_execution()\n"
    assert migrated(source) == "import tensorflow as tf\ntf.compat.v1.enable_eager_execution()\n"
