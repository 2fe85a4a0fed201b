"""TF1 RNN cells and ``tf.nn.dynamic_rnn`` in a lifted graph: small Keras cells that compute what TF1's did.

Keras's own ``LSTMCell``/``GRUCell``/``SimpleRNNCell`` are not TF1's cells: separate input and recurrent kernels
(the recurrent one orthogonally initialized), gate order i, f, c, o, no run-time forget bias, and a GRU that
resets after the matmul. A notebook moved to them starts from other weights and computes other numbers. So the
migrated notebook gets, once per kind it uses, a Keras layer class that reproduces the TF1 cell: the same single
kernel over ``[inputs, state]`` with TF1's shape and name, TF1's initializers (Glorot-uniform over that
concatenated shape, so an aligned random draw gives the same weights), TF1's gate order and TF1's state order
(``LSTMStateTuple(c, h)``). ``tf.keras.layers.RNN`` runs it, and :func:`run_text` is ``dynamic_rnn`` on top of
it: zero outputs past ``sequence_length``, the last valid state, TF1's state structure.

Checked against ``tf.compat.v1.nn.dynamic_rnn`` in a graph (tests/lift/test_rnn_cells.py): initial outputs and
states agree to 1e-6 with aligned random draws, losses after 5 Adam steps to 1e-5.

Pure text: nothing here imports TensorFlow.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .model import NotLiftable
from .syntax import named_arguments

#: TF1 cell constructor, as the index names it (``tf.compat.v1.X`` gives the same name) -> kind of cell
CELL_KINDS: dict[str, str] = {}
for _prefix in ("nn.rnn_cell.", "contrib.rnn."):
    CELL_KINDS.update({_prefix + "BasicLSTMCell": "basic_lstm", _prefix + "LSTMCell": "lstm",
                       _prefix + "GRUCell": "gru", _prefix + "BasicRNNCell": "basic_rnn"})
#: ``MultiRNNCell([...])``: ``tf.keras.layers.StackedRNNCells([...])``
MULTI = frozenset({"nn.rnn_cell.MultiRNNCell", "contrib.rnn.MultiRNNCell"})
#: ``DropoutWrapper(cell, ...)``: the notebook's ``DropoutWrapper`` cell (:func:`class_text` ``"dropout"``)
WRAPPERS = frozenset({"nn.rnn_cell.DropoutWrapper", "contrib.rnn.DropoutWrapper"})
#: ``static_rnn`` (``tf.nn.rnn`` before TF 1.0): :func:`run_call` makes it the ``static_rnn`` helper, which runs
#: ``dynamic_rnn`` on the list of steps stacked
STATIC_RUNS = frozenset({"nn.static_rnn", "contrib.rnn.static_rnn", "nn.rnn"})
#: runs in both directions, over a forward and a backward cell: the ``bidirectional_dynamic_rnn`` and
#: ``static_bidirectional_rnn`` helpers, lifted inside model functions only
BIDIRECTIONAL = frozenset({"nn.bidirectional_dynamic_rnn", "nn.static_bidirectional_rnn",
                           "contrib.rnn.static_bidirectional_rnn"})
#: the runs that :func:`run_call` lifts
RUNS = frozenset({"nn.dynamic_rnn"}) | STATIC_RUNS | BIDIRECTIONAL
#: TF1's state tuple, which becomes the notebook's ``LSTMStateTuple`` (:data:`STATE_TUPLE_TEXT`)
STATE_TUPLES = frozenset({"nn.rnn_cell.LSTMStateTuple", "contrib.rnn.LSTMStateTuple"})

#: RNN APIs the lifting refuses, with why
REFUSED = {
    "DropoutWrapper": "drops inputs, states and outputs with its own masks (DropoutWrapper)",
    "ResidualWrapper": "wraps a cell (ResidualWrapper)",
    "DeviceWrapper": "wraps a cell (DeviceWrapper)",
    "AttentionCellWrapper": "wraps a cell (AttentionCellWrapper)",
    "LSTMBlockCell": "is a fused kernel (LSTMBlockCell) with its own weight layout",
    "GRUBlockCell": "is a fused kernel (GRUBlockCell) with its own weight layout",
    "LayerNormBasicLSTMCell": "normalizes inside the cell (LayerNormBasicLSTMCell)",
    "stack_bidirectional_dynamic_rnn": "runs the cells in both directions (bidirectional)",
    "static_state_saving_rnn": "saves its state between runs",
    "raw_rnn": "runs a user loop function (raw_rnn)",
}

_CLASS_NAMES = {"basic_lstm": "BasicLSTMCell", "lstm": "LSTMCell", "gru": "GRUCell", "basic_rnn": "BasicRNNCell",
                "dropout": "DropoutWrapper", "multi": "MultiRNNCell"}

#: TF1 parameters after ``num_units`` that every 1.x release took at the same position
_POSITIONAL = {"basic_lstm": ("num_units", "forget_bias")}
#: TF1 keywords the emitted class takes, by kind
_CARRIED = {
    "basic_lstm": ("forget_bias", "activation"),
    "lstm": ("initializer", "forget_bias", "activation"),
    "gru": ("activation", "kernel_initializer", "bias_initializer"),
    "basic_rnn": ("activation",),
}
#: keyword -> (the values that mean TF1's default, why another value is refused)
_DEFAULT_ONLY = {
    "use_peepholes": ((False,), "uses peephole connections (use_peepholes=True)"),
    "cell_clip": ((None,), "clips the cell state (cell_clip)"),
    "num_proj": ((None,), "projects its output (num_proj)"),
    "proj_clip": ((None,), "clips its projection (proj_clip)"),
    "num_unit_shards": ((None,), "shards its weights (num_unit_shards)"),
    "num_proj_shards": ((None,), "shards its weights (num_proj_shards)"),
    "state_is_tuple": ((True,), "keeps c and h in one concatenated state (state_is_tuple=False)"),
    "reuse": ((None, False), "reuses the variables of another cell (reuse)"),
    "_reuse": ((None, False), "reuses the variables of another cell (reuse)"),
}
#: keywords TF1 ignored or that only name things: dropped (``input_size`` was deprecated and unused)
_DROPPED = {"input_size"}
#: activations written as ``tf.<name>`` that compute the same in TF1 and TF2
_ACTIVATIONS = {"tanh", "sigmoid", "identity", "nn.tanh", "nn.sigmoid", "math.tanh", "math.sigmoid", "nn.relu",
                "nn.relu6", "nn.elu", "nn.selu", "nn.softplus", "nn.softsign", "nn.leaky_relu"}
_DTYPES = {"float32", "'float32'", '"float32"'}


def kinds(apis) -> set[str]:
    """The kinds of class (:func:`class_text`) a notebook whose references include ``apis`` needs."""
    found = set()
    for api in apis:
        if api in CELL_KINDS:
            found.add(CELL_KINDS[api])
        elif api in WRAPPERS:
            found.add("dropout")
        elif api in MULTI:
            found.add("multi")
    return found


def class_name(kind: str) -> str:
    return _CLASS_NAMES[kind]


def refusal(api: str) -> str | None:
    """Why an RNN API cannot be lifted; None for the ones this module lifts and for non-RNN APIs."""
    if api in CELL_KINDS or api in MULTI or api in RUNS or api in STATE_TUPLES or api in WRAPPERS:
        return None
    last = api.rsplit(".", 1)[-1]
    if not (api.startswith(("nn.rnn_cell.", "contrib.rnn.")) or (api.startswith("nn.") and last.endswith("rnn"))):
        return None
    reason = REFUSED.get(last)
    return f"`tf.{api}` {reason}" if reason else f"`tf.{api}` is not lifted automatically yet"


def _is(node: ast.expr, values: tuple) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is v for v in values)


def _activation(node: ast.expr, segment, tf: str, what: str) -> str:
    text = segment(node)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return text  # a Keras activation name: activations.get() reads it in TF1 and in Keras 3
    if text.startswith(tf + ".") and text[len(tf) + 1:] in _ACTIVATIONS:
        return text
    raise NotLiftable(f"`{what}` is given an activation the lifting cannot map: `{text}`", node=node)


def construct(api: str, call: ast.Call, segment: Callable[[ast.AST], str], tf: str = "tf",
              api_of: Callable[[ast.Call], str | None] | None = None) -> str:
    """The replacement text of a TF1 cell constructor call (or of ``MultiRNNCell``).

    ``segment(node)`` gives a node's source text. For ``MultiRNNCell`` the cell constructors inside its list
    (literal or comprehension) are replaced too when ``api_of(call)`` tells their TF1 API; without ``api_of``
    the list's text is ``segment``'s, which may already carry those edits.
    """
    what = f"tf.{api}"
    if api in MULTI:
        return _stacked(call, segment, tf, api_of, what)
    if api in WRAPPERS:
        return _dropout_wrapper(call, segment, tf, api_of, what)
    if api not in CELL_KINDS:
        raise NotLiftable(refusal(api) or f"`{what}` is not an RNN cell the lifting knows", node=call)
    kind = CELL_KINDS[api]
    named = named_arguments(call, _POSITIONAL.get(kind, ("num_units",)), what)
    if "num_units" not in named:
        raise NotLiftable(f"`{what}` is called without num_units", node=call)
    arguments = [segment(named.pop("num_units"))]
    for name, value in named.items():
        if name in _DEFAULT_ONLY:
            defaults, reason = _DEFAULT_ONLY[name]
            if not _is(value, defaults):
                raise NotLiftable(f"`{what}` {reason}", node=value)
        elif name == "dtype":
            if not (_is(value, (None,)) or segment(value) in {f"{tf}.float32", *_DTYPES}):
                raise NotLiftable(f"`{what}` computes in a dtype other than float32", node=value)
        elif name == "name":
            # Only variable names depend on it; Keras 3 refuses "/" in a name.
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and "/" not in value.value:
                arguments.append(f"name={segment(value)}")
        elif name in _DROPPED or _is(value, (None,)):
            continue
        elif name not in _CARRIED[kind]:
            raise NotLiftable(f"`{what}` is given `{name}`, which the lifting does not carry", node=value)
        elif name == "activation":
            arguments.append(f"activation={_activation(value, segment, tf, what)}")
        else:
            arguments.append(f"{name}={segment(value)}")
    return f"{class_name(kind)}({', '.join(arguments)})"


def _dropout_wrapper(call: ast.Call, segment, tf: str, api_of, what: str) -> str:
    named = named_arguments(call, ("cell", "input_keep_prob", "output_keep_prob", "state_keep_prob", "variational_recurrent",
                          "input_size", "dtype", "seed", "dropout_state_filter_visitor"), what)
    if "cell" not in named:
        raise NotLiftable(f"`{what}` is called without a cell", node=call)
    arguments = [_cells_text(named["cell"], segment, tf, api_of, single=True)]
    for name, value in named.items():
        if name in ("input_keep_prob", "output_keep_prob", "seed"):
            arguments.append(f"{name}={segment(value)}")
        elif name == "state_keep_prob" and not _is(value, (1.0,)):
            raise NotLiftable(f"`{what}` drops the cell's state (state_keep_prob)", node=value)
        elif name == "variational_recurrent" and not _is(value, (False, None)):
            raise NotLiftable(f"`{what}` keeps one mask for every step (variational_recurrent=True)", node=value)
        elif name == "dropout_state_filter_visitor" and not _is(value, (None,)):
            raise NotLiftable(f"`{what}` chooses which states to drop (dropout_state_filter_visitor)", node=value)
        # input_size and dtype only shaped the masks of variational_recurrent.
    return f"DropoutWrapper({', '.join(arguments)})"


def wrapper_keep_probs(call: ast.Call) -> list[ast.expr]:
    """The keep probabilities a ``DropoutWrapper`` call is given (what may be fed)."""
    named = dict(zip(("cell", "input_keep_prob", "output_keep_prob", "state_keep_prob"), call.args))
    named.update({k.arg: k.value for k in call.keywords})
    return [named[k] for k in ("input_keep_prob", "output_keep_prob", "state_keep_prob") if k in named]


def _stacked(call: ast.Call, segment, tf: str, api_of, what: str) -> str:
    named = named_arguments(call, ("cells", "state_is_tuple"), what)
    for name, value in named.items():
        if name == "state_is_tuple" and not _is(value, (True,)):
            raise NotLiftable(f"`{what}` keeps the layers' states in one concatenated state (state_is_tuple=False)",
                              node=value)
        if name not in ("cells", "state_is_tuple"):
            raise NotLiftable(f"`{what}` is given `{name}`, which the lifting does not carry", node=value)
    cells = named.get("cells")
    if cells is None:
        raise NotLiftable(f"`{what}` is called without cells", node=call)
    # One cell object in several layers: TF1 shared (or refused) its weights; Keras would build it twice.
    if isinstance(cells, ast.BinOp) and isinstance(cells.op, ast.Mult) \
            or isinstance(cells, ast.ListComp) and isinstance(cells.elt, ast.Name):
        raise NotLiftable(f"`{what}` uses one cell object for several layers", node=cells)
    if isinstance(cells, (ast.List, ast.Tuple)):
        names = [e.id for e in cells.elts if isinstance(e, ast.Name)]
        if len(names) != len(set(names)):
            raise NotLiftable(f"`{what}` uses one cell object for several layers", node=cells)
    return f"MultiRNNCell({_cells_text(cells, segment, tf, api_of)})"


def _cells_text(cells: ast.expr, segment, tf: str, api_of, single: bool = False) -> str:
    def element(node: ast.expr) -> str:
        api = api_of(node) if api_of is not None and isinstance(node, ast.Call) else None
        if api in CELL_KINDS or api in MULTI or api in WRAPPERS:
            return construct(api, node, segment, tf, api_of)
        if api is not None and refusal(api):
            raise NotLiftable(refusal(api), node=node)
        return segment(node)

    if single:
        return element(cells)

    if isinstance(cells, (ast.List, ast.Tuple)):
        # A MultiRNNCell takes any sequence; Keras's StackedRNNCells wants a list.
        return f"[{', '.join(element(e) for e in cells.elts)}]"
    text = segment(cells)
    if isinstance(cells, ast.ListComp):
        # The element comes first in the comprehension's text.
        old = segment(cells.elt)
        return text.replace(old, element(cells.elt), 1)
    return text


def run_call(api: str, call: ast.Call, segment: Callable[[ast.AST], str], layer: str | tuple[str, str]) -> str:
    """``dynamic_rnn(<layer>, inputs, ...)``: the call of :func:`run_text`'s helper replacing a TF1 RNN run.

    ``layer`` is the name of the ``tf.keras.layers.RNN`` object (:func:`layer_text`) made for the run's cell; for a
    bidirectional run, the forward and the backward ones.
    """
    what = f"tf.{api}"
    if api not in RUNS:
        raise NotLiftable(refusal(api) or f"`{what}` is not an RNN run the lifting knows", node=call)
    helper = "static_rnn" if api in STATIC_RUNS else api.rsplit(".", 1)[-1] if api in BIDIRECTIONAL else "dynamic_rnn"
    named = named_arguments(call, _RUN_PARAMETERS[helper], what)
    if "inputs" not in named:
        raise NotLiftable(f"`{what}` is called without inputs", node=call)
    layers = [layer] if isinstance(layer, str) else list(layer)
    arguments = [*layers, segment(named["inputs"])]
    for name, value in named.items():
        if name in ("sequence_length", "initial_state", "initial_state_fw", "initial_state_bw") \
                and not _is(value, (None,)):
            arguments.append(f"{name}={segment(value)}")
        elif name == "time_major" and not _is(value, (False, None)):
            raise NotLiftable(f"`{what}` reads time-major inputs (time_major=True)", node=value)
        elif name == "dtype" and not (_is(value, (None,)) or segment(value).endswith(".float32")
                                      or segment(value) in _DTYPES):
            raise NotLiftable(f"`{what}` computes in a dtype other than float32", node=value)
        # parallel_iterations and swap_memory only tune the graph loop; scope only names the variables.
    return f"{helper}({', '.join(arguments)})"


#: each run's parameters in TF1's order (the runs take them in different orders)
_RUN_PARAMETERS = {
    "dynamic_rnn": ("cell", "inputs", "sequence_length", "initial_state", "dtype", "parallel_iterations",
                    "swap_memory", "time_major", "scope"),
    "static_rnn": ("cell", "inputs", "initial_state", "dtype", "sequence_length", "scope"),
    "bidirectional_dynamic_rnn": ("cell_fw", "cell_bw", "inputs", "sequence_length", "initial_state_fw",
                                  "initial_state_bw", "dtype", "parallel_iterations", "swap_memory", "time_major",
                                  "scope"),
    "static_bidirectional_rnn": ("cell_fw", "cell_bw", "inputs", "initial_state_fw", "initial_state_bw", "dtype",
                                 "sequence_length", "scope"),
}


def run_cells(api: str, call: ast.Call) -> list[ast.expr] | None:
    """The cell (or forward and backward cells) a run is given, or None when one is missing."""
    names = ("cell_fw", "cell_bw") if api in BIDIRECTIONAL else ("cell",)
    given = dict(zip(names, call.args))
    given.update({k.arg: k.value for k in call.keywords if k.arg in names})
    return [given[name] for name in names] if all(name in given for name in names) else None


def layer_text(cell_expr: str, tf: str = "tf") -> str:
    """The ``tf.keras.layers.RNN`` that runs ``cell_expr`` the way :func:`run_text`'s helper expects.

    Unrolled: Keras's loop runs the cell once more on the first step, before the loop, to learn its output's
    shape, which draws a cell's dropout masks one step ahead of TF1's. Eager code knows the steps anyway."""
    return (f"{tf}.keras.layers.RNN({cell_expr}, return_sequences=True, return_state=True, "
            f"zero_output_for_mask=True, unroll=True)")


_LSTM = '''class {name}({tf}.keras.layers.Layer):
    """TF1's `{tf1}` as a Keras cell: the same weights, initialization and math."""

    def __init__(self, num_units, {params}forget_bias=1.0, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = num_units
{init_line}        self.forget_bias = forget_bias
        self.activation = {tf}.keras.activations.get(activation) if activation else {tf}.tanh
        self.state_size = [num_units, num_units]  # TF1's LSTMStateTuple(c, h): c first
        self.output_size = num_units

    def build(self, input_shape):
{build_lines}        # One kernel over [inputs, h] for the four gates, as TF1 made it (same shape, same Glorot draw).
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1] + self.units, 4 * self.units),
                                      initializer={initializer})
        self.bias = self.add_weight(name="bias", shape=(4 * self.units,), initializer="zeros")

    def call(self, inputs, states):
        c, h = states
        gates = {tf}.nn.bias_add({tf}.matmul({tf}.concat([inputs, h], 1), self.kernel), self.bias)
        # TF1's gate order: input, candidate (j), forget, output; forget_bias is added here, not to the bias.
        i, j, f, o = {tf}.split(gates, 4, axis=1)
        c = {tf}.sigmoid(f + self.forget_bias) * c + {tf}.sigmoid(i) * self.activation(j)
        h = self.activation(c) * {tf}.sigmoid(o)
        return h, [c, h]
