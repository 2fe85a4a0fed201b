"""Lifting through ``migrate_notebook``: one graph across cells, one proposal per cell."""

import nbformat
import pytest

from kernel_helpers import migrate_notebook
from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

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


def test_a_cell_only_the_lifting_rewrites_is_written_back():
    # `tf.trainable_variables()` alone in its cell: no per-cell rule touches it, the lifting does.
    cells = [*PROGRAMS["softmax-interactive"]["cells"], "for v in tf.trainable_variables():\n    print(v.shape)\n"]
    result = migrate_notebook(notebook(cells), level="tf2")
    listing = result.notebook["cells"][-1]
    assert listing["source"] == "for v in [W, b]:\n    print(v.shape)\n"
    assert listing["metadata"]["tf2_migrate"]["original"] == cells[-1]


def test_refusal_keeps_every_graph_cell_at_compat():
    cells = ["import tensorflow as tf\n", "x = tf.placeholder(tf.float32)\ny = x * 2\n",
             "feeds = [{x: 3.0}]\nsess = tf.Session()\nprint(sess.run(y, feeds[0]))\n"]
    tf2 = migrate_notebook(notebook(cells), level="tf2")
    compat = migrate_notebook(notebook(cells), level="compat")
    tf2_sources = [c["source"] for c in tf2.notebook["cells"]]
    assert tf2_sources[0] == "import tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\n"
    assert tf2_sources[1:] == [c["source"] for c in compat.notebook["cells"]][1:]
    manual = [f for f in tf2.remaining if f.code == "TFM199"]
    assert len(manual) == 1 and manual[0].cell == 2


GRAPH_MODE = {
    "import-alias": (["import numpy as np\nimport tensorflow as tf1  # TF\n", "x = tf1.placeholder(tf1.float32)\n"
                      "feeds = [{x: 3.0}]\nwith tf1.Session() as s:\n    print(s.run(x * 2, feeds[0]))\n"],
                     "import numpy as np\nimport tensorflow as tf1  # TF\ntf1.compat.v1.disable_v2_behavior()\n"),
    "compat-v1-import": (["import tensorflow.compat.v1 as tf\n", "x = tf.placeholder(tf.float32)\nfeed = {x: 3.0}\n"
                          "print(tf.Session().run(x, feed))\n"],
                         "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"),
    "no-final-newline": (["%matplotlib inline\nimport tensorflow as tf", "x = tf.placeholder(tf.float32)\n"
                          "feeds = [{x: 3.0}]\nprint(tf.Session().run(x, feeds[0]))\n"],
                         "%matplotlib inline\nimport tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\n"),
}


@pytest.mark.parametrize("cells,first", GRAPH_MODE.values(), ids=GRAPH_MODE.keys())
def test_a_refused_graph_gets_its_tf1_runtime_back_after_the_import(cells, first):
    result = migrate_notebook(notebook(cells), level="tf2")
    assert result.notebook["cells"][0]["source"] == first
    again = migrate_notebook(result.notebook, level="tf2")
    assert [c["source"] for c in again.notebook["cells"]] == [c["source"] for c in result.notebook["cells"]]


def test_no_graph_mode_switch_when_the_notebook_has_one_or_when_ignored():
    cells = ["import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n",
             "x = tf.placeholder(tf.float32)\nfeed = {x: 3.0}\nprint(tf.Session().run(x, feed))\n"]
    result = migrate_notebook(notebook(cells), level="tf2")
    assert result.notebook["cells"][0]["source"] == cells[0]
    cells[0] = "import tensorflow as tf\n"
    lifts = lift_notebook(cells)
    assert migrate_lifted(lifts[0]).source != cells[0]
    assert migrate_lifted(lifts[0], ignore=frozenset({"TFM103"})).source == cells[0]


def test_compat_level_does_not_lift():
    cells = PROGRAMS["softmax-interactive"]["cells"]
    result = migrate_notebook(notebook(cells), level="compat")
    assert "tf.compat.v1.placeholder" in result.notebook["cells"][1]["source"]
    assert not {"TFM100", "TFM101", "TFM102"} & {f.code for f in result.findings}


def test_the_lifting_index_reused_for_the_original_gives_the_same_findings():
    from dataclasses import replace

    from kernel_helpers.engine.context import NotebookContext

    cells = PROGRAMS["softmax-interactive"]["cells"]
    context = NotebookContext.from_cells(cells)
    lifts = lift_notebook(cells, context)
    assert any(lift.index is not None for lift in lifts)
    for lift in lifts:
        reused = migrate_lifted(lift, context=context)
        fresh = migrate_lifted(replace(lift, index=None), context=context)
        assert reused.findings == fresh.findings and reused.source == fresh.source
