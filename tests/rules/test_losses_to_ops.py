"""TFM320 losses-to-ops: tf.losses.* rewritten to plain TF 2 ops with TF1's reduction."""

import zlib

import numpy as np
import pytest
from helpers import assert_migrates, dedent, migrated

from kernel_helpers import analyze

CASES = {
    "softmax-keywords": (
        "import tensorflow as tf\nl = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=z)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))\n"),
    "softmax-positional": (
        "import tensorflow as tf\nl = tf.losses.softmax_cross_entropy(y, z)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))\n"),
    "softmax-keywords-reversed": (
        "import tensorflow as tf\nl = tf.losses.softmax_cross_entropy(logits=z, onehot_labels=y)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))\n"),
    "softmax-labels-already-stopped": (
        "import tensorflow as tf\nl = tf.losses.softmax_cross_entropy(tf.stop_gradient(y), z)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))\n"),
    "sparse-keywords": (
        "import tensorflow as tf\nl = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=z)\n",
        "import tensorflow as tf\nl = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z))\n"),
    "sparse-positional-expression": (
        "import tensorflow as tf\nl = tf.losses.sparse_softmax_cross_entropy(tf.argmax(y, 1), net(x))\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.argmax(y, 1), logits=net(x)))\n"),
    "sigmoid-name-logits": (
        "import tensorflow as tf\nl = tf.losses.sigmoid_cross_entropy(multi_class_labels=y, logits=z)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(y, z.dtype), logits=z))\n"),
    "sigmoid-attribute-logits": (
        "import tensorflow as tf\nl = tf.losses.sigmoid_cross_entropy(y, self.logits)\n",
        "import tensorflow as tf\nl = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits("
        "labels=tf.cast(y, self.logits.dtype), logits=self.logits))\n"),
    "sigmoid-expression-logits": (
        "import tensorflow as tf\nl = tf.losses.sigmoid_cross_entropy(y, net(x))\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(y, tf.float32), logits=net(x)))\n"),
    "mse-positional": (
        "import tensorflow as tf\nl = tf.losses.mean_squared_error(y, p)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.math.squared_difference(tf.cast(p, tf.float32), tf.cast(y, tf.float32)))\n"),
    "mse-keywords": (
        "import tensorflow as tf\nl = tf.losses.mean_squared_error(predictions=p, labels=y)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.math.squared_difference(tf.cast(p, tf.float32), tf.cast(y, tf.float32)))\n"),
    "absolute-difference": (
        "import tensorflow as tf\nl = tf.losses.absolute_difference(labels=y, predictions=a + b)\n",
        "import tensorflow as tf\nl = tf.reduce_mean(tf.abs(tf.cast(a + b, tf.float32) - tf.cast(y, tf.float32)))\n"),
    "hinge": (
        "import tensorflow as tf\nl = tf.losses.hinge_loss(y, z)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.relu(1.0 - (2.0 * tf.cast(y, tf.float32) - 1.0) * tf.cast(z, tf.float32)))\n"),
    "alias": (
        "import tensorflow as tf1\nl = tf1.losses.mean_squared_error(y, p)\n",
        "import tensorflow as tf1\n"
        "l = tf1.reduce_mean(tf1.math.squared_difference(tf1.cast(p, tf1.float32), tf1.cast(y, tf1.float32)))\n"),
    "compat-v1-spelled-out": (
        "import tensorflow as tf\nl = tf.compat.v1.losses.sparse_softmax_cross_entropy(y, z)\n",
        "import tensorflow as tf\nl = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z))\n"),
    "compat-v1-module-alias": (
        # `tf` is tensorflow.compat.v1 here: its nn.softmax_cross_entropy_with_logits is TF1's, which with the
        # labels' gradient stopped is the same function as TF 2's
        "import tensorflow.compat.v1 as tf\nl = tf.losses.softmax_cross_entropy(y, z)\n",
        "import tensorflow.compat.v1 as tf\n"
        "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))\n"),
    "losses-module-imported": (
        "from tensorflow.compat.v1 import losses\nl = losses.hinge_loss(y, z)\n",
        "from tensorflow.compat.v1 import losses\nimport tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.relu(1.0 - (2.0 * tf.cast(y, tf.float32) - 1.0) * tf.cast(z, tf.float32)))\n"),
    "scope-and-collection-dropped": (
        "import tensorflow as tf\nl = tf.losses.sparse_softmax_cross_entropy(y, z, scope='loss', loss_collection=None)\n",
        "import tensorflow as tf\nl = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z))\n"),
    "spelled-out-defaults-dropped": (
        "import tensorflow as tf\nl = tf.losses.sigmoid_cross_entropy(y, z, 1.0, 0, 'xent')\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(y, z.dtype), logits=z))\n"),
    "smoothing-zero-keyword": (
        "import tensorflow as tf\nl = tf.losses.softmax_cross_entropy(y, z, weights=1, label_smoothing=0.0)\n",
        "import tensorflow as tf\n"
        "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))\n"),
    "inner-fix-too": (
        "import tensorflow as tf\nl = tf.losses.mean_squared_error(tf.to_float(y), p)\n",
        "import tensorflow as tf\nl = tf.reduce_mean(tf.math.squared_difference("
        "tf.cast(p, tf.float32), tf.cast(tf.cast(y, tf.float32), tf.float32)))\n"),
    "multi-line-in-function": (
        """\
        import tensorflow as tf
        def loss_fn(y, z):
            return tf.losses.softmax_cross_entropy(
                onehot_labels=y,
                logits=z)
        """,
        """\
        import tensorflow as tf
        def loss_fn(y, z):
            return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))
        """),
}