'''

_LSTM_INITIALIZER = '''        initializer = self.initializer
        if hasattr(initializer, "clone"):  # a Keras 3 initializer object repeats its values; TF1 drew anew
            initializer = initializer.clone()
'''

_GRU = '''class GRUCell({tf}.keras.layers.Layer):
    """TF1's `tf.nn.rnn_cell.GRUCell` as a Keras cell: the same weights, initialization and math."""

    def __init__(self, num_units, activation=None, kernel_initializer=None, bias_initializer=None, **kwargs):
        super().__init__(**kwargs)
        self.units = num_units
        self.activation = {tf}.keras.activations.get(activation) if activation else {tf}.tanh
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.state_size = num_units
        self.output_size = num_units

    def initializer(self, given, default):
        # Each weight draws anew as in TF1 (a Keras 3 initializer object repeats its values when reused).
        if given is None:
            return default
        return given.clone() if hasattr(given, "clone") else given

    def build(self, input_shape):
        depth = input_shape[-1] + self.units
        # TF1's gates/kernel, gates/bias, candidate/kernel, candidate/bias (Keras 3 names cannot contain "/").
        self.gates_kernel = self.add_weight(name="gates_kernel", shape=(depth, 2 * self.units), initializer=
                                            self.initializer(self.kernel_initializer, "glorot_uniform"))
        # TF1 starts the reset and update gates' bias at 1.0 (gates open).
        self.gates_bias = self.add_weight(name="gates_bias", shape=(2 * self.units,), initializer=
                                          self.initializer(self.bias_initializer, "ones"))
        self.candidate_kernel = self.add_weight(name="candidate_kernel", shape=(depth, self.units), initializer=
                                                self.initializer(self.kernel_initializer, "glorot_uniform"))
        self.candidate_bias = self.add_weight(name="candidate_bias", shape=(self.units,), initializer=
                                              self.initializer(self.bias_initializer, "zeros"))

    def call(self, inputs, states):
        h = states[0]
        gates = {tf}.nn.bias_add({tf}.matmul({tf}.concat([inputs, h], 1), self.gates_kernel), self.gates_bias)
        r, u = {tf}.split({tf}.sigmoid(gates), 2, axis=1)  # TF1's order: reset, then update
        # TF1 resets the state before the candidate's matmul.
        c = self.activation({tf}.nn.bias_add({tf}.matmul({tf}.concat([inputs, r * h], 1), self.candidate_kernel),
                                              self.candidate_bias))
        h = u * h + (1 - u) * c
        return h, h
