"""TFM105: `tfe = tf.contrib.eager` in an eager notebook, written out use by use across cells."""

import pytest

from helpers import dedent
from kernel_helpers.engine.api import migrate_cell
from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.lift import lift_notebook, migrate_lifted


def migrate_cells(cells):
    cells = [dedent(c) for c in cells]
    context = NotebookContext.from_cells(cells)
    return [migrate_lifted(lift, context=context) for lift in lift_notebook(cells, context)]


def test_the_alias_goes_and_its_uses_in_other_cells_get_tf2_names():
    results = migrate_cells(["""
        import tensorflow as tf
        tf.enable_eager_execution()
        tfe = tf.contrib.eager
    """, """
        dataset = tf.data.Dataset.from_tensor_slices(data).batch(4)
        batches = tfe.Iterator(dataset)
        w = tfe.Variable(1.0)
        tfe.enable_eager_execution()
        if tfe.executing_eagerly():
            step = tfe.defun(lambda x: w * x)
        value_and_grad = tfe.implicit_value_and_gradients(lambda x: w * x)
    """])
    assert results[0].source == "import tensorflow as tf\n" + dedent("""
        def implicit_value_and_gradients(function):
            # tf.contrib.eager's implicit_value_and_gradients: the gradients of what `function` returns, with respect to the
            # trainable variables it read, paired with them
            def gradients(*args, **kwargs):
                with tf.GradientTape() as tape:
                    value = function(*args, **kwargs)
                variables = tape.watched_variables()
                return value, list(zip(tape.gradient(value, variables), variables))
            return gradients
    """)
    assert results[1].source == dedent("""
        dataset = tf.data.Dataset.from_tensor_slices(data).batch(4)
        batches = iter(dataset)
        w = tf.Variable(1.0)
        if tf.executing_eagerly():
            step = tf.function(lambda x: w * x)
        value_and_grad = implicit_value_and_gradients(lambda x: w * x)
    """)
    assert {"TFM105"} <= {f.code for r in results for f in r.applied}
    # The findings point into the cells as written.
    alias = next(f for f in results[0].findings if f.code == "TFM105")
    assert dedent(results[0].original)[alias.range.start:alias.range.end] == "tfe = tf.contrib.eager"


def test_an_imported_alias_without_uses_goes():
    results = migrate_cells(["import tensorflow as tf\nimport tensorflow.contrib.eager as tfe\nx = tf.constant(1)\n"])
    assert results[0].source == "import tensorflow as tf\nx = tf.constant(1)\n"


@pytest.mark.parametrize("use", [
    "class Net(tfe.Network):\n    pass\n",        # no TF 2 spelling here
    "helpers = tfe\n",                              # the alias passed along
    "def f(tfe):\n    return tfe.Variable(1.0)\n",  # a parameter hides it
    "tfe = None\n",                                 # bound again
    "it = tfe.Iterator(dataset, 2)\n",              # not the one-argument form
])
def test_a_use_without_a_tf2_spelling_keeps_the_notebook_to_the_per_cell_rules(use):
    cells = ["import tensorflow as tf\ntfe = tf.contrib.eager\nw = tfe.Variable(1.0)\n", use]
    results = migrate_cells(cells)
    context = NotebookContext.from_cells(cells)
    assert [r.source for r in results] == [migrate_cell(c, level="tf2", context=context).source for c in cells]
    assert "TFM105" not in {f.code for r in results for f in r.findings}


def test_the_helper_pairs_each_read_variable_with_its_gradient():
    tf = pytest.importorskip("tensorflow")
    results = migrate_cells(["""
        import tensorflow as tf
        tfe = tf.contrib.eager
        w = tfe.Variable([1.0, 2.0])
        b = tfe.Variable(0.5)
        unused = tfe.Variable(3.0)
        frozen = tfe.Variable(4.0, trainable=False)
        def loss(x):
            return tf.reduce_sum(tf.square(w * x + b)) * frozen
        grads = tfe.implicit_gradients(loss)([3.0, -1.0])
        value, pairs = tfe.implicit_value_and_gradients(loss)([3.0, -1.0])
    """])
    namespace = {}
    exec("\n".join(r.source for r in results), namespace)
    w, b = namespace["w"], namespace["b"]
    with tf.GradientTape() as tape:
        expected_value = namespace["loss"]([3.0, -1.0])
    expected = tape.gradient(expected_value, [w, b])
    grads = namespace["grads"]
    # Only the trainable variables the computation read, each with its own gradient.
    assert [v.ref() for _, v in grads] == [w.ref(), b.ref()]
    for (gradient, _), want in zip(grads, expected):
        assert gradient.numpy().tolist() == want.numpy().tolist()
    assert namespace["value"].numpy() == expected_value.numpy()
    assert [v.ref() for _, v in namespace["pairs"]] == [w.ref(), b.ref()]
