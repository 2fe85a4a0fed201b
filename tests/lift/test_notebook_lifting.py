"""Lifting through ``migrate_notebook``: one graph across cells, one proposal per cell."""

import nbformat

from kernel_helpers import migrate_notebook

from programs import PROGRAMS


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{n}"
    return nb


def test_graph_across_cells_is_lifted_cell_by_cell():
    cells = PROGRAMS["softmax-interactive"]["cells"]
    result = migrate_notebook(notebook(cells), level="tf2")
    sources = [c["source"] for c in result.notebook["cells"]]
    assert sources[0] == cells[0]  # the data cell has no graph code
    assert "placeholder" not in sources[1] and sources[1].startswith("W = tf.Variable")
    assert "def train(x, y_):" in sources[2]
    assert "print(accuracy(tx, ty).numpy())" in sources[4]
    codes = result.notebook["cells"][4]["metadata"]["tf2_migrate"]["codes"]
    assert {"TFM100", "TFM101"} <= set(codes)
    assert result.validation_errors == []
    again = migrate_notebook(result.notebook, level="tf2")
    assert [c["source"] for c in again.notebook["cells"]] == sources


def test_refusal_keeps_every_graph_cell_at_compat():
    cells = ["import tensorflow as tf\n", "x = tf.placeholder(tf.float32)\ny = x * 2\n",
             "feed = {x: 3.0}\nsess = tf.Session()\nprint(sess.run(y, feed))\n"]
    tf2 = migrate_notebook(notebook(cells), level="tf2")
    compat = migrate_notebook(notebook(cells), level="compat")
    assert [c["source"] for c in tf2.notebook["cells"]] == [c["source"] for c in compat.notebook["cells"]]
    manual = [f for f in tf2.remaining if f.code == "TFM199"]
    assert len(manual) == 1 and manual[0].cell == 2


def test_compat_level_does_not_lift():
    cells = PROGRAMS["softmax-interactive"]["cells"]
    result = migrate_notebook(notebook(cells), level="compat")
    assert "tf.compat.v1.placeholder" in result.notebook["cells"][1]["source"]
    assert not {"TFM100", "TFM101", "TFM102"} & {f.code for f in result.findings}
