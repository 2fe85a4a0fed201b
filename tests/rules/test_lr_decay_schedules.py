"""TFM330 lr-decay-schedules: TF1 learning-rate decays become Keras 3 schedules called with the step.

The text cases pin the rewrite (inside a function, where the lifted graph puts a learning rate); the TensorFlow
cases evaluate TF's own `tf.compat.v1.train` decay and the migrated text at the same steps and compare the rates.
"""

import inspect

import pytest

from helpers import assert_migrates, migrated

from kernel_helpers import analyze

TF = "import tensorflow as tf\n"
S = "tf.keras.optimizers.schedules"


def in_function(call: str) -> str:
    return f"def learning_rate():\n    return {call}\n"


CASES = {
    "exponential-positional": ("tf.train.exponential_decay(0.1, global_step, 100, 0.96, staircase=True)",
                               f"{S}.ExponentialDecay(0.1, 100, 0.96, staircase=True)(global_step)"),
    "exponential-all-positional": ("tf.train.exponential_decay(lr, step, 100, 0.96, True, 'lr')",
                                   f"{S}.ExponentialDecay(lr, 100, 0.96, True)(step)"),
    "exponential-keywords": ("tf.train.exponential_decay(learning_rate=0.1, global_step=gs, decay_steps=100, "
                             "decay_rate=0.96)",
                             f"{S}.ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96)(gs)"),
    "step-keyword-last-and-name": ("tf.train.exponential_decay(0.1, decay_steps=100, decay_rate=0.5, "
                                   "global_step=gs, name='decay')",
                                   f"{S}.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)(gs)"),
    "name-before-step": ("tf.train.cosine_decay(0.1, decay_steps=10, name='c', global_step=gs)",
                         f"{S}.CosineDecay(0.1, decay_steps=10)(gs)"),
    "compat-v1": ("tf.compat.v1.train.exponential_decay(0.1, global_step, 100, 0.96)",
                  f"{S}.ExponentialDecay(0.1, 100, 0.96)(global_step)"),
    "step-expression": ("tf.train.exponential_decay(0.1, tf.train.get_global_step(), 100, 0.96)",
                        f"{S}.ExponentialDecay(0.1, 100, 0.96)(tf.compat.v1.train.get_global_step())"),
    "natural-exp": ("tf.train.natural_exp_decay(0.1, global_step, 10, 0.5, staircase=True)",
                    f"{S}.ExponentialDecay(0.1, 10, tf.math.exp(-0.5), staircase=True)(global_step)"),
    "natural-exp-keyword-expression": ("tf.train.natural_exp_decay(0.1, gs, 10, decay_rate=k + 1)",
                                       f"{S}.ExponentialDecay(0.1, 10, decay_rate=tf.math.exp(-(k + 1)))(gs)"),
    "natural-exp-negative": ("tf.train.natural_exp_decay(0.1, gs, 10, -0.5)",
                             f"{S}.ExponentialDecay(0.1, 10, tf.math.exp(-(-0.5)))(gs)"),
    "inverse-time": ("tf.train.inverse_time_decay(0.1, global_step, 1.0, 0.5)",
                     f"{S}.InverseTimeDecay(0.1, 1.0, 0.5)(global_step)"),
    "polynomial": ("tf.train.polynomial_decay(0.1, global_step, 10000, 0.01, power=0.5)",
                   f"{S}.PolynomialDecay(0.1, 10000, 0.01, power=0.5)(global_step)"),
    "polynomial-cycle": ("tf.train.polynomial_decay(0.1, global_step, 100, 0.01, 2.0, True, 'poly')",
                         f"{S}.PolynomialDecay(0.1, 100, 0.01, 2.0, True)(global_step)"),
    "cosine": ("tf.train.cosine_decay(0.1, global_step, 1000, alpha=0.1)",
               f"{S}.CosineDecay(0.1, 1000, alpha=0.1)(global_step)"),
    "cosine-restarts": ("tf.train.cosine_decay_restarts(0.1, global_step, 1000, t_mul=2.0, m_mul=0.5)",
                        f"{S}.CosineDecayRestarts(0.1, 1000, t_mul=2.0, m_mul=0.5)(global_step)"),
    "piecewise": ("tf.train.piecewise_constant(global_step, [100, 200], [0.1, 0.05, 0.01])",
                  f"{S}.PiecewiseConstantDecay([100, 200], [0.1, 0.05, 0.01])(global_step)"),
    "piecewise-keywords": ("tf.train.piecewise_constant(x=gs, boundaries=b, values=v, name='pw')",
                           f"{S}.PiecewiseConstantDecay(boundaries=b, values=v)(gs)"),
    "piecewise-decay-alias": ("tf.compat.v1.train.piecewise_constant_decay(gs, b, v)",
                              f"{S}.PiecewiseConstantDecay(b, v)(gs)"),
    "trailing-comma": ("tf.train.exponential_decay(0.1, gs, 100, 0.96, name='x',)",
                       f"{S}.ExponentialDecay(0.1, 100, 0.96,)(gs)"),
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_rewrite(before, after):
    assert_migrates(TF + in_function(before), TF + in_function(after), level="tf2")
    findings = [f for f in analyze(TF + in_function(before), level="tf2") if f.code == "TFM330"]
    assert [f.applicability.value for f in findings] == ["safe"]


def test_multi_line_call_keeps_its_layout():
    before = TF + ("def learning_rate():\n"
                   "    return tf.train.cosine_decay_restarts(\n"
                   "        0.1,  # start\n"
                   "        global_step,\n"
                   "        1000,\n"
                   "    )\n")
    after = TF + ("def learning_rate():\n"
                  f"    return {S}.CosineDecayRestarts(\n"
                  "        0.1,  # start\n"
                  "        1000,\n"
                  "    )(global_step)\n")
    assert_migrates(before, after, level="tf2")


ALIASES = {
    "tf-alias": ("import tensorflow as tf1\nrate = lambda: tf1.train.exponential_decay(0.1, gs, 10, 0.5)\n",
                 "import tensorflow as tf1\n"
                 "rate = lambda: tf1.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)(gs)\n"),
    "from-import": ("from tensorflow.compat.v1.train import exponential_decay as decay\n"
                    "def rate():\n    return decay(0.1, gs, 10, 0.5)\n",
                    "from tensorflow.compat.v1.train import exponential_decay as decay\nimport tensorflow as tf\n"
                    f"def rate():\n    return {S}.ExponentialDecay(0.1, 10, 0.5)(gs)\n"),
    "from-import-natural-exp": ("import tensorflow as tf\nfrom tensorflow.train import natural_exp_decay\n"
                                "def rate():\n    return natural_exp_decay(0.1, gs, 10, k)\n",
                                "import tensorflow as tf\nfrom tensorflow.compat.v1.train import natural_exp_decay\n"
                                f"def rate():\n    return {S}.ExponentialDecay(0.1, 10, tf.math.exp(-k))(gs)\n"),
}


@pytest.mark.parametrize("before,after", ALIASES.values(), ids=ALIASES.keys())
def test_aliases(before, after):
    assert_migrates(before, after, level="tf2")


NO_OP = {
    "keras-schedule": TF + "lr = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 100, 0.96)(global_step)\n",
    "keras-schedule-object": TF + f"opt = tf.keras.optimizers.SGD({S}.CosineDecay(0.1, 10))\n",
    "user-function": TF + ("def exponential_decay(lr, step, steps, rate):\n    return lr * rate ** (step / steps)\n"
                           "def rate():\n    return exponential_decay(0.1, gs, 10, 0.5)\n"),
    "user-module": "import mylib as tf\ndef rate():\n    return tf.train.exponential_decay(0.1, gs, 10, 0.5)\n",
    "tf1-type-error-kept": TF + in_function("tf.compat.v1.train.exponential_decay(0.1, gs, 10, 0.5, lr=1)"),
}


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source, level="tf2")
    assert "TFM330" not in {f.code for f in analyze(source, level="tf2")}


