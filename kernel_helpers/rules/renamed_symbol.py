"""TFM001 renamed-symbol."""

from __future__ import annotations

from kernel_helpers.engine.moves import moves, report
from kernel_helpers.engine.registry import Rule, register


@register
class RenamedSymbol(Rule):
    """A TF1 name whose function or class lives under another name in TF 2.

    ## What it does
    Rewrites the name to its TF 2 home, found in the API tables generated from TensorFlow's own export
    metadata. It follows every import form and alias: `tf.log`, `from tensorflow import log`, and an
    unaliased `import tensorflow` are all seen.

    ## Why
    TF 2 removed the TF1 top-level aliases: `tf.log` is gone and `tf.math.log` is the same function.

    ## Example
    ```python
    import tensorflow as tf
    y = tf.log(tf.random_normal([3]))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    y = tf.math.log(tf.random.normal([3]))
    ```

    ## Fix safety
    Safe: the new name is the same object in TensorFlow (checked when the tables are generated).
    """

    code = "TFM001"
    name = "renamed-symbol"
    priority = 80

    def check(self, cell):
        for move in moves(cell):
            if move.family == "renamed":
                new = move.target.replace("tensorflow", "tf", 1)
                yield report(self, cell, move, f"`{move.old}` is `{new}` in TF 2")
