"""The magics in a real IPython kernel: what a frontend receives."""

from __future__ import annotations

import json
import re

import pytest

from kernel_session import KernelSession, displays, errors, widget_states

from kernel_helpers.widgets import PROPOSAL_MIMETYPE

pytestmark = pytest.mark.kernel

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# `tfx` is bound to TensorFlow only by an earlier cell (never run, so TensorFlow is not imported):
# the magic must take the notebook's imports from the session's history.
IMPORT_CELL = "if False:\n    import tensorflow as tfx\n"
TF1_CELL = "y = tfx.log(x)\nraise SystemExit('the TF1 cell was executed')\n"
MIGRATED = "y = tfx.math.log(x)\nraise SystemExit('the TF1 cell was executed')"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    session = KernelSession(tmp_path_factory.mktemp("magics-kernel"))
    try:
        reply, messages = session.run("%load_ext kernel_helpers\n" + IMPORT_CELL)
        assert reply["status"] == "ok", errors(messages)
        yield session
    finally:
        session.shutdown()


def text_of(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def set_next_input(reply: dict) -> list[dict]:
    return [p for p in reply.get("payload", []) if p.get("source") == "set_next_input"]


def proposal_of(messages: list[dict]) -> dict:
    (bundle,) = [d for d in displays(messages) if PROPOSAL_MIMETYPE in d]
    return bundle


def test_proposal_is_a_widget_with_html_and_text_fallbacks(kernel):
    reply, messages = kernel.run("%%tf2_migrate\n" + TF1_CELL)
    assert reply["status"] == "ok", errors(messages)  # the cell's own code never ran
    assert set_next_input(reply) == []  # proposing changes nothing
    bundle = proposal_of(messages)
    assert WIDGET_VIEW in bundle
    page = bundle["text/html"]
    assert "<span" in page  # the word that changed is marked inside the migrated line
    assert "y = tfx.math.log(x)" in text_of(page) and "TFM001" in page
    assert "+y = tfx.math.log(x)" in bundle["text/plain"]
    states = widget_states(messages)
    assert bundle[WIDGET_VIEW]["model_id"] in states
    buttons = {s["description"]: s for s in states.values() if s.get("_model_name") == "ButtonModel"}
    assert set(buttons) == {"Apply", "Copy"}
    panes = [s["value"] for s in states.values() if s.get("_model_name") == "HTMLModel"]
    assert any("Original (TF1)" in v and "y = tfx.math.log(x)" in text_of(v) for v in panes)


def test_apply_option_replaces_the_cell_and_the_output_keeps_the_original(kernel):
    reply, messages = kernel.run("%%tf2_migrate --apply\n" + TF1_CELL)
    assert set_next_input(reply) == [{"source": "set_next_input", "text": MIGRATED, "replace": True}]
    bundle = proposal_of(messages)
    assert "Original (kept)" in bundle["text/html"] and "tfx.log(x)" in bundle["text/html"]
    assert bundle[PROPOSAL_MIMETYPE]["applied"] is True


def test_apply_button_replaces_the_cell_on_its_next_run(kernel):
    cell = "%%tf2_migrate --level tf2\n" + TF1_CELL
    reply, messages = kernel.run(cell)
    apply_id = next(comm for comm, s in widget_states(messages).items() if s.get("description") == "Apply")
    kernel.comm_msg(apply_id, {"method": "custom", "content": {"event": "click"}})
    # another cell run in between is not touched by the armed rewrite
    between, _ = kernel.run("1 + 1")
    assert set_next_input(between) == []
    reply, messages = kernel.run(cell)
    assert set_next_input(reply) == [{"source": "set_next_input", "text": MIGRATED, "replace": True}]
    assert "Applied" in proposal_of(messages)["text/plain"]
    # armed once, applied once
    again, _ = kernel.run(cell)
    assert set_next_input(again) == []


def test_a_cell_without_tf1_code_says_so(kernel):
    reply, messages = kernel.run("%%tf2_migrate --apply\nimport math\nprint(math.log(2))\n")
    assert reply["status"] == "ok"
    assert set_next_input(reply) == []
    assert "Nothing to migrate" in proposal_of(messages)["text/plain"]


def test_bad_option_is_a_usage_error(kernel):
    reply, messages = kernel.run("%%tf2_migrate --level tf3\nx = 1\n")
    assert reply["status"] == "error"


def test_migrate_notebook_writes_a_new_file_and_leaves_the_input(kernel, tmp_path):
    from nbfactory import make_notebook, write_notebook

    source = tmp_path / "lesson.ipynb"
    write_notebook(source, make_notebook("import tensorflow as tf", "y = tf.log(x)", "print('plain')"))
    before = source.read_bytes()
    target = tmp_path / "out" / "lesson-tf2.ipynb"
    reply, messages = kernel.run(f"%tf2_migrate_notebook {source} -o {target}")
    assert reply["status"] == "ok", errors(messages)
    assert source.read_bytes() == before
    migrated = json.loads(target.read_text())
    code = ["".join(c["source"]) for c in migrated["cells"] if c["cell_type"] == "code"]
    assert code == ["import tensorflow as tf", "y = tf.math.log(x)", "print('plain')"]
    assert migrated["cells"][2]["metadata"]["tf2_migrate"]["original"] == "y = tf.log(x)"
    (summary,) = displays(messages)
    assert str(target) in summary["text/plain"] and "1 cell(s) changed" in summary["text/plain"]

    # the default output sits beside the input
    reply, _ = kernel.run(f"%tf2_migrate_notebook '{source}'")
    assert reply["status"] == "ok"
    assert (tmp_path / "lesson.tf2.ipynb").exists()
    assert source.read_bytes() == before


def test_migrate_notebook_refuses_to_overwrite_its_input(kernel, tmp_path):
    from nbfactory import make_notebook, write_notebook

    source = tmp_path / "lesson.ipynb"
    write_notebook(source, make_notebook("import tensorflow as tf", "y = tf.log(x)"))
    before = source.read_bytes()
    reply, messages = kernel.run(f"%tf2_migrate_notebook {source} -o {source}")
    assert reply["status"] == "error"
    assert "input" in reply["evalue"]
    assert source.read_bytes() == before


def test_compare_needs_a_cell_or_reset(kernel):
    reply, _ = kernel.run("%tf2_compare --rtol 1e-3")
    assert reply["status"] == "error" and "put the TF1 code below" in reply["evalue"]
    reply, _ = kernel.run("%%tf2_compare --migrated no_such_variable\nx = 1\n")
    assert reply["status"] == "error" and "no_such_variable" in reply["evalue"]
    reply, _ = kernel.run("not_code = 3\n")
    reply, _ = kernel.run("%%tf2_compare --migrated not_code\nx = 1\n")
    assert reply["status"] == "error" and "string" in reply["evalue"]


@pytest.mark.slow
def test_migrate_notebook_with_verify_runs_both_sides_from_inside_a_kernel(kernel, tmp_path):
    """The kernel's own event loop is running: verify must still drive its two kernels."""
    from nbfactory import make_notebook, write_notebook

    source = tmp_path / "lesson.ipynb"
    write_notebook(source, make_notebook("import tensorflow as tf", "y = tf.log(tf.constant([1.0, 2.0]))"))
    target = tmp_path / "lesson-tf2.ipynb"
    reply, messages = kernel.run(f"%tf2_migrate_notebook {source} -o {target} --verify --timeout 60", timeout=240)
    assert reply["status"] == "ok", errors(messages)
    summary, result = displays(messages)
    assert result["text/plain"] == "OK: 2 code cell(s): 2 match"
    assert "y = tf.math.log(tf.constant([1.0, 2.0]))" in text_of(result["text/html"])
    report = (tmp_path / "lesson.verify.md").read_text(encoding="utf-8")
    assert "| y | (2,) | float32 | 0 | 0 | yes |" in report


@pytest.mark.slow
def test_compare_runs_the_cell_on_both_sides_and_reset_restarts_the_reference(kernel):
    compare_mime = "application/vnd.tf2-migrate.compare+json"

    def compare(code: str) -> dict:
        reply, messages = kernel.run(code, timeout=240)
        assert reply["status"] == "ok", errors(messages)
        return [d for d in displays(messages) if compare_mime in d]

    try:
        compare("%%tf2_compare\nimport tensorflow as tf\n")
        # tf.log exists on the TF1 side only: this cell is migrated with the session's imports in mind
        (result,) = compare("%%tf2_compare\na = tf.constant([1.0, 4.0])\nb = tf.log(a)\n")
        assert result[compare_mime]["ok"] is True
        assert {row["name"] for row in result[compare_mime]["rows"]} == {"a", "b"}
        assert "match" in result["text/plain"] and "<table" in result["text/html"]

        kernel.run("wrong = 'a = tf.constant([1.0, 5.0])\\nb = tf.math.log(a)\\n'")
        (result,) = compare("%%tf2_compare --migrated wrong --atol 1e-3\na = tf.constant([1.0, 4.0])\nb = tf.log(a)\n")
        assert result[compare_mime]["ok"] is False
        assert {row["name"] for row in result[compare_mime]["rows"] if not row["ok"]} == {"a", "b"}

        reply, messages = kernel.run("%tf2_compare --reset", timeout=120)
        assert reply["status"] == "ok" and "restarted" in displays(messages)[0]["text/plain"]
        # the restarted reference side no longer knows `tf`
        (result,) = compare("%%tf2_compare\nc = tf.log(tf.constant(2.0))\n")
        assert result[compare_mime]["ok"] is False and "NameError" in result["text/plain"]
    finally:
        kernel.run("__import__('kernel_helpers.compare', fromlist=['shutdown']).shutdown()", timeout=60)
