"""Model functions that make RNN cells and run them: Keras layers that make their cells once (TFM230, TFM220).

The TF1 examples' recurrent network is a function that makes its cell and runs it::

    def RNN(x, weights, biases):
        x = tf.unstack(x, timesteps, 1)
        lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
        outputs, states = rnn.static_rnn(lstm_cell, x, dtype=tf.float32)
        return tf.matmul(outputs[-1], weights['out']) + biases['out']

TF1 made the cell's variables at the run, once, since the function was called once to build the graph. Eager TF2
would make a new cell at every call. So the function becomes a Keras layer like a function of ``tf.layers`` calls
(``layered.py``, which writes the class): ``__init__`` makes the cells (the notebook's Keras cells with TF1's math,
``rnn.py``) and one ``tf.keras.layers.RNN`` per run, and ``call`` is the body without the cell statements, each run
calling its RNN layer through the ``dynamic_rnn`` or ``static_rnn`` helper (a run in both directions calls the
forward and the backward cell's layers through a bidirectional one). Keras builds a cell at its layer's first call;
random alignment keys the weights a notebook-defined layer draws by the cell that made it (see
``runtime/random_alignment.py``), where TF1 made the variables.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from . import rnn
from .syntax import repeated


@dataclass
class RecurrentRun:
    """One ``dynamic_rnn``/``static_rnn`` call of the function, the cells it runs (a forward and a backward one in
    both directions) and their RNN layers' attributes."""
    call: ast.Call
    api: str
    cells: tuple[str, ...]

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(f"{cell}_rnn" for cell in self.cells)


@dataclass
class Recurrent:
    """The function's cell statements (``lstm_cell = rnn.BasicLSTMCell(n)``), in order, and its runs."""
    cells: list[ast.Assign] = field(default_factory=list)
    runs: list[RecurrentRun] = field(default_factory=list)

    @property
    def cell_names(self) -> set[str]:
        return {stmt.targets[0].id for stmt in self.cells}


def runs_cells(cell, func: ast.FunctionDef) -> bool:
    """Whether ``func`` runs an RNN (so that each call would make the cell's variables again)."""
    return any(isinstance(n, ast.Call) and cell.api.get(id(n)) in rnn.RUNS for n in ast.walk(func))


def _constructor(cell, node: ast.AST, factories: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    api = cell.api.get(id(node))
    return api in rnn.CELL_KINDS or api in rnn.MULTI or api in rnn.WRAPPERS \
        or isinstance(node.func, ast.Name) and node.func.id in factories


def read(cell, func: ast.FunctionDef, statements: list[ast.stmt], factories: set[str]) -> Recurrent | str:
    """The cells and runs of ``func`` whose top-level statements are ``statements`` (its body, or its scope block's);
    or why the function cannot make its cells once. ``factories`` are the notebook's cell factories it may call."""
    found = Recurrent()
    for node in ast.walk(func):
        api = cell.api.get(id(node)) if isinstance(node, ast.Call) else None
        if api is not None and rnn.refusal(api):
            return rnn.refusal(api)
        if api in rnn.WRAPPERS:
            return f"`{func.name}` wraps a cell in a DropoutWrapper, which is lifted only outside functions"
    for stmt in statements:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and _constructor(cell, stmt.value, factories):
            found.cells.append(stmt)
    made = {id(stmt.value) for stmt in found.cells}
    inside_cells = {id(n) for stmt in found.cells for n in ast.walk(stmt.value)}
    inside_repeating = repeated(statements)
    for node in ast.walk(func):
        if _constructor(cell, node, factories) and id(node) not in inside_cells:
            if id(node) in inside_repeating:
                return f"`{func.name}` makes an RNN cell in a loop, comprehension or nested function"
            if id(node) not in made:
                return f"`{func.name}` makes an RNN cell that is not bound to a name by a statement of its own"
    names = found.cell_names
    if len(names) != len(found.cells):
        return f"`{func.name}` binds one name to two RNN cells"
    run_cells, run_arguments = set(), set()
    fallbacks = _fallbacks(cell, func)
    for node in ast.walk(func):
        if not (isinstance(node, ast.Call) and cell.api.get(id(node)) in rnn.RUNS):
            continue
        if id(node) in inside_repeating:
            return f"`{func.name}` runs an RNN in a loop, comprehension or nested function"
        networks = rnn.run_cells(cell.api[id(node)], node)
        if networks is None or not all(isinstance(n, ast.Name) and n.id in names for n in networks):
            return f"`{func.name}` runs a cell it does not make itself"
        for network in networks:
            run_arguments.add(id(network))
            if id(node) in fallbacks:
                continue  # it runs only when the same run above it failed, so the cell still runs once
            if network.id in run_cells:
                return f"`{func.name}` runs the cell `{network.id}` twice, which shares its variables in TF1"
            run_cells.add(network.id)
        found.runs.append(RecurrentRun(node, cell.api[id(node)], tuple(n.id for n in networks)))
    # A cell is read by its run, or by the cell made of it (a MultiRNNCell): other reads (`cell.zero_state`,
    # `cell.state_size`) would read the notebook's Keras cell, which is not TF1's object.
    wrapped = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            if id(node) in inside_cells:
                wrapped.add(node.id)
            elif id(node) not in run_arguments:
                return f"`{func.name}` uses the RNN cell `{node.id}` for more than running it"
    if wrapped & run_cells:
        return f"`{func.name}` runs a cell that another of its cells also runs, which shares its variables in TF1"
    return found


def _fallbacks(cell, func: ast.FunctionDef) -> set[int]:
    """The runs in an ``except`` handler that repeat a run of their ``try`` body with the same cells (the examples'
    fallback for TF releases whose run returned fewer values): by id."""
    found = set()
    for node in ast.walk(func):
        if not isinstance(node, ast.Try):
            continue
        tried = {_run_key(cell, n) for stmt in node.body for n in ast.walk(stmt)} - {None}
        for handler in node.handlers:
            found |= {id(n) for stmt in handler.body for n in ast.walk(stmt) if _run_key(cell, n) in tried}
    return found


def _run_key(cell, node: ast.AST) -> tuple | None:
    api = cell.api.get(id(node)) if isinstance(node, ast.Call) else None
    cells = rnn.run_cells(api, node) if api in rnn.RUNS else None
    if cells is None or not all(isinstance(c, ast.Name) for c in cells):
        return None
    return api, tuple(c.id for c in cells)


def init_lines(cell, model, tf: str) -> list[str]:
    """``__init__``'s lines making the cells (locals) and one RNN layer per run (attributes)."""
    lines = []
    for stmt in model.recurrent.cells:
        api = cell.api.get(id(stmt.value))
        text = rnn.construct(api, stmt.value, cell.segment, tf, api_of=lambda node: cell.api.get(id(node))) \
            if api is not None else cell.segment(stmt.value)  # a call of the notebook's cell factory
        lines.append(f"{stmt.targets[0].id} = {text}")
    layers = {attribute: cell_name for run in model.recurrent.runs  # a fallback run names its cells again
              for cell_name, attribute in zip(run.cells, run.attributes)}
    lines += [f"self.{attribute} = {rnn.layer_text(cell_name, tf)}" for attribute, cell_name in layers.items()]
    return lines
