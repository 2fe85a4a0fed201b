"""Functions that look a variable up by its TF1 name (TFM230).

Hvass's tutorial 03B reads the kernels of its ``tf.layers`` back with

    def get_weights_variable(layer_name):
        with tf.variable_scope(layer_name, reuse=True):
            variable = tf.get_variable('kernel')
        return variable

    weights_conv1 = get_weights_variable(layer_name='layer_conv1')

Eager TF2 has no variable store to look in, and the lifted layers are Keras objects. Each call becomes the variable
the lifting made under that name (``weights_conv1 = net_conv2d.kernel``), and a comment replaces the function.
Only that shape is followed: one parameter naming the scope, one ``get_variable`` of a literal name under
``reuse=True``, its result returned; and every use of the function a call with a literal scope whose result is
bound to a name. Anything else that reuses variables in a function is refused rather than left to fail when it
runs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .model import GraphName, Kind, NotLiftable
from .syntax import body_without_docstring, by_parameter


@dataclass(frozen=True)
class Lookup:
    parameter: str
    variable: str  # the name given to ``get_variable``, under the scope the call names


class LookupFunctions:
    """The Lifter's reading of variable lookup functions (a mixin: it uses the Lifter's state)."""

    def lookup_function(self, cell, func: ast.FunctionDef) -> bool:
        """Records ``func`` and replaces its definition when it only looks a variable up by name (see the module's
        docstring)."""
        lookup = self.lookup_shape(cell, func)
        if lookup is None:
            return False
        self.check_lookup_uses(func.name)
        self.lookups[func.name] = lookup
        self.bind(GraphName(func.name, Kind.LOOKUP, cell.index, func), cell, func)
        self.plans[cell.index].replace[id(func)] = (f"# `{func.name}` looked variables up by their TF1 names: each "
                                                    "call is now the variable the lifting made")
        self.note(cell, "TFM230", func, f"`{func.name}` looks variables up by name: each call becomes the variable "
                                        "the lifting made under that name")
        func._lift_done = True
        return True

    def check_no_lookup(self, cell, func: ast.FunctionDef) -> None:
        """A variable factory (not a model function) that reuses variables by scope some other way is refused: it
        would look in a variable store eager TF2 does not have."""
        for node in ast.walk(func):
            if isinstance(node, ast.With) and any(self.reuse_scope(cell, item.context_expr) for item in node.items):
                raise NotLiftable(f"`{func.name}` reuses variables by scope in a way the lifting does not follow (it "
                                  "follows a function that only returns `tf.get_variable(name)` under "
                                  "`variable_scope(<its parameter>, reuse=True)`)", cell.index, node)

    def reuse_scope(self, cell, expr: ast.expr) -> bool:
        """``variable_scope(..., reuse=True)``."""
        return isinstance(expr, ast.Call) and cell.api.get(id(expr)) == "variable_scope" and any(
            k.arg == "reuse" and isinstance(k.value, ast.Constant) and k.value.value is True for k in expr.keywords)

    def lookup_shape(self, cell, func: ast.FunctionDef) -> Lookup | None:
        args = func.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults \
                or len(args.args) != 1:
            return None
        parameter = args.args[0].arg
        body = body_without_docstring(func)
        if not body or not isinstance(body[0], ast.With) or len(body[0].items) != 1 \
                or not self.reuse_scope(cell, body[0].items[0].context_expr):
            return None
        named = by_parameter(body[0].items[0].context_expr, ("name_or_scope",))
        if not (isinstance(named.get("name_or_scope"), ast.Name) and named["name_or_scope"].id == parameter
                and set(named) == {"name_or_scope", "reuse"} and body[0].items[0].optional_vars is None):
            return None
        inner, returned = body[0].body, None
        if len(inner) == 1 and isinstance(inner[0], ast.Return):
            returned, rest = inner[0].value, body[1:]
        elif len(inner) == 1 and isinstance(inner[0], ast.Assign) and len(inner[0].targets) == 1 \
                and isinstance(inner[0].targets[0], ast.Name) and len(body) == 2 and isinstance(body[1], ast.Return) \
                and isinstance(body[1].value, ast.Name) and body[1].value.id == inner[0].targets[0].id:
            returned, rest = inner[0].value, []
        else:
            return None
        if rest or not (isinstance(returned, ast.Call) and cell.api.get(id(returned)) == "get_variable"):
            return None
        named = by_parameter(returned, ("name",))
        if set(named) != {"name"} or not (isinstance(named["name"], ast.Constant)
                                          and isinstance(named["name"].value, str)):
            return None
        return Lookup(parameter, named["name"].value)

    def check_lookup_uses(self, name: str) -> None:
        """Every use of lookup function ``name`` is ``x = name(<literal>)`` at the top of a cell."""
        for cell in self.cells:
            if cell.tree is None:
                continue
            called = {id(stmt.value.func) for stmt in cell.tree.body
                      if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                      and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call)}
            for node in ast.walk(cell.tree):
                if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load) \
                        and id(node) not in called:
                    raise NotLiftable(f"`{name}` looks variables up by name and is used other than as "
                                      f"`x = {name}(<scope>)`", cell.index, node)

    def lookup_call(self, cell, name: str, call: ast.Call, stmt: ast.stmt) -> None:
        """``weights = get_weights_variable(layer_name='conv1')``: the variable made as ``conv1/kernel``."""
        lookup = self.lookups[call.func.id]
        scope = by_parameter(call, (lookup.parameter,))
        if set(scope) != {lookup.parameter} or not (isinstance(scope[lookup.parameter], ast.Constant)
                                                    and isinstance(scope[lookup.parameter].value, str)):
            raise NotLiftable(f"`{call.func.id}` is not given a literal scope name", cell.index, call)
        tf1_name = self.graph_name(ast.Constant(f"{scope[lookup.parameter].value}/{lookup.variable}"), True)
        found = self.variable_names.get(tf1_name) if tf1_name is not None else None
        if found is None:
            raise NotLiftable(f"`{call.func.id}` looks up `{tf1_name}`, a variable the lifting does not know by "
                              "that name", cell.index, call)
        self.bind(GraphName(name, Kind.VARIABLE, cell.index, stmt, alias=True), cell, stmt)
        start, end = cell.span(call)
        self.plans[cell.index].edits.append((start, end, found))
        self.note(cell, "TFM230", call, f"the variable `{tf1_name}` is `{found}`")
