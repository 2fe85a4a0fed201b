"""TFM330 lr-decay-schedules."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from kernel_helpers.engine.calls import operand
from kernel_helpers.engine.context import TF
from kernel_helpers.engine.edits import apply_edits
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified


@dataclass(frozen=True)
class Decay:
    """A TF1 learning-rate decay and the Keras 3 schedule that computes the same value from the step."""

    #: the Keras 3 class (None: Keras 3 has none)
    keras: str | None
    #: the TF1 function's parameters, in order (positional arguments are named after them)
    params: tuple[str, ...]
    #: how many leading parameters TF1 required
    required: int
    #: the parameter that is the step (the schedule is called with it)
    step: str = "global_step"
    #: natural_exp_decay: TF's own is ExponentialDecay with decay_rate = exp(-decay_rate)
    natural: bool = False


_RATE = ("learning_rate", "global_step", "decay_steps", "decay_rate", "staircase", "name")
_LINEAR_COSINE = ("learning_rate", "global_step", "decay_steps", "num_periods", "alpha", "beta", "name")
_PIECEWISE = Decay("PiecewiseConstantDecay", ("x", "boundaries", "values", "name"), 3, step="x")

#: TF1 names (v1 API, also under tf.compat.v1) -> the Keras 3 schedule. Once the step and `name` are left out,
#: each TF1 signature is its schedule's, but for `learning_rate`, which Keras calls `initial_learning_rate`.
DECAYS = {
    "train.exponential_decay": Decay("ExponentialDecay", _RATE, 4),
    "train.natural_exp_decay": Decay("ExponentialDecay", _RATE, 4, natural=True),
    "train.inverse_time_decay": Decay("InverseTimeDecay", _RATE, 4),
    "train.polynomial_decay": Decay("PolynomialDecay", ("learning_rate", "global_step", "decay_steps",
                                                        "end_learning_rate", "power", "cycle", "name"), 3),
    "train.cosine_decay": Decay("CosineDecay", ("learning_rate", "global_step", "decay_steps", "alpha", "name"), 3),
    "train.cosine_decay_restarts": Decay("CosineDecayRestarts", ("learning_rate", "global_step", "first_decay_steps",
                                                                 "t_mul", "m_mul", "alpha", "name"), 3),
    "train.piecewise_constant": _PIECEWISE,
    "train.piecewise_constant_decay": _PIECEWISE,
    "train.linear_cosine_decay": Decay(None, _LINEAR_COSINE, 3),
    "train.noisy_linear_cosine_decay": Decay(None, ("learning_rate", "global_step", "decay_steps", "initial_variance",
                                                    "variance_decay", "num_periods", "alpha", "beta", "name"), 3),
}
RENAMED = {"learning_rate": "initial_learning_rate"}
#: the parameter Keras 3 checks to be positive when the schedule is made (in Python: a graph tensor fails)
CHECKED = ("decay_steps", "first_decay_steps")


@register
class LrDecaySchedules(Rule):
    """`tf.train.exponential_decay` and the other TF1 decays: a Keras schedule called with the step.

    ## What it does
    At level `tf2`, rewrites `tf.train.exponential_decay`, `natural_exp_decay`, `inverse_time_decay`,
    `polynomial_decay`, `cosine_decay`, `cosine_decay_restarts` and `piecewise_constant` (also under
    `tf.compat.v1`) to `tf.keras.optimizers.schedules.ExponentialDecay`, `InverseTimeDecay`, `PolynomialDecay`,
    `CosineDecay`, `CosineDecayRestarts` or `PiecewiseConstantDecay`, called with the step: the step argument
    moves to the call, `learning_rate=` is spelled `initial_learning_rate=`, `name` is dropped, and
    `natural_exp_decay`'s rate `k` becomes `tf.math.exp(-k)`. Outside a function, a decay assigned to a name or
    passed as an argument becomes a `lambda:` (unsafe). `linear_cosine_decay` and `noisy_linear_cosine_decay`,
    which Keras 3 lacks, and calls without the step are reported.

    ## Why
    The TF1 decays are `tf.compat.v1` only, and in eager TF 2 they return a function of no arguments instead of
    the rate. The lifted graph (TFM100) computes a learning rate in a function that the optimizer calls at each
    step; the schedule called with the step returns the rate itself.

    ## Example
    ```python
    import tensorflow as tf
    def learning_rate():
        return tf.train.exponential_decay(0.1, global_step, 100, 0.96, staircase=True)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    def learning_rate():
        return tf.keras.optimizers.schedules.ExponentialDecay(0.1, 100, 0.96, staircase=True)(global_step)
    ```

    ## Fix safety
    Safe inside a function (where the lifted graph puts it, and where TF1 built a tensor of the step): TF's own
    TF1 functions build these very schedules (`natural_exp_decay` one of `exp(-k)`), and the Keras 3 ones give
    bit-equal rates (tested against `tf.compat.v1.train` on the steps around every boundary, with `staircase`
    and `cycle`). Unsafe outside a function, where eager TF 2 returned a function of no arguments: the `lambda:`
    returns the same rates but reads its names when called, and graph code that ran the tensor needs the
    lifting; other uses there are reported. Unsafe when `decay_steps` is computed by a TensorFlow call: Keras
    checks in Python that it is positive, which a tensor inside a `tf.function` fails. A TF1 eager notebook
    (`tf.enable_eager_execution()`) that made a decay inside a function got a function from it, and gets the
    rate now. No fix for a call without the step (TF1 required it) or with `*args`/`**kwargs`, nor for
    `linear_cosine_decay` and `noisy_linear_cosine_decay`. Graph code kept with `disable_v2_behavior` does not
    reach this rule (it is migrated at level compat); there Keras 3 would refuse a reference-variable step in
    `PiecewiseConstantDecay`.
    """

    code = "TFM330"
    name = "lr-decay-schedules"
    level = "tf2"
    priority = 15

    def check(self, cell):
        for ref in cell.refs:
            if ref.call is None or ref.call.func is not ref.node or ref.namespace not in ("v1", "compat.v1"):
                continue
            decay = DECAYS.get(ref.api)
            if decay is None:
                continue
            if ref.base_qual == f"{TF}.compat.v1" and cell.root_alias() is None:
                continue  # `import tensorflow.compat.v1 as tf`: the notebook runs as TF1 (the execution-model rules')
            finding = self._rewrite(cell, ref, decay)
            if finding is not None:
                yield finding

    def _rewrite(self, cell, ref, decay: Decay):
        call = ref.call
        spelled = ref.qualname.replace(TF, "tf", 1)
        start, end = cell.source.span(call)
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return self.finding(cell, start, end, f"`{spelled}` is given `*args` or `**kwargs`: the step cannot be "
                                "told apart; call a `tf.keras.optimizers.schedules` schedule with it by hand",
                                Applicability.MANUAL)
        items = _arguments(cell, call, decay.params)
        if items is None:
            return None  # too many arguments or a keyword TF1 never took: a TypeError in TF1 already
        given = {item[0]: item[1] for item in items}
        if decay.keras is None:
            return self.finding(cell, start, end, f"`{spelled}` has no Keras 3 schedule: keep "
                                f"`tf.compat.v1.train.{ref.api.rpartition('.')[2]}` (in eager TF 2 it returns a "
                                "function of no arguments) or write the formula as a function of the step",
                                Applicability.MANUAL)
        step = given.get(decay.step)
        if step is None or isinstance(step, ast.Constant) and step.value is None:
            return self.finding(cell, start, end, f"`{spelled}` is not given `{decay.step}`, which TF1 required; "
                                f"call `tf.keras.optimizers.schedules.{decay.keras}` with the step",
                                Applicability.MANUAL)
        if any(param not in given for param in decay.params[:decay.required]):
            return None  # a TypeError in TF1
        if cell.root_alias() is None and cell.bound("tf") is not None:
            return None  # `tf` names something else and there is no alias to write TensorFlow with
        schedules, imports = qualified(cell, "tensorflow.keras.optimizers.schedules")
        edits, replacement = _edits(cell, call, decay, items, f"{schedules}.{decay.keras}")
        message = f"`{spelled}` is `tf.keras.optimizers.schedules.{decay.keras}` called with the step in TF 2"
        unsafe = []
        if not _in_function(cell, call):
            if not _lambda_fits(cell, call):
                return self.finding(cell, start, end, f"{message}; outside a function eager TF 2 returns a function "
                                    "here, not the rate: compute the rate where it is used (a function of the "
                                    "step) by hand", Applicability.MANUAL)
            edits[0] = (edits[0][0], edits[0][1], "lambda: " + edits[0][2])
            replacement = "lambda: " + replacement
            unsafe.append("outside a function it becomes a `lambda:`, as eager TF 2 returned a function here "
                          "(graph code that ran the tensor needs the lifting)")
        checked = next((given[p] for p in CHECKED if p in given), None)
        if checked is not None and _calls_tensorflow(cell, checked):
            unsafe.append("Keras checks in Python that `decay_steps` is positive, which a tensor inside a "
                          "`tf.function` fails")
        if decay.natural:
            message += " (of the rate `exp(-decay_rate)`, as TF's own `natural_exp_decay` computes it)"
        if unsafe:
            message += "; " + "; ".join(unsafe)
        return self.finding(cell, start, end, message, Applicability.UNSAFE if unsafe else Applicability.SAFE,
                            edits=edits, imports=imports, replacement=replacement)


def _arguments(cell, call: ast.Call, params: tuple[str, ...]):
    """[(parameter, value node, start, end, by keyword)] in source order, or None when TF1 would have raised a
    TypeError (too many arguments, a keyword it never took, a parameter given twice)."""
    items = []
    for position, node in enumerate(call.args):
        if position >= len(params):
            return None
        start, end = cell.source.span(node)
        items.append((params[position], node, start, end, False))
    for keyword in call.keywords:
        if keyword.arg not in params:
            return None
        start = cell.source.offset(keyword.lineno, keyword.col_offset)
        items.append((keyword.arg, keyword.value, start, cell.source.span(keyword.value)[1], True))
    if len({item[0] for item in items}) < len(items):
        return None
    return sorted(items, key=lambda item: item[2])


def _edits(cell, call: ast.Call, decay: Decay, items, new_name: str) -> tuple[list[tuple[int, int, str]], str]:
    """The edits (the callee's first, the one that calls the schedule with the step last) and the new call's
    text."""
    source = cell.source
    call_start, call_end = source.span(call)
    edits = [(*source.span(call.func), new_name)]
    removed = {decay.step, "name"}
    last_kept = max(i for i, item in enumerate(items) if item[0] not in removed)
    for i, (param, node, start, end, by_keyword) in enumerate(items):
        if param in removed:
            if i < last_kept:
                edits.append((start, items[i + 1][2], ""))  # `x, ` up to the next argument
            elif i == last_kept + 1:
                edits.append((items[last_kept][3], items[-1][3], ""))  # `, x, name=...` after the last one kept
        elif param in RENAMED and by_keyword:
            edits.append((start, start + len(param), RENAMED[param]))
        elif param == "decay_rate" and decay.natural:
            exp, _ = qualified(cell, "tensorflow.math.exp")
            value_start = source.span(node)[0]
            edits.append((value_start, end, f"{exp}(-{operand(source.text[value_start:end], node)})"))
    step = next(item[1] for item in items if item[0] == decay.step)
    edits.append((call_end, call_end, f"({source.segment(step)})"))
    text = apply_edits(source.text[call_start:call_end], [(s - call_start, e - call_start, r) for s, e, r in edits])
    return edits, text


def _enclosing_statement(cell, call: ast.Call) -> ast.stmt | None:
    """The cell's top-level statement around the call: the helpers below walk only that one (a decay is rare,
    a whole-cell walk per cell is not cheap)."""
    return next((stmt for stmt in cell.tree.body if stmt.lineno <= call.lineno <= stmt.end_lineno), None)


def _in_function(cell, call: ast.Call) -> bool:
    """Whether the call runs when a function (or lambda) is called, not when the cell runs."""
    stmt = _enclosing_statement(cell, call)
    if stmt is None:
        return False
    for node in ast.walk(stmt):
        bodies = node.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else \
            [node.body] if isinstance(node, ast.Lambda) else ()
        if any(inner is call for body in bodies for inner in ast.walk(body)):
            return True
    return False


def _parent(cell, call: ast.Call) -> ast.AST | None:
    stmt = _enclosing_statement(cell, call)
    if stmt is None:
        return None
    return next((node for node in ast.walk(stmt) if any(child is call for child in ast.iter_child_nodes(node))), None)


def _lambda_fits(cell, call: ast.Call) -> bool:
    """Whether the call is a value a function of no arguments can replace: assigned to a name, or passed."""
    parent = _parent(cell, call)
    if isinstance(parent, ast.Assign) and parent.value is call:
        return True
    if isinstance(parent, ast.keyword):
        return True
    return isinstance(parent, ast.Call) and any(a is call for a in parent.args)


def _calls_tensorflow(cell, node: ast.expr) -> bool:
    start, end = cell.source.span(node)
    return any(r.call is not None and start <= r.start and r.end <= end for r in cell.refs)