NO_OP = {
    "keras-function": "import tensorflow as tf\nl = tf.keras.losses.categorical_crossentropy(y, z, from_logits=True)\n",
    "keras-class": "import tensorflow as tf\nloss_fn = tf.keras.losses.MeanSquaredError()\n",
    "keras-module-imported": "from tensorflow.keras import losses\nl = losses.categorical_crossentropy(y, z)\n",
    "user-losses": "import tensorflow as tf\nlosses = Registry()\nl = losses.mean_squared_error(y, p)\n",
    "user-function-named-losses": "import tensorflow as tf\ndef losses():\n    pass\nl = losses.softmax_cross_entropy(y, z)\n",
}

#: calls reported for a manual fix: (source, what the compat level alone makes of it)
MANUAL = {
    "weights": ("l = tf.losses.softmax_cross_entropy(y, z, weights=w)\n",
                "l = tf.compat.v1.losses.softmax_cross_entropy(y, z, weights=w)\n"),
    "positional-weights": ("l = tf.losses.mean_squared_error(y, p, w)\n",
                           "l = tf.compat.v1.losses.mean_squared_error(y, p, w)\n"),
    "label-smoothing": ("l = tf.losses.softmax_cross_entropy(y, z, label_smoothing=0.1)\n",
                        "l = tf.compat.v1.losses.softmax_cross_entropy(y, z, label_smoothing=0.1)\n"),
    "reduction": ("l = tf.losses.mean_squared_error(y, p, reduction=tf.losses.Reduction.SUM)\n",
                  "l = tf.compat.v1.losses.mean_squared_error(y, p, reduction=tf.compat.v1.losses.Reduction.SUM)\n"),
    "kwargs": ("l = tf.losses.mean_squared_error(y, p, **options)\n",
               "l = tf.compat.v1.losses.mean_squared_error(y, p, **options)\n"),
    "keyword-of-another-loss": ("l = tf.losses.mean_squared_error(y, p, label_smoothing=0)\n",
                                "l = tf.compat.v1.losses.mean_squared_error(y, p, label_smoothing=0)\n"),
    "huber": ("l = tf.losses.huber_loss(y, p)\n", "l = tf.compat.v1.losses.huber_loss(y, p)\n"),
    "log-loss": ("l = tf.losses.log_loss(y, p)\n", "l = tf.compat.v1.losses.log_loss(y, p)\n"),
    "value-unused": ("tf.losses.softmax_cross_entropy(y, z)\n", "tf.compat.v1.losses.softmax_cross_entropy(y, z)\n"),
    "total-loss": ("l = tf.losses.get_total_loss()\n", "l = tf.compat.v1.losses.get_total_loss()\n"),
    "regularization-loss": ("r = tf.losses.get_regularization_loss()\n",
                            "r = tf.compat.v1.losses.get_regularization_loss()\n"),
    "add-loss": ("tf.compat.v1.losses.add_loss(l)\n", "tf.compat.v1.losses.add_loss(l)\n"),
    "get-losses": ("ls = tf.losses.get_losses()\n", "ls = tf.compat.v1.losses.get_losses()\n"),
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_rewritten(before, after):
    assert_migrates(before, after, level="tf2")


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source, level="tf2")
    assert "TFM320" not in {f.code for f in analyze(dedent(source), level="tf2")}


