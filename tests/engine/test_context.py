"""Name resolution across cells and import forms."""

import pytest

from helpers import dedent
from kernel_helpers import NotebookContext, analyze, migrate


def test_imports_in_another_cell_are_seen():
    context = NotebookContext.from_cells(["import tensorflow as tf\n", "x = tf.placeholder(tf.float32)\n"])
    result = migrate("x = tf.placeholder(tf.float32)\n", level="compat", context=context)
    assert result.source == "x = tf.compat.v1.placeholder(tf.float32)\n"


def test_without_context_a_bare_name_is_not_tensorflow():
    assert analyze("x = tf.placeholder(tf.float32)\n", level="compat") == []


def test_later_import_in_the_cell_wins_over_context():
    context = NotebookContext.from_cells(["import tensorflow as tf\n"])
    source = "import numpy as tf\ny = tf.log(x)\n"
    assert migrate(source, level="compat", context=context).source == source


@pytest.mark.parametrize("imports,use", [
    ("import tensorflow as tf", "tf.reduce_sum"),
    ("import tensorflow as tensor_flow", "tensor_flow.reduce_sum"),
    ("import tensorflow", "tensorflow.reduce_sum"),
    ("from tensorflow import reduce_sum", "reduce_sum"),
    ("from tensorflow import reduce_sum as total", "total"),
    ("from tensorflow import math as m", "m.reduce_sum"),
], ids=["alias", "odd-alias", "unaliased", "from-import", "from-import-as", "module-alias"])
def test_every_import_form_resolves(imports, use):
    context = NotebookContext.from_cells([imports + "\n"])
    (finding,) = analyze(f"y = {use}(x, keep_dims=True)\n", level="compat", context=context)
    assert finding.code == "TFM002" and finding.range.line == 1


def test_comprehension_variable_shadows():
    source = "import tensorflow as tf\ny = [tf.log(v) for tf in values]\n"
    assert analyze(source, level="compat") == []


def test_global_use_inside_function_after_module_import():
    source = dedent("""
        import tensorflow as tf
        def model(x):
            w = tf.get_variable('w', [3])
            return tf.log(x) * w
    """)
    found = {f.code for f in analyze(source, level="compat")}
    assert {"TFM001", "TFM005"} <= found


def test_root_alias_added_when_missing():
    source = "from tensorflow import layers\ny = layers.dense(x, 3)\n"
    assert migrate(source, level="compat").source == (
        "from tensorflow.compat.v1 import layers\ny = layers.dense(x, 3)\n")


def test_the_lifting_takes_each_parsed_tree_once():
    # add_cell keeps each cell's tree for the lifting, which marks the nodes it rewrites: a second lifting with the
    # same context must parse again, not read marked trees, and lift the same way.
    from kernel_helpers.engine.lift import lift_notebook

    cells = ["import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = x * 2\n",
             "with tf.Session() as sess:\n    print(sess.run(y, {x: 1.0}))\n"]
    context = NotebookContext.from_cells(cells)
    assert set(context.parsed) == set(cells)
    first = [lift.source for lift in lift_notebook(cells, context)]
    assert not context.parsed
    assert [lift.source for lift in lift_notebook(cells, context)] == first
    assert "def y(x):" in first[0]
