"""TFM011 cast-helpers."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

DTYPES = {
    "to_float": "float32", "to_double": "float64", "to_int32": "int32", "to_int64": "int64",
    "to_bfloat16": "bfloat16", "to_complex64": "complex64", "to_complex128": "complex128",
}


@register
class CastHelpers(Rule):
    """`tf.to_float(x)` and its siblings, removed in TF 2.

    ## What it does
    Rewrites `tf.to_float`, `tf.to_double`, `tf.to_int32`, `tf.to_int64`, `tf.to_bfloat16`,
    `tf.to_complex64` and `tf.to_complex128` to `tf.cast` with the matching dtype.

    ## Why
    The helpers were thin wrappers of `tf.cast` and were dropped from the TF 2 API.

    ## Example
    ```python
    import tensorflow as tf
    acc = tf.reduce_mean(tf.to_float(correct))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    acc = tf.reduce_mean(tf.cast(correct, tf.float32))
    ```

    ## Fix safety
    Safe: it is the call the helpers made.
    """

    code = "TFM011"
    name = "cast-helpers"
    priority = 20

    def check(self, cell):
        for call in tf1_calls(cell):
            dtype = DTYPES.get(call.api)
            if dtype is None:
                continue
            node = call.node
            cast, imports = qualified(cell, "tensorflow.cast")
            dtype_text, _ = qualified(cell, f"tensorflow.{dtype}")
            func_start, func_end = cell.source.span(node.func)
            edits = [(func_start, func_end, cast)]
            if node.args:
                after = cell.source.span(node.args[0])[1]
                edits.append((after, after, f", {dtype_text}"))
            elif node.keywords:
                after = cell.source.span(node.keywords[-1].value)[1]
                edits.append((after, after, f", dtype={dtype_text}"))
            else:
                continue
            yield self.finding(cell, func_start, func_end, f"`tf.{call.api}(x)` is `tf.cast(x, tf.{dtype})`",
                               edits=edits, imports=imports)
