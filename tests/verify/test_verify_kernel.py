"""tf2-migrate --verify end to end: real kernels, the TF1 reference runtime on one side and TF2 on the other."""

from __future__ import annotations

import json

import pytest

from kernel_helpers.cli import main
from nbfactory import make_notebook, write_notebook

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

CELLS = (
    "import numpy as np\nimport tensorflow as tf",
    "a = tf.constant([1.0, 2.0, 4.0])\nb = tf.log(a)\nc = tf.to_float(tf.constant(3)) * 2.0",
    "w = tf.random_normal([2, 3])\ntotal = np.float32(7.5)\nprint('total:', total * 2)",
    "broken = missing_name + 1",
    "squares = [i * i for i in range(4)]\nprint(squares)",
)
SLEEPER = "import time\ntime.sleep(600)"


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    """A TF1 notebook, migrated and verified once by the CLI (the slow part, shared by the tests)."""
    folder = tmp_path_factory.mktemp("verify")
    source = folder / "lesson.ipynb"
    write_notebook(source, make_notebook(*CELLS, SLEEPER))
    before = source.read_bytes()
    code = main([str(source), "--verify", "--timeout", "10", "--no-progress"])
    return folder, source, before, code


def test_a_faithful_migration_passes(verified, capsys):
    folder, source, before, code = verified
    assert code == 0
    assert source.read_bytes() == before
    report = (folder / "lesson.verify.md").read_text(encoding="utf-8")
    assert "**OK: 6 code cell(s): 4 match, 2 original fails**" in report
    # values computed in the TF1 graph were read through the reference runtime's session
    assert "| b | (3,) | float32 | 0 | 0 | yes |" in report
    # random draws are aligned across the two sides
    assert "| w | (2, 3) | float32 | 0 | 0 | yes |" in report
    assert "| <printed> | (1,) | float64 | 0 | 0 | yes |" in report
    assert "original fails: NameError: name 'missing_name' is not defined" in report
    assert "original fails: timed out after 10 s" in report
    assert (folder / "lesson.verify.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_wrong_migration_fails_and_the_report_names_cell_and_value(verified, capsys):
    folder, _, _, _ = verified
    migrated = folder / "lesson.tf2.ipynb"
    nb = json.loads(migrated.read_text(encoding="utf-8"))
    cells = nb["cells"]
    # the test breaks the migration: a changed constant, and a migrated cell that raises
    cells[2]["source"] = "".join(cells[2]["source"]).replace("4.0", "5.0")
    cells[3]["source"] = "".join(cells[3]["source"]) + "\nraise ValueError('broken by the test')"
    del cells[6]  # no sleeper this time
    migrated.write_text(json.dumps(nb, indent=1), encoding="utf-8")

    capsys.readouterr()
    code = main([str(migrated), "--verify", "--timeout", "60", "--no-progress", "--report", str(folder / "r")])
    out = capsys.readouterr().out
    assert code == 1
    assert "cell 2: mismatch: differs: a, b" in out
    assert "cell 3: mismatch: migrated fails: ValueError: broken by the test" in out
    report = (folder / "r" / "lesson.tf2.verify.md").read_text(encoding="utf-8")
    assert "(cells 2, 3)" in report
    assert "## Cell 2: mismatch" in report and "| a | (3,) | float32 | 1 | 0.25 | **NO** |" in report
    assert "- original: `[1., 2., 4.]`" in report and "- migrated: `[1., 2., 5.]`" in report
    assert "## Cell 3: mismatch" in report
    page = (folder / "r" / "lesson.tf2.verify.html").read_text(encoding="utf-8")
    assert "Cell 2: mismatch" in page and "[1., 2., 5.]" in page


def test_a_migrated_kernel_that_dies_is_a_mismatch_and_stops_that_side():
    from kernel_helpers.notebook.verify import MATCH, MISMATCH, NOT_RUN, verify_notebook

    original = make_notebook("x = 1", "y = 2", "z = 3")
    migrated = make_notebook("x = 1", "import os\nos._exit(3)", "z = 3")
    result = verify_notebook(original, migrated, timeout=60)
    assert result.error is None
    assert [c.status for c in result.cells] == [MATCH, MISMATCH, NOT_RUN]
    assert result.cells[1].migrated.error.startswith("the kernel died")
    assert "the kernel died in cell 2" in result.cells[2].notes[0]
    assert not result.ok and result.summary().endswith("(cells 2)")


def test_a_side_that_cannot_start_is_reported_not_raised(monkeypatch, tmp_path):
    from kernel_helpers.notebook import verify

    monkeypatch.setattr(verify, "REFERENCE_SETUP", "raise ImportError('no reference runtime here')\n")
    outcome = verify.verify_file(_written(tmp_path), timeout=60)
    result = outcome.result
    assert result.error.startswith("the original side could not run: its setup failed: "
                                   "ImportError: no reference runtime here")
    assert not outcome.ok
    assert [c.status for c in result.cells] == ["not run"]
    assert "could not be run" in (tmp_path / "lesson.verify.md").read_text(encoding="utf-8")


def _written(folder):
    path = folder / "lesson.ipynb"
    write_notebook(path, make_notebook("x = 1"))
    return path


def test_a_notebook_kept_at_compat_runs_as_tf1_and_its_graph_values_are_compared(tmp_path, capsys):
    # The feeds come from a list, so the lifting refuses (TFM199): the output keeps the graph, gets
    # disable_v2_behavior() (TFM103), and its graph variables are read through its own session.
    source = tmp_path / "graph.ipynb"
    write_notebook(source, make_notebook(
        "import tensorflow as tf",
        "x = tf.placeholder(tf.float32, [None])\ntotal = tf.reduce_sum(x)\nwith tf.Session() as sess:\n"
        "    sums = [sess.run(total, feed_dict=f) for f in [{x: [1.0, 2.0]}, {x: [3.0]}]]",
        "sess = tf.InteractiveSession()\ncounter = tf.Variable(0, name='counter')\n"
        "increment = tf.assign_add(counter, 1)\ntf.global_variables_initializer().run()\n"
        "for _ in range(3):\n    increment.op.run()",
    ))
    code = main([str(source), "--verify", "--no-progress"])
    migrated = json.loads((tmp_path / "graph.tf2.ipynb").read_text(encoding="utf-8"))
    assert "tf.compat.v1.disable_v2_behavior()" in "".join(migrated["cells"][1]["source"])
    report = (tmp_path / "graph.verify.md").read_text(encoding="utf-8")
    assert code == 0, report
    assert "**OK: 3 code cell(s): 3 match**" in report
    assert "| counter | () | int32 | 0 | 0 | yes |" in report
