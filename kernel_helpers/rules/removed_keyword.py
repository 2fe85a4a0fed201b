"""TFM004 removed-keyword."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register

#: removed keywords that a special-case rule rewrites, so reporting them here would only repeat it
REWRITTEN_ELSEWHERE = {("nn.dropout", "keep_prob")}


@register
class RemovedKeyword(Rule):
    """A keyword argument that the TF 2 function no longer has.

    ## What it does
    Reports keywords of the TF1 signature that have no counterpart in TF 2 (neither kept nor renamed).

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
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", use_cudnn_on_gpu=True)
    ```

    ## Fix safety
    No fix of its own: renamed keywords are fixed by TFM002; the others need a decision.
    """

    code = "TFM004"
    name = "removed-keyword"

    def check(self, cell):
        for call in tf1_calls(cell):
            removed = call.tables.removed_keywords(call.api)
            renamed = call.keyword_renames()
            for keyword in call.node.keywords:
                arg = keyword.arg
                if arg in removed and arg not in renamed and (call.api, arg) not in REWRITTEN_ELSEWHERE:
                    start = cell.source.offset(keyword.lineno, keyword.col_offset)
                    yield self.finding(cell, start, start + len(arg),
                                       f"`tf.{call.api}` has no keyword `{arg}` in TF 2", Applicability.MANUAL)