def test_compat_v1_import_is_left_to_the_execution_model_rules():
    source = "import tensorflow.compat.v1 as tf\ndef rate():\n    return tf.train.exponential_decay(0.1, gs, 10, 0.5)\n"
    assert "TFM330" not in {f.code for f in analyze(source, level="tf2")}


def test_not_at_compat_level():
    source = TF + in_function("tf.compat.v1.train.exponential_decay(0.1, gs, 10, 0.5)")
    assert migrated(source, level="compat") == source
    assert "TFM330" not in {f.code for f in analyze(source, level="compat")}


MANUAL = {
    "no-step": TF + in_function("tf.train.exponential_decay(0.1, decay_steps=10, decay_rate=0.5)"),
    "step-none": TF + in_function("tf.train.exponential_decay(0.1, None, 10, 0.5)"),
    "piecewise-no-x": TF + in_function("tf.train.piecewise_constant(boundaries=b, values=v)"),
    "linear-cosine": TF + in_function("tf.train.linear_cosine_decay(0.1, gs, 1000)"),
    "noisy-linear-cosine": TF + in_function("tf.compat.v1.train.noisy_linear_cosine_decay(0.1, gs, 1000)"),
    "star-args": TF + in_function("tf.train.exponential_decay(*args)"),
    "star-star-kwargs": TF + in_function("tf.train.exponential_decay(0.1, gs, **kw)"),
    "top-level-operand": TF + "lr = 2 * tf.train.exponential_decay(0.1, gs, 10, 0.5)\n",
}


