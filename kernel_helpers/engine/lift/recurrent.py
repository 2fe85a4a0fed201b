"""TF1 RNN cells and ``tf.nn.dynamic_rnn`` in the lifting (TFM220): Keras cells with TF1's math (``rnn.py``).

A cell constructor becomes the notebook's own Keras cell (defined once, before the first one); a
``outputs, state = tf.nn.dynamic_rnn(cell, inputs, ...)`` becomes a ``tf.keras.layers.RNN`` object made once,
built where TF1 made the cell's variables when the input shape is known (so aligned draws line up), and two
functions of the run's feeds, ``outputs(...)`` and ``state(...)``, which call the ``dynamic_rnn`` helper.
"""

from __future__ import annotations

import ast

from . import emit, rnn, shapes
from .model import REWRITTEN, GraphName, Kind, NotLiftable


def _dynamic_rnn(cell, value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and cell.api.get(id(value)) in rnn.RUNS


class RecurrentLifting:
    """The Lifter's reading of RNN cells and runs (a mixin: it uses the Lifter's state)."""

    def recurrent_definition(self, cell, stmt: ast.stmt) -> bool:
        if isinstance(stmt, ast.FunctionDef):
            return self.cell_factory(cell, stmt)
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
            return False
        target, value = stmt.targets[0], stmt.value
        api = cell.api.get(id(value)) if isinstance(value, ast.Call) else None
        factory = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
            and value.func.id in self.cell_factories
        if api in rnn.CELL_KINDS or api in rnn.MULTI or factory:
            if not isinstance(target, ast.Name):
                raise NotLiftable("an RNN cell is bound to something other than a name", cell.index, stmt)
            self.rnn_cell(cell, target.id, value, api, stmt)
        elif api in rnn.RUNS:
            self.rnn_run(cell, target, value, api, stmt)
        else:
            return False
        stmt._lift_done = True
        return True

    def cell_factory(self, cell, func: ast.FunctionDef) -> bool:
        """``def lstm_cell(): return rnn.BasicLSTMCell(n)``, called in ``MultiRNNCell([lstm_cell() for ...])``: the
        function stays, making the notebook's Keras cells (each call a new one, as each TF1 call was)."""
        constructors = [n for n in ast.walk(func) if isinstance(n, ast.Call)
                        and (cell.api.get(id(n)) in rnn.CELL_KINDS or cell.api.get(id(n)) in rnn.MULTI)]
        if not constructors:
            return False
        outermost = [c for c in constructors if not any(c is not o and any(c is n for n in ast.walk(o))
                                                        for o in constructors)]
        for node in ast.walk(func):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and self.kind(node.id) in REWRITTEN:
                raise NotLiftable(f"`{node.id}` ({self.kind(node.id).value}) is read by `{func.name}`, which makes "
                                  "RNN cells once, when it is called", cell.index, node)
        for node in ast.walk(func):
            reason = rnn.refusal(cell.api[id(node)]) if isinstance(node, ast.Call) and id(node) in cell.api else None
            if reason:
                raise NotLiftable(reason, cell.index, node)
        for call in outermost:
            start, end = cell.span(call)
            text = rnn.construct(cell.api[id(call)], call, cell.segment, self.tf,
                                 api_of=lambda node: cell.api.get(id(node)))
            self.plans[cell.index].edits.append((start, end, text))
            self.note(cell, "TFM220", call, f"`{func.name}` makes `{text.split('(', 1)[0]}`, a Keras cell with "
                                            "TF1's weights and math")
        self.cell_factories.add(func.name)
        func._lift_done = True
        return True

    def rnn_kinds(self) -> set[str]:
        return {rnn.CELL_KINDS[api] for c in self.cells for api in c.api.values() if api in rnn.CELL_KINDS}

    def rnn_cell(self, cell, name: str, value: ast.Call, api: str, stmt: ast.stmt) -> None:
        inner = [n for n in ast.walk(value) if isinstance(n, ast.Call) and n is not value]
        for node in inner:
            if cell.api.get(id(node)) not in rnn.CELL_KINDS:
                self.check_plain(cell, node)
        for argument in [*value.args, *(k.value for k in value.keywords)]:
            if not isinstance(argument, (ast.List, ast.Tuple, ast.ListComp)):
                self.check_plain(cell, argument)
        text = rnn.construct(api, value, cell.segment, self.tf, api_of=lambda node: cell.api.get(id(node))) \
            if api is not None else cell.segment(value)  # a call of the notebook's cell factory
        # The cell's variables are listed through the RNN layer that runs it, so only once.
        self.bind(GraphName(name, Kind.LAYER, cell.index, stmt, trainable=False), cell, stmt)
        self.rnn_cells.add(name)
        lines = []
        if "dynamic_rnn" not in self.defined_classes:
            self.defined_classes.add("dynamic_rnn")
            kinds = self.rnn_kinds()
            for taken in ("dynamic_rnn", "LSTMStateTuple", *map(rnn.class_name, kinds)):
                if taken in self.taken:
                    raise NotLiftable(f"the notebook already uses the name `{taken}`, which the lifted RNN needs",
                                      cell.index, value)
            lines.append(rnn.definitions(kinds, self.tf))
        lines.append(f"{name} = {text}")
        self.plans[cell.index].replace[id(stmt)] = "\n".join(lines)
        self.note(cell, "TFM220", value, f"`{name}` becomes `{text}`, a Keras cell with TF1's weights and math")

    def rnn_run(self, cell, target: ast.expr, value: ast.Call, api: str, stmt: ast.stmt) -> None:
        if not (isinstance(target, ast.Tuple) and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)):
            raise NotLiftable("the RNN's outputs and state are not unpacked into two names", cell.index, stmt)
        network = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "cell"), None)
        if not (isinstance(network, ast.Name) and network.id in self.rnn_cells):
            raise NotLiftable("the RNN runs a cell the lifting did not make", cell.index, value)
        if network.id in self.rnn_layers:
            raise NotLiftable(f"`{network.id}` is run twice, which shares its variables in TF1", cell.index, value)
        layer = self.fresh(f"{network.id}_rnn")
        self.rnn_layers[network.id] = layer
        lines = [f"{layer} = {rnn.layer_text(network.id, self.tf)}"]
        self.names[layer] = GraphName(layer, Kind.LAYER, cell.index, stmt)
        # The feeds the run reads, written as the lifted functions read them.
        deps, conversions, texts = {layer}, [], {}
        for argument in [*value.args[1:], *(k.value for k in value.keywords if k.arg != "cell")]:
            argument_deps, edits, _, direct = self.expression(cell, argument)
            deps |= argument_deps
            start, _ = cell.span(argument)
            texts[id(argument)] = emit.relative(cell.segment(argument), start, edits)
            conversions += [(p, self.names[p].dtype) for p in sorted(direct) if self.names[p].dtype is not None
                            and (p, self.names[p].dtype) not in conversions]
        run = rnn.run_call(api, value, lambda node: texts.get(id(node), cell.segment(node)), layer)
        inputs = value.args[1] if len(value.args) > 1 else next((k.value for k in value.keywords
                                                                  if k.arg == "inputs"), None)
        shape = self.shape_of(cell, inputs) if inputs is not None else None
        if shape and len(shape) == 3 and shape[-1] is not None:
            # Built here, the cell's weights are drawn where TF1 drew them (see shapes.py).
            lines.append(f"{layer}.build({shapes.text(shape)})")
            self.built_layers.add(layer)
        params = self.ordered({p for d in deps for p in self.names[d].params})
        for index, element in enumerate(target.elts):
            name = element.id
            self.bind(GraphName(name, Kind.TENSOR, cell.index, stmt, params=params, deps=frozenset(deps)), cell,
                      stmt)
            lines.append(emit.tensor_function(name, self.signature(params), f"{run}[{index}]",
                                              [c for c in conversions if c[0] in params], self.tf))
        self.plans[cell.index].replace[id(stmt)] = "\n".join(lines)
        outputs, state = (e.id for e in target.elts)
        self.note(cell, "TFM220", value, f"`{outputs}` and `{state}` become functions running `{layer}`, "
                                         "a Keras RNN layer made once")
