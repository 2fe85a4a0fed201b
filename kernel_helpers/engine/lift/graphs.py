"""Notebooks that build several graphs, one after another, each lifted on its own.

Course notebooks build a graph per exercise: ``graph = tf.Graph()`` and ``with graph.as_default():`` again, or
``tf.reset_default_graph()`` before the next model, reusing the names ``weights``, ``loss`` and ``optimizer``. In
TF1 each graph was a world of its own: a tensor of one could not be used in another. So the notebook is cut into
segments where a graph starts, and each segment is lifted by a lifter of its own, as one notebook. That is safe as
long as no segment reads what another made: a name that another segment bound to a graph value (or a function of
it that uses one) must be bound again in the segment before it is read there; otherwise the notebook is refused.

The lifting tries the whole notebook first; segments are its second try, for notebooks it refused.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from .model import CellPlan, NotLiftable


def graph_start(cell, stmt: ast.stmt) -> bool:
    """``tf.reset_default_graph()``, ``graph = tf.Graph()`` or ``with tf.Graph().as_default():`` at the top level."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return cell.api.get(id(stmt.value)) == "reset_default_graph"
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
        return cell.api.get(id(stmt.value)) == "Graph"
    if isinstance(stmt, ast.With):
        return any(isinstance(item.context_expr, ast.Call) and isinstance(item.context_expr.func, ast.Attribute)
                   and item.context_expr.func.attr == "as_default"
                   and isinstance(item.context_expr.func.value, ast.Call)
                   and cell.api.get(id(item.context_expr.func.value)) == "Graph" for item in stmt.items)
    return False


def segments(cells) -> list[list]:
    """The cells of each segment, each holding only its top-level statements (empty cells left out)."""
    found: list[list[tuple]] = [[]]
    for cell in cells:
        if cell.tree is None:
            continue
        for stmt in cell.tree.body:
            if graph_start(cell, stmt) and found[-1]:
                found.append([])
            found[-1].append((cell, stmt))
    result = []
    for part in found:
        by_cell: dict[int, list[ast.stmt]] = {}
        for cell, stmt in part:
            by_cell.setdefault(cell.index, []).append(stmt)
        result.append([replace(cells[i], tree=ast.Module(body=body, type_ignores=[])) for i, body in by_cell.items()])
    return result


def lift_segments(lifter_class, cells, context) -> list[CellPlan] | None:
    """The plans of a notebook lifted segment by segment, or None when fewer than two segments build a graph."""
    from .scan import TRIGGERS, check_parsed

    check_parsed(cells)  # a segment's cells are those that parse: the others must not hide graph code
    parts = segments(cells)
    building = TRIGGERS | {"Variable", "get_variable"}
    builds = [part for part in parts
              if any(cell.api.get(id(node)) in building for cell in part for node in ast.walk(cell.tree))]
    if len(builds) < 2:
        return None  # one graph after all (imports and data before a `reset_default_graph()`): nothing to gain
    plans = [CellPlan() for _ in cells]
    shared = None
    owned = []
    for part in parts:
        lifter = lifter_class(cells, context)
        lifter.plans = plans
        if shared is not None:  # names taken and helpers written are the notebook's, across segments
            lifter._taken, lifter.defined_classes = shared.taken, shared.defined_classes
        lifter.run_cells(part)
        shared = shared or lifter
        owned.append(_owned(lifter, part))
    for index, part in enumerate(parts):
        others = set().union(*(names for i, names in enumerate(owned) if i != index))
        _check_reads(part, others)
    return plans


def _owned(lifter, part) -> set[str]:
    """The names a segment bound to graph values, and its functions that read them."""
    names = set(dict.keys(lifter.names)) | set(lifter.names.aliases)
    functions = [stmt for cell in part for stmt in cell.tree.body if isinstance(stmt, ast.FunctionDef)]
    return names | {f.name for f in functions if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(f))}


def _check_reads(part, others: set[str]) -> None:
    """Refused when the segment reads a name another segment owns before binding it itself."""
    bound: set[str] = set()
    later = set().union(*(_bound(stmt) for cell in part for stmt in cell.tree.body))
    for cell in part:
        for stmt in _in_order(cell.tree.body):
            for node, in_function in _loads(stmt):
                # A function reads its globals when it is called: what the segment binds by then.
                if node.id in others and node.id not in (later if in_function else bound):
                    raise NotLiftable(f"`{node.id}` is read in one graph but made in another", cell.index, node)
            bound |= _bound(stmt)


#: statements whose blocks run in order after their header
BLOCKS = (ast.With, ast.AsyncWith, ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try)


def _in_order(body: list[ast.stmt]):
    """The statements in the order they run, a block's header (as a copy without its blocks) before its body."""
    for stmt in body:
        if not isinstance(stmt, BLOCKS):
            yield stmt
            continue
        blocks = {"body", "orelse", "finalbody", "handlers"}
        header = type(stmt)(**{f: ([] if f in blocks else getattr(stmt, f)) for f in stmt._fields})
        yield header
        for field in ("body", "handlers", "orelse", "finalbody"):
            for child in getattr(stmt, field, ()):
                yield from (_in_order(child.body) if isinstance(child, ast.ExceptHandler) else _in_order([child]))


def _loads(stmt: ast.stmt):
    """(name node, whether inside a function) for every name a top-level statement reads."""
    stack = [(stmt, False)]
    while stack:
        node, in_function = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node, in_function
        deeper = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        stack.extend((child, deeper) for child in ast.iter_child_nodes(node))


def _bound(stmt: ast.stmt) -> set[str]:
    """The names a top-level statement binds, in its blocks too, but not inside the functions it defines."""
    names: set[str] = set()
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        stack.extend(ast.iter_child_nodes(node))
    return names
