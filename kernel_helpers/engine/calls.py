"""Calls of TF1 API functions in a cell, with the table entry of the function called."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache

from kernel_helpers.api import curated, tables

from .index import CellIndex


@cache
def keyword_renames(api: str) -> dict[str, str]:
    """Generated renames, or those of the curated equivalent when the function has one."""
    renamed = curated().rename(api)
    return dict(renamed.keywords) if renamed is not None else tables().keyword_renames(api)


@dataclass(frozen=True)
class ApiCall:
    node: ast.Call
    api: str        # v1 name of the callee, e.g. "nn.dropout"
    tables: object  # kernel_helpers.api.ApiTables

    def keyword_renames(self) -> dict[str, str]:
        return keyword_renames(self.api)


def tf1_calls(cell: CellIndex, *, compat: bool = False) -> list[ApiCall]:
    """Calls whose callee resolves to a TF1 API function: v1 names, and with ``compat`` also
    ``tf.compat.v1`` ones (for rules that go further than the compat level)."""
    key = ("tf1_calls", compat)
    if key not in cell.memo:
        t = tables()
        namespaces = ("v1", "compat.v1") if compat else ("v1",)
        cell.memo[key] = [ApiCall(ref.call, ref.api, t) for ref in cell.refs
                          if ref.call is not None and ref.namespace in namespaces and ref.api]
    return cell.memo[key]


def argument(call: ast.Call, name: str, position: int | None) -> ast.expr | None:
    """The expression passed for parameter ``name`` (by keyword, or at ``position``)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and position < len(call.args) and not any(
            isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def operand(text: str, node: ast.expr) -> str:
    """``text`` of ``node``, parenthesised unless it already binds tighter than any operator."""
    atomic = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple, ast.Dict)
    if isinstance(node, atomic) or (isinstance(node, ast.Constant) and not isinstance(node.value, complex)
                                    and not (isinstance(node.value, (int, float)) and node.value < 0)):
        return text
    return f"({text})"


def keyword_span(cell, call: ast.Call, name: str) -> tuple[int, int] | None:
    """Span of ``name=value`` in the call, for edits that rename or drop a keyword."""
    for keyword in call.keywords:
        if keyword.arg == name:
            start = cell.source.offset(keyword.lineno, keyword.col_offset)
            return start, cell.source.span(keyword.value)[1]
    return None


#: removed keywords that a special-case rule rewrites (so the call can still move to TF 2)
REWRITTEN_ELSEWHERE = {("nn.dropout", "keep_prob")}


def tf1_only_keywords(call: ast.Call, api: str) -> list[str]:
    """Keywords of the call that only TF1's function has: TF 2's namesake would reject them, so such a
    call keeps the TF1 function (``tf.compat.v1``) instead of moving to its TF 2 successor."""
    removed = tables().removed_keywords(api)
    renamed = keyword_renames(api)
    return [k.arg for k in call.keywords
            if k.arg in removed and k.arg not in renamed and (api, k.arg) not in REWRITTEN_ELSEWHERE]


def _is_string(node: ast.expr) -> bool:
    """A string by its syntax: a literal, an f-string, or a literal formatted or concatenated."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):  # "..." % x, or "..." + x and x + "...", which are strings or raise
        return (isinstance(node.op, (ast.Mod, ast.Add)) and _is_string(node.left)) or \
            (isinstance(node.op, ast.Add) and _is_string(node.right))
    return False


#: TF1 names that tf.compat.v1 keeps because TF 2's namesake accepts less, and the test that a call gives only
#: what TF 2's accepts too. `tf.device` took a device function as well as a name; TF 2's takes a name only.
SAME_IN_TF2_WHEN = {"device": lambda call: len(call.args) == 1 and not call.keywords and _is_string(call.args[0])}


def same_in_tf2(call: ast.Call | None, api: str) -> bool:
    """Whether this call of a TF1 name that moves to ``tf.compat.v1`` means the same under TF 2's namesake."""
    test = SAME_IN_TF2_WHEN.get(api)
    return call is not None and test is not None and test(call)


def method_calls(cell: CellIndex, methods) -> list[ast.Call]:
    """Calls ``<object>.<method>(...)`` of one of ``methods`` in a notebook that imports TensorFlow: the Keras model
    methods TF1-era code calls (a method of that name in a notebook without TensorFlow is not Keras's)."""
    from .context import is_tf

    if not any(method in cell.source.text for method in methods):
        return []  # every call spells its method: a word search spares the walk in almost every cell
    if not (cell.context.touches_tensorflow or any(is_tf(q) for q in cell.cell_bindings.values())):
        return []
    return [node for node in ast.walk(cell.tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr in methods]