@pytest.mark.parametrize("source", MANUAL.values(), ids=MANUAL.keys())
def test_manual(source):
    findings = [f for f in analyze(source, level="tf2") if f.code == "TFM330"]
    assert [(f.applicability.value, f.fix) for f in findings] == [("manual", None)]
    # the call stays TF1's function, on tf.compat.v1 (TFM005)
    assert "keras" not in migrated(source, level="tf2", unsafe=True)


UNSAFE = {
    "top-level-assignment": (TF + "lr = tf.train.exponential_decay(0.1, global_step, 100, 0.96)\n",
                             TF + f"lr = lambda: {S}.ExponentialDecay(0.1, 100, 0.96)(global_step)\n"),
    "top-level-argument": (TF + "opt = tf.keras.optimizers.SGD(tf.train.cosine_decay(0.1, gs, 10))\n",
                           TF + f"opt = tf.keras.optimizers.SGD(lambda: {S}.CosineDecay(0.1, 10)(gs))\n"),
    "top-level-keyword": (TF + "opt = tf.keras.optimizers.SGD(learning_rate=tf.train.piecewise_constant(gs, b, v))\n",
                          TF + "opt = tf.keras.optimizers.SGD(learning_rate=lambda: "
                          f"{S}.PiecewiseConstantDecay(b, v)(gs))\n"),
    "decay-steps-tensor": (TF + in_function("tf.train.exponential_decay(0.1, gs, tf.size(x), 0.5)"),
                           TF + in_function(f"{S}.ExponentialDecay(0.1, tf.size(x), 0.5)(gs)")),
}


