"""TF1 RNN cells become small Keras cells with TF1's math (``engine/lift/rnn.py``).

Text tests pin the constructor and run replacements and the refusals; the numerical tests run TF1's cells with
``tf.nn.dynamic_rnn`` in a graph and the emitted classes and ``dynamic_rnn`` helper eagerly on TF2 + Keras 3,
in two child processes with aligned random draws: first outputs and final states agree to 1e-6, the losses of
5 Adam steps to 1e-5, and a class with a wrong gate order, forget bias or GRU bias is far off.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kernel_helpers.engine.index import dotted
from kernel_helpers.engine.lift import rnn
from kernel_helpers.engine.lift.model import NotLiftable

CHILD = Path(__file__).with_name("rnn_child.py")
ROOT = Path(__file__).resolve().parents[2]


def api_of(call):
    parts = dotted(call.func) if isinstance(call, ast.Call) else None
    return ".".join(parts[1:]) if parts and parts[0] in ("tf", "t") else None


def construct(text, tf="tf", edited=None):
    """``rnn.construct`` on a TF1 constructor call; ``edited`` maps source texts to what other rules made of
    them (the segment function the lifting passes carries those edits)."""
    call = ast.parse(text, mode="eval").body
    edited = edited or {}

    def segment(node):
        source = ast.get_source_segment(text, node)
        return edited.get(source, source)

    return rnn.construct(api_of(call), call, segment, tf, api_of)


def run_call(text, layer="layer", edited=None):
    call = ast.parse(text, mode="eval").body
    edited = edited or {}

    def segment(node):
        source = ast.get_source_segment(text, node)
        return edited.get(source, source)

    return rnn.run_call(api_of(call), call, segment, layer)


# ---------------------------------------------------------------------------------------------------------
# Text


def test_index_names_of_the_cells():
    assert rnn.CELL_KINDS["nn.rnn_cell.BasicLSTMCell"] == rnn.CELL_KINDS["contrib.rnn.BasicLSTMCell"] == "basic_lstm"
    assert rnn.CELL_KINDS["nn.rnn_cell.LSTMCell"] == rnn.CELL_KINDS["contrib.rnn.LSTMCell"] == "lstm"
    assert rnn.CELL_KINDS["nn.rnn_cell.GRUCell"] == rnn.CELL_KINDS["contrib.rnn.GRUCell"] == "gru"
    assert rnn.CELL_KINDS["nn.rnn_cell.BasicRNNCell"] == rnn.CELL_KINDS["contrib.rnn.BasicRNNCell"] == "basic_rnn"


@pytest.mark.parametrize("source, expected", [
    ("tf.nn.rnn_cell.BasicLSTMCell(N_HIDDEN)", "BasicLSTMCell(N_HIDDEN)"),
    ("tf.contrib.rnn.BasicLSTMCell(128, 0.5)", "BasicLSTMCell(128, forget_bias=0.5)"),
    ("tf.contrib.rnn.BasicLSTMCell(num_units=n, forget_bias=1.0, state_is_tuple=True, reuse=None)",
     "BasicLSTMCell(n, forget_bias=1.0)"),
    ("tf.nn.rnn_cell.BasicLSTMCell(n, activation=tf.nn.relu, name='enc')",
     "BasicLSTMCell(n, activation=tf.nn.relu, name='enc')"),
    ("tf.nn.rnn_cell.LSTMCell(n, initializer=tf.keras.initializers.GlorotUniform())",
     "LSTMCell(n, initializer=tf.keras.initializers.GlorotUniform())"),
    ("tf.contrib.rnn.LSTMCell(n, use_peepholes=False, initializer=None, forget_bias=0.0, dtype=tf.float32)",
     "LSTMCell(n, forget_bias=0.0)"),
    ("tf.nn.rnn_cell.GRUCell(64, kernel_initializer=init, bias_initializer=tf.zeros_initializer())",
     "GRUCell(64, kernel_initializer=init, bias_initializer=tf.zeros_initializer())"),
    ("tf.contrib.rnn.GRUCell(64, activation='relu')", "GRUCell(64, activation='relu')"),
    ("tf.nn.rnn_cell.BasicRNNCell(32, activation=tf.tanh, input_size=10)", "BasicRNNCell(32, activation=tf.tanh)"),
    ("tf.nn.rnn_cell.BasicRNNCell(32, name='a/b')", "BasicRNNCell(32)"),
])
def test_construct(source, expected):
    assert construct(source) == expected


def test_construct_uses_the_notebooks_alias_and_carried_edits():
    assert construct("t.nn.rnn_cell.LSTMCell(4, activation=t.sigmoid)", tf="t") == "LSTMCell(4, activation=t.sigmoid)"
    with pytest.raises(NotLiftable, match="activation"):
        construct("t.nn.rnn_cell.LSTMCell(4, activation=tf.sigmoid)", tf="t")
    assert construct("tf.nn.rnn_cell.LSTMCell(5, initializer=tf.contrib.layers.xavier_initializer())",
                     edited={"tf.contrib.layers.xavier_initializer()": "tf.keras.initializers.GlorotUniform()"}) \
        == "LSTMCell(5, initializer=tf.keras.initializers.GlorotUniform())"


@pytest.mark.parametrize("source, expected", [
    ("tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(5), tf.nn.rnn_cell.LSTMCell(3)])",
     "MultiRNNCell([LSTMCell(5), LSTMCell(3)])"),
    ("tf.contrib.rnn.MultiRNNCell([tf.contrib.rnn.GRUCell(n) for _ in range(layers)], state_is_tuple=True)",
     "MultiRNNCell([GRUCell(n) for _ in range(layers)])"),
    ("tf.nn.rnn_cell.MultiRNNCell((first, second))", "MultiRNNCell([first, second])"),
    ("tf.nn.rnn_cell.MultiRNNCell(cells)", "MultiRNNCell(cells)"),
    ("tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(4), output_keep_prob=p)])",
     "MultiRNNCell([DropoutWrapper(LSTMCell(4), output_keep_prob=p)])"),
    ("tf.contrib.rnn.DropoutWrapper(cell, 0.8, output_keep_prob=0.5, seed=3, variational_recurrent=False)",
     "DropoutWrapper(cell, input_keep_prob=0.8, output_keep_prob=0.5, seed=3)"),
])
def test_multi_rnn_cell(source, expected):
    assert construct(source) == expected


@pytest.mark.parametrize("source, reason", [
    ("tf.nn.rnn_cell.LSTMCell(n, use_peepholes=True)", "peephole"),
    ("tf.nn.rnn_cell.LSTMCell(n, num_proj=32)", "num_proj"),
    ("tf.nn.rnn_cell.LSTMCell(n, cell_clip=3.0)", "cell_clip"),
    ("tf.nn.rnn_cell.LSTMCell(n, proj_clip=3.0)", "proj_clip"),
    ("tf.nn.rnn_cell.LSTMCell(n, num_unit_shards=2)", "shards"),
    ("tf.nn.rnn_cell.BasicLSTMCell(n, state_is_tuple=False)", "state_is_tuple=False"),
    ("tf.nn.rnn_cell.BasicLSTMCell(n, reuse=True)", "reuses"),
    ("tf.nn.rnn_cell.GRUCell(n, reuse=tf.AUTO_REUSE)", "reuses"),
    ("tf.nn.rnn_cell.BasicRNNCell(n, activation=my_activation)", "activation the lifting cannot map"),
    ("tf.nn.rnn_cell.BasicRNNCell(n, activation=lambda v: v)", "activation the lifting cannot map"),
    ("tf.nn.rnn_cell.BasicRNNCell(n, dtype=tf.float64)", "dtype"),
    ("tf.nn.rnn_cell.LSTMCell(n, True)", "positional"),
    ("tf.nn.rnn_cell.GRUCell(n, None, None)", "positional"),
    ("tf.nn.rnn_cell.BasicLSTMCell(n, 1.0, True)", "positional"),
    ("tf.nn.rnn_cell.LSTMCell(*sizes)", r"\*args"),
    ("tf.nn.rnn_cell.LSTMCell(**config)", r"\*args"),
    ("tf.nn.rnn_cell.LSTMCell()", "without num_units"),
    ("tf.nn.rnn_cell.BasicRNNCell(n, kernel_initializer=init)", "kernel_initializer"),
    ("tf.nn.rnn_cell.MultiRNNCell([a, b], state_is_tuple=False)", "state_is_tuple=False"),
    ("tf.nn.rnn_cell.MultiRNNCell([cell] * 2)", "one cell object"),
    ("tf.nn.rnn_cell.MultiRNNCell([cell, cell])", "one cell object"),
    ("tf.nn.rnn_cell.MultiRNNCell([cell for _ in range(3)])", "one cell object"),
    ("tf.nn.rnn_cell.DropoutWrapper(cell, state_keep_prob=0.5)", "drops the cell's state"),
    ("tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=p, variational_recurrent=True)", "one mask for every"),
    ("tf.nn.rnn_cell.DropoutWrapper(cell, dropout_state_filter_visitor=f)", "chooses which states"),
    ("tf.contrib.rnn.ResidualWrapper(tf.nn.rnn_cell.LSTMCell(4))", "ResidualWrapper"),
    ("tf.contrib.rnn.LSTMBlockCell(4)", "fused"),
    ("tf.contrib.rnn.LayerNormBasicLSTMCell(4)", "normalizes"),
])
def test_construct_refuses(source, reason):
    with pytest.raises(NotLiftable, match=reason):
        construct(source)


@pytest.mark.parametrize("source, expected", [
    ("tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)", "dynamic_rnn(layer, x)"),
    ("tf.nn.dynamic_rnn(cell, inputs=x, sequence_length=seq_len, dtype=tf.float32, scope='enc')",
     "dynamic_rnn(layer, x, sequence_length=seq_len)"),
    ("tf.nn.dynamic_rnn(cell, x, lengths, state0, time_major=False, swap_memory=True, parallel_iterations=64)",
     "dynamic_rnn(layer, x, sequence_length=lengths, initial_state=state0)"),
    ("tf.nn.dynamic_rnn(cell, x, initial_state=init_state)", "dynamic_rnn(layer, x, initial_state=init_state)"),
    # static_rnn takes initial_state before sequence_length (tf.nn.rnn was its TF 0.x name)
    ("tf.nn.static_rnn(cell, xs, state0, tf.float32, lengths)",
     "static_rnn(layer, xs, initial_state=state0, sequence_length=lengths)"),
    ("tf.contrib.rnn.static_rnn(cell, xs, dtype=tf.float32)", "static_rnn(layer, xs)"),
    ("tf.nn.rnn(cell, xs, initial_state=s)", "static_rnn(layer, xs, initial_state=s)"),
])
def test_run_call(source, expected):
    assert run_call(source) == expected


@pytest.mark.parametrize("source, reason", [
    ("tf.nn.dynamic_rnn(cell, x, time_major=True)", "time-major"),
    ("tf.nn.dynamic_rnn(cell, x, dtype=tf.float64)", "dtype"),
    ("tf.nn.dynamic_rnn(cell)", "without inputs"),
    ("tf.contrib.rnn.stack_bidirectional_dynamic_rnn([fw], [bw], x)", "bidirectional"),
    ("tf.nn.raw_rnn(cell, loop_fn)", "raw_rnn"),
])
def test_run_call_refuses(source, reason):
    with pytest.raises(NotLiftable, match=reason):
        run_call(source)


@pytest.mark.parametrize("source, expected", [
    ("tf.nn.bidirectional_dynamic_rnn(fw, bw, x, lengths, dtype=tf.float32, time_major=False)",
     "bidirectional_dynamic_rnn(f, b, x, sequence_length=lengths)"),
    ("tf.contrib.rnn.static_bidirectional_rnn(fw, bw, xs, initial_state_fw=s0, dtype=tf.float32)",
     "static_bidirectional_rnn(f, b, xs, initial_state_fw=s0)"),
])
def test_bidirectional_run_calls_name_both_layers(source, expected):
    call = ast.parse(source, mode="eval").body
    assert rnn.run_call(api_of(call), call, lambda node: ast.get_source_segment(source, node), ("f", "b")) == expected
    assert [c.id for c in rnn.run_cells(api_of(call), call)] == ["fw", "bw"]


def test_refusal_only_speaks_of_rnn_apis():
    assert rnn.refusal("nn.rnn_cell.LSTMCell") is None
    assert rnn.refusal("nn.dynamic_rnn") is None
    assert rnn.refusal("nn.relu") is None and rnn.refusal("layers.dense") is None
    assert rnn.refusal("nn.rnn_cell.DropoutWrapper") is None
    assert "ResidualWrapper" in rnn.refusal("nn.rnn_cell.ResidualWrapper")
    assert "not lifted" in rnn.refusal("contrib.rnn.NASCell")


def test_layer_text():
    assert rnn.layer_text("cell") == ("tf.keras.layers.RNN(cell, return_sequences=True, return_state=True, "
                                      "zero_output_for_mask=True, unroll=True)")
    assert rnn.layer_text("LSTMCell(4)", "tf2").startswith("tf2.keras.layers.RNN(LSTMCell(4), ")


@pytest.mark.parametrize("kind", ["basic_lstm", "lstm", "gru", "basic_rnn", "dropout", "multi"])
def test_class_texts_parse_and_stay_out_of_compat(kind):
    text = rnn.class_text(kind, "tf")
    tree = ast.parse(text)
    assert [node.name for node in tree.body] == [rnn.class_name(kind)]
    assert "compat" not in text
    assert "tensorflow" not in text
    aliased = rnn.class_text(kind, "tf2")
    names = {node.id for node in ast.walk(ast.parse(aliased)) if isinstance(node, ast.Name)}
    assert "tf2" in names and "tf" not in names


def test_definitions_define_each_thing_once():
    text = rnn.definitions(["gru", "lstm", "basic_lstm", "lstm"])
    names = [getattr(n, "name", None) or n.targets[0].id for n in ast.parse(text).body
             if not isinstance(n, ast.Import)]
    assert names == ["LSTMStateTuple", "BasicLSTMCell", "LSTMCell", "GRUCell", "dynamic_rnn"]
    assert "compat" not in text
    assert "LSTMStateTuple" not in rnn.definitions(["gru"]).split("def dynamic_rnn")[0]
    static = rnn.definitions(["gru"], static=True)
    assert [n.name for n in ast.parse(static).body] == ["GRUCell", "dynamic_rnn", "static_rnn"]


def test_emitted_text_for_a_basic_lstm():
    """The whole text a notebook with ``BasicLSTMCell(16)`` and ``dynamic_rnn`` gets, pinned."""
    assert construct("tf.nn.rnn_cell.BasicLSTMCell(16)") == "BasicLSTMCell(16)"
    assert run_call("tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)", "cell_rnn") == "dynamic_rnn(cell_rnn, x)"
    assert rnn.class_text("basic_lstm") == '''\
class BasicLSTMCell(tf.keras.layers.Layer):
    """TF1's `tf.nn.rnn_cell.BasicLSTMCell` as a Keras cell: the same weights, initialization and math."""

    def __init__(self, num_units, forget_bias=1.0, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = num_units
        self.forget_bias = forget_bias
        self.activation = tf.keras.activations.get(activation) if activation else tf.tanh
        self.state_size = [num_units, num_units]  # TF1's LSTMStateTuple(c, h): c first
        self.output_size = num_units

    def build(self, input_shape):
        # One kernel over [inputs, h] for the four gates, as TF1 made it (same shape, same Glorot draw).
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1] + self.units, 4 * self.units),
                                      initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(4 * self.units,), initializer="zeros")

    def call(self, inputs, states):
        c, h = states
        gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), self.kernel), self.bias)
        # TF1's gate order: input, candidate (j), forget, output; forget_bias is added here, not to the bias.
        i, j, f, o = tf.split(gates, 4, axis=1)
        c = tf.sigmoid(f + self.forget_bias) * c + tf.sigmoid(i) * self.activation(j)
        h = self.activation(c) * tf.sigmoid(o)
        return h, [c, h]
