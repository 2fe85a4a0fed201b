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


def _cell_constructor(cell, node: ast.Call) -> bool:
    api = cell.api.get(id(node))
    return api in rnn.CELL_KINDS or api in rnn.MULTI or api in rnn.WRAPPERS


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
        if api in rnn.CELL_KINDS or api in rnn.MULTI or api in rnn.WRAPPERS or factory:
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
        constructors = [n for n in ast.walk(func) if isinstance(n, ast.Call) and _cell_constructor(cell, n)]
        if not constructors:
            return False
        outermost = [c for c in constructors if not any(c is not o and any(c is n for n in ast.walk(o))
                                                        for o in constructors)]
        fed = self.fed_keep_probs(cell, constructors)
        for node in ast.walk(func):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and self.kind(node.id) in REWRITTEN \
                    and id(node) not in fed:
                raise NotLiftable(f"`{node.id}` ({self.kind(node.id).value}) is read by `{func.name}`, which makes "
                                  "RNN cells once, when it is called", cell.index, node)
        self.cell_feeds[func.name] = self.feed_variables(fed.values())
        if any(cell.api.get(id(c)) in rnn.WRAPPERS for c in constructors):
            self.dropout_cells.add(func.name)
        self.note_tuple_state(cell, func.name, func)
        for node in ast.walk(func):
            reason = rnn.refusal(cell.api[id(node)]) if isinstance(node, ast.Call) and id(node) in cell.api else None
            if reason:
                raise NotLiftable(reason, cell.index, node)
        for call in outermost:
            start, end = cell.span(call)
            text = rnn.construct(cell.api[id(call)], call, self.fed_segment(cell), self.tf,
                                 api_of=lambda node: cell.api.get(id(node)))
            self.plans[cell.index].edits.append((start, end, text))
            self.note(cell, "TFM220", call, f"`{func.name}` makes `{text.split('(', 1)[0]}`, a Keras cell with "
                                            "TF1's weights and math")
        self.cell_factories.add(func.name)
        kinds = [n for n in ast.walk(func) if isinstance(n, ast.Call) and cell.api.get(id(n)) in rnn.CELL_KINDS]
        self.cell_units[func.name] = self.units_of(cell, kinds[0]) if len(kinds) == 1 else [None]
        func._lift_done = True
        return True

    def note_tuple_state(self, cell, name: str, made: ast.AST) -> None:
        """Remember whether the cell (or factory) ``name``, made by ``made``, has a tuple for its state: an LSTM or
        a stack in it, or a cell or factory named in it that has one."""
        kinds = rnn.kinds(cell.api[id(n)] for n in ast.walk(made) if isinstance(n, ast.Call) and id(n) in cell.api)
        if kinds & {"basic_lstm", "lstm", "multi"} or any(
                isinstance(n, ast.Name) and n.id in self.tuple_state_cells for n in ast.walk(made)):
            self.tuple_state_cells.add(name)

    def units_of(self, cell, node: ast.expr) -> list[int | None]:
        """The units of each layer of the cell ``node`` makes, as far as the source shows them (for shapes)."""
        api = cell.api.get(id(node)) if isinstance(node, ast.Call) else None
        if api in rnn.CELL_KINDS:
            size = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "num_units"), None)
            return [shapes.dimension(size, lambda: self.constants)]
        if api in rnn.WRAPPERS:
            inner = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "cell"), None)
            return self.units_of(cell, inner) if inner is not None else [None]
        if api in rnn.MULTI:
            cells = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "cells"), None)
            if isinstance(cells, (ast.List, ast.Tuple)):
                return [u for element in cells.elts for u in self.units_of(cell, element)]
            if isinstance(cells, ast.ListComp) and len(cells.generators) == 1:
                loop = cells.generators[0].iter
                if isinstance(loop, ast.Call) and isinstance(loop.func, ast.Name) and loop.func.id == "range" \
                        and len(loop.args) == 1 and not cells.generators[0].ifs:
                    count = shapes.dimension(loop.args[0], lambda: self.constants)
                    if count is not None:
                        return self.units_of(cell, cells.elt) * count
            return [None]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.cell_factories:
            return list(self.cell_units.get(node.func.id, [None]))
        if isinstance(node, ast.Name) and node.id in self.cell_units:
            return list(self.cell_units[node.id])
        return [None]

    def state_shape(self, node: ast.expr) -> tuple | None:
        """The shape of an RNN state's ``h`` or ``c`` (``state.h``, ``state[-1].h``): (batch, that layer's units)."""
        if not (isinstance(node, ast.Attribute) and node.attr in ("h", "c")):
            return None
        layer = node.value
        if isinstance(layer, ast.Name) and len(self.state_units.get(layer.id, ())) == 1:
            return None, self.state_units[layer.id][0]
        if isinstance(layer, ast.Subscript) and isinstance(layer.value, ast.Name) \
                and layer.value.id in self.state_units and isinstance(layer.slice, (ast.Constant, ast.UnaryOp)):
            units = self.state_units[layer.value.id]
            index = layer.slice.value if isinstance(layer.slice, ast.Constant) else (
                -layer.slice.operand.value if isinstance(layer.slice.op, ast.USub)
                and isinstance(layer.slice.operand, ast.Constant) else None)
            if isinstance(index, int) and -len(units) <= index < len(units):
                return None, units[index]
        return None

    def fed_keep_probs(self, cell, constructors: list[ast.Call]) -> dict[int, str]:
        """The placeholders given as keep probabilities to ``DropoutWrapper`` calls, by id of the name read: TF1
        fed them at each run, so the cells read them from variables each run sets."""
        fed = {}
        for call in constructors:
            if cell.api.get(id(call)) in rnn.WRAPPERS:
                for value in rnn.wrapper_keep_probs(call):
                    if isinstance(value, ast.Name) and self.kind(value.id) is Kind.PLACEHOLDER \
                            and self.names[value.id].dtype is not None:
                        fed[id(value)] = value.id
        return fed

    def feed_variables(self, placeholders) -> set[str]:
        """A variable for each placeholder the cells read, made where the placeholder was defined."""
        for placeholder in placeholders:
            if placeholder in self.fed_variables:
                continue
            graph = self.names[placeholder]
            if self.shapes.get(graph.name) not in (None, ()):
                raise NotLiftable(f"`{placeholder}` is read by an RNN cell and is not a scalar", graph.cell,
                                  graph.stmt)
            variable = self.fresh(f"{placeholder}_fed")
            self.fed_variables[placeholder] = variable
            default = self.defaults.get(placeholder, "1.0")
            plan = self.plans[graph.cell]
            plan.delete.discard(id(graph.stmt))
            plan.replace[id(graph.stmt)] = (f"{variable} = {self.tf}.Variable({default}, dtype={graph.dtype}, "
                                            f"trainable=False)  # what each run feeds `{placeholder}` to the RNN cells")
        return set(placeholders)

    def fed_segment(self, cell):
        """``cell.segment``, with a placeholder read as a keep probability written as its feed variable."""
        def segment(node: ast.AST) -> str:
            if isinstance(node, ast.Name) and node.id in self.fed_variables \
                    and self.kind(node.id) is Kind.PLACEHOLDER:
                return self.fed_variables[node.id]
            return cell.segment(node)
        return segment

    def rnn_definitions(self, cell, node: ast.AST) -> list[str]:
        """The cell classes and run helpers the notebook needs, as lines to write before their first use (``node``);
        none after the first time."""
        if "dynamic_rnn" in self.defined_classes:
            return []
        self.defined_classes.add("dynamic_rnn")
        apis = [api for c in self.cells for api in c.api.values()]
        kinds, static, bidirectional = rnn.kinds(apis), rnn.static_runs(apis), rnn.bidirectional_runs(apis)
        helpers = ["static_rnn"] * static + ["reverse_steps", "bidirectional_dynamic_rnn",
                                             "static_bidirectional_rnn"] * bidirectional
        self.claim(cell, node, ("dynamic_rnn", "LSTMStateTuple", *helpers, *map(rnn.class_name, kinds)), "RNN")
        return [rnn.definitions(kinds, self.tf, static, bidirectional)]

    def rnn_cell(self, cell, name: str, value: ast.Call, api: str, stmt: ast.stmt) -> None:
        calls = [n for n in ast.walk(value) if isinstance(n, ast.Call)]
        fed = self.fed_keep_probs(cell, calls)
        for node in calls:
            if node is not value and not _cell_constructor(cell, node):
                self.check_plain(cell, node)
        for argument in [*value.args, *(k.value for k in value.keywords)]:
            if not isinstance(argument, (ast.List, ast.Tuple, ast.ListComp)) and id(argument) not in fed \
                    and not (isinstance(argument, ast.Call) and _cell_constructor(cell, argument)):
                self.check_plain(cell, argument)
        # The placeholders the cells read: given here, or read by the cell factories called here.
        feeds = self.feed_variables(fed.values())
        feeds |= {p for n in calls if isinstance(n.func, ast.Name) for p in self.cell_feeds.get(n.func.id, ())}
        for node in ast.walk(value):
            if isinstance(node, ast.Name) and node.id in self.rnn_cells:
                feeds |= self.cell_feeds.get(node.id, set())
        self.cell_feeds[name] = feeds
        # A DropoutWrapper made here, or in a factory called here, or in a cell named here.
        if any(cell.api.get(id(n)) in rnn.WRAPPERS for n in calls) \
                or any(isinstance(n, ast.Name) and n.id in self.dropout_cells for n in ast.walk(value)):
            self.dropout_cells.add(name)
        self.note_tuple_state(cell, name, value)
        text = rnn.construct(api, value, self.fed_segment(cell), self.tf, api_of=lambda node: cell.api.get(id(node))) \
            if api is not None else cell.segment(value)  # a call of the notebook's cell factory
        # The cell's variables are listed through the RNN layer that runs it, so only once.
        self.bind(GraphName(name, Kind.LAYER, cell.index, stmt, trainable=False), cell, stmt)
        self.rnn_cells.add(name)
        self.cell_units[name] = self.units_of(cell, value)
        lines = [*self.rnn_definitions(cell, value), f"{name} = {text}"]
        self.plans[cell.index].replace[id(stmt)] = "\n".join(lines)
        self.note(cell, "TFM220", value, f"`{name}` becomes `{text}`, a Keras cell with TF1's weights and math")

    def rnn_run(self, cell, target: ast.expr, value: ast.Call, api: str, stmt: ast.stmt) -> None:
        if api in rnn.BIDIRECTIONAL:
            raise NotLiftable(f"`tf.{api}` runs the cells in both directions, which is lifted only inside a model "
                              "function", cell.index, value)
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
        # The feeds the run reads, written as the lifted functions read them; and those its cells read.
        feeds = sorted(self.cell_feeds.get(network.id, ()), key=self.placeholder_order.index)
        deps, conversions, texts = {layer, *feeds}, [], {}
        for argument in [*value.args[1:], *(k.value for k in value.keywords if k.arg != "cell")]:
            argument_deps, edits, _, direct = self.expression(cell, argument)
            deps |= argument_deps
            start, _ = cell.span(argument)
            texts[id(argument)] = emit.relative(cell.segment(argument), start, edits)
            conversions += [(p, self.names[p].dtype) for p in sorted(direct) if self.names[p].dtype is not None
                            and (p, self.names[p].dtype) not in conversions]
        run = rnn.run_call(api, value, lambda node: texts.get(id(node), cell.segment(node)), layer)
        if feeds:
            pairs = ", ".join(f"({self.fed_variables[p]}, {p})" for p in feeds)
            run = f"{run[:-1]}, feeds=[{pairs}])"
        inputs = value.args[1] if len(value.args) > 1 else next((k.value for k in value.keywords
                                                                  if k.arg == "inputs"), None)
        shape = self.shape_of(cell, inputs) if inputs is not None else None
        if shape and len(shape) == 3 and shape[-1] is not None:
            # Built here, the cell's weights are drawn where TF1 drew them (see shapes.py).
            lines.append(f"{layer}.build({shapes.text(shape)})")
            self.built_layers.add(layer)
        params = self.ordered({p for d in deps for p in self.names[d].params})
        units = self.cell_units.get(network.id, [None])
        for index, element in enumerate(target.elts):
            name = element.id
            # Fetched as arrays in the same structure: static_rnn's list of outputs, a tuple state.
            structured = network.id in self.tuple_state_cells if index else api in rnn.STATIC_RUNS
            self.bind(GraphName(name, Kind.TENSOR, cell.index, stmt, params=params, deps=frozenset(deps),
                                structured=structured), cell, stmt)
            if index:
                self.state_units[name] = units
            elif api not in rnn.STATIC_RUNS:  # static_rnn's outputs are a list of steps
                self.shapes[name] = (None, None, units[-1])
            call = run
            if index and network.id in self.dropout_cells:
                # TF1 ran only what a fetch needed: a run for the state did not drop the last cell's outputs.
                call = f"{run[:-1]}, state_only=True)"
            lines.append(emit.tensor_function(name, self.signature(params), f"{call}[{index}]",
                                              [c for c in conversions if c[0] in params], self.tf))
        self.plans[cell.index].replace[id(stmt)] = "\n".join(lines)
        outputs, state = (e.id for e in target.elts)
        self.note(cell, "TFM220", value, f"`{outputs}` and `{state}` become functions running `{layer}`, "
                                         "a Keras RNN layer made once")