@pytest.mark.parametrize("before,after", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe(before, after):
    assert_migrates(before, after, level="tf2", unsafe=True)
    findings = [f for f in analyze(before, level="tf2") if f.code == "TFM330"]
    assert [f.applicability.value for f in findings] == ["unsafe"]
    # without --unsafe the call keeps TF1's function (TFM005), which eager TF 2 makes a function of no arguments
    assert "keras.optimizers.schedules" not in migrated(before, level="tf2")


# ---- numbers: TF's own TF1 decay against the migrated text --------------------------------------------------

#: (TF1 call, steps to compare at): the steps straddle every boundary (decay_steps, cycles, restarts, pieces)
NUMERIC = {
    "exponential": ("tf.compat.v1.train.exponential_decay(0.1, global_step, 10, 0.96)", (0, 1, 9, 10, 11, 25, 1000)),
    "exponential-staircase": ("tf.compat.v1.train.exponential_decay(0.1, global_step, 10, 0.96, staircase=True)",
                              (0, 1, 9, 10, 11, 25, 1000)),
    "exponential-keywords-float64": ("tf.compat.v1.train.exponential_decay(decay_rate=0.5, decay_steps=7, "
                                     "global_step=global_step, learning_rate=tf.constant(0.3, tf.float64), "
                                     "name='e')", (0, 3, 7, 8, 50)),
    "natural-exp": ("tf.compat.v1.train.natural_exp_decay(0.1, global_step, 5, 0.5)", (0, 1, 4, 5, 6, 12, 100)),
    "natural-exp-staircase": ("tf.compat.v1.train.natural_exp_decay(0.1, global_step, 5, 0.5, True)",
                              (0, 1, 4, 5, 6, 12, 100)),
    "natural-exp-expression": ("tf.compat.v1.train.natural_exp_decay(0.1, global_step, 5, decay_rate=0.25 + 0.25)",
                               (0, 3, 5, 11)),
    "inverse-time": ("tf.compat.v1.train.inverse_time_decay(0.1, global_step, 10, 0.5)", (0, 1, 9, 10, 11, 300)),
    "inverse-time-staircase": ("tf.compat.v1.train.inverse_time_decay(0.1, global_step, 10, 0.5, staircase=True)",
                               (0, 1, 9, 10, 11, 300)),
    "polynomial": ("tf.compat.v1.train.polynomial_decay(0.1, global_step, 10)", (0, 1, 5, 9, 10, 11, 100)),
    "polynomial-power": ("tf.compat.v1.train.polynomial_decay(0.1, global_step, 10, 0.01, power=0.5)",
                         (0, 1, 5, 10, 11)),
    "polynomial-cycle": ("tf.compat.v1.train.polynomial_decay(0.1, global_step, 10, 0.01, 2.0, cycle=True)",
                         (0, 1, 9, 10, 11, 19, 20, 21, 35)),
    "cosine": ("tf.compat.v1.train.cosine_decay(0.1, global_step, 10)", (0, 1, 5, 9, 10, 11, 50)),
    "cosine-alpha": ("tf.compat.v1.train.cosine_decay(0.1, global_step, 10, alpha=0.2)", (0, 5, 10, 11)),
    "cosine-restarts": ("tf.compat.v1.train.cosine_decay_restarts(0.1, global_step, 10, 2.0, 0.5, 0.1)",
                        (0, 1, 9, 10, 11, 29, 30, 31, 69, 70, 71, 500)),
    "cosine-restarts-t-mul-1": ("tf.compat.v1.train.cosine_decay_restarts(0.1, global_step, 10, t_mul=1.0)",
                                (0, 5, 9, 10, 11, 20, 25)),
    "piecewise": ("tf.compat.v1.train.piecewise_constant(global_step, [3, 7], [0.1, 0.05, 0.01])",
                  (0, 2, 3, 4, 6, 7, 8, 100)),
    "piecewise-one-boundary": ("tf.compat.v1.train.piecewise_constant_decay(global_step, boundaries=[5], "
                               "values=[1.0, 0.5], name='p')", (0, 4, 5, 6)),
}


def _rates(tf, call: str, steps, step_dtype="int64"):
    """(TF1's rates, the migrated text's rates) at ``steps``."""
    source = "import tensorflow as tf\n" + in_function(call)
    after = migrated(source, level="tf2")
    assert "tf.compat.v1" not in after and f"{S}." in after, after
    global_step = tf.Variable(0, dtype=getattr(tf, step_dtype))
    namespace = {"global_step": global_step}
    exec(compile(after, "<migrated>", "exec"), namespace)
    old_rate = eval(call, {"tf": tf, "global_step": global_step})  # eager TF 2: a function of no arguments
    old, new = [], []
    for step in steps:
        global_step.assign(step)
        old_value, new_value = old_rate(), namespace["learning_rate"]()
        assert old_value.dtype == new_value.dtype
        old.append(float(old_value))
        new.append(float(new_value))
    return old, new


@pytest.mark.parametrize("call,steps", NUMERIC.values(), ids=NUMERIC.keys())
def test_same_rates_as_tf1(call, steps):
    tf = pytest.importorskip("tensorflow")
    old, new = _rates(tf, call, steps)
    assert new == pytest.approx(old, rel=1e-7, abs=0)
    assert len(set(old)) > 1  # the steps do move the rate


def test_same_rates_with_an_int32_step():
    tf = pytest.importorskip("tensorflow")
    for call, steps in (NUMERIC["exponential-staircase"], NUMERIC["piecewise"], NUMERIC["polynomial-cycle"]):
        old, new = _rates(tf, call, steps, step_dtype="int32")
        assert new == pytest.approx(old, rel=1e-7, abs=0)


def test_the_comparison_can_fail():
    """natural_exp_decay's rate is not ExponentialDecay's decay_rate: without exp(-k) the rates differ."""
    tf = pytest.importorskip("tensorflow")
    global_step = tf.Variable(12, dtype=tf.int64)
    tf1 = float(tf.compat.v1.train.natural_exp_decay(0.1, global_step, 5, 0.5)())
    plain = float(tf.keras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.5)(global_step))
    assert plain != pytest.approx(tf1, rel=1e-3)


def test_tables_match_the_installed_signatures():
    """Each TF1 signature, without the step and with `learning_rate` renamed, starts the Keras 3 schedule's."""
    tf = pytest.importorskip("tensorflow")
    from kernel_helpers.rules.lr_decay_schedules import DECAYS, RENAMED

    for api, decay in DECAYS.items():
        tf1 = inspect.signature(getattr(tf.compat.v1.train, api.split(".")[1])).parameters
        assert tuple(tf1) == decay.params, api
        required = [name for name, p in tf1.items() if p.default is inspect.Parameter.empty]
        assert tuple(required) == decay.params[:decay.required], api
        if decay.keras is None:
            assert not hasattr(tf.keras.optimizers.schedules, api.split("_decay")[0].title().replace("_", "") + "Decay")
            continue
        keras = tuple(inspect.signature(getattr(tf.keras.optimizers.schedules, decay.keras)).parameters)
        expected = tuple(RENAMED.get(p, p) for p in decay.params if p != decay.step)
        assert keras[:len(expected)] == expected, api


def test_migrated_text_is_untouched_by_the_other_rules():
    """Every rewrite is a fixed point of the whole tf2 migration (unsafe fixes included)."""
    for before, after in [*CASES.values(), *UNSAFE.values()]:
        text = TF + in_function(after) if not after.startswith(TF) else after
        assert migrated(text, level="tf2", unsafe=True) == text
