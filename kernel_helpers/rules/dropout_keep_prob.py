"""TFM010 dropout-keep-prob."""

from __future__ import annotations

from kernel_helpers.engine.calls import keyword_span, operand, tf1_calls
from kernel_helpers.engine.registry import Rule, register


@register
class DropoutKeepProb(Rule):
    """`tf.nn.dropout(x, keep_prob=p)`: TF 2 takes the drop rate instead.

    ## What it does
    Rewrites `keep_prob=p` to `rate=1 - p`. A positional `keep_prob` is first named by TFM003.

    ## Why
    TF 2's `tf.nn.dropout` has no `keep_prob`; `rate` is the probability of dropping a unit.

    ## Example
    ```python
    import tensorflow as tf
    h = tf.nn.dropout(h, keep_prob=keep)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    h = tf.nn.dropout(h, rate=1 - keep)
    ```

    ## Fix safety
    Safe: `rate = 1 - keep_prob` is the identity TF1 itself used to convert between the two.
    """

    code = "TFM010"
    name = "dropout-keep-prob"
    priority = 20

    def check(self, cell):
        for call in tf1_calls(cell):
            if call.api != "nn.dropout":
                continue
            span = keyword_span(cell, call.node, "keep_prob")
            if span is None:
                continue
            value = next(k.value for k in call.node.keywords if k.arg == "keep_prob")
            text = operand(cell.source.segment(value), value)
            yield self.finding(cell, span[0], span[1], "`keep_prob` is `rate = 1 - keep_prob` in TF 2",
                               edits=[(span[0], span[1], f"rate=1 - {text}")])
