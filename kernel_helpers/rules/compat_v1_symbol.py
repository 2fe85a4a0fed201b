"""TFM005 compat-v1-symbol."""

from __future__ import annotations

from kernel_helpers.engine.moves import moves, report
from kernel_helpers.engine.registry import Rule, register


@register
class CompatV1Symbol(Rule):
    """A TF1 name with no TF 2 counterpart, kept working through `tf.compat.v1`.

    ## What it does
    Rewrites the name to `tf.compat.v1.<name>`, which keeps the TF1 behaviour on a TF 2 install. At level
    `tf2`, the execution-model and training rules then replace most of these with idiomatic TF 2.

    ## Why
    Names such as `tf.placeholder`, `tf.Session` or `tf.train.AdamOptimizer` no longer exist at the top of
    the TF 2 API; referring to them raises `AttributeError`.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 3])
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    x = tf.compat.v1.placeholder(tf.float32, [None, 3])
    ```

    ## Fix safety
    Safe: `tf.compat.v1` holds the very same TF1 objects.
    """

    code = "TFM005"
    name = "compat-v1-symbol"
    priority = 90

    def check(self, cell):
        for move in moves(cell):
            if move.family == "compat":
                new = move.target.replace("tensorflow", "tf", 1)
                yield report(self, cell, move, f"`{move.old}` has no TF 2 equivalent; `{new}` keeps its TF1 behaviour")
