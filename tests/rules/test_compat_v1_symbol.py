import pytest

from helpers import assert_migrates

CASES = {
    "placeholder": ("import tensorflow as tf\nx = tf.placeholder(tf.float32)\n",
                    "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n"),
    "session-context": ("import tensorflow as tf\nwith tf.Session() as sess:\n    pass\n",
                        "import tensorflow as tf\nwith tf.compat.v1.Session() as sess:\n    pass\n"),
    "optimizer": ("import tensorflow as tf\nopt = tf.train.AdamOptimizer(0.1)\n",
                  "import tensorflow as tf\nopt = tf.compat.v1.train.AdamOptimizer(0.1)\n"),
    "class-attribute": ("import tensorflow as tf\nk = tf.GraphKeys.TRAINABLE_VARIABLES\n",
                        "import tensorflow as tf\nk = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES\n"),
    "from-import": ("from tensorflow import placeholder, constant\nx = placeholder('float')\n",
                    "from tensorflow.compat.v1 import placeholder\nfrom tensorflow import constant\n"
                    "x = placeholder('float')\n"),
    "aliased-module-import": ("import tensorflow.layers as layers\ny = layers.dense(x, 3)\n",
                              "import tensorflow.compat.v1.layers as layers\ny = layers.dense(x, 3)\n"),
    "attribute-of-successor-class": ("import tensorflow as tf\nit = tf.data.Iterator.from_structure(types, shapes)\n",
                                     "import tensorflow as tf\nit = tf.compat.v1.data.Iterator.from_structure(types, shapes)\n"),
    "legacy-layers": ("import tensorflow as tf\ny = tf.layers.dense(x, 3)\n",
                      "import tensorflow as tf\ny = tf.compat.v1.layers.dense(x, 3)\n"),
    # TF 2's tf.device takes a device name only; TF1's also took a device function
    "device-name-stays": ("import tensorflow as tf\nwith tf.device('/cpu:0'), tf.device('/gpu:%d' % i):\n    pass\n"
                          "with tf.device(f'/gpu:{i}'), tf.device('/job:' + job):\n    pass\n",
                          "import tensorflow as tf\nwith tf.device('/cpu:0'), tf.device('/gpu:%d' % i):\n    pass\n"
                          "with tf.device(f'/gpu:{i}'), tf.device('/job:' + job):\n    pass\n"),
    "device-function-or-name": ("import tensorflow as tf\nwith tf.device(assign_to_cpu), tf.device(name):\n    pass\n",
                                "import tensorflow as tf\nwith tf.compat.v1.device(assign_to_cpu), "
                                "tf.compat.v1.device(name):\n    pass\n"),
    "compat-v1-alias-untouched": ("import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32)\n",
                                  "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32)\n"),
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_compat_v1(before, after):
    assert_migrates(before, after)
