"""TFM020 contrib-successor."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import argument
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.moves import moves, report
from kernel_helpers.engine.registry import Rule, register

#: successors that take none of the call's arguments but these: any other argument means a different
#: function (``xavier_initializer(uniform=False)`` is not Glorot-uniform; TFM015 proposes the normal variant)
_ONLY_ARGUMENTS = {
    "tf.contrib.layers.xavier_initializer": {"seed"},
    "tf.contrib.layers.xavier_initializer_conv2d": {"seed"},
}


@register
class ContribSuccessor(Rule):
    """A `tf.contrib` name whose code lives on in a maintained package or in core TensorFlow.

    ## What it does
    Rewrites uses and imports of `tf.contrib` to the successor from the curated map: `tf.contrib.slim`
    and most of `tf.contrib.layers` → `tf_slim`, `tf.contrib.rnn` cells → `tf.compat.v1.nn.rnn_cell`,
    `tf.contrib.keras` → `tf.keras`, and so on. It adds the import the successor needs.

    ## Why
    `tf.contrib` was removed in TF 2.0; `import tensorflow.contrib` fails.

    ## Example
    ```python
    import tensorflow as tf
    import tensorflow.contrib.slim as slim
    net = slim.fully_connected(x, 10)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    import tf_slim as slim
    net = slim.fully_connected(x, 10)
    ```

    ## Fix safety
    Safe: the successors are the same code, moved. `tf_slim` needs the `tf-slim` package.
    """

    code = "TFM020"
    name = "contrib-successor"
    priority = 70

    def check(self, cell):
        from kernel_helpers.api import curated

        calls = {(r.start, r.end): r.call for r in cell.refs if r.call is not None and r.call.func is r.node}
        for move in moves(cell):
            if move.family == "contrib":
                entry = curated().contrib(move.old[len("tf."):])
                new = move.target.replace("tensorflow", "tf", 1)
                note = f" ({entry.note})" if entry is not None and entry.note else ""
                if not _arguments_carry_over(move.old, calls.get((move.start, move.end))):
                    yield self.finding(cell, move.start, move.end, f"`{move.old}` is `{new}` now, but not with "
                                       f"these arguments{note}", Applicability.MANUAL)
                    continue
                yield report(self, cell, move, f"`{move.old}` is `{new}` now{note}")


def _arguments_carry_over(old: str, call: ast.Call | None) -> bool:
    allowed = _ONLY_ARGUMENTS.get(old)
    if allowed is None or call is None:
        return True
    uniform = argument(call, "uniform", 0)
    if uniform is not None and not (isinstance(uniform, ast.Constant) and uniform.value is True):
        return False
    return all(k.arg in allowed | {"uniform", "dtype"} for k in call.keywords) and len(call.args) <= 1
