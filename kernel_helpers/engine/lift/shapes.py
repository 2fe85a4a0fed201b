"""Static shapes of lifted tensors, as far as the source shows them.

Keras builds a layer's variables at its first call, but TF1 created them with the graph, in the cell that
defined the layer. A lifted layer whose input shape is known is built where it is defined, so its
variables are created, and their initial values drawn, in the same order and the same cell as TF1's
(what Compare and ``--verify`` line up). Unknown shapes leave the layer to build at its first call.
"""

from __future__ import annotations

import ast
import math

Shape = tuple  # of int | None

#: ops that keep their first argument's shape
ELEMENTWISE = {"nn.relu", "nn.relu6", "nn.elu", "nn.selu", "nn.softplus", "nn.softsign", "nn.sigmoid", "nn.tanh",
               "sigmoid", "tanh", "nn.leaky_relu", "nn.dropout", "identity", "nn.crelu"}


def literal(node: ast.expr | None, constants=None) -> Shape | None:
    """``[None, 784]`` or ``(None, 2)`` written as a list or tuple; a dimension that is neither a literal number
    nor one of the notebook's ``constants`` (``[None, SEQ_LEN, 1]`` with ``SEQ_LEN`` bound twice) is unknown."""
    if not isinstance(node, (ast.List, ast.Tuple)) or any(isinstance(e, ast.Starred) for e in node.elts):
        return None
    return tuple(dimension(e, constants) for e in node.elts)


def dimension(node: ast.expr | None, constants=None) -> int | None:
    """A size written as an int literal or as a name the notebook binds once, to an int literal. ``constants`` is
    that table, or a function that reads it (called only for a name: most shapes are all literals)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name) and constants is not None:
        return (constants() if callable(constants) else constants).get(node.id)
    return None


def int_constants(trees: list[ast.Module]) -> dict[str, int]:
    """Names bound exactly once in the whole notebook, at the top level of a cell, to an int literal (``N_HIDDEN =
    24``): sizes the shapes may use. Only module-level statements can rebind them (a function's assignments are its
    own, a ``global`` statement aside), so statements are read, not expressions."""
    found, stores = {}, {}
    for tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and isinstance(stmt.value, ast.Constant) and type(stmt.value.value) is int:
                found[stmt.targets[0].id] = stmt.value.value
        for stmt in _statements(tree.body, module=True):
            for name in _stored(stmt):
                stores[name] = stores.get(name, 0) + 1
    return {name: value for name, value in found.items() if stores.get(name) == 1}


def _statements(body: list[ast.stmt], module: bool):
    """The statements of a block and of the blocks in it; inside a function or class only its ``global``
    declarations, which bind module names."""
    for stmt in body:
        if module or isinstance(stmt, ast.Global):
            yield stmt
        inner = module and not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(stmt, field, None) or [], inner)
        for handler in getattr(stmt, "handlers", None) or []:
            yield from _statements(handler.body, inner)


def _stored(stmt: ast.stmt) -> list[str]:
    """The names a statement binds at module level (a ``global`` declaration counts twice: never a constant)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, ast.Global):
        return list(stmt.names) * 2
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in stmt.names]
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
    else:
        return []
    # (A walrus rebinding a size at module level is not looked for: a layer built from a wrong size fails loudly.)
    return [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]


def layer_output(keras_class: str, arguments: dict[str, ast.expr], shape: Shape | None) -> Shape | None:
    if shape is None or not shape:
        return None
    if keras_class in ("Dropout", "BatchNormalization"):
        return shape
    if keras_class == "Dense":
        units = arguments.get("units")
        if isinstance(units, ast.Constant) and type(units.value) is int:
            return (*shape[:-1], units.value)
        return (*shape[:-1], None)
    if keras_class == "Flatten":
        rest = shape[1:]
        return (shape[0], math.prod(rest)) if all(d is not None for d in rest) else (shape[0], None)
    return None


def text(shape: Shape) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
