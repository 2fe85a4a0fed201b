"""TFM017 xw-plus-b."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified


@register
class XwPlusB(Rule):
    """`tf.nn.xw_plus_b(x, weights, biases)`: `tf.nn.bias_add(tf.matmul(x, weights), biases)` in TF 2.

    ## What it does
    Rewrites the call to the two ops it was made of, leaving its arguments as they are written.

    ## Why
    `xw_plus_b` is not in the TF 2 API (only `tf.compat.v1.nn.xw_plus_b`), and it was a shorthand: TF1 computed
    exactly `bias_add(matmul(x, weights), biases)`.

    ## Example
    ```python
    import tensorflow as tf
    logits = tf.nn.xw_plus_b(hidden, w, b)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    logits = tf.nn.bias_add(tf.matmul(hidden, w), b)
    ```

    ## Fix safety
    Safe: the ops TF1's function ran. Calls with keyword or unpacked arguments are left to the compat rename.
    """

    code = "TFM017"
    name = "xw-plus-b"
    level = "graph"  # the two ops run in graph mode too
    priority = 20

    def check(self, cell):
        for call in tf1_calls(cell):
            node = call.node
            if call.api != "nn.xw_plus_b" or len(node.args) != 3 or node.keywords:
                continue
            bias_add, imports = qualified(cell, "tensorflow.nn.bias_add")
            matmul, _ = qualified(cell, "tensorflow.matmul")
            func_start, func_end = cell.source.span(node.func)
            x_start, _ = cell.source.span(node.args[0])
            _, weights_end = cell.source.span(node.args[1])
            edits = [(func_start, func_end, bias_add), (x_start, x_start, f"{matmul}("),
                     (weights_end, weights_end, ")")]
            yield self.finding(cell, func_start, func_end,
                               "`tf.nn.xw_plus_b(x, w, b)` is `tf.nn.bias_add(tf.matmul(x, w), b)`",
                               edits=edits, imports=imports)
