import pytest

from helpers import assert_migrates, codes

CASES = {
    "attribute": ("import tensorflow as tf\ny = tf.log(x)\n", "import tensorflow as tf\ny = tf.math.log(x)\n"),
    "other-alias": ("import tensorflow as T\ny = T.log(x)\n", "import tensorflow as T\ny = T.math.log(x)\n"),
    "unaliased": ("import tensorflow\ny = tensorflow.log(x)\n", "import tensorflow\ny = tensorflow.math.log(x)\n"),
    "random-normal": ("import tensorflow as tf\nw = tf.random_normal([3])\n",
                      "import tensorflow as tf\nw = tf.random.normal([3])\n"),
    "from-import-rewritten-at-import": (
        "from tensorflow import log\ny = log(x)\n", "from tensorflow.math import log\ny = log(x)\n"),
    "from-import-module-member": (
        "from tensorflow import nn\ng = nn.depthwise_conv2d_native_backprop_filter(x, s, o, [1, 1, 1, 1], 'SAME')\n",
        "from tensorflow import nn\ng = nn.depthwise_conv2d_backprop_filter(x, s, o, [1, 1, 1, 1], 'SAME')\n"),
    "gfile-curated": ("import tensorflow as tf\nif not tf.gfile.Exists(filename=d):\n    tf.gfile.MakeDirs(d)\n",
                      "import tensorflow as tf\nif not tf.io.gfile.exists(path=d):\n    tf.io.gfile.makedirs(d)\n"),
    "arg-max-curated": ("import tensorflow as tf\ni = tf.arg_max(y, dimension=1)\n",
                        "import tensorflow as tf\ni = tf.math.argmax(y, axis=1)\n"),
    "nested-in-function": ("import tensorflow as tf\ndef f(x):\n    return tf.log(x)\n",
                           "import tensorflow as tf\ndef f(x):\n    return tf.math.log(x)\n"),
    "keeps-comments-and-spacing": ("import tensorflow as tf\ny = tf.log( x )  # natural log\n",
                                   "import tensorflow as tf\ny = tf.math.log( x )  # natural log\n"),
}

