"""TFM003 positional-arguments."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register


@register
class PositionalArguments(Rule):
    """Positional arguments of a function whose parameter order changed in TF 2.

    ## What it does
    Names the positional arguments from the first position whose parameter differs between the TF1 and
    TF 2 signatures, with their TF1 names, so that the call means the same in TF 2.

    ## Why
    Some functions reordered their parameters: in TF1 `tf.argmax(input, axis)` had `axis` second but
    other functions such as `tf.nn.conv2d` moved `filter`; a positional call would silently bind the
    wrong value.

    ## Example
    ```python
    import tensorflow as tf
    y = tf.nn.dropout(x, 0.5, None, 7)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    y = tf.nn.dropout(x, rate=1 - 0.5, noise_shape=None, seed=7)
    ```

    ## Fix safety
    Safe: keywords bind exactly what the positions bound in TF1. A call with `*args` cannot be rewritten
    and is reported for a manual check.
    """

    code = "TFM003"
    name = "positional-arguments"
    priority = 40

    def check(self, cell):
        for call in tf1_calls(cell):
            order = call.tables.reorder(call.api)
            first = call.tables.reorder_first_changed(call.api)
            if not order or first is None or len(call.node.args) <= first:
                continue
            args = call.node.args
            if any(isinstance(a, ast.Starred) for a in args):
                start, end = cell.source.span(call.node)
                yield self.finding(cell, start, end,
                                   f"`tf.{call.api}` changed its argument order; check this `*args` call by hand",
                                   Applicability.MANUAL)
                continue
            edits = []
            for position, arg in enumerate(args):
                if position < first or position >= len(order):
                    continue  # positions before `first` bind the same in TF 2; extra ones are TF's own error
                start, _ = cell.source.span(arg)
                edits.append((start, start, f"{order[position]}="))
            if edits:
                start, end = cell.source.span(call.node)
                yield self.finding(cell, start, end,
                                   f"`tf.{call.api}` changed its argument order in TF 2; name the arguments",
                                   edits=edits)
