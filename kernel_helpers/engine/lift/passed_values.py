"""Graph values passed to a notebook function that runs them: ``plot_conv_layer(layer=layer_conv1, image=image1)``.

Tutorials write helpers that take a tensor or a variable and run it: ``values = session.run(layer,
feed_dict={x: [image]})``, ``w = session.run(weights)``. After lifting, a tensor is a function of its placeholders
and a variable is an eager value, so the helper can be given either as it was: the argument stays, and the run
inside becomes ``layer([image]).numpy()`` or ``weights.numpy()``. That holds only when every call passes the same
sort of value: variables, or tensors of the same placeholders, which the run feeds. A helper used other than by
calls, or given anything else there, is refused.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from .model import GraphName, Kind, NotLiftable
from .syntax import argument, by_parameter

#: the graph values a call may give a parameter the helper runs
PASSED = (Kind.TENSOR, Kind.VARIABLE, Kind.STATIC)


class PassedValueLifting:
    """The Lifter's reading of helpers that run a graph value they are given (a mixin: it uses the Lifter's state)."""

    def read_passed_values(self) -> None:
        """Before the runs are rewritten: which parameters of which helpers the notebook passes graph values to."""
        for name, func in self.functions.items():
            fetched = self.fetched_parameters(func)
            if not fetched:
                continue
            calls = self.calls_of(name)
            if not calls:
                raise NotLiftable(f"`{name}` runs a value it is given, and the notebook never calls it, so what that "
                                  "is cannot be known", self.function_cells[name].index, func)
            for param in fetched:
                given = [self.passed_argument(call, func, param) for call in calls]
                kinds = {self.kind(node.id) for _, node in given}
                if len(kinds) > 1 and Kind.TENSOR in kinds:
                    raise NotLiftable(f"`{name}` runs its `{param}`, which its calls give both tensors and other "
                                      "values", *given[0])
                self.passed_values[(name, param)] = [self.names[node.id] for _, node in given]
                self.passed_arguments |= {id(node) for _, node in given}

    def fetched_parameters(self, func: ast.FunctionDef) -> set[str]:
        """The parameters ``func`` runs: fetched by a session (alone or in a list) or evaluated."""
        params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
        fetched = set()
        for node in ast.walk(func):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = node.func.value
            if node.func.attr == "eval" and isinstance(receiver, ast.Name):
                fetched.add(receiver.id)
            elif node.func.attr == "run" and isinstance(receiver, ast.Name) and self.kind(receiver.id) is Kind.SESSION:
                fetch = argument(node, "fetches", 0)
                items = fetch.elts if isinstance(fetch, (ast.List, ast.Tuple)) else [fetch]
                fetched |= {item.id for item in items if isinstance(item, ast.Name)}
        return fetched & params

    def calls_of(self, name: str) -> list[tuple[int, ast.Call]]:
        """Every call of the notebook function ``name``, with its cell; refused when the name is used otherwise."""
        calls, callees = [], set()
        for cell in self.cells:
            if cell.tree is None:
                continue
            for node in ast.walk(cell.tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
                    calls.append((cell.index, node))
                    callees.add(id(node.func))
            for node in ast.walk(cell.tree):
                if isinstance(node, ast.Name) and node.id == name and id(node) not in callees:
                    raise NotLiftable(f"`{name}` runs a value it is given, and is used other than by calls",
                                      cell.index, node)
        return calls

    def passed_argument(self, site: tuple[int, ast.Call], func: ast.FunctionDef, param: str) -> tuple[int, ast.Name]:
        index, call = site
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise NotLiftable(f"`{func.name}` is called with * or ** arguments", index, call)
        positional = [a.arg for a in [*func.args.posonlyargs, *func.args.args]]
        node = by_parameter(call, positional).get(param)
        if not (isinstance(node, ast.Name) and self.kind(node.id) in PASSED):
            raise NotLiftable(f"`{func.name}` runs its `{param}`, and a call gives it something other than a tensor "
                              "or variable of the graph", index, call)
        return index, node

    def passed_value(self, fetch: ast.expr) -> list[GraphName] | None:
        """The graph values the calls pass to the parameter ``fetch`` names, inside the helper being read."""
        if not (isinstance(fetch, ast.Name) and self.function_names):
            return None
        return self.passed_values.get((self.function_names[-1], fetch.id))

    def passed_fetch(self, cell, fetch: ast.Name, feeds: dict[str, str], call) -> str:
        """``session.run(layer, feed_dict={x: [image]})`` of a passed tensor: ``layer([image]).numpy()``, the same
        text for every value the calls pass."""
        texts = {self.value(cell, replace(graph, name=fetch.id), feeds, call)
                 for graph in self.passed_value(fetch)}
        if len(texts) > 1:
            raise NotLiftable(f"the calls give `{fetch.id}` tensors of different placeholders, or of different "
                              "structure", cell.index, fetch)
        return texts.pop()
