"""TFM002 renamed-keyword."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register


@register
class RenamedKeyword(Rule):
    """A keyword argument that TF 2 renamed.

    ## What it does
    Renames the keyword at the call site, e.g. `keep_dims` → `keepdims` and `reduction_indices` → `axis`
    for the reductions, `dim` → `axis` for `tf.nn.softmax`.

    ## Why
    TF 2 dropped the deprecated spellings; passing them raises `TypeError: got an unexpected keyword`.

    ## Example
    ```python
    import tensorflow as tf
    s = tf.reduce_sum(x, reduction_indices=[1], keep_dims=True)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    s = tf.reduce_sum(x, axis=[1], keepdims=True)
    ```

    ## Fix safety
    Safe: the TF1 function treated both spellings as the same argument.
    """

    code = "TFM002"
    name = "renamed-keyword"

    def check(self, cell):
        for call in tf1_calls(cell):
            renames = call.keyword_renames()
            for keyword in call.node.keywords:
                new = renames.get(keyword.arg)
                if new is None:
                    continue
                start = cell.source.offset(keyword.lineno, keyword.col_offset)
                end = start + len(keyword.arg)
                yield self.finding(cell, start, end,
                                   f"`tf.{call.api}`: keyword `{keyword.arg}` is `{new}` in TF 2",
                                   edits=[(start, end, new)])
