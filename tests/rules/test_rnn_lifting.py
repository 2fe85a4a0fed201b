"""TFM220: TF1 RNN cells and dynamic_rnn in a lifted notebook (the emitted classes are pinned in
tests/lift/test_rnn_cells.py and the rule's docs; their numbers in tests/lift and tutorial 06's --verify)."""

import ast

import pytest

from helpers import assert_refused, dedent
from kernel_helpers import migrate

LSTM = """
    import tensorflow as tf
    inputs = tf.placeholder(tf.float32, [None, SEQ_LEN, 1])
    lengths = tf.placeholder(tf.int32, [None])
    cell = tf.nn.rnn_cell.BasicLSTMCell(16)
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=tf.float32)
    w = tf.Variable(tf.zeros([16, 1]))
    prediction = tf.matmul(state.h, w)
    print(outputs, state)
    loss = tf.reduce_mean(tf.square(prediction))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train, {inputs: xs, lengths: ls})
"""


def test_lstm_run_becomes_a_keras_rnn_made_once_and_functions_of_its_feeds():
    result = migrate(dedent(LSTM), level="tf2")
    source = result.source
    ast.parse(source)
    assert "compat.v1" not in source and "Session" not in source
    # One class and helper, the cell, the RNN layer built where TF1 drew the kernel (its depth is known).
    assert source.count("class BasicLSTMCell(tf.keras.layers.Layer):") == 1
    assert source.count("def dynamic_rnn(layer, inputs, sequence_length=None, initial_state=None, feeds=(), "
                        "state_only=False):") == 1
    assert "cell = BasicLSTMCell(16)\n" in source
    assert "cell_rnn = tf.keras.layers.RNN(cell, return_sequences=True, return_state=True, " \
           "zero_output_for_mask=True, unroll=True)\ncell_rnn.build((None, None, 1))\n" in source
    assert "def state(inputs, lengths):" in source
    assert "return dynamic_rnn(cell_rnn, inputs, sequence_length=lengths)[1]" in source
    assert "return tf.matmul(state(inputs, lengths).h, w)" in source
    # The step updates the layer's variables once (the cell's are the layer's), after the forward pass.
    assert "variables = [*cell_rnn.trainable_variables, w]" in source
    # TF1 printed the graph tensors' descriptions: nothing to print before a lifted tensor runs.
    assert "print(outputs, state)" not in source
    assert {"TFM220", "TFM101"} <= {f.code for f in result.applied}
    assert migrate(source, level="tf2").source == source


REFUSED = {
    "dropout-on-the-state": ("cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), "
                             "state_keep_prob=0.5)\noutputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n",
                             "drops the cell's state"),
    "peepholes": ("cell = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True)\n"
                  "outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n", "peephole"),
    "cell-run-twice": ("cell = tf.nn.rnn_cell.GRUCell(4)\n"
                       "outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n"
                       "outputs2, state2 = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n", "run twice"),
    "result-not-unpacked": ("cell = tf.nn.rnn_cell.GRUCell(4)\n"
                            "result = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n", "not unpacked"),
    "time-major": ("cell = tf.nn.rnn_cell.GRUCell(4)\n"
                   "outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, time_major=True)\n", "time-major"),
    "static-rnn": ("cell = tf.nn.rnn_cell.GRUCell(4)\n"
                   "outputs, state = tf.nn.static_rnn(cell, [x], dtype=tf.float32)\n", "static_rnn"),
    "cell-factory-reading-a-feed": ("keep = tf.placeholder_with_default(1.0, shape=())\n"
                                    "def cell_factory():\n"
                                    "    return tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), keep / 2)\n"
                                    "cell = tf.nn.rnn_cell.MultiRNNCell([cell_factory() for _ in range(2)])\n"
                                    "outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n",
                                    "`keep` (placeholder) is read by `cell_factory`"),
    "cell-factory-wrapping-a-cell": ("def cell_factory():\n"
                                     "    return tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(4))\n"
                                     "cell = tf.nn.rnn_cell.MultiRNNCell([cell_factory() for _ in range(2)])\n"
                                     "outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n",
                                     "ResidualWrapper"),
}


def test_a_cell_factory_keeps_its_body_and_makes_the_notebooks_cells():
    source = dedent("""
        import tensorflow as tf
        inputs = tf.placeholder(tf.float32, [None, 5, 1])
        def make_cell(units):
            return tf.nn.rnn_cell.BasicLSTMCell(units)
        cell = tf.nn.rnn_cell.MultiRNNCell([make_cell(4), make_cell(2)])
        outputs, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        top = sess.run(state[-1].h, {inputs: xs})
    """)
    result = migrate(source, level="tf2")
    assert not [f for f in result.remaining if f.code == "TFM199"]
    assert "def make_cell(units):\n    return BasicLSTMCell(units)\n" in result.source
    assert "cell = MultiRNNCell([make_cell(4), make_cell(2)])" in result.source
    assert "top = state(xs)[-1].h.numpy()" in result.source


@pytest.mark.parametrize("graph,reason", REFUSED.values(), ids=REFUSED.keys())
def test_refused(graph, reason):
    source = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 3, 1])\n" + graph + \
             "sess = tf.Session()\nsess.run(outputs, {x: xs})\n"
    assert_refused(source, reason)


def test_a_dropout_wrapper_fed_its_keep_probability_reads_it_from_a_variable_each_run_sets():
    source = dedent("""
        import tensorflow as tf
        inputs = tf.placeholder(tf.float32, [None, 5, 1])
        keep_prob = tf.placeholder_with_default(1.0, shape=())
        def lstm_cell():
            cell = tf.nn.rnn_cell.LSTMCell(N_HIDDEN)
            return tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=keep_prob)
        cell = tf.nn.rnn_cell.MultiRNNCell([lstm_cell() for _ in range(2)])
        outputs, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
        logits = tf.layers.dense(state[-1].h, 3)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        train_logits = sess.run(logits, {inputs: xs, keep_prob: 0.5})
        test_outputs = sess.run(outputs, {inputs: xs})
    """).replace("N_HIDDEN", "N_HIDDEN").replace("import tensorflow as tf\n", "import tensorflow as tf\nN_HIDDEN = 8\n")
    result = migrate(source, level="tf2")
    assert not [f for f in result.remaining if f.code == "TFM199"], result.remaining
    text = result.source
    assert "keep_prob_fed = tf.Variable(1.0, dtype=tf.float32, trainable=False)" in text
    assert "    return DropoutWrapper(cell, output_keep_prob=keep_prob_fed)\n" in text
    assert "cell = MultiRNNCell([lstm_cell() for _ in range(2)])" in text
    # The runs set the variable to what TF1 fed (or the default); the state's run skips the top outputs' dropout.
    assert "dynamic_rnn(cell_rnn, inputs, feeds=[(keep_prob_fed, keep_prob)])[0]" in text
    assert "dynamic_rnn(cell_rnn, inputs, feeds=[(keep_prob_fed, keep_prob)], state_only=True)[1]" in text
    assert "train_logits = logits(xs, 0.5).numpy()" in text and "test_outputs = outputs(xs).numpy()" in text
    # The int constant sizes the state, so the dense layer is built where TF1 made its variables.
    assert "logits_dense.build((None, 8))" in text
    assert "compat.v1" not in text and "placeholder" not in text
