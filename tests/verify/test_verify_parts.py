"""--verify's pieces that need no kernel: pairing, the rebuilt original, skipped lines, the reports."""

from __future__ import annotations

import json

import pytest

from kernel_helpers.compare.diff import Row
from kernel_helpers.notebook.verify import (
    MATCH,
    MISMATCH,
    ORIGINAL_FAILS,
    CellCheck,
    SideRun,
    VerifyResult,
    neutralize_environment_changes,
    original_notebook,
    report_paths,
    verify_notebook,
    write_reports,
)
from kernel_helpers.notebook.io import cell_source
from kernel_helpers.notebook.migrate import migrate_notebook
from nbfactory import make_notebook


def test_original_is_rebuilt_from_the_recorded_sources():
    original = make_notebook("import tensorflow as tf", "y = tf.log(x)", "z = 1")
    migrated = migrate_notebook(original).notebook
    rebuilt = original_notebook(migrated)
    assert [cell_source(c) for c in rebuilt["cells"]] == ["# Title", "import tensorflow as tf", "y = tf.log(x)",
                                                        "z = 1"]
    assert all("tf2_migrate" not in c.get("metadata", {}) for c in rebuilt["cells"])
    # the migrated notebook itself is left as it was
    assert "tf.math.log" in "".join(migrated["cells"][2]["source"])


def test_a_notebook_that_was_never_migrated_has_no_recorded_original():
    assert original_notebook(make_notebook("import tensorflow as tf", "y = tf.log(x)")) is None


@pytest.mark.parametrize(
    "line, skipped",
    [
        pytest.param("!pip install tensorflow==1.15", "!pip install tensorflow==1.15", id="shell-pip"),
        pytest.param("%pip install -q tf-slim", "%pip install -q tf-slim", id="pip-magic"),
        pytest.param("if True:\n    !python -m pip install x", "!python -m pip install x", id="indented"),
        pytest.param("%tensorflow_version 1.x", "%tensorflow_version 1.x", id="colab-version"),
        pytest.param("!conda install numpy", "!conda install numpy", id="conda"),
        pytest.param("!ls data", None, id="other-shell-command"),
        pytest.param("pipeline = 3 % pip", None, id="modulo"),
        pytest.param("x = '!pip install'", None, id="in-a-string"),
    ],
)
def test_environment_changes_are_skipped_on_both_sides(line, skipped):
    source = f"import os\n{line}\nprint(1)\n"
    text, lines = neutralize_environment_changes(source)
    assert text.count("\n") == source.count("\n")  # line numbers in tracebacks still match
    if skipped:
        assert lines == [skipped]
        compile(text, "<cell>", "exec")  # what remains is plain Python
    else:
        assert lines == [] and text == source


def test_notebooks_with_different_code_cells_are_not_compared():
    result = verify_notebook(make_notebook("x = 1", "y = 2"), make_notebook("x = 1"))
    assert result.error and "different code cells" in result.error
    assert not result.ok


def cell(index, status, *, original="x = 1\n", migrated="x = 1\n", rows=(), notes=(), previews=None):
    check = CellCheck(index, f"id{index}", original, migrated, SideRun(ran=True, seconds=0.5),
                      SideRun(ran=True, seconds=0.25), status=status, rows=list(rows), notes=list(notes))
    check.previews = previews or {}
    return check


@pytest.fixture
def failed_result():
    return VerifyResult("lesson.ipynb", "lesson.tf2.ipynb", cells=[
        cell(1, MATCH, original="import tensorflow as tf\n", migrated="import tensorflow as tf\n"),
        cell(2, MISMATCH, original="b = tf.log(a)\n", migrated="b = tf.math.log(a) | 1\n",
             rows=[Row("b", (3,), "float32", 0.25, 0.1, False), Row("<printed>", (1,), "float64", 0.0, 0.0, True)],
             previews={"b": ("[0., 0.6931472, 1.3862944]", "[0., 0.6931472, 1.6094379]")}),
        cell(3, ORIGINAL_FAILS, notes=["original fails: NameError: name 'q' is not defined"]),
        cell(4, MATCH, original="c = tf.to_float(n)\n", migrated="c = tf.cast(n, tf.float32)\n",
             rows=[Row("c", (), "float32", 0.0, 0.0, True)]),
    ])


