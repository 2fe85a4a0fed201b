"""Graphs built inside a function (``def main(_):`` with placeholders and a session) are lifted inside it.

Each call of such a function built a fresh graph in TF1 (``reset_default_graph``, new variables, a new session),
so its body is a small notebook of its own: a second ``Lifter`` reads it as one cell and writes its edits into
the same plan. The lifted variables, tensor functions and train steps are then locals of the function, made
again at every call, which is exactly TF1's fresh graph per call.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..index import function_locals
from .model import NotLiftable

#: a function that makes one of each builds and runs a graph of its own
SESSIONS = {"Session", "InteractiveSession"}
DEFINITIONS = {"placeholder", "placeholder_with_default", "Variable", "get_variable"}


class GraphFunctionLifting:
    """The Lifter's reading of functions that build their own graph (a mixin: it uses the Lifter's state)."""

    def graph_function_definition(self, cell, stmt: ast.stmt) -> bool:
        if not isinstance(stmt, ast.FunctionDef) or not self.builds_own_graph(cell, stmt):
            return False
        local = function_locals(stmt)
        outer = sorted({node.id for node in ast.walk(stmt) if isinstance(node, ast.Name)
                        and node.id not in local and self.kind(node.id) is not None})
        if outer:
            return False  # it runs the notebook's graph too: the notebook-level lifting reads it
        if stmt.decorator_list:
            raise NotLiftable(f"`{stmt.name}` builds a graph and is decorated", cell.index, stmt)
        if any(isinstance(node, (ast.Global, ast.Nonlocal)) for node in ast.walk(stmt)):
            raise NotLiftable(f"`{stmt.name}` builds a graph and declares `global` names", cell.index, stmt)
        inner = type(self)(self.cells, self.context)
        inner.plans, inner._taken, inner.tf = self.plans, self.taken, self.tf
        inner.run_cells([replace(cell, tree=ast.Module(body=stmt.body, type_ignores=[]))])
        self.note(cell, "TFM100", stmt, f"the graph `{stmt.name}` builds is lifted inside it: each call makes its "
                                        "variables again, as TF1's fresh graph did")
        stmt._lift_done = True
        return True

    def builds_own_graph(self, cell, stmt: ast.FunctionDef) -> bool:
        apis = {cell.api.get(id(node)) for node in ast.walk(stmt) if isinstance(node, ast.Call)}
        return bool(apis & SESSIONS and apis & DEFINITIONS)
