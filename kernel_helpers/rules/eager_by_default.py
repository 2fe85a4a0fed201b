"""TFM104 eager-by-default."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register

#: the calls that switched a TF1 program to eager execution
SWITCHES = {"enable_eager_execution", "contrib.eager.enable_eager_execution"}


@register
class EagerByDefault(Rule):
    """`tf.enable_eager_execution()`: TF 2 executes eagerly from the start, so the call goes.

    ## What it does
    Removes a statement that only calls `tf.enable_eager_execution()` (or `tf.contrib.eager`'s), leaving `pass`
    where it was alone in a block.

    ## Why
    Eager execution is the default in TF 2; the switch lives on only as `tf.compat.v1.enable_eager_execution`.

    ## Example
    ```python
    import tensorflow as tf
    tf.enable_eager_execution()
    x = tf.constant(2.0)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    x = tf.constant(2.0)
    ```

    ## Fix safety
    Safe: TF 2 starts eager. A call that is part of an expression, or shares its line with other statements, is
    left to the compat rename. At level compat, or where level tf2 keeps a TF1 graph, the call stays.
    """

    code = "TFM104"
    name = "eager-by-default"
    level = "tf2"

    def check(self, cell):
        calls = {id(c.node): c for c in tf1_calls(cell) if c.api in SWITCHES}
        if not calls:
            return
        for body in _bodies(cell.tree):
            for stmt in body:
                if not (isinstance(stmt, ast.Expr) and id(stmt.value) in calls) or _shares_a_line(stmt, body):
                    continue
                start, end = cell.source.span(stmt)
                if len(body) == 1:
                    edits = [(start, end, "pass")]
                else:
                    lines = cell.source.line_starts
                    line_start = lines[stmt.lineno - 1]
                    line_end = lines[stmt.end_lineno] if stmt.end_lineno < len(lines) else len(cell.source.text)
                    edits = [(line_start, line_end, "")]
                yield self.finding(cell, start, end, "TF 2 executes eagerly from the start: "
                                   f"`tf.{calls[id(stmt.value)].api}()` goes", edits=edits)


def _bodies(tree: ast.Module):
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def _shares_a_line(stmt: ast.stmt, body: list[ast.stmt]) -> bool:
    return any(other is not stmt and other.lineno <= stmt.end_lineno and stmt.lineno <= other.end_lineno
               for other in body)