@pytest.mark.parametrize("body,after", MANUAL.values(), ids=MANUAL.keys())
def test_reported_not_rewritten(body, after):
    source = "import tensorflow as tf\n" + body
    ours = [f for f in analyze(source, level="tf2") if f.code == "TFM320"]
    assert [f.applicability.value for f in ours] == ["manual"]
    assert ours[0].fix is None
    assert_migrates(source, "import tensorflow as tf\n" + after, level="tf2")


def test_cell_reading_the_collection_keeps_its_losses():
    source = "import tensorflow as tf\na = tf.losses.softmax_cross_entropy(y, z)\ntotal = tf.losses.get_total_loss()\n"
    findings = [f for f in analyze(source, level="tf2") if f.code == "TFM320"]
    assert [(f.range.line, f.applicability.value) for f in findings] == [(2, "manual"), (3, "manual")]
    assert "reads the loss collection" in findings[0].message
    assert_migrates(source, "import tensorflow as tf\na = tf.compat.v1.losses.softmax_cross_entropy(y, z)\n"
                            "total = tf.compat.v1.losses.get_total_loss()\n", level="tf2")


def test_manual_messages_say_what_to_do():
    cells = ("import tensorflow as tf\na = tf.losses.huber_loss(y, p)\nb = tf.losses.mean_squared_error(y, p, weights=w)\n",
             "import tensorflow as tf\nc = tf.losses.get_total_loss()\n")
    messages = {f.message for cell in cells for f in analyze(cell, level="tf2") if f.code == "TFM320"}
    assert any("tf.minimum(e, delta)" in m for m in messages)
    assert any("non-zero weights" in m and "tf.compat.v1.losses.mean_squared_error" in m for m in messages)
    assert any("model.losses" in m for m in messages)


def test_not_at_compat_level():
    source = "import tensorflow as tf\nl = tf.compat.v1.losses.mean_squared_error(y, p)\n"
    assert_migrates(source, source, level="compat")
    assert "TFM320" not in {f.code for f in analyze(source, level="compat")}


# -- numerical equivalence with real TensorFlow ----------------------------------------------------------


def _rewritten_expression(call: str) -> str:
    """The migrated text of ``loss = <call>``'s right-hand side."""
    result = migrated(f"import tensorflow as tf\nloss = {call}\n", level="tf2")
    head, line = result.rstrip("\n").split("\n")
    assert head == "import tensorflow as tf" and line.startswith("loss = ") and "losses" not in line, result
    assert migrated(result, level="tf2") == result
    return line[len("loss = "):]


def _inputs(rng, member, label_dtype, logit_dtype):
    shape = (16, 5)
    if member == "sparse_softmax_cross_entropy":
        labels = rng.integers(0, shape[1], shape[0]).astype(label_dtype)
    elif member == "softmax_cross_entropy":
        labels = np.eye(shape[1])[rng.integers(0, shape[1], shape[0])].astype(label_dtype)
    elif member in ("sigmoid_cross_entropy", "hinge_loss"):
        labels = rng.integers(0, 2, shape).astype(label_dtype)
    else:
        labels = (rng.normal(size=shape) * 3).astype(label_dtype)
    return labels, rng.normal(size=shape).astype(logit_dtype)


