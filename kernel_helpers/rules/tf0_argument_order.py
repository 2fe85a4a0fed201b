"""TFM030 tf0-argument-order."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register


def _int_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


@register
class Tf0ArgumentOrder(Rule):
    """`tf.concat(axis, values)`, `tf.split(axis, n, value)` and `softmax_cross_entropy_with_logits(logits, labels)`:
    the argument order of TF 0.x.

    ## What it does
    Puts the arguments in the order TF 1.0 and later expect when the call can only be TF 0.x's: the first
    argument is an integer literal, which no list of tensors or tensor to split can be.
    `tf.concat(1, [a, b])` becomes `tf.concat([a, b], 1)` and `tf.split(1, 2, x)` becomes `tf.split(x, 2, 1)`.
    The cross-entropy losses of `tf.nn` (`softmax_`, `sparse_softmax_` and `sigmoid_cross_entropy_with_logits`)
    given two positional arguments get them by keyword as TF 0.x read them: `(logits, labels)` becomes
    `(labels=labels, logits=logits)`.

    ## Why
    TF 1.0 swapped them. The oldest tutorials still use the TF 0.x order, which fails on any later
    TensorFlow with an error that does not say why. The losses are worse: TF 1 refused positional arguments, but
    TF 2 takes them as `(labels, logits)`, so a TF 0.x call runs and trains on the wrong loss.

    ## Example
    ```python
    import tensorflow as tf
    h = tf.concat(1, [a, b])
    parts = tf.split(0, 3, x)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(logits, labels)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    h = tf.concat([a, b], 1)
    parts = tf.split(x, 3, 0)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    ```

    ## Fix safety
    Safe: an integer literal first argument is only valid in the TF 0.x signature, and the swapped call
    means what it meant there; a loss called with positional arguments raised on every TF 1 release (its first
    parameter was `_sentinel`), so only TF 0.x code calls it so. Calls with keywords or other shapes are left
    alone. `tf.nn.nce_loss` and `tf.nn.sampled_softmax_loss` also swapped `inputs` and `labels` in TF 1.0;
    positional arguments cannot show which order a call meant, so only one whose names say so (`embed` or `inputs`
    third, `labels` fourth) is reported, with an unsafe fix that passes them by keyword.
    """

    code = "TFM030"
    name = "tf0-argument-order"
    priority = 30

    def check(self, cell):
        for call in tf1_calls(cell):
            node, text = call.node, cell.source.segment
            if call.api in SAMPLED_LOSSES:
                yield from self.sampled_loss(cell, call)
                continue
            if call.api in CROSS_ENTROPIES:
                yield from self.cross_entropy(cell, call)
                continue
            if node.keywords or not node.args or not _int_literal(node.args[0]):
                continue
            if call.api == "concat" and len(node.args) == 2:
                axis, values = node.args
                new = [text(values), text(axis)]
            elif call.api == "split" and len(node.args) == 3:
                axis, count, value = node.args
                new = [text(value), text(count), text(axis)]
            else:
                continue
            start, end = cell.source.span(node.args[0])[0], cell.source.span(node.args[-1])[1]
            yield self.finding(cell, start, end, f"`tf.{call.api}` takes TF 0.x's argument order here; "
                               "TF 1.0 swapped it", edits=[(start, end, ", ".join(new))])

    def cross_entropy(self, cell, call):
        """``tf.nn.softmax_cross_entropy_with_logits(logits, labels)``: TF 0.x's positional order, by keyword."""
        args = call.node.args
        if len(args) != 2 or any(isinstance(a, ast.Starred) for a in args):
            return
        logits, labels = (cell.source.segment(a) for a in args)
        start, end = cell.source.span(args[0])[0], cell.source.span(args[1])[1]
        yield self.finding(cell, start, end, f"`tf.{call.api}` is given TF 0.x's positional `(logits, labels)`, which "
                           "TF 2 would read as `(labels, logits)`", edits=[(start, end,
                                                                             f"labels={labels}, logits={logits}")])

    def sampled_loss(self, cell, call):
        """``tf.nn.nce_loss(weights, biases, embed, labels, ...)``: TF 1.0 put ``labels`` before ``inputs``. Positional
        arguments are ambiguous, so only names that say which is which (``embed``/``inputs`` third, ``labels``
        fourth) are reported, with an unsafe fix that passes both by keyword."""
        args = call.node.args
        if len(args) < 4 or any(isinstance(a, ast.Starred) for a in args):
            return
        third, fourth = (cell.source.segment(a).lower() for a in args[2:4])
        if not (("embed" in third or "input" in third) and "label" in fourth) or "label" in third:
            return
        start, end = cell.source.span(args[2])[0], cell.source.span(args[3])[1]
        fixed = f"labels={cell.source.segment(args[3])}, inputs={cell.source.segment(args[2])}"
        rest = args[4:]
        if len(rest) > len(SAMPLED_REST):
            return
        if rest:
            # the arguments after the swapped pair go by keyword too, since a positional one may not follow them
            end = cell.source.span(rest[-1])[1]
            fixed += "".join(f", {name}={cell.source.segment(a)}" for name, a in zip(SAMPLED_REST, rest))
        yield self.finding(cell, start, end, f"`tf.{call.api}` is given its inputs before its labels, TF 0.x's "
                           "order; TF 1.0 takes labels first, so the names say this call means the other way round",
                           Applicability.UNSAFE, edits=[(start, end, fixed)])


#: losses TF 0.x called as ``(logits, labels)`` and TF 1 only by keyword
CROSS_ENTROPIES = {"nn.softmax_cross_entropy_with_logits", "nn.sparse_softmax_cross_entropy_with_logits",
                   "nn.sigmoid_cross_entropy_with_logits"}

#: losses whose ``inputs`` and ``labels`` TF 1.0 swapped, and their parameters after those two
SAMPLED_LOSSES = {"nn.nce_loss", "nn.sampled_softmax_loss"}
SAMPLED_REST = ("num_sampled", "num_classes", "num_true", "sampled_values", "remove_accidental_hits")
