"""Notebook functions that read the notebook's tensors (a VAE's ``vae_loss`` reading ``z_mean`` and ``z_std``).

In TF1 such a function built ops on the graph tensors it read. After lifting, those tensors are functions of their
placeholders, which the function does not have: so it gets them as keyword-only parameters (``def vae_loss(
x_reconstructed, x_true, *, input_image)``), reads each tensor as a call (``z_std(input_image)``), and every call of
it, all inside tensor definitions, passes them on (``vae_loss(decoder(input_image), input_image,
input_image=input_image)``). Refused when it is also called where the graph is run, or calls another such function.
"""

from __future__ import annotations

import ast
import re

from ..index import function_locals
from . import emit
from .model import Kind, NotLiftable


class ClosureLifting:
    """The Lifter's reading of functions that read the notebook's tensors (a mixin: it uses the Lifter's state)."""

    def closure_call(self, cell, call: ast.Call, edits: list) -> set[str]:
        """The graph names a call of such a function reads, after passing it the placeholders they need."""
        name = call.func.id
        params, reads = self.closure(name)
        _, end = cell.span(call)
        given = "" if not (call.args or call.keywords) else ", "
        edits.append((end - 1, end - 1, given + ", ".join(f"{p}={p}" for p in params)))
        self.closure_calls.add(id(call.func))
        return reads

    def closure(self, name: str) -> tuple[tuple[str, ...], set[str]]:
        """(the placeholders the function gets, the graph names it reads), rewriting it the first time."""
        if name in self.closures:
            return self.closures[name]
        func, cell = self.functions[name], self.function_cells[name]
        local = function_locals(func)
        reads = [n for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                 and n.id not in local and self.kind(n.id) in (Kind.TENSOR, Kind.PLACEHOLDER)]
        params = self.ordered({p for node in reads for p in self.names[node.id].params})
        args = func.args
        if args.vararg or args.kwarg or func.decorator_list or set(params) & local:
            raise NotLiftable(f"`{name}` reads the notebook's tensors and takes * or ** arguments, is decorated or "
                              "has a local named like a placeholder they need", cell.index, func)
        for node in ast.walk(func):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id != name \
                    and node.func.id in self.functions and any(
                        self.kind(r) in (Kind.TENSOR, Kind.PLACEHOLDER) for r in self.function_reads(node.func.id)):
                raise NotLiftable(f"`{name}` reads the notebook's tensors and calls `{node.func.id}`, which does too",
                                  cell.index, node)
        plan = self.plans[cell.index]
        plan.edits.append(_parameters_edit(cell, func, params))
        for node in reads:
            graph = self.names[node.id]
            if graph.kind is Kind.TENSOR:
                start, end = cell.span(node)
                plan.edits.append((start, end, emit.call(graph)))
        self.closure_reads |= {id(node) for node in reads}
        self.closures[name] = params, {self.names[node.id].name for node in reads}
        self.note(cell, "TFM100", func, f"`{name}` reads the notebook's tensors: it is given "
                                        f"{', '.join(f'`{p}`' for p in params)} to compute them")
        return self.closures[name]

    def check_closure_calls(self) -> None:
        """Every call of a function that reads the notebook's tensors must be one a tensor definition made."""
        if not self.closures:
            return
        for cell in self.cells:
            for node in ast.walk(cell.tree) if cell.tree is not None else ():
                if isinstance(node, ast.Name) and node.id in self.closures and id(node) not in self.closure_calls:
                    raise NotLiftable(f"`{node.id}` reads the notebook's tensors and is used where the graph is run",
                                      cell.index, node)


def _parameters_edit(cell, func: ast.FunctionDef, params: tuple[str, ...]) -> tuple[int, int, str]:
    """The edit that adds ``params`` to ``func`` as keyword-only parameters."""
    args = func.args
    last = [*args.posonlyargs, *args.args, *args.defaults, *args.kwonlyargs, *(d for d in args.kw_defaults if d)]
    names = ", ".join(params)
    if last:
        end = max(cell.span(node)[1] for node in last)
        return end, end, f", {names}" if args.kwonlyargs else f", *, {names}"
    start, _ = cell.span(func)
    opening = re.match(r"def\s+\w+\s*\(", cell.segment(func))
    position = start + opening.end()
    return position, position, f"*, {names}"
