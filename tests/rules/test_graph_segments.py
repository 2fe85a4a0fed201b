"""TFM100 for notebooks that build several graphs one after another (a graph per exercise, reset_default_graph
between models): each is lifted on its own, and a name read across graphs refuses the notebook. A graph name given
to a plain value once nothing is built on it is a plain name from there on. The program
`graphs-one-after-another` (tests/lift) checks the values against TF1."""

import pytest

from helpers import assert_lifted, assert_refused, dedent

MODEL = """
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable(tf.zeros([2, 1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    train = tf.train.GradientDescentOptimizer(RATE).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train, {x: data})
    print(sess.run(loss, {x: data}))
"""


def test_models_built_after_reset_default_graph_under_the_same_names_are_lifted_each_on_its_own():
    source = "import tensorflow as tf\n" + dedent(MODEL).replace("RATE", "0.1") + "tf.reset_default_graph()\n" \
        + dedent(MODEL).replace("RATE", "0.5")
    migrated = assert_lifted(source)
    assert migrated.count("w = tf.Variable(tf.zeros([2, 1]))\n") == 2
    assert migrated.count("def train(x):\n") == 2
    # Each graph's optimizer is its own object, under a name no other takes.
    assert "optimizer = tf.keras.optimizers.SGD(0.1)\n" in migrated
    assert "optimizer_2 = tf.keras.optimizers.SGD(0.5)\n" in migrated
    assert migrated.count("print(loss(data).numpy())") == 2


def test_graphs_made_with_tf_graph_blocks_are_lifted_each_on_its_own():
    block = dedent("""
        graph = tf.Graph()
        with graph.as_default():
            x = tf.placeholder(tf.float32, [None])
            y = x * RATE
        with tf.Session(graph=graph) as session:
            print(session.run(y, {x: data}))
    """)
    migrated = assert_lifted("import tensorflow as tf\n" + block.replace("RATE", "2.0") + block.replace("RATE", "3.0"))
    assert "def y(x):\n    x = tf.convert_to_tensor(x, tf.float32)\n    return x * 2.0\n" in migrated
    assert "def y(x):\n    x = tf.convert_to_tensor(x, tf.float32)\n    return x * 3.0\n" in migrated
    assert migrated.count("print(y(data).numpy())") == 2


REFUSED = {
    "tensor-of-an-earlier-graph": ("""
        x = tf.placeholder(tf.float32, [None])
        y = x * 2.0
        sess = tf.Session()
        tf.reset_default_graph()
        z = tf.placeholder(tf.float32, [None])
        y = z * 3.0
        print(sess.run(x, {x: data}))
    """, "`x` is read in one graph but made in another"),
    "function-of-an-earlier-graph": ("""
        x = tf.placeholder(tf.float32, [None])
        y = x * 2.0
        sess = tf.Session()
        def show():
            print(sess.run(y, {x: data}))
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [None])
        y = x * 3.0
        sess = tf.Session()
        show()
    """, "`show` is read in one graph but made in another"),
}


@pytest.mark.parametrize("code,reason", REFUSED.values(), ids=REFUSED.keys())
def test_names_read_across_graphs_refuse_the_notebook(code, reason):
    assert_refused("import tensorflow as tf\n" + dedent(code), reason)


def test_a_tensor_given_a_plain_value_once_nothing_is_built_on_it_becomes_a_plain_name():
    migrated = assert_lifted("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        total = tf.reduce_sum(x)
        sess = tf.Session()
        value = sess.run(total, {x: data})
        total = value + 1
        print(total)
    """)
    # The name is bound twice, so the tensor's function takes a name of its own.
    assert "def total_1(x):\n" in migrated
    assert "value = total_1(data).numpy()\ntotal = value + 1\nprint(total)\n" in migrated


RETIRED_REFUSED = {
    "built-upon": ("""
        x = tf.placeholder(tf.float32, [None])
        total = tf.reduce_sum(x)
        double = total * 2
        sess = tf.Session()
        total = 3
    """, "`total` is bound again after it was defined as a tensor"),
    "in-a-loop": ("""
        x = tf.placeholder(tf.float32, [None])
        total = tf.reduce_sum(x)
        sess = tf.Session()
        for i in range(2):
            print(sess.run(total, {x: data}))
            total = 3
    """, "`total` is bound again after it was defined as a tensor"),
}


@pytest.mark.parametrize("code,reason", RETIRED_REFUSED.values(), ids=RETIRED_REFUSED.keys())
def test_graph_names_are_not_given_plain_values_where_the_graph_could_still_read_them(code, reason):
    assert_refused("import tensorflow as tf\n" + dedent(code), reason)


def test_a_placeholder_takes_over_the_name_of_a_constant_run_before_it():
    migrated = assert_lifted("""
        import tensorflow as tf
        a = tf.constant(2)
        b = tf.constant(3)
        with tf.Session() as sess:
            print(sess.run(a + b))
        a = tf.placeholder(tf.int16)
        b = tf.placeholder(tf.int16)
        add = tf.add(a, b)
        with tf.Session() as sess:
            print(sess.run(add, feed_dict={a: 2, b: 3}))
    """)
    assert "a = tf.constant(2)\nb = tf.constant(3)\nprint((a + b).numpy())\n" in migrated
    assert "def add(a, b):\n" in migrated and "print(add(2, 3).numpy())\n" in migrated


def test_a_placeholder_does_not_take_over_a_name_something_was_built_on():
    assert_refused("""
        import tensorflow as tf
        a = tf.constant(2)
        double = a * 2
        a = tf.placeholder(tf.int32)
        sess = tf.Session()
        print(sess.run(double))
    """, "`a` is bound twice in the graph")


def test_a_run_written_twice_runs_twice():
    # Regression: a repeated *definition* is dropped (TF1 built the same ops twice), but a run is not a definition.
    migrated = assert_lifted("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None])
        w = tf.Variable(1.0)
        loss = tf.reduce_mean(tf.square(w * x - 2.0))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        value = sess.run(loss, {x: data})
        sess.run(train, {x: data})
        value = sess.run(loss, {x: data})
    """)
    assert migrated.count("value = loss(data).numpy()\n") == 2


def test_prints_of_symbolic_tensors_go():
    # TF1 printed the tensor's description; a lifted tensor is a function, with no value until it is called.
    migrated = assert_lifted("""
        import tensorflow as tf
        def show(value):
            print("VALUE IS", value)
        x = tf.placeholder(tf.float32, [None])
        y = x * 2.0
        print("symbolic:", x, y)
        show(y)
        sess = tf.Session()
        show(sess.run(y, {x: data}))
    """)
    assert "symbolic" not in migrated and "show(y)" not in migrated
    assert "show(y(data).numpy())\n" in migrated


def test_a_cell_that_does_not_parse_keeps_a_notebook_of_several_graphs_at_compat():
    from kernel_helpers import migrate_notebook
    import nbformat

    cells = ["import tensorflow as tf\n", dedent(MODEL).replace("RATE", "0.1"), "tf.reset_default_graph()\n",
             dedent(MODEL).replace("RATE", "0.5"), "x = tf.placeholder(tf.float32\n"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    result = migrate_notebook(notebook, level="tf2")
    messages = [f.message for f in result.findings if f.code == "TFM199"]
    assert messages and "a cell does not parse" in messages[0]
