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
    "bidirectional": ("fw = tf.nn.rnn_cell.GRUCell(4)\nbw = tf.nn.rnn_cell.GRUCell(4)\n"
                      "outputs, state = tf.nn.static_bidirectional_rnn(fw, bw, tf.unstack(x, 3, 1), dtype=tf.float32)\n",
                      "lifted only inside a model function"),
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


RECURRENT_NETWORK = """
    import tensorflow as tf
    from tensorflow.contrib import rnn
    timesteps, num_hidden = 28, 128
    X = tf.placeholder("float", [None, timesteps, 28])
    weights = {'out': tf.Variable(tf.random_normal([num_hidden, 10]))}
    biases = {'out': tf.Variable(tf.random_normal([10]))}
    def RNN(x, weights, biases):
        x = tf.unstack(x, timesteps, 1)
        lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
        outputs, states = rnn.static_rnn(lstm_cell, x, dtype=tf.float32)
        return tf.matmul(outputs[-1], weights['out']) + biases['out']
    logits = RNN(X, weights, biases)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    out = sess.run(logits, {X: xs})
"""


def test_a_function_that_makes_and_runs_its_cell_becomes_a_keras_layer_made_once():
    """The TF1 examples' recurrent_network (tests/lift/programs.py runs it against TF1)."""
    result = migrate(dedent(RECURRENT_NETWORK), level="tf2")
    source = result.source
    assert "compat" not in source and "contrib" not in source and "Session" not in source
    assert source.count("def static_rnn(layer, inputs,") == 1 and source.count("class BasicLSTMCell(") == 1
    # `RNN` is already a class-like name: the class gets a suffix, the instance the function's name.
    assert dedent("""
        class RNNLayer(tf.keras.layers.Layer):
            \"\"\"TF1's `RNN` as a Keras layer: its RNN cells are made once, here.\"\"\"

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                lstm_cell = BasicLSTMCell(num_hidden, forget_bias=1.0)
                self.lstm_cell_rnn = tf.keras.layers.RNN(lstm_cell, return_sequences=True, return_state=True, zero_output_for_mask=True, unroll=True)

            def build(self, input_shape):
                # Keras would build the layers by tracing `call`, drawing random initial values it throws away
                # (so aligned draws would not line up): each is built at its first call, as TF1 made them.
                super().build(input_shape)

            def call(self, x, weights, biases):
                x = tf.unstack(x, timesteps, 1)
                outputs, states = static_rnn(self.lstm_cell_rnn, x)
                return tf.matmul(outputs[-1], weights['out']) + biases['out']
    """) in source
    assert 'RNN_layer = RNNLayer(name="RNN")' in source
    assert "return RNN_layer(X, weights=weights, biases=biases)" in source
    assert "TFM230" in {f.code for f in result.applied}
    assert migrate(source, level="tf2").source == source


@pytest.mark.parametrize("body,reason", [
    ("    cell = tf.nn.rnn_cell.GRUCell(4)\n    state0 = cell.zero_state(2, tf.float32)\n"
     "    outputs, state = tf.nn.dynamic_rnn(cell, x, initial_state=state0)\n", "for more than running it"),
    ("    cell = tf.nn.rnn_cell.GRUCell(4)\n    a, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n"
     "    outputs, state = tf.nn.dynamic_rnn(cell, a, dtype=tf.float32)\n", "twice"),
    ("    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), output_keep_prob=0.5)\n"
     "    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n", "DropoutWrapper"),
    ("    outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)\n",
     "not bound to a name"),
    ("    for units in (4, 2):\n        cell = tf.nn.rnn_cell.GRUCell(units)\n"
     "        x, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope=str(units))\n    outputs = x\n",
     "in a loop"),
    ("    h = x * 2\n    cell = tf.nn.rnn_cell.GRUCell(h.shape[-1])\n"
     "    outputs, state = tf.nn.dynamic_rnn(cell, h, dtype=tf.float32)\n",
     "from values it computes"),
    ("    w = tf.Variable(tf.zeros([4, 1]))\n    cell = tf.nn.rnn_cell.GRUCell(4)\n"
     "    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n    outputs = outputs * w\n",
     "in other ways too"),
])
def test_functions_whose_cells_cannot_be_made_once_are_refused_with_why(body, reason):
    source = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 3, 1])\n" \
             "def net(x):\n" + body + "    return outputs\ny = net(x)\nsess = tf.Session()\nsess.run(y, {x: xs})\n"
    assert_refused(source, reason)


def test_a_refused_model_function_whose_results_are_unpacked_says_why():
    """nlintz's 07_lstm returns the logits and its cell's state_size, unpacked at the call."""
    source = dedent("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3, 1])
        def model(x):
            lstm = tf.nn.rnn_cell.BasicLSTMCell(4)
            outputs, _states = tf.nn.static_rnn(lstm, tf.unstack(x, 3, 1), dtype=tf.float32)
            return outputs[-1], lstm.state_size
        py_x, state_size = model(x)
        sess = tf.Session()
        sess.run(py_x, {x: xs})
    """)
    assert_refused(source, "`model` uses the RNN cell `lstm` for more than running it")
