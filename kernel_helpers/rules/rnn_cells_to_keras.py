"""TFM220 rnn-cells-to-keras."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/model_mapping"


@register
class RnnCellsToKeras(NotebookRule):
    '''TF1 RNN cells and `tf.nn.dynamic_rnn` in a lifted graph: Keras cells with TF1's weights and math.

    ## What it does
    With the notebook's graph lifted (TFM100): `BasicLSTMCell`, `LSTMCell`, `GRUCell` and `BasicRNNCell`
    (from `tf.nn.rnn_cell` or `tf.contrib.rnn`) and `MultiRNNCell` become small Keras cells the notebook
    defines once, with TF1's single kernel over `[inputs, state]`, its initializers, gate order and state order.
    `outputs, state = tf.nn.dynamic_rnn(cell, inputs, ...)` becomes a `tf.keras.layers.RNN` made once (built
    where TF1 made the cell's variables when the input depth is known) and two functions of the run's feeds,
    which call a `dynamic_rnn` helper that returns TF1's structure: zero outputs after `sequence_length`, the
    last valid state, `LSTMStateTuple(c, h)`. A function that returns new cells (`def lstm_cell(): ...`, stacked
    with `MultiRNNCell([lstm_cell() for _ in range(n)])`) keeps its body with the cells' constructors replaced.
    `DropoutWrapper` drops a cell's inputs and outputs at every step as TF1 did; a keep probability fed at run
    time (the PTB `keep_prob` placeholder) becomes a variable that each lifted run sets to what TF1 was fed,
    and a run for the state alone leaves the last cell's outputs undropped, as TF1's pruned graph did.

    ## Why
    `tf.nn.rnn_cell` needs TF1 graphs and, on TF 2.21, the legacy tf_keras. Keras's own `LSTM`/`GRU` lay out
    and initialize their weights differently (a separate, orthogonal recurrent kernel, gate order i, f, c, o, no
    run-time forget bias), so they would neither start from nor compute TF1's numbers.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 5, 1])
    cell = tf.nn.rnn_cell.BasicRNNCell(4)
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    last = sess.run(state, {x: data})
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    class BasicRNNCell(tf.keras.layers.Layer):
        """TF1's `tf.nn.rnn_cell.BasicRNNCell` as a Keras cell: the same weights, initialization and math."""

        def __init__(self, num_units, activation=None, **kwargs):
            super().__init__(**kwargs)
            self.units = num_units
            self.activation = tf.keras.activations.get(activation) if activation else tf.tanh
            self.state_size = num_units
            self.output_size = num_units

        def build(self, input_shape):
            # One kernel over [inputs, state], as TF1 made it (same shape, same Glorot draw).
            self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1] + self.units, self.units),
                                          initializer="glorot_uniform")
            self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")

        def call(self, inputs, states):
            h = self.activation(tf.nn.bias_add(tf.matmul(tf.concat([inputs, states[0]], 1), self.kernel),
                                                  self.bias))
            return h, h


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
        return outputs, tuple(states) if stacked else states[0]

    cell = BasicRNNCell(4)
    cell_rnn = tf.keras.layers.RNN(cell, return_sequences=True, return_state=True, zero_output_for_mask=True, unroll=True)
    cell_rnn.build((None, 5, 1))
    def outputs(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return dynamic_rnn(cell_rnn, x)[0]
    def state(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return dynamic_rnn(cell_rnn, x)[1]
    last = state(data).numpy()
    ```

    ## Fix safety
    Safe: checked against `tf.compat.v1.nn.dynamic_rnn` in a graph for every cell kind, with and without
    `sequence_length` (first outputs and states agree to 1e-6 with aligned random draws, 5 Adam steps to
    1e-5), and tutorial 06 passes `--verify` over 301 steps. `static_rnn` (and TF 0.x's `tf.nn.rnn`) runs the same
    cell through a `static_rnn` helper: `dynamic_rnn` on the list of steps stacked, its outputs a list again
    (tutorial 15). Inside a model function, `bidirectional_dynamic_rnn` and `static_bidirectional_rnn` run the
    backward cell over each sequence reversed (`reverse_sequence` with lengths), as TF1 did; a `try`/`except`
    that repeats a run as a fallback for older releases runs its cells once. Refused, with a reason: wrappers other
    than `DropoutWrapper` (and a `DropoutWrapper` made inside a model function), peepholes and projections,
    bidirectional runs outside a model function, time-major inputs, a cell run twice.
    Once migrated, `tf.keras.layers.LSTM` is the built-in alternative, with its own weight layout.
    '''

    code = "TFM220"
    name = "rnn-cells-to-keras"
    doc = _GUIDE
