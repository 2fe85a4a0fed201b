"""TFM020 contrib-successor."""

from __future__ import annotations

from kernel_helpers.engine.moves import moves, report
from kernel_helpers.engine.registry import Rule, register


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

        for move in moves(cell):
            if move.family == "contrib":
                entry = curated().contrib(move.old[len("tf."):])
                new = move.target.replace("tensorflow", "tf", 1)
                note = f" ({entry.note})" if entry is not None and entry.note else ""
                yield report(self, cell, move, f"`{move.old}` is `{new}` now{note}")
