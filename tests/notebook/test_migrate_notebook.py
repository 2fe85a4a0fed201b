import json

from nbfactory import make_notebook, write_notebook
from kernel_helpers import migrate_notebook
from kernel_helpers.notebook.io import cell_source


def tf1_notebook(**kw):
    return make_notebook(
        "import tensorflow as tf\n%matplotlib inline",
        "x = tf.placeholder(tf.float32, [None, 3])\ny = tf.log(x)",
        "print 'shape', x.shape",
        "for i in range(3:\n    pass",  # an exercise cell that does not parse
        "%%bash\necho hi",
        **kw)


def test_cells_migrate_with_context_of_other_cells(tmp_path):
    path = tmp_path / "nb.ipynb"
    write_notebook(path, tf1_notebook())
    result = migrate_notebook(path, level="compat")
    sources = [cell_source(c) for c in result.notebook["cells"]]
    assert sources[2] == "x = tf.compat.v1.placeholder(tf.float32, [None, 3])\ny = tf.math.log(x)"
    assert sources[3] == "print('shape', x.shape)"
    assert sources[4] == "for i in range(3:\n    pass"
    assert sources[5] == "%%bash\necho hi"
    assert result.validation_errors == []


def test_outputs_ids_metadata_and_list_form_are_kept(tmp_path):
    nb = tf1_notebook()
    result = migrate_notebook(nb, level="compat")
    for old, new in zip(nb["cells"], result.notebook["cells"]):
        assert new.get("id") == old.get("id")
        assert new.get("outputs") == old.get("outputs")
        assert isinstance(new["source"], list) == isinstance(old["source"], list)


def test_original_source_recorded_for_undo():
    nb = tf1_notebook()
    result = migrate_notebook(nb, level="compat")
    cell = result.notebook["cells"][2]
    assert cell["metadata"]["tf2_migrate"]["original"] == cell_source(nb["cells"][2])
    assert "TFM005" in cell["metadata"]["tf2_migrate"]["codes"]
    assert "tf2_migrate" not in result.notebook["cells"][1]["metadata"]  # unchanged cell


def test_idempotent_and_first_original_kept():
    nb = tf1_notebook()
    once = migrate_notebook(nb, level="compat")
    twice = migrate_notebook(once.notebook, level="compat")
    assert not twice.changed
    assert twice.dumps() == once.dumps()


def test_unchanged_notebook_dumps_byte_identical(tmp_path):
    nb = make_notebook("import numpy as np\nprint(np.log(2))")
    path = tmp_path / "plain.ipynb"
    write_notebook(path, nb)
    result = migrate_notebook(path)
    assert not result.changed
    assert result.dumps() == path.read_text(encoding="utf-8")


def test_findings_carry_cell_index():
    result = migrate_notebook(tf1_notebook(), level="compat")
    cells = {f.cell for f in result.findings}
    assert {2, 3, 4} <= cells


def test_non_python_notebook_is_skipped():
    nb = make_notebook("x <- 1")
    nb["metadata"]["kernelspec"]["language"] = "R"
    result = migrate_notebook(nb)
    assert result.skipped and not result.changed


def test_json_text_input():
    nb = tf1_notebook()
    result = migrate_notebook(json.dumps(nb), level="compat")
    assert result.changed
