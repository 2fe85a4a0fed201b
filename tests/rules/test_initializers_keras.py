"""TFM210 initializers-to-keras: TF1 initializer classes become Keras 3 initializers at level tf2.

The text cases pin the rewrite; the TensorFlow cases draw a large sample from the TF1 initializer and from the
migrated text and check that they are the same distribution (same truncation bounds, fans and defaults).
"""

import math

import pytest

from helpers import assert_migrates, migrated

from kernel_helpers import analyze

TF = "import tensorflow as tf\n"

CASES = {
    # truncated normal: TF1's stddev defaulted to 1.0, Keras's to 0.05
    "truncated-default-stddev": ("k = tf.truncated_normal_initializer(seed=1)\n",
                                 "k = tf.keras.initializers.TruncatedNormal(seed=1, stddev=1.0)\n"),
    "truncated-stddev-given": ("k = tf.truncated_normal_initializer(stddev=0.1, seed=1)\n",
                               "k = tf.keras.initializers.TruncatedNormal(stddev=0.1, seed=1)\n"),
    "truncated-positional": ("k = tf.truncated_normal_initializer(0.5, 0.1, 3)\n",
                             "k = tf.keras.initializers.TruncatedNormal(mean=0.5, stddev=0.1, seed=3)\n"),
    "truncated-mean-only": ("k = tf.truncated_normal_initializer(mean=0.5, seed=3)\n",
                            "k = tf.keras.initializers.TruncatedNormal(mean=0.5, seed=3, stddev=1.0)\n"),
    "truncated-namespace": ("k = tf.initializers.truncated_normal(stddev=0.3, seed=2)\n",
                            "k = tf.keras.initializers.TruncatedNormal(stddev=0.3, seed=2)\n"),
    # float32 dtype dropped, wherever it sits
    "dtype-last": ("k = tf.truncated_normal_initializer(stddev=0.1, seed=1, dtype=tf.float32)\n",
                   "k = tf.keras.initializers.TruncatedNormal(stddev=0.1, seed=1)\n"),
    "dtype-first": ("k = tf.truncated_normal_initializer(dtype=tf.float32, stddev=0.1, seed=1)\n",
                    "k = tf.keras.initializers.TruncatedNormal(stddev=0.1, seed=1)\n"),
    "dtype-positional": ("k = tf.truncated_normal_initializer(0.0, 0.1, 1, tf.float32)\n",
                         "k = tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.1, seed=1)\n"),
    "dtype-only-with-default-added": ("k = tf.truncated_normal_initializer(dtype=tf.float32)(shape)\n",
                                      "k = tf.keras.initializers.TruncatedNormal(stddev=1.0)(shape)\n"),
    "dtype-last-with-default-added": ("k = tf.truncated_normal_initializer(seed=1, dtype=tf.dtypes.float32)\n",
                                      "k = tf.keras.initializers.TruncatedNormal(seed=1, stddev=1.0)\n"),
    "dtype-string": ("k = tf.orthogonal_initializer(2.0, 4, 'float32')\n",
                     "k = tf.keras.initializers.Orthogonal(gain=2.0, seed=4)\n"),
    "dtype-trailing-comma": ("k = tf.truncated_normal_initializer(seed=1, dtype=tf.float32,)\n",
                             "k = tf.keras.initializers.TruncatedNormal(seed=1, stddev=1.0,)\n"),
    "glorot-ignored-float64": ("k = tf.glorot_uniform_initializer(7, tf.float64)\n",
                               "k = tf.keras.initializers.GlorotUniform(seed=7)\n"),
    "multi-line-keeps-comments": (
        "k = tf.truncated_normal_initializer(stddev=0.1,  # small\n"
        "                                    seed=3,\n"
        "                                    dtype=tf.float32)  # end\n",
        "k = tf.keras.initializers.TruncatedNormal(stddev=0.1,  # small\n"
        "                                    seed=3)  # end\n"),
    # the other classes
    "glorot-uniform": ("k = tf.glorot_uniform_initializer(seed=1)\n",
                       "k = tf.keras.initializers.GlorotUniform(seed=1)\n"),
    "glorot-normal": ("k = tf.glorot_normal_initializer(seed=1)\n", "k = tf.keras.initializers.GlorotNormal(seed=1)\n"),
    "glorot-uniform-namespace": ("k = tf.initializers.glorot_uniform(seed=1)\n",
                                 "k = tf.keras.initializers.GlorotUniform(seed=1)\n"),
    "glorot-normal-namespace": ("k = tf.initializers.glorot_normal(seed=1)\n",
                                "k = tf.keras.initializers.GlorotNormal(seed=1)\n"),
    "variance-scaling-defaults": ("k = tf.variance_scaling_initializer(seed=1)\n",
                                  "k = tf.keras.initializers.VarianceScaling(seed=1)\n"),
    "variance-scaling-normal-is-truncated": (
        "k = tf.variance_scaling_initializer(2.0, 'fan_out', 'normal', 5)\n",
        "k = tf.keras.initializers.VarianceScaling(scale=2.0, mode='fan_out', distribution='truncated_normal', "
        "seed=5)\n"),
    "variance-scaling-normal-keyword": (
        'k = tf.initializers.variance_scaling(distribution="Normal", seed=5)\n',
        'k = tf.keras.initializers.VarianceScaling(distribution="truncated_normal", seed=5)\n'),
    "variance-scaling-uniform": (
        "k = tf.variance_scaling_initializer(scale=0.5, mode='fan_avg', distribution='uniform', seed=1)\n",
        "k = tf.keras.initializers.VarianceScaling(scale=0.5, mode='fan_avg', distribution='uniform', seed=1)\n"),
    "orthogonal": ("k = tf.orthogonal_initializer(gain=2.0, seed=1)\n",
                   "k = tf.keras.initializers.Orthogonal(gain=2.0, seed=1)\n"),
    "orthogonal-namespace": ("k = tf.initializers.orthogonal(seed=1)\n",
                             "k = tf.keras.initializers.Orthogonal(seed=1)\n"),
    "he-normal": ("k = tf.initializers.he_normal(seed=1)\n", "k = tf.keras.initializers.HeNormal(seed=1)\n"),
    "he-uniform": ("k = tf.initializers.he_uniform(1)\n", "k = tf.keras.initializers.HeUniform(seed=1)\n"),
    "lecun-normal": ("k = tf.initializers.lecun_normal(seed=1)\n", "k = tf.keras.initializers.LecunNormal(seed=1)\n"),
    "lecun-uniform": ("k = tf.initializers.lecun_uniform(seed=1)\n",
                      "k = tf.keras.initializers.LecunUniform(seed=1)\n"),
    "identity-not-random": ("k = tf.initializers.identity(2.0, dtype=tf.float32)\n",
                            "k = tf.keras.initializers.Identity(gain=2.0)\n"),
    # spellings: tf.compat.v1, another root alias, compat.v1 and module aliases, imported names
    "compat-v1": ("k = tf.compat.v1.truncated_normal_initializer(stddev=0.1, seed=1)\n",
                  "k = tf.keras.initializers.TruncatedNormal(stddev=0.1, seed=1)\n"),
    "compat-v1-namespace": ("k = tf.compat.v1.initializers.he_uniform(seed=3)\n",
                            "k = tf.keras.initializers.HeUniform(seed=3)\n"),
    "contrib-xavier-goes-on": ("k = tf.contrib.layers.xavier_initializer(seed=1)\n",
                               "k = tf.keras.initializers.GlorotUniform(seed=1)\n"),
    "contrib-xavier-dtype": ("k = tf.contrib.layers.xavier_initializer(seed=1, dtype=tf.float64)\n",
                             "k = tf.keras.initializers.GlorotUniform(seed=1)\n"),
}
SPELLINGS = {
    "root-alias": ("import tensorflow as tfx\nk = tfx.glorot_uniform_initializer(seed=1)\n"
                   "h = tfx.compat.v1.initializers.he_normal(seed=1)\n",
                   "import tensorflow as tfx\nk = tfx.keras.initializers.GlorotUniform(seed=1)\n"
                   "h = tfx.keras.initializers.HeNormal(seed=1)\n"),
    "compat-v1-alias-beside-root": (
        "import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\nk = tf1.glorot_normal_initializer(seed=1)\n",
        "import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\n"
        "k = tf.keras.initializers.GlorotNormal(seed=1)\n"),
    "module-import": ("from tensorflow.compat.v1 import initializers\nk = initializers.lecun_normal(seed=1)\n",
                      "from tensorflow.compat.v1 import initializers\nimport tensorflow as tf\n"
                      "k = tf.keras.initializers.LecunNormal(seed=1)\n"),
    "imported-name": ("from tensorflow import truncated_normal_initializer as tni\nk = tni(stddev=0.1, seed=1)\n",
                      "from tensorflow.compat.v1 import truncated_normal_initializer as tni\nimport tensorflow as tf\n"
                      "k = tf.keras.initializers.TruncatedNormal(stddev=0.1, seed=1)\n"),
}
# unseeded initializers that give values to one variable only: called at once or handed to one weight
ONE_VARIABLE = {
    "get-variable": ('w = tf.get_variable("w", [3, 4], initializer=tf.truncated_normal_initializer(stddev=0.1))\n',
                     'w = tf.compat.v1.get_variable("w", [3, 4], initializer=tf.keras.initializers.TruncatedNormal('
                     'stddev=0.1))\n'),
    "get-variable-xavier": ('w = tf.get_variable("w", [3, 4], initializer=tf.contrib.layers.xavier_initializer())\n',
                            'w = tf.compat.v1.get_variable("w", [3, 4], '
                            'initializer=tf.keras.initializers.GlorotUniform())\n'),
    "keras-layer": ("d = tf.keras.layers.Dense(3, kernel_initializer=tf.initializers.he_normal())\n",
                    "d = tf.keras.layers.Dense(3, kernel_initializer=tf.keras.initializers.HeNormal())\n"),
    "called-at-once": ("v = tf.Variable(tf.orthogonal_initializer()([4, 4]))\n",
                       "v = tf.Variable(tf.keras.initializers.Orthogonal()([4, 4]))\n"),
    "contrib-layer": ("net = tf.contrib.layers.fully_connected(x, 10, weights_initializer=tf.contrib.layers."
                      "xavier_initializer())\n",
                      "import tf_slim\nnet = tf_slim.layers.fully_connected(x, 10, "
                      "weights_initializer=tf.keras.initializers.GlorotUniform())\n"),
    "slim-layer": ("import tf_slim as slim\nnet = slim.conv2d(x, 8, [3, 3], "
                   "weights_initializer=tf.truncated_normal_initializer(stddev=0.1))\n",
                   "import tf_slim as slim\nnet = slim.conv2d(x, 8, [3, 3], "
                   "weights_initializer=tf.keras.initializers.TruncatedNormal(stddev=0.1))\n"),
    "add-weight": ('t = self.add_weight("t", [3], initializer=tf.initializers.lecun_uniform())\n',
                   't = self.add_weight("t", [3], initializer=tf.keras.initializers.LecunUniform())\n'),
}
# the fix exists but changes behaviour: applied only with --unsafe
UNSAFE = {
    "unseeded-assigned": ("k = tf.truncated_normal_initializer(stddev=0.1)\n",
                          "k = tf.compat.v1.truncated_normal_initializer(stddev=0.1)\n",
                          "k = tf.keras.initializers.TruncatedNormal(stddev=0.1)\n", "variables sharing it"),
    "unseeded-scope": ('with tf.variable_scope("s", initializer=tf.glorot_uniform_initializer()):\n    pass\n',
                       'with tf.compat.v1.variable_scope("s", initializer=tf.compat.v1.glorot_uniform_initializer()):\n'
                       '    pass\n',
                       'with tf.compat.v1.variable_scope("s", initializer=tf.keras.initializers.GlorotUniform()):\n'
                       '    pass\n', "variables sharing it"),
    "unseeded-slim-arg-scope": (
        "import tf_slim as slim\nwith slim.arg_scope([slim.conv2d], weights_initializer=tf.initializers.he_normal()):\n"
        "    pass\n",
        "import tf_slim as slim\nwith slim.arg_scope([slim.conv2d], "
        "weights_initializer=tf.compat.v1.initializers.he_normal()):\n    pass\n",
        "import tf_slim as slim\nwith slim.arg_scope([slim.conv2d], "
        "weights_initializer=tf.keras.initializers.HeNormal()):\n    pass\n", "variables sharing it"),
    "unseeded-slim-separable": (
        "import tf_slim as slim\nnet = slim.separable_conv2d(x, 8, [3, 3], 1, "
        "weights_initializer=tf.initializers.he_normal())\n",
        "import tf_slim as slim\nnet = slim.separable_conv2d(x, 8, [3, 3], 1, "
        "weights_initializer=tf.compat.v1.initializers.he_normal())\n",
        "import tf_slim as slim\nnet = slim.separable_conv2d(x, 8, [3, 3], 1, "
        "weights_initializer=tf.keras.initializers.HeNormal())\n", "variables sharing it"),
    "unseeded-user-function": ("y = dense(x, init=tf.glorot_uniform_initializer())\n",
                               "y = dense(x, init=tf.compat.v1.glorot_uniform_initializer())\n",
                               "y = dense(x, init=tf.keras.initializers.GlorotUniform())\n", "variables sharing it"),
    "unseeded-none": ("k = tf.compat.v1.initializers.he_normal(seed=None)\n",
                      "k = tf.compat.v1.initializers.he_normal(seed=None)\n",
                      "k = tf.keras.initializers.HeNormal(seed=None)\n", "variables sharing it"),
    "computed-seed": ("k = tf.glorot_uniform_initializer(seed=SEED)\n",
                      "k = tf.compat.v1.glorot_uniform_initializer(seed=SEED)\n",
                      "k = tf.keras.initializers.GlorotUniform(seed=SEED)\n", "Python `int` seed"),
    "uniform-unit-scaling": ("k = tf.uniform_unit_scaling_initializer(1.43, seed=3)\n",
                             "k = tf.compat.v1.uniform_unit_scaling_initializer(1.43, seed=3)\n",
                             'k = tf.keras.initializers.VarianceScaling(scale=1.43 ** 2, seed=3, mode="fan_in", '
                             'distribution="uniform")\n', "rank 1"),
    "uniform-unit-scaling-default": (
        "k = tf.initializers.uniform_unit_scaling(seed=3, dtype=tf.float32)\n",
        "k = tf.compat.v1.initializers.uniform_unit_scaling(seed=3, dtype=tf.float32)\n",
        'k = tf.keras.initializers.VarianceScaling(seed=3, scale=1.0, mode="fan_in", distribution="uniform")\n',
        "rank 1"),
    "uniform-unit-scaling-negative": (
        "k = tf.uniform_unit_scaling_initializer(factor=-1.5, seed=3)\n",
        "k = tf.compat.v1.uniform_unit_scaling_initializer(factor=-1.5, seed=3)\n",
        'k = tf.keras.initializers.VarianceScaling(scale=(-1.5) ** 2, seed=3, mode="fan_in", distribution="uniform")\n',
        "rank 1"),
}
# reported with no fix: the call stays on tf.compat.v1
MANUAL = {
    "float64-dtype": ("k = tf.truncated_normal_initializer(seed=1, dtype=tf.float64)\n",
                      "k = tf.compat.v1.truncated_normal_initializer(seed=1, dtype=tf.float64)\n", "dtype=tf.float64"),
    "computed-dtype": ("k = tf.orthogonal_initializer(seed=1, dtype=dt)\n",
                       "k = tf.compat.v1.orthogonal_initializer(seed=1, dtype=dt)\n", "dtype=dt"),
    "partitioned": ('p = tf.get_variable("p", [8, 4], initializer=tf.glorot_uniform_initializer(seed=1), '
                    'partitioner=part)\n',
                    'p = tf.compat.v1.get_variable("p", [8, 4], initializer=tf.compat.v1.glorot_uniform_initializer('
                    'seed=1), partitioner=part)\n', "partitioned"),
}
NO_OP = {
    "keras-initializer": TF + "k = tf.keras.initializers.TruncatedNormal(stddev=0.1)\n",
    "keras-lowercase": TF + "k = tf.keras.initializers.he_normal(seed=1)\n",
    "keras-variance-scaling": TF + "k = tf.keras.initializers.VarianceScaling(2.0, 'fan_in', 'normal')\n",
    "user-class": TF + "class truncated_normal_initializer:\n    pass\nk = truncated_normal_initializer()\n",
    "user-attribute": TF + "k = mylib.glorot_uniform_initializer(seed=1)\n",
    "v2-random-normal-left-alone": TF + "k = tf.random_normal_initializer(stddev=0.1)\n",
    "v2-zeros-left-alone": TF + "k = tf.zeros_initializer()\n",
    "compat-v1-notebook": "import tensorflow.compat.v1 as tf\nk = tf.glorot_uniform_initializer(seed=1)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_rewrites(before, after):
    assert_migrates(TF + before, TF + after, level="tf2")


@pytest.mark.parametrize("before,after", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_spellings(before, after):
    assert_migrates(before, after, level="tf2")


@pytest.mark.parametrize("before,after", ONE_VARIABLE.values(), ids=ONE_VARIABLE.keys())
def test_unseeded_for_one_variable_is_safe(before, after):
    assert_migrates(TF + before, TF + after, level="tf2")


@pytest.mark.parametrize("before,default,unsafe,reason", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe(before, default, unsafe, reason):
    assert_migrates(TF + before, TF + default, level="tf2")
    assert_migrates(TF + before, TF + unsafe, level="tf2", unsafe=True)
    findings = [f for f in analyze(TF + before, level="tf2") if f.code == "TFM210"]
    assert [f.applicability.value for f in findings] == ["unsafe"]
    assert reason in findings[0].message


@pytest.mark.parametrize("before,after,reason", MANUAL.values(), ids=MANUAL.keys())
def test_manual(before, after, reason):
    assert_migrates(TF + before, TF + after, level="tf2", unsafe=True)
    findings = [f for f in analyze(TF + before, level="tf2") if f.code == "TFM210"]
    assert [(f.applicability.value, f.fix) for f in findings] == [("manual", None)]
    assert reason in findings[0].message


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source, level="tf2", unsafe=True)
    assert "TFM210" not in {f.code for f in analyze(source, level="tf2")}


def test_not_at_compat_level():
    source = TF + "k = tf.truncated_normal_initializer(stddev=0.1, seed=1)\n"
    assert migrated(source) == TF + "k = tf.compat.v1.truncated_normal_initializer(stddev=0.1, seed=1)\n"
    assert "TFM210" not in {f.code for f in analyze(source, level="compat")}


@pytest.mark.parametrize("call", ["tf.truncated_normal_initializer(**kw)", "tf.truncated_normal_initializer(*a)",
                                  "tf.truncated_normal_initializer(0.0, mean=1.0)",
                                  "tf.truncated_normal_initializer(stdev=0.1)"])
def test_calls_it_cannot_read_are_left_on_compat_v1(call):
    source = TF + f"k = {call}\n"
    assert migrated(source, level="tf2", unsafe=True) == source.replace("tf.trunc", "tf.compat.v1.trunc")
    assert "TFM210" not in {f.code for f in analyze(source, level="tf2")}


def test_message_names_the_default_passed():
    [finding] = [f for f in analyze(TF + "k = tf.truncated_normal_initializer(seed=1)\n", level="tf2")
                 if f.code == "TFM210"]
    assert "stddev=1.0" in finding.message and "0.05" in finding.message


# -- the same distributions, with real TensorFlow ----------------------------------------------------------------

SHAPE = (200, 300)          # fan_in 200, fan_out 300: fan_in, fan_out and fan_avg give different scales
CONV = (3, 3, 64, 128)      # fan_in 576, fan_out 1152
STD_TRUNCATED = 0.87962566103423978  # std of a standard normal truncated to [-2, 2]


def _fans(shape):
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def _scaled(scale, mode):
    def limit(shape):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
        return math.sqrt(scale / n)
    return limit


def truncated(mean, stddev):
    return ("truncated", lambda shape: (mean - 2 * stddev, mean + 2 * stddev))


def truncated_scaled(scale, mode):
    return ("truncated", lambda shape: (-2 * _scaled(scale, mode)(shape) / STD_TRUNCATED,
                                        2 * _scaled(scale, mode)(shape) / STD_TRUNCATED))


def uniform_scaled(scale, mode):
    return ("uniform", lambda shape: (-math.sqrt(3) * _scaled(scale, mode)(shape),
                                      math.sqrt(3) * _scaled(scale, mode)(shape)))


#: TF1 call (as spelled in the notebook, without the `tf.` prefix), shapes, (kind, bounds of the support)
DISTRIBUTIONS = {
    "truncated-default-stddev": ("truncated_normal_initializer(seed=1)", [SHAPE], truncated(0.0, 1.0)),
    "truncated-mean-stddev": ("truncated_normal_initializer(mean=0.5, stddev=0.1, seed=1)", [SHAPE],
                              truncated(0.5, 0.1)),
    "truncated-positional": ("truncated_normal_initializer(0.5, 0.1, 1, tf.float32)", [SHAPE], truncated(0.5, 0.1)),
    "truncated-namespace": ("initializers.truncated_normal(stddev=0.3, seed=1)", [SHAPE], truncated(0.0, 0.3)),
    "glorot-uniform": ("glorot_uniform_initializer(seed=1)", [SHAPE, CONV], uniform_scaled(1.0, "fan_avg")),
    "glorot-uniform-namespace": ("initializers.glorot_uniform(seed=1)", [SHAPE, CONV], uniform_scaled(1.0, "fan_avg")),
    "glorot-normal": ("glorot_normal_initializer(seed=1)", [SHAPE, CONV], truncated_scaled(1.0, "fan_avg")),
    "glorot-normal-namespace": ("initializers.glorot_normal(seed=1)", [SHAPE, CONV], truncated_scaled(1.0, "fan_avg")),
    "variance-scaling-defaults": ("variance_scaling_initializer(seed=1)", [SHAPE, CONV],
                                  truncated_scaled(1.0, "fan_in")),
    "variance-scaling-normal-fan-out": ("variance_scaling_initializer(2.0, 'fan_out', 'normal', 1)", [SHAPE, CONV],
                                        truncated_scaled(2.0, "fan_out")),
    "variance-scaling-uniform-fan-avg": (
        "variance_scaling_initializer(scale=0.5, mode='fan_avg', distribution='uniform', seed=1)", [SHAPE, CONV],
        uniform_scaled(0.5, "fan_avg")),
    "variance-scaling-untruncated": (
        "initializers.variance_scaling(scale=3.0, distribution='untruncated_normal', seed=1)", [SHAPE, CONV],
        ("normal", None)),
    "he-normal": ("initializers.he_normal(seed=1)", [SHAPE, CONV], truncated_scaled(2.0, "fan_in")),
    "he-uniform": ("initializers.he_uniform(seed=1)", [SHAPE, CONV], uniform_scaled(2.0, "fan_in")),
    "lecun-normal": ("initializers.lecun_normal(seed=1)", [SHAPE, CONV], truncated_scaled(1.0, "fan_in")),
    "lecun-uniform": ("initializers.lecun_uniform(seed=1)", [SHAPE, CONV], uniform_scaled(1.0, "fan_in")),
    "uniform-unit-scaling": ("uniform_unit_scaling_initializer(1.43, seed=1)", [SHAPE, CONV],
                             uniform_scaled(1.43 ** 2, "fan_in")),
    "uniform-unit-scaling-default": ("initializers.uniform_unit_scaling(seed=1)", [SHAPE, CONV],
                                     uniform_scaled(1.0, "fan_in")),
    "uniform-unit-scaling-negative": ("uniform_unit_scaling_initializer(factor=-0.5, seed=1)", [SHAPE, CONV],
                                      uniform_scaled(0.25, "fan_in")),
    "orthogonal": ("orthogonal_initializer(gain=2.0, seed=1)", [SHAPE, CONV], ("orthogonal", 2.0)),
    "orthogonal-namespace": ("initializers.orthogonal(seed=1)", [SHAPE, (300, 200), CONV], ("orthogonal", 1.0)),
    "identity": ("initializers.identity(2.0, dtype=tf.float32)", [SHAPE], ("exact", None)),
}


def _pair(tf, call):
    """(TF1 initializer, migrated initializer) for ``tf.<call>``; the migrated text must be all Keras."""
    after = migrated(f"{TF}init = tf.{call}\n", level="tf2", unsafe=True)
    assert "compat" not in after and "tf.keras.initializers." in after, after
    namespace = {}
    exec(compile(after, "<migrated>", "exec"), namespace)
    return eval(f"tf.compat.v1.{call}", {"tf": tf}), namespace["init"]


def _assert_same_distribution(old, new, kind, bounds):
    n = old.size
    sd = float(old.std())
    # the two samples are independent: differences of means and of standard deviations have standard errors of
    # about sd * sqrt(2 / n) and sd / sqrt(n); 6 of those is a false alarm once in ~10^9 runs (the seeds are fixed)
    assert abs(old.mean() - new.mean()) < 6 * sd * math.sqrt(2 / n)
    assert abs(old.std() - new.std()) < 6 * sd / math.sqrt(n)
    if kind in ("truncated", "uniform"):
        lo, hi = bounds
        width = hi - lo
        for sample in (old, new):
            assert lo - 1e-6 * width <= sample.min() < lo + 0.002 * width
            assert hi - 0.002 * width < sample.max() <= hi + 1e-6 * width
    else:  # untruncated normal: the extremes of 60000 draws lie near 4.3 sd, give or take a quarter of one
        assert abs(old.min() - new.min()) < 1.5 * sd and abs(old.max() - new.max()) < 1.5 * sd
        assert min(old.min(), new.min()) < -3.5 * sd and max(old.max(), new.max()) > 3.5 * sd


@pytest.mark.parametrize("call,shapes,kind", DISTRIBUTIONS.values(), ids=DISTRIBUTIONS.keys())
def test_same_distribution_as_tf1(call, shapes, kind):
    tf = pytest.importorskip("tensorflow")
    np = pytest.importorskip("numpy")
    old_init, new_init = _pair(tf, call)
    kind, parameter = kind
    for shape in shapes:
        old = old_init(shape, dtype=tf.float32).numpy()
        new = new_init(shape, dtype=tf.float32).numpy()
        assert old.shape == new.shape == shape and old.dtype == new.dtype == np.float32
        if kind == "exact":
            np.testing.assert_array_equal(old, new)
        elif kind == "orthogonal":
            gain = parameter
            for sample in (old, new):
                matrix = sample.reshape(-1, shape[-1])
                small = min(matrix.shape)
                gram = matrix.T @ matrix if matrix.shape[0] >= matrix.shape[1] else matrix @ matrix.T
                np.testing.assert_allclose(gram, gain ** 2 * np.eye(small), atol=1e-4 * gain ** 2)
            assert abs(old.mean() - new.mean()) < 6 * old.std() * math.sqrt(2 / old.size)
            np.testing.assert_allclose(old.std(), new.std(), rtol=1e-3)
        else:
            _assert_same_distribution(old, new, kind, parameter(shape) if parameter else None)


def test_the_old_keras_defaults_would_be_caught():
    """The distribution test can fail: Keras's own default stddev (0.05) is not TF1's (1.0)."""
    tf = pytest.importorskip("tensorflow")
    old = tf.compat.v1.truncated_normal_initializer(seed=1)(SHAPE, dtype=tf.float32).numpy()
    new = tf.keras.initializers.TruncatedNormal(seed=1)(SHAPE, dtype=tf.float32).numpy()
    kind, bounds = truncated(0.0, 1.0)
    other = tf.compat.v1.truncated_normal_initializer(seed=2)(SHAPE).numpy()
    _assert_same_distribution(old, other, kind, bounds(SHAPE))  # another TF1 sample passes
    with pytest.raises(AssertionError):
        _assert_same_distribution(old, new, kind, bounds(SHAPE))


def test_uniform_unit_scaling_differs_on_vectors():
    """Why TFM210 makes uniform_unit_scaling_initializer unsafe: on a rank-1 shape the limits differ."""
    tf = pytest.importorskip("tensorflow")
    old = tf.compat.v1.uniform_unit_scaling_initializer(seed=1)((1000,), dtype=tf.float32).numpy()
    new = tf.keras.initializers.VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform", seed=1)(
        (1000,), dtype=tf.float32).numpy()
    assert old.max() > 1.5 and new.max() < 0.1  # sqrt(3) against sqrt(3 / 1000)


def test_unseeded_keras_initializers_repeat_themselves():
    """Why a shared unseeded initializer is unsafe: Keras 3 returns the same values at every call, TF1 did not."""
    tf = pytest.importorskip("tensorflow")
    np = pytest.importorskip("numpy")
    keras_init = tf.keras.initializers.TruncatedNormal(stddev=1.0)
    np.testing.assert_array_equal(keras_init((4, 4)).numpy(), keras_init((4, 4)).numpy())
    tf1_init = tf.compat.v1.truncated_normal_initializer(stddev=1.0)
    assert not np.array_equal(tf1_init((4, 4)).numpy(), tf1_init((4, 4)).numpy())


def test_dropping_a_float32_dtype_keeps_the_dtype():
    """Keras initializers called without a dtype give float32, as a TF1 one built with float32 did; TF1's Glorot
    classes never used theirs; get_variable always passes its own dtype to the initializer."""
    tf = pytest.importorskip("tensorflow")
    assert tf.compat.v1.truncated_normal_initializer(dtype=tf.float32)((2, 2)).dtype == tf.float32
    assert tf.keras.initializers.TruncatedNormal(stddev=1.0)((2, 2)).dtype == tf.float32
    assert tf.compat.v1.glorot_uniform_initializer(dtype=tf.float64)((2, 2)).dtype == tf.float32
    assert tf.compat.v1.initializers.identity(dtype=tf.float32)((2, 2)).dtype == tf.float32
    assert tf.keras.initializers.Identity()((2, 2)).dtype == tf.float32
    variable = tf.compat.v1.get_variable("tfm210_dtype_probe", [2, 2], dtype=tf.float64,
                                         initializer=tf.keras.initializers.GlorotUniform(seed=1))
    assert variable.dtype == tf.float64


def test_results_are_fixed_points_with_unsafe_fixes_too():
    outputs = [after for _, after in [*CASES.values(), *ONE_VARIABLE.values()]]
    outputs += [unsafe for _, _, unsafe, _ in UNSAFE.values()]
    for after in outputs:
        assert migrated(TF + after, level="tf2", unsafe=True) == TF + after


@pytest.mark.parametrize("before,after", [
    ("w = tf.get_variable('w', [2, 2], initializer=tf.contrib.layers.xavier_initializer())",
     "w = tf.compat.v1.get_variable('w', [2, 2], initializer=tf.keras.initializers.GlorotUniform())"),
    ("k = tf.contrib.layers.xavier_initializer(uniform=True, seed=3)", "k = tf.keras.initializers.GlorotUniform(seed=3)"),
    ("k = tf.contrib.layers.xavier_initializer_conv2d(seed=1, dtype=tf.float32)",
     "k = tf.keras.initializers.GlorotUniform(seed=1)"),
], ids=["get-variable", "uniform-true", "conv2d-dtype"])
def test_contrib_xavier_becomes_glorot_uniform_in_one_step(before, after):
    from kernel_helpers.engine.analysis import check_cell

    assert_migrates(f"import tensorflow as tf\n{before}\n", f"import tensorflow as tf\n{after}\n", level="tf2")
    # TFM210 itself proposes the Keras class, so the migration needs no second pass for it.
    findings = check_cell(f"import tensorflow as tf\n{before}\n", None, "tf2").findings
    assert any(f.code == "TFM210" and "GlorotUniform" in (f.replacement or "") + f.message for f in findings)