#: (loss, TF1 call, label dtype, logits/predictions dtype)
NUMERIC = [
    ("softmax_cross_entropy", "tf.losses.softmax_cross_entropy(onehot_labels=y, logits=z)", "float32", "float32"),
    ("softmax_cross_entropy", "tf.losses.softmax_cross_entropy(y, z)", "int32", "float32"),
    ("softmax_cross_entropy", "tf.losses.softmax_cross_entropy(y, z)", "float64", "float64"),
    ("sparse_softmax_cross_entropy", "tf.losses.sparse_softmax_cross_entropy(y, z)", "int32", "float32"),
    ("sparse_softmax_cross_entropy", "tf.losses.sparse_softmax_cross_entropy(labels=y, logits=z)", "int64", "float64"),
    ("sigmoid_cross_entropy", "tf.losses.sigmoid_cross_entropy(y, z)", "float32", "float32"),
    ("sigmoid_cross_entropy", "tf.losses.sigmoid_cross_entropy(y, z)", "int32", "float32"),
    ("sigmoid_cross_entropy", "tf.losses.sigmoid_cross_entropy(y, z)", "float32", "float64"),
    ("sigmoid_cross_entropy", "tf.losses.sigmoid_cross_entropy(y, tf.identity(z))", "int64", "float32"),
    ("mean_squared_error", "tf.losses.mean_squared_error(y, z)", "float32", "float32"),
    ("mean_squared_error", "tf.losses.mean_squared_error(labels=y, predictions=z)", "int32", "float64"),
    ("absolute_difference", "tf.losses.absolute_difference(y, z)", "float64", "float32"),
    ("absolute_difference", "tf.losses.absolute_difference(y, z)", "int64", "float64"),
    ("hinge_loss", "tf.losses.hinge_loss(y, z)", "int32", "float32"),
    ("hinge_loss", "tf.losses.hinge_loss(labels=y, logits=z)", "float64", "float64"),
]


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.mark.slow
@pytest.mark.parametrize("member,call,label_dtype,logit_dtype", NUMERIC,
                         ids=[f"{m}-{c.count('=') and 'kw' or 'pos'}-{a}-{b}" for m, c, a, b in NUMERIC])
def test_same_value_and_gradients_as_tf1(tf, member, call, label_dtype, logit_dtype):
    expression = _rewritten_expression(call)
    rng = np.random.default_rng(zlib.crc32(f"{call} {label_dtype} {logit_dtype}".encode()))
    labels, logits = (tf.constant(a) for a in _inputs(rng, member, label_dtype, logit_dtype))
    watched = [t for t in (labels, logits) if t.dtype.is_floating]

    def run(evaluate):
        with tf.GradientTape(persistent=True) as tape:
            for t in watched:
                tape.watch(t)
            value = evaluate()
        return value, [tape.gradient(value, t) for t in watched]

    v1 = tf.compat.v1
    original, original_grads = run(lambda: eval(call.replace("tf.losses.", "v1.losses."),
                                                {"tf": tf, "v1": v1, "y": labels, "z": logits}))
    rewritten, rewritten_grads = run(lambda: eval(expression, {"tf": tf, "y": labels, "z": logits}))
    assert rewritten.dtype == original.dtype and rewritten.shape == original.shape == ()
    assert abs(float(rewritten) - float(original)) <= 1e-6
    for before, after in zip(original_grads, rewritten_grads):
        assert (before is None) == (after is None)  # softmax: no gradient into the labels, as in TF1
        if before is not None:
            assert np.allclose(before.numpy(), after.numpy(), rtol=0, atol=1e-6)


@pytest.mark.slow
def test_float32_results_are_bit_identical(tf):
    rng = np.random.default_rng(7)
    v1 = tf.compat.v1
    for member, call, label_dtype, logit_dtype in NUMERIC:
        if logit_dtype != "float32":
            continue
        labels, logits = (tf.constant(a) for a in _inputs(rng, member, label_dtype, logit_dtype))
        names = {"tf": tf, "v1": v1, "y": labels, "z": logits}
        original = eval(call.replace("tf.losses.", "v1.losses."), names)
        assert eval(_rewritten_expression(call), names).numpy() == original.numpy(), call
