"""TFM004 removed-keyword."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls, tf1_only_keywords
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register

@register
class RemovedKeyword(Rule):
    """A keyword argument that the TF 2 function no longer has.

    ## What it does
    Reports keywords of the TF1 signature that have no counterpart in TF 2 (neither kept nor renamed). The
    call then keeps TF1's function through `tf.compat.v1` (TFM005) rather than break on TF 2's.

    ## Why
    TF 2 raises `TypeError` on them; what replaces them depends on the argument (a layer, a separate
    call, or nothing), so a person has to decide.

    ## Example
    ```python
    import tensorflow as tf
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", use_cudnn_on_gpu=True)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    y = tf.compat.v1.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", use_cudnn_on_gpu=True)
    ```

    ## Fix safety
    No fix of its own: renamed keywords are fixed by TFM002; the others need a decision.
    """

    code = "TFM004"
    name = "removed-keyword"

    def check(self, cell):
        for call in tf1_calls(cell, compat=True):
            for arg in tf1_only_keywords(call.node, call.api):
                keyword = next(k for k in call.node.keywords if k.arg == arg)
                start = cell.source.offset(keyword.lineno, keyword.col_offset)
                yield self.finding(cell, start, start + len(arg),
                                   f"TF 2's `tf.{call.api}` has no keyword `{arg}`; the call keeps TF1's function "
                                   f"(`tf.compat.v1.{call.api}`) until `{arg}` is dealt with", Applicability.MANUAL)
