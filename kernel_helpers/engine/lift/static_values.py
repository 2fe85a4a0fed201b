"""Values TF1 knew before it ran the graph: static shapes (``layer_flat.get_shape()[1:4].num_elements()``).

TF1 code sizes layers from the static shapes of the tensors it built. The Hvass tutorials' ``flatten_layer``
returns the flattened tensor and ``num_features``, which the next layer's weights are made with. After lifting,
the tensor is a function of its placeholders, and eager TF2 knows shapes only of values it computed. So such a
value is worked out once, where TF1 worked it out, by tracing the expression with the placeholders' specs
(``tf.TensorSpec(shape, dtype)``: the shapes TF1 knew, ``None`` where it did not). Tracing runs no op; the value is
the Python value the expression gave while being traced, as TF1's was (``static_value``, a helper written once).

A value counts as static when it reads tensors only through ``.shape`` or ``.get_shape()`` and calls no TensorFlow
op; a notebook function's result item when that holds for the name it returns (``num_features``).
"""

from __future__ import annotations

import ast

from . import emit
from .model import GraphName, Kind

HELPER = '''def static_value(function, *specs):
    """What TF1 knew of a value before running its graph (a static shape): `function` is traced with the specs
    of its inputs, not run."""
    values = []
    {tf}.function(lambda *args: values.append(function(*args))).get_concrete_function(*specs)
    return values[0]
'''

SHAPES = {"shape", "get_shape"}


class StaticValueLifting:
    """The Lifter's reading of static shapes (a mixin: it uses the Lifter's state)."""

    def static_definition(self, cell, name: str, value: ast.expr, stmt: ast.stmt) -> bool:
        """``num_features = layer_flat.get_shape()[1:4].num_elements()``: a static value, traced once."""
        if not self.reads_only_shapes(cell, value, set()):
            return False
        deps, body, _, _ = self.written(cell, value)
        if not any(self.kind(d) in (Kind.TENSOR, Kind.PLACEHOLDER) for d in deps):
            return False  # the shapes of eager values: the expression works as it is
        line = self.static_value_line(cell, name, deps, body, stmt)
        if line is None:
            return False
        self.plans[cell.index].replace[id(stmt)] = line
        return True

    def static_value_line(self, cell, name: str, deps: set[str], body: str, stmt: ast.stmt) -> str | None:
        """Binds ``name`` to the static value of ``body`` (an eager expression of ``deps``) and returns its line;
        None when it cannot be traced."""
        params = self.ordered({p for d in deps for p in self.names[d].params})
        text = self.static_text(cell, params, body, stmt)
        if text is None:
            return None
        self.bind(GraphName(name, Kind.STATIC, cell.index, stmt, deps=frozenset(deps)), cell, stmt)
        self.note(cell, "TFM100", stmt, f"`{name}` is a static value: traced once with the placeholders' shapes")
        return text[0] + f"{name} = {text[1]}"

    def static_text(self, cell, params: tuple[str, ...], body: str, node: ast.AST) -> tuple[str, str] | None:
        """(the helper's definition the first time, ``static_value(lambda x: body, tf.TensorSpec(...))``), or None
        when a placeholder's shape is not known, or it is a flag: a lifted flag is a Python value that the body may
        branch on, which a traced symbolic one could not do."""
        specs = self.placeholder_specs(params)
        if specs is None:
            return None
        helper = "".join(self.static_helper(cell, node))
        return helper, f"static_value(lambda {', '.join(params)}: {body}{''.join(', ' + s for s in specs)})"

    def static_helper(self, cell, node: ast.AST) -> list[str]:
        """The helper's definition, to write before its first use; none after."""
        if "static_value" in self.defined_classes:
            return []
        self.defined_classes.add("static_value")
        self.claim(cell, node, ["static_value"], "static shapes")
        return [HELPER.replace("{tf}", self.tf)]

    def traced_shape(self, cell, node: ast.expr) -> tuple[str, str] | None:
        """(the helper's definition the first time, the static shape of a lifted tensor or placeholder ``node`` whose
        shape the source does not show), to build a layer where TF1 made its variables; None when it cannot be
        traced."""
        graph = self.names.get(node.id) if isinstance(node, ast.Name) else None
        if graph is None or graph.kind not in (Kind.TENSOR, Kind.PLACEHOLDER) or graph.structured:
            return None
        return self.static_text(cell, graph.params, f"{emit.call(graph)}.shape", node)

    def reads_only_shapes(self, cell, value: ast.expr, static: set[str], params: set[str] | None = None) -> bool:
        """Whether ``value`` reads graph values (or, in a function, ``params``) only through their static shapes,
        calls no TensorFlow op, and reads the ``static`` names freely."""
        shape_reads = {id(n.value) for n in ast.walk(value) if isinstance(n, ast.Attribute) and n.attr in SHAPES}
        found = False
        for node in ast.walk(value):
            if isinstance(node, ast.Call) and id(node) in cell.api:
                return False
            if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) or node.id in static:
                continue
            tracked = node.id in params if params is not None else self.kind(node.id) is not None
            if tracked:
                if id(node) not in shape_reads:
                    return False
                found = True
        return found or bool(static & {n.id for n in ast.walk(value) if isinstance(n, ast.Name)})

    def static_items(self, name: str) -> set[int]:
        """The positions of the items of ``return a, b`` (the notebook function's last statement) that are static
        values."""
        func, cell = self.functions[name], self.function_cells[name]
        last = func.body[-1] if func.body else None
        if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Tuple)):
            return set()
        params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
        stores = [n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        static: set[str] = set()
        for stmt in func.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and stores.count(stmt.targets[0].id) == 1 \
                    and self.reads_only_shapes(cell, stmt.value, static, params | set(stores) - static):
                static.add(stmt.targets[0].id)
        return {i for i, item in enumerate(last.value.elts) if isinstance(item, ast.Name) and item.id in static}