'''
    assert rnn.run_text() == '''\
def dynamic_rnn(layer, inputs, sequence_length=None, initial_state=None, feeds=(), state_only=False):
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
    mask, steps = None, tf.shape(inputs)[1]
    if sequence_length is not None:
        # TF1's loop stopped after the longest sequence (the steps after it only gave zeros): so does this one.
        inputs = inputs[:, :tf.maximum(1, tf.reduce_max(sequence_length))]
        mask = tf.sequence_mask(sequence_length, tf.shape(inputs)[1])
    if initial_state is not None:  # TF1's structure as Keras's lists
        initial_state = tf.nest.pack_sequence_as(cell.state_size, tf.nest.flatten(initial_state))
    try:
        outputs, *states = layer(inputs, initial_state=initial_state, mask=mask)
    finally:
        if top_keep_prob is not None:
            cells[-1].output_keep_prob = top_keep_prob
    outputs = tf.pad(outputs, [[0, 0], [0, steps - tf.shape(outputs)[1]], [0, 0]])
    # TF1's state: LSTMStateTuple(c, h) for an LSTM cell, a tensor for the others, a tuple of them per layer
    # for a MultiRNNCell.
    states = tf.nest.pack_sequence_as([c.state_size for c in cells], tf.nest.flatten(states))
    states = [LSTMStateTuple(*s) if isinstance(s, list) else s for s in states]
    return outputs, tuple(states) if stacked else states[0]