def test_markdown_report_names_the_cell_and_the_values(failed_result):
    text = failed_result.markdown()
    assert "**MISMATCH: 4 code cell(s): 2 match, 1 mismatch, 1 original fails (cells 2)**" in text
    assert "## Cell 2: mismatch" in text
    assert "-b = tf.log(a)" in text and "+b = tf.math.log(a) | 1" in text
    assert "| b | (3,) | float32 | 0.25 | 0.1 | **NO** |" in text
    assert "- original: `[0., 0.6931472, 1.3862944]`" in text
    assert "- migrated: `[0., 0.6931472, 1.6094379]`" in text
    assert "## Cell 3: original fails" in text and "NameError" in text
    # a changed cell that matches still shows its diff; an unchanged matching cell only its table row
    assert "## Cell 4: match" in text and "## Cell 1" not in text
    assert "| 1 | match |" in text


def test_html_report_is_a_page_with_escaped_code(failed_result):
    page = failed_result.html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "Cell 2: mismatch" in page and "&lt;printed&gt;" in page
    assert "1.6094379" in page


def test_passing_result_and_its_dict(failed_result):
    passing = VerifyResult("a.ipynb", "a.tf2.ipynb", cells=[cell(1, MATCH), cell(2, ORIGINAL_FAILS)])
    assert passing.ok and passing.summary().startswith("OK")
    assert "**OK: 2 code cell(s): 1 match, 1 original fails**" in passing.markdown()
    data = json.loads(json.dumps(failed_result.to_dict()))
    assert data["ok"] is False and data["counts"][MISMATCH] == 1
    assert data["cells"][1]["rows"][0] == {"name": "b", "shape": [3], "dtype": "float32", "max_abs_err": 0.25,
                                           "max_rel_err": 0.1, "ok": False, "note": ""}


def test_reports_are_written_beside_the_output_or_in_the_report_folder(tmp_path, failed_result):
    assert report_paths(tmp_path / "out" / "lesson.tf2.ipynb") == (
        tmp_path / "out" / "lesson.tf2.verify.md", tmp_path / "out" / "lesson.tf2.verify.html")
    md, page = report_paths("lesson.ipynb", tmp_path / "reports")
    write_reports(failed_result, md, page)
    assert md.read_text(encoding="utf-8") == failed_result.markdown()
    assert page.read_text(encoding="utf-8") == failed_result.html()


@pytest.mark.parametrize("failures,started,attempts,ok", [
    (["Kernel didn't respond: ZMQError: Address already in use"], False, 2, True),   # a port race: once more
    (["Address already in use", "Address already in use"], False, 2, False),         # only once more
    (["Kernel died: Address already in use"], True, 1, False),                        # after cells ran: no
    (["ModuleNotFoundError: tensorflow"], False, 1, False),                           # another failure: no
])
def test_a_kernel_that_could_not_bind_its_ports_is_started_once_more(failures, started, attempts, ok):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from kernel_helpers.notebook import verify

    def run(coroutine_function):
        # In its own thread: other tests of the suite leave an event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine_function()).result()

    side = verify._Side(plan=None, side="migrated", setup="", scratch="")
    calls = []

    async def run_once():
        calls.append(1)
        side.started = started
        if len(calls) <= len(failures):
            raise verify._SideFailed(failures[len(calls) - 1])

    side._run_once = run_once
    if ok:
        run(side.run)
    else:
        with pytest.raises(verify._SideFailed):
            run(side.run)
    assert len(calls) == attempts
