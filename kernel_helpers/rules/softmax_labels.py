"""TFM012 softmax-labels-gradient."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import argument, tf1_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified, spelled

NAMES = ("nn.softmax_cross_entropy_with_logits",)


@register
class SoftmaxLabelsGradient(Rule):
    """`tf.nn.softmax_cross_entropy_with_logits`: TF 2 back-propagates into the labels.

    ## What it does
    Wraps the `labels` argument in `tf.stop_gradient`, so the TF 2 function computes the same gradients
    as the TF1 one did.

    ## Why
    The TF1 function treated labels as constants; its TF 2 namesake (TF1's `_v2` variant) lets gradients
    flow into them, which changes training when the labels are themselves computed (distillation, GANs).

    ## Example
    ```python
    import tensorflow as tf
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y_), logits=y)
    ```

    ## Fix safety
    Safe: `stop_gradient` restores exactly the TF1 gradient.
    """

    code = "TFM012"
    name = "softmax-labels-gradient"
    priority = 10

    def check(self, cell):
        refs = {id(r.call): r for r in cell.refs if r.call is not None}
        for call in tf1_calls(cell):
            if call.api not in NAMES:
                continue
            if call.node.args:
                # TF1 >= 1.0 refused positional arguments here; TF 0.x code passed (logits, labels), and TF 2
                # would silently read them as (labels, logits): a wrong loss, not an error. TFM030 names the two
                # of TF 0.x's common call; other shapes are left to the user.
                start, end = cell.source.span(call.node)
                yield self.finding(cell, start, end, "positional arguments: TF 0.x meant (logits, labels), TF 2 "
                                   "reads (labels, logits); name them `labels=` and `logits=`", Applicability.MANUAL)
                continue
            labels = argument(call.node, "labels", None)
            if labels is None or _stops_gradient(labels, cell):
                continue
            stop, imports = qualified(cell, "tensorflow.stop_gradient")
            start, end = cell.source.span(labels)
            edits = [(start, end, f"{stop}({cell.source.segment(labels)})")]
            ref = refs[id(call.node)]
            callee, more = spelled(cell, ref, "tensorflow.nn.softmax_cross_entropy_with_logits")
            if callee != cell.source.text[ref.start:ref.end]:
                edits.append((ref.start, ref.end, callee))
            yield self.finding(cell, start, end,
                               "TF 2 back-propagates into `labels`; `tf.stop_gradient` keeps TF1's gradients",
                               edits=edits, imports=imports + more)


def _stops_gradient(node: ast.expr, cell) -> bool:
    return isinstance(node, ast.Call) and any(
        r.node is node.func and r.api == "stop_gradient" for r in cell.refs)