'''


# ---------------------------------------------------------------------------------------------------------
# Numbers: TF1 graph vs the emitted code on TF2 + Keras 3

#: what the per-cell rules (TFM015, TFM210) make of the TF1 initializers the cases pass
MIGRATED = {"tf.contrib.layers.xavier_initializer()": "tf.keras.initializers.GlorotUniform()",
            "tf.truncated_normal_initializer(stddev=0.3)": "tf.keras.initializers.TruncatedNormal(stddev=0.3)"}
#: where the reference runtime forwards tf.contrib (runtime/contrib.py)
TF1_RUNTIME = {"tf.contrib.layers.xavier_initializer": "tf_slim.xavier_initializer",
               "tf.contrib.rnn.": "tf.nn.rnn_cell."}

CELLS = {
    "basic_lstm": "tf.nn.rnn_cell.BasicLSTMCell(6)",
    "basic_lstm_forget_bias": "tf.contrib.rnn.BasicLSTMCell(6, forget_bias=0.3)",
    "lstm_xavier": "tf.nn.rnn_cell.LSTMCell(5, initializer=tf.contrib.layers.xavier_initializer())",
    "lstm_truncated": "tf.nn.rnn_cell.LSTMCell(5, initializer=tf.truncated_normal_initializer(stddev=0.3), "
                      "activation=tf.nn.softsign)",
    "gru": "tf.nn.rnn_cell.GRUCell(6)",
    "basic_rnn": "tf.nn.rnn_cell.BasicRNNCell(6, activation=tf.nn.relu)",
    "multi_lstm": "tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(5), tf.nn.rnn_cell.LSTMCell(3)])",
    # Masks drawn at every step of both layers, inputs and outputs: aligned draws make them TF1's.
    "multi_dropout": "tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(5), "
                     "output_keep_prob=0.7), tf.contrib.rnn.DropoutWrapper(tf.nn.rnn_cell.GRUCell(3), "
                     "input_keep_prob=0.8, output_keep_prob=0.6)])",
}
PLAIN = "tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)"
LENGTHS = "tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)"
#: case -> (cell, TF1 run); every cell runs without and with sequence_length, some from a given state
CASES = {f"{name}{suffix}": (name, run) for name in CELLS for suffix, run in (("", PLAIN), ("_lengths", LENGTHS))}
CASES.update({
    "basic_lstm_initial": ("basic_lstm", (
        "tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32, initial_state="
        "tf.nn.rnn_cell.LSTMStateTuple(tf.tile(x[:, 0, :3], [1, 2]), tf.tile(x[:, 1, :3], [1, 2])))")),
    "gru_initial": ("gru", "tf.nn.dynamic_rnn(cell, x, initial_state=tf.tile(x[:, 0, :3], [1, 2]))"),
    "multi_lstm_initial": ("multi_lstm", (
        "tf.nn.dynamic_rnn(cell, x, lengths, (tf.nn.rnn_cell.LSTMStateTuple(x[:, 0, :] @ tf.ones([4, 5]), "
        "tf.tanh(x[:, 1, :] @ tf.ones([4, 5]))), tf.contrib.rnn.LSTMStateTuple(x[:, 2, :3], x[:, 3, 1:])))")),
})
#: a class with a deliberate mistake -> the case it runs: the comparison must catch it
MUTANTS = {
    "gate_order": ("basic_lstm", "i, j, f, o = tf.split", "i, f, j, o = tf.split"),
    "forget_bias": ("lstm_xavier", "tf.sigmoid(f + self.forget_bias)", "tf.sigmoid(f)"),
    "gru_gate_bias": ("gru_lengths", 'self.initializer(self.bias_initializer, "ones")',
                      'self.initializer(self.bias_initializer, "zeros")'),
    "state_order": ("lstm_truncated_lengths", "return h, [c, h]", "return h, [h, c]"),
    "no_output_dropout": ("multi_dropout_lengths", "return self.dropout(output, self.output_keep_prob), states",
                          "return output, states"),
}


def kinds_of(text):
    return rnn.kinds(api_of(n) for n in ast.walk(ast.parse(text)))


def migrated_case(name, epoch):
    cell, run = CELLS[CASES[name][0]], CASES[name][1]
    migrated_run = run_call(run)
    for api in rnn.STATE_TUPLES:  # what the lifting writes for TF1's state tuple
        migrated_run = migrated_run.replace(f"tf.{api}", "LSTMStateTuple")
    return {"cell": construct(cell, edited=MIGRATED), "run": migrated_run, "layer": rnn.layer_text("cell"),
            "definitions": rnn.definitions(kinds_of(cell)), "epoch": epoch}


def run_child(mode, cases, folder):
    path = folder / f"{mode}.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(CHILD), mode, str(path)], capture_output=True, text=True,
                          timeout=600, env=env)
    marker = [line for line in done.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert marker, done.stderr[-3000:]
    return json.loads(marker[-1][len("@@RESULT@@"):])


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    pytest.importorskip("tensorflow")
    folder = tmp_path_factory.mktemp("rnn")
    tf1_cases, tf2_cases = {}, {}
    for epoch, name in enumerate(CASES):
        cell, run = CELLS[CASES[name][0]], CASES[name][1]
        for old, new in TF1_RUNTIME.items():
            cell, run = cell.replace(old, new), run.replace(old, new)
        tf1_cases[name] = {"cell": cell, "run": run, "epoch": epoch}
        tf2_cases[name] = migrated_case(name, epoch)
    for mutant, (name, old, new) in MUTANTS.items():
        case = dict(tf2_cases[name])
        assert old in case["definitions"], mutant
        case["definitions"] = case["definitions"].replace(old, new)
        tf2_cases[mutant] = case
    return run_child("tf1", tf1_cases, folder), run_child("tf2", tf2_cases, folder)


def max_difference(a, b):
    if np.shape(a["outputs"]) != np.shape(b["outputs"]):
        return np.inf
    return max(float(np.max(np.abs(np.subtract(x, y)))) for x, y in
               [(a["outputs"], b["outputs"]), *zip(a["state"], b["state"])])


@pytest.mark.parametrize("name", CASES)
def test_emitted_cell_computes_what_tf1_computed(measured, name):
    tf1, tf2 = measured[0][name], measured[1][name]
    assert "error" not in tf1, tf1
    assert "error" not in tf2, tf2
    # Same number of random draws, so aligned draws gave both the same weights.
    assert tf2["draws"] == tf1["draws"] > 0
    assert tf2["structure"] == tf1["structure"]
    assert len(tf2["state"]) == len(tf1["state"])
    np.testing.assert_allclose(tf2["outputs"], tf1["outputs"], rtol=0, atol=1e-6)
    for got, expected in zip(tf2["state"], tf1["state"]):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(tf2["losses"], tf1["losses"], rtol=1e-5, atol=1e-5)
    # Training moved the weights (the loss is not constant), so the comparison covers the gradients too.
    assert abs(tf1["losses"][-1] - tf1["losses"][0]) > 1e-3


def test_state_structures_are_tf1s(measured):
    structures = {name: measured[0][name]["structure"] for name in ("basic_lstm", "gru", "multi_lstm_lengths")}
    assert structures == {"basic_lstm": "LSTMStateTuple[c,h](tensor,tensor)", "gru": "tensor",
                          "multi_lstm_lengths": "(LSTMStateTuple[c,h](tensor,tensor),"
                                                "LSTMStateTuple[c,h](tensor,tensor))"}


def test_initial_states_are_used(measured):
    for name in ("basic_lstm_initial", "multi_lstm_initial"):
        assert max_difference(measured[1][name], measured[1][name.replace("_initial", "_lengths")]) > 1e-2
    assert max_difference(measured[1]["gru_initial"], measured[1]["gru"]) > 1e-2


def test_outputs_past_sequence_length_are_zero(measured):
    outputs = np.asarray(measured[1]["gru_lengths"]["outputs"])
    assert np.all(outputs[1, 2:] == 0) and np.all(outputs[2, 4:] == 0) and np.all(outputs[1, :2] != 0)


@pytest.mark.parametrize("mutant", MUTANTS)
def test_a_wrong_class_is_caught(measured, mutant):
    name = MUTANTS[mutant][0]
    tf1, wrong = measured[0][name], measured[1][mutant]
    assert "error" not in wrong, wrong
    assert max_difference(wrong, tf1) > 1e-2