'''

_BASIC_RNN = '''class BasicRNNCell({tf}.keras.layers.Layer):
    """TF1's `tf.nn.rnn_cell.BasicRNNCell` as a Keras cell: the same weights, initialization and math."""

    def __init__(self, num_units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = num_units
        self.activation = {tf}.keras.activations.get(activation) if activation else {tf}.tanh
        self.state_size = num_units
        self.output_size = num_units

    def build(self, input_shape):
        # One kernel over [inputs, state], as TF1 made it (same shape, same Glorot draw).
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1] + self.units, self.units),
                                      initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")

    def call(self, inputs, states):
        h = self.activation({tf}.nn.bias_add({tf}.matmul({tf}.concat([inputs, states[0]], 1), self.kernel),
                                              self.bias))
        return h, h
'''


_DROPOUT = '''class DropoutWrapper({tf}.keras.layers.Layer):
    """TF1's `DropoutWrapper` as a Keras cell: the wrapped cell's inputs and outputs are dropped at each step, with
    a new mask each time. A keep probability TF1 was fed is a variable each run sets (`dynamic_rnn(feeds=...)`)."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.cell = cell
        self.input_keep_prob = input_keep_prob
        self.output_keep_prob = output_keep_prob
        self.seed = seed
        self.state_size = cell.state_size
        self.output_size = cell.output_size

    def build(self, input_shape):
        self.cell.build(input_shape)

    def dropout(self, values, keep_prob):
        # TF1 skipped a Python float of 1 and dropped otherwise: a fed 1.0 still draws a mask (that keeps all).
        if isinstance(keep_prob, float) and keep_prob >= 1:
            return values
        return {tf}.nn.dropout(values, rate=1 - keep_prob, seed=self.seed)

    def call(self, inputs, states):
        output, states = self.cell(self.dropout(inputs, self.input_keep_prob), states)
        return self.dropout(output, self.output_keep_prob), states
'''


_MULTI = '''class MultiRNNCell({tf}.keras.layers.Layer):
    """TF1's `MultiRNNCell` as a Keras cell: each cell's output is the next one's input, one state per cell.
    (Keras's StackedRNNCells would do, but Keras's RNN runs each of its cells once more before the loop, which
    draws a dropout cell's masks once more than TF1 did.)"""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = list(cells)
        self.state_size = [cell.state_size for cell in self.cells]
        self.output_size = self.cells[-1].output_size

    def build(self, input_shape):
        for cell in self.cells:
            cell.build(input_shape)
            input_shape = (input_shape[0], cell.output_size)

    def get_initial_state(self, batch_size):
        return [[{tf}.zeros((batch_size, size), self.compute_dtype) for size in {tf}.nest.flatten(cell.state_size)]
                for cell in self.cells]

    def call(self, inputs, states):
        new_states = []
        for cell, state in zip(self.cells, states):
            inputs, state = cell(inputs, list(state) if isinstance(state, (list, tuple)) else [state])
            new_states.append(list(state) if isinstance(state, (list, tuple)) else [state])
        return inputs, new_states
'''


def class_text(kind: str, tf: str = "tf") -> str:
    """The class a notebook gets once for cells of ``kind`` (``tf`` is its TensorFlow alias)."""
    if kind == "basic_lstm":
        return _LSTM.format(name="BasicLSTMCell", tf=tf, tf1="tf.nn.rnn_cell.BasicLSTMCell", params="",
                            init_line="", build_lines="", initializer='"glorot_uniform"')
    if kind == "lstm":
        return _LSTM.format(name="LSTMCell", tf=tf, tf1="tf.nn.rnn_cell.LSTMCell", params="initializer=None, ",
                            init_line="        self.initializer = initializer or \"glorot_uniform\"\n",
                            build_lines=_LSTM_INITIALIZER, initializer="initializer")
    if kind == "gru":
        return _GRU.format(tf=tf)
    if kind == "basic_rnn":
        return _BASIC_RNN.format(tf=tf)
    if kind == "dropout":
        return _DROPOUT.format(tf=tf)
    if kind == "multi":
        return _MULTI.format(tf=tf)
    raise KeyError(kind)


#: TF1's ``LSTMStateTuple``, which :func:`run_text`'s helper returns for LSTM cells (needs ``import collections``)
STATE_TUPLE_TEXT = 'LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ["c", "h"])  # TF1\'s LSTM state\n'

_RUN = '''def dynamic_rnn(layer, inputs, sequence_length=None, initial_state=None, feeds=(), state_only=False):
    """`tf.nn.dynamic_rnn` as TF1 ran it on batch-major inputs: `(outputs, state)`, with zero outputs after
    each sequence's `sequence_length` and the state of its last step. `feeds` are (variable, value) pairs: the
    values this run gives the variables the cells read (what TF1 fed them)."""
    for variable, value in feeds:
        variable.assign(value)
    cell = layer.cell
    stacked = hasattr(cell, "cells")  # a MultiRNNCell
    cells = cell.cells if stacked else [cell]
    # TF1 ran only what a fetch needed: a run for the state alone did not drop the last cell's outputs (nor draw
    # their masks).
    top_keep_prob = getattr(cells[-1], "output_keep_prob", None) if state_only else None
    if top_keep_prob is not None:
        cells[-1].output_keep_prob = 1.0
    mask, steps = None, {tf}.shape(inputs)[1]
    if sequence_length is not None:
        # TF1's loop stopped after the longest sequence (the steps after it only gave zeros): so does this one.
        inputs = inputs[:, :{tf}.maximum(1, {tf}.reduce_max(sequence_length))]
        mask = {tf}.sequence_mask(sequence_length, {tf}.shape(inputs)[1])
    if initial_state is not None:  # TF1's structure as Keras's lists
        initial_state = {tf}.nest.pack_sequence_as(cell.state_size, {tf}.nest.flatten(initial_state))
    try:
        outputs, *states = layer(inputs, initial_state=initial_state, mask=mask)
    finally:
        if top_keep_prob is not None:
            cells[-1].output_keep_prob = top_keep_prob
    outputs = {tf}.pad(outputs, [[0, 0], [0, steps - {tf}.shape(outputs)[1]], [0, 0]])
    # TF1's state: LSTMStateTuple(c, h) for an LSTM cell, a tensor for the others, a tuple of them per layer
    # for a MultiRNNCell.
    states = {tf}.nest.pack_sequence_as([c.state_size for c in cells], {tf}.nest.flatten(states))
    states = [LSTMStateTuple(*s) if isinstance(s, list) else s for s in states]
    return outputs, tuple(states) if stacked else states[0]
'''


_STATIC_RUN = '''def static_rnn(layer, inputs, sequence_length=None, initial_state=None, feeds=(), state_only=False):
    """`tf.nn.static_rnn` as TF1 ran it on a list of steps: `dynamic_rnn` on the steps stacked along axis 1, its
    outputs a list of steps again. TF1 unrolled the same cell math over the same steps."""
    outputs, state = dynamic_rnn(layer, {tf}.stack(inputs, axis=1), sequence_length, initial_state, feeds,
                                 state_only)
    return {tf}.unstack(outputs, axis=1), state
'''


_BIDIRECTIONAL_RUNS = '''def reverse_steps(values, sequence_length=None):
    """Each sequence's steps in reverse order: its valid ones, when it has a length (TF1's `reverse_sequence`)."""
    if sequence_length is None:
        return {tf}.reverse(values, [1])
    return {tf}.reverse_sequence(values, sequence_length, seq_axis=1, batch_axis=0)


def bidirectional_dynamic_rnn(forward, backward, inputs, sequence_length=None, initial_state_fw=None,
                              initial_state_bw=None):
    """`tf.nn.bidirectional_dynamic_rnn` as TF1 ran it: the backward cell runs over each sequence reversed, and its
    outputs are reversed back. `((outputs_fw, outputs_bw), (state_fw, state_bw))`."""
    outputs_fw, state_fw = dynamic_rnn(forward, inputs, sequence_length, initial_state_fw)
    outputs_bw, state_bw = dynamic_rnn(backward, reverse_steps(inputs, sequence_length), sequence_length,
                                       initial_state_bw)
    return (outputs_fw, reverse_steps(outputs_bw, sequence_length)), (state_fw, state_bw)


def static_bidirectional_rnn(forward, backward, inputs, initial_state_fw=None, initial_state_bw=None,
                             sequence_length=None):
    """`tf.nn.static_bidirectional_rnn` as TF1 ran it on a list of steps: each step's forward and backward outputs
    concatenated, and the two final states."""
    (outputs_fw, outputs_bw), (state_fw, state_bw) = bidirectional_dynamic_rnn(
        forward, backward, {tf}.stack(inputs, axis=1), sequence_length, initial_state_fw, initial_state_bw)
    return {tf}.unstack({tf}.concat([outputs_fw, outputs_bw], 2), axis=1), state_fw, state_bw
'''


_STATE_TUPLES_LINE = "    states = [LSTMStateTuple(*s) if isinstance(s, list) else s for s in states]\n"


def run_text(tf: str = "tf") -> str:
    """The notebook-level ``dynamic_rnn(layer, inputs, sequence_length=None, initial_state=None)``.

    It refers to ``LSTMStateTuple`` (:data:`STATE_TUPLE_TEXT`) when the cell is an LSTM."""
    return _RUN.format(tf=tf)


def definitions(kinds, tf: str = "tf", static: bool = False, bidirectional: bool = False) -> str:
    """Everything a notebook using cells of ``kinds`` needs, each once: classes, state tuple and run helper (and
    the ``static_rnn`` helper when it runs ``static_rnn``, the bidirectional ones when it runs in both
    directions)."""
    kinds = sorted(set(kinds), key=list(_CLASS_NAMES).index)
    parts = []
    if {"basic_lstm", "lstm"} & set(kinds):
        parts.append("import collections\n\n" + STATE_TUPLE_TEXT)
    parts += [class_text(kind, tf) for kind in kinds]
    run = run_text(tf)
    if not {"basic_lstm", "lstm"} & set(kinds):
        run = run.replace(_STATE_TUPLES_LINE, "")  # only LSTM states are tuples
    parts.append(run)
    if static:
        parts.append(_STATIC_RUN.format(tf=tf))
    if bidirectional:
        parts.append(_BIDIRECTIONAL_RUNS.format(tf=tf))
    return "\n\n".join(parts)


def static_runs(apis) -> bool:
    """Whether a notebook whose references include ``apis`` runs ``static_rnn``."""
    return any(api in STATIC_RUNS for api in apis)


def bidirectional_runs(apis) -> bool:
    """Whether a notebook whose references include ``apis`` runs cells in both directions."""
    return any(api in BIDIRECTIONAL for api in apis)