NO_OP = {
    "numpy-log": "import numpy as np\ny = np.log(x)\n",
    "shadowed-by-parameter": "import tensorflow as tf\ndef f(tf):\n    return tf.log(x)\n",
    "rebound-name": "import tensorflow as tf\ntf = Something()\ny = tf.log(x)\n",
    "already-tf2": "import tensorflow as tf\ny = tf.math.log(x)\n",
    "string-mention": "import tensorflow as tf\ns = 'tf.log(x)'\n",
    "no-tensorflow": "def log(x):\n    return x\ny = log(3)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_renames(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source)
    assert "TFM001" not in codes(source)


def test_every_target_is_a_fixed_point():
    """No TF1 name moves to a TF 2 name that TF1 code would read as something else (it would move again)."""
    from kernel_helpers.api import tables
    from kernel_helpers.engine.rewrite import v1_target

    cycles = []
    for name in tables().v1_names():
        target = v1_target(name)
        if target and target.startswith("tensorflow.") and not target.startswith("tensorflow.compat."):
            api = target[len("tensorflow."):]
            again = v1_target(api)
            # a TF 2-only name (tf.random.set_seed) is no TF1 name at all: the engine leaves it alone
            if again != target and not (again is None and tables().in_v2(api)):
                cycles.append((name, target, again))
    assert cycles == []


def test_ambiguous_successor_keeps_compat_name():
    assert_migrates("import tensorflow as tf\nm = tf.saved_model.load_v2(path)\n",
                    "import tensorflow as tf\nm = tf.compat.v1.saved_model.load_v2(path)\n")


TF0 = {
    "mul": ("import tensorflow as tf\nz = tf.mul(x, y)\n", "import tensorflow as tf\nz = tf.multiply(x, y)\n"),
    "pack": ("import tensorflow as tf\nz = tf.pack([x, y], 1)\n", "import tensorflow as tf\nz = tf.stack([x, y], 1)\n"),
    "summary-writer": ("import tensorflow as tf\nw = tf.train.SummaryWriter(d, g)\n",
                       "import tensorflow as tf\nw = tf.compat.v1.summary.FileWriter(d, g)\n"),
    "merge-all": ("import tensorflow as tf\nm = tf.merge_all_summaries()\n",
                  "import tensorflow as tf\nm = tf.compat.v1.summary.merge_all()\n"),
}


@pytest.mark.parametrize("before,after", TF0.values(), ids=TF0.keys())
def test_tf0_names(before, after):
    assert_migrates(before, after)


TF0_ORDER = {
    "concat": ("import tensorflow as tf\nh = tf.concat(1, [a, b])\n", "import tensorflow as tf\nh = tf.concat([a, b], 1)\n"),
    "concat-negative-axis": ("import tensorflow as tf\nh = tf.concat(-1, outputs)\n",
                             "import tensorflow as tf\nh = tf.concat(outputs, -1)\n"),
    "split": ("import tensorflow as tf\np = tf.split(1, 2, x)\n", "import tensorflow as tf\np = tf.split(x, 2, 1)\n"),
    # TF 1 refused positional arguments to the cross-entropy losses; TF 2 would read TF 0.x's (logits, labels) as
    # (labels, logits) and train on the wrong loss. (The softmax one's labels then stop the gradient, TFM012.)
    "softmax-cross-entropy": (
        "import tensorflow as tf\ncost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(pred, y))\n",
        "import tensorflow as tf\n"
        "cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=pred))\n"),
    "sparse-softmax-cross-entropy": (
        "import tensorflow as tf\nc = tf.nn.sparse_softmax_cross_entropy_with_logits(logits, labels)\n",
        "import tensorflow as tf\nc = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)\n"),
    "sigmoid-cross-entropy": (
        "import tensorflow as tf\nc = tf.nn.sigmoid_cross_entropy_with_logits(d_logits, tf.ones_like(d_logits))\n",
        "import tensorflow as tf\n"
        "c = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(d_logits), logits=d_logits)\n"),
}
TF0_ORDER_NO_OP = {
    "tf1-concat": "import tensorflow as tf\nh = tf.concat([a, b], 1)\n",
    "tf1-concat-axis-name": "import tensorflow as tf\nh = tf.concat(values, axis)\n",
    "tf1-split": "import tensorflow as tf\np = tf.split(x, 2, 1)\n",
    "tf1-split-keywords": "import tensorflow as tf\np = tf.split(x, num_or_size_splits=2, axis=1)\n",
    "tf1-sigmoid-keywords": "import tensorflow as tf\nc = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)\n",
    # A third positional argument (TF 0.x's dim or name) is left for the user, with TFM012's manual note on softmax.
    "tf0-sparse-with-a-name": "import tensorflow as tf\nc = tf.nn.sparse_softmax_cross_entropy_with_logits(z, y, 'xent')\n",
}


@pytest.mark.parametrize("before,after", TF0_ORDER.values(), ids=TF0_ORDER.keys())
def test_tf0_argument_order(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", TF0_ORDER_NO_OP.values(), ids=TF0_ORDER_NO_OP.keys())
def test_tf1_argument_order_is_kept(source):
    assert_migrates(source, source)


SAMPLED_TF0 = "import tensorflow as tf\nl = tf.nn.nce_loss(w, b, embed, train_labels, 64, vocab)\n"


def test_sampled_losses_in_tf0_order_get_an_unsafe_keyword_fix():
    # Safe fixes leave it; the unsafe one names both, in the order the names say.
    assert_migrates(SAMPLED_TF0, SAMPLED_TF0)
    assert_migrates(SAMPLED_TF0, "import tensorflow as tf\nl = tf.nn.nce_loss(w, b, labels=train_labels, "
                    "inputs=embed, num_sampled=64, num_classes=vocab)\n", unsafe=True)
    assert "TFM030" in codes(SAMPLED_TF0)


@pytest.mark.parametrize("source", [
    "import tensorflow as tf\nl = tf.nn.nce_loss(w, b, train_labels, embed, 64, vocab)\n",    # TF1 order
    "import tensorflow as tf\nl = tf.nn.sampled_softmax_loss(w, b, y, x, 64, vocab)\n",       # names say nothing
    "import tensorflow as tf\nl = tf.nn.nce_loss(w, b, inputs=embed, labels=y, num_sampled=64, num_classes=9)\n",
])
def test_sampled_losses_the_names_do_not_show_as_tf0_are_left_alone(source):
    assert "TFM030" not in codes(source)
    assert_migrates(source, source, unsafe=True)
