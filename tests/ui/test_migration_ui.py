"""The JupyterLab extension in a real browser, on a TF1 tutorial notebook.

The tests run in file order on one page and one notebook, as a user would: highlights, hover,
panel, Apply/Undo (byte-identical file), typing, windowed cells, the migrated copy, Compare,
Apply all safe, and a kernel without kernel_helpers. Each step leaves a screenshot in
test-artifacts/ui/.

Expected findings come from the server's own analysis of the fixture, so the tests follow the
rules as they grow instead of hard-coding today's counts.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import platform
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from kernel_helpers.server.analysis import analyze_cells

pytestmark = [pytest.mark.ui, pytest.mark.timeout(900)]

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "ui" / "tf1_tutorial.ipynb"
NOTEBOOK = "tf1_tutorial.ipynb"
PANEL = "#tf2-migrate-panel"
# The bar: marks in the right cells within 2 s of the notebook being shown.
HIGHLIGHT_BUDGET_S = 2.0
# Compare starts TensorFlow in the user's kernel and in a reference kernel: slow on 2 cores.
COMPARE_TIMEOUT_MS = 300_000


def compare_available() -> bool:
    try:
        return importlib.util.find_spec("kernel_helpers.compare") is not None and hasattr(
            importlib.import_module("kernel_helpers.compare"), "compare"
        )
    except Exception:  # noqa: BLE001 - any import failure means "not there yet"
        return False



@dataclass
class OpenNotebook:
    name: str
    path: Path
    original: bytes
    sources: dict[str, str]  # cell id -> source, code cells
    order: list[str]  # every cell id, in order
    analysis: dict[str, dict]  # cell id -> the server's analysis of that cell

    def index(self, cell_id: str) -> int:
        return self.order.index(cell_id)


# ---- helpers ------------------------------------------------------------------------------


def write_fixture(root: Path, name: str, kernel_name: str = "python3") -> bytes:
    """The fixture as JupyterLab will save it: kernel metadata as this server's kernel reports it.

    Opening a notebook makes JupyterLab record the kernel's language_info; with the same values
    already in the file, a save after Apply + Undo must give back exactly these bytes.
    """
    nb = nbformat.read(str(FIXTURE), as_version=4)
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": platform.python_version(),
    }
    if kernel_name != "python3":
        nb.metadata["kernelspec"] = {
            "display_name": "Python 3 (without kernel_helpers)",
            "language": "python",
            "name": kernel_name,
        }
    nbformat.write(nb, str(root / name))
    return (root / name).read_bytes()


def expected_analysis(path: Path) -> tuple[dict[str, str], list[str], dict[str, dict]]:
    nb = nbformat.read(str(path), as_version=4)
    order = [cell.id for cell in nb.cells]
    sources = {cell.id: cell.source for cell in nb.cells if cell.cell_type == "code"}
    answer = analyze_cells([{"id": i, "source": s} for i, s in sources.items()])
    return sources, order, {cell["id"]: cell for cell in answer["cells"]}


def open_document(page, path: str) -> None:
    page.evaluate(
        "async path => { await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'}); }",
        path,
    )


def notebook_js(page, body: str, *args):
    """Evaluate `body` with `panel` bound to the active notebook panel."""
    return page.evaluate(
        "([body, args]) => { const panel = window.jupyterapp.shell.currentWidget;"
        " return new Function('panel', 'args', body)(panel, args); }",
        [body, list(args)],
    )


def cell_source(page, index: int) -> str:
    return notebook_js(page, "return panel.content.model.cells.get(args[0]).sharedModel.getSource();", index)


def cell_metadata(page, index: int) -> dict:
    return notebook_js(page, "return panel.content.model.cells.get(args[0]).metadata;", index)


def save(page, path: Path) -> None:
    before = path.stat().st_mtime_ns
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        dirty = notebook_js(page, "return panel.context.model.dirty;")
        if not dirty and path.stat().st_mtime_ns != before:
            return
        time.sleep(0.1)
    raise AssertionError(f"{path.name} was not saved")


def cell_locator(page, index: int):
    return page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell[data-windowed-list-index='{index}']")


def card(page, cell_id: str):
    return page.locator(f"{PANEL} [data-tf2m-cell-id='{cell_id}']")


def wait_for_kernel_idle(page) -> None:
    # The status bar says Idle only once the kernel has answered; a request sent before that
    # can be lost.
    page.wait_for_function(
        "() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent ?? '')",
        timeout=120_000,
    )


def close_current(page) -> None:
    """Close the active document without the "save changes?" dialog (tests save explicitly)."""
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.dispose(); }")


def shot(page, artifacts_dir: Path, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / name))


# ---- the notebook under test --------------------------------------------------------------


@pytest.fixture(scope="module")
def notebook(page, lab_server) -> OpenNotebook:
    original = write_fixture(lab_server.root_dir, NOTEBOOK)
    sources, order, analysis = expected_analysis(lab_server.root_dir / NOTEBOOK)
    open_document(page, NOTEBOOK)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(state="visible")
    return OpenNotebook(NOTEBOOK, lab_server.root_dir / NOTEBOOK, original, sources, order, analysis)


def test_highlights_appear_in_the_right_cells(page, notebook, artifacts_dir):
    shown = time.monotonic()
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .tf2m-finding").first.wait_for(state="visible")
    elapsed = time.monotonic() - shown

    simple = cell_locator(page, notebook.index("simple"))
    simple.locator(".tf2m-finding").first.wait_for()
    marked = simple.locator(".tf2m-finding").all_inner_texts()
    shot(page, artifacts_dir, "01-highlights.png")

    assert elapsed <= HIGHLIGHT_BUDGET_S, f"first marks after {elapsed:.2f} s"
    expected = [
        notebook.sources["simple"][f["range"]["start"]:f["range"]["end"]]
        for f in notebook.analysis["simple"]["findings"]
    ]
    assert sorted(set(marked)) == sorted(set(expected)) and "tf.log" in marked
    # Code points vs UTF-16: two emoji precede the call, and the mark must still cover it.
    unicode_cell = cell_locator(page, notebook.index("unicode"))
    unicode_cell.locator(".tf2m-finding").first.wait_for()
    assert "tf.random_normal" in unicode_cell.locator(".tf2m-finding[data-tf2m-code='TFM001']").all_inner_texts()
    for clean in ("imports", "plain"):
        assert cell_locator(page, notebook.index(clean)).locator(".tf2m-finding").count() == 0
    # Badges: on the cells with findings, not on the others.
    assert simple.locator(".tf2m-cell-badge").inner_text().startswith("TF1")
    assert cell_locator(page, notebook.index("plain")).locator(".tf2m-cell-badge").count() == 0
    applicability = notebook.analysis["simple"]["findings"][0]["applicability"]
    assert simple.locator(f".tf2m-finding.tf2m-{applicability}").count() >= 1


def test_hover_explains_the_finding(page, notebook, artifacts_dir):
    simple = cell_locator(page, notebook.index("simple"))
    simple.locator(".tf2m-finding", has_text="tf.log").first.hover()
    tooltip = page.locator(".tf2m-tooltip")
    tooltip.wait_for(state="visible")
    shot(page, artifacts_dir, "02-hover.png")

    finding = next(f for f in notebook.analysis["simple"]["findings"] if f["code"] == "TFM001")
    text = tooltip.inner_text()
    assert finding["code"] in text
    assert finding["replacement"] in text  # "Proposed: tf.math.log"
    assert tooltip.locator("a").first.get_attribute("href") == finding["doc"]
    page.mouse.move(5, 5)


def test_panel_lists_the_findings_of_each_cell(page, notebook, artifacts_dir):
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='tf2-migrate'] button, "
                 ".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='tf2-migrate']").first.click()
    panel = page.locator(PANEL)
    panel.wait_for(state="visible")
    card(page, "simple").wait_for()
    shot(page, artifacts_dir, "03-panel.png")

    with_findings = {cell_id for cell_id, cell in notebook.analysis.items() if cell["findings"]}
    shown = set(panel.locator("[data-tf2m-cell-id]").evaluate_all(
        "cards => cards.map(c => c.dataset.tf2mCellId)"))
    assert shown == with_findings
    for cell_id in with_findings:
        codes = card(page, cell_id).locator(".tf2m-finding-item").evaluate_all(
            "items => items.map(i => i.dataset.tf2mCode)")
        assert sorted(codes) == sorted(f["code"] for f in notebook.analysis[cell_id]["findings"])
    total = sum(len(notebook.analysis[c]["findings"]) for c in with_findings)
    assert f"{total} finding" in panel.locator(".tf2m-summary-total").inner_text()
    assert panel.locator("[data-tf2m-stat='auto-fixable'] strong").inner_text() == str(
        sum(f["applicability"] == "safe" and f["fixable"] for c in with_findings
            for f in notebook.analysis[c]["findings"]))
    # The proposal is shown as a diff: the old line removed, the new one added.
    diff = card(page, "simple").locator(".tf2m-diff")
    assert "logs = tf.log(values)" in diff.locator(".tf2m-diff-del").all_inner_texts()[0]
    assert any("tf.math.log" in line for line in diff.locator(".tf2m-diff-add").all_inner_texts())

    # A cell's badge leads to its card.
    cell_locator(page, notebook.index("unicode")).locator(".tf2m-cell-badge").click()
    page.locator(f"{PANEL} [data-tf2m-cell-id='unicode'].tf2m-card-flash").wait_for()


def test_apply_then_undo_leaves_the_file_byte_identical(page, notebook, artifacts_dir):
    index = notebook.index("simple")
    original = notebook.sources["simple"]
    proposal = notebook.analysis["simple"]["source"]

    card(page, "simple").locator("[data-tf2m-action='apply']").click()
    page.wait_for_function(
        "([i, text]) => window.jupyterapp.shell.currentWidget.content.model.cells.get(i)"
        ".sharedModel.getSource() === text",
        arg=[index, proposal],
    )
    record = cell_metadata(page, index)["tf2_migrate"]
    card(page, "simple").locator("[data-tf2m-action='undo']:not([disabled])").wait_for()
    shot(page, artifacts_dir, "04-applied.png")

    assert record["original"] == original
    assert record["level"] == "tf2"
    assert record["codes"] == sorted(notebook.analysis["simple"]["applied"])

    card(page, "simple").locator("[data-tf2m-action='undo']").click()
    page.wait_for_function(
        "([i, text]) => window.jupyterapp.shell.currentWidget.content.model.cells.get(i)"
        ".sharedModel.getSource() === text",
        arg=[index, original],
    )
    save(page, notebook.path)
    shot(page, artifacts_dir, "05-undone.png")

    assert "tf2_migrate" not in cell_metadata(page, index)
    assert notebook.path.read_bytes() == notebook.original


def test_highlights_follow_typing(page, notebook, artifacts_dir):
    plain = cell_locator(page, notebook.index("plain"))
    assert plain.locator(".tf2m-finding").count() == 0
    plain.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nratio = tf.div(3.0, 2.0)")

    plain.locator(".tf2m-finding").first.wait_for(timeout=10_000)
    shot(page, artifacts_dir, "06-typing.png")

    assert plain.locator(".tf2m-finding").first.inner_text() == "tf.div"
    card(page, "plain").wait_for()
    # Leave the notebook as it was for the steps that follow.
    page.keyboard.press("Escape")
    notebook_js(page, "panel.content.model.cells.get(args[0]).sharedModel.setSource(args[1]);",
                notebook.index("plain"), notebook.sources["plain"])
    card(page, "plain").wait_for(state="detached")


def test_go_to_cell_and_select_a_finding_in_a_windowed_notebook(page, notebook, artifacts_dir):
    tail_index = notebook.index("tail")
    tail = cell_locator(page, tail_index)
    # Windowing: the last cell is far below, so its editor does not exist yet.
    assert tail.locator(".cm-editor").count() == 0

    card(page, "tail").locator("[data-tf2m-action='goto']").click()
    tail.locator(".tf2m-finding").first.wait_for()
    card(page, "tail").locator(".tf2m-finding-item").first.click()
    page.wait_for_timeout(300)
    selected = notebook_js(
        page,
        "const editor = panel.content.activeCell.editor; const s = editor.getSelection();"
        "return [panel.content.activeCellIndex, editor.getOffsetAt(s.start), editor.getOffsetAt(s.end)];",
    )
    shot(page, artifacts_dir, "07-windowed-goto.png")

    finding = notebook.analysis["tail"]["findings"][0]
    assert selected[0] == tail_index
    assert notebook.sources["tail"][selected[1]:selected[2]] == notebook.sources["tail"][
        finding["range"]["start"]:finding["range"]["end"]]
    assert tail.locator(".tf2m-finding").first.inner_text() == "tf.log"
    page.keyboard.press("Escape")


def test_commands_are_in_the_palette_context_menu_and_shortcuts(page, notebook, artifacts_dir):
    commands = ["tf2-migrate:migrate-cell", "tf2-migrate:migrate-notebook",
                "tf2-migrate:compare-cell", "tf2-migrate:show-panel"]
    bound = page.evaluate(
        "ids => ids.map(id => window.jupyterapp.commands.keyBindings"
        ".filter(b => b.command === id).map(b => b.keys.join(' ')))",
        commands,
    )
    labels = page.evaluate("ids => ids.map(id => window.jupyterapp.commands.label(id))", commands)
    card(page, "simple").locator("[data-tf2m-action='goto']").click()
    cell_locator(page, notebook.index("simple")).locator(".jp-InputPrompt").click(button="right")
    menu = page.locator(".lm-Menu").last
    menu.wait_for(state="visible")
    menu_text = menu.inner_text()
    shot(page, artifacts_dir, "08-context-menu.png")
    page.keyboard.press("Escape")

    assert all(labels), labels
    assert bound[0] and bound[2] and bound[3]  # migrate-cell, compare-cell, show-panel
    assert "Migrate Cell to TF2" in menu_text and "Compare Cell" in menu_text


def test_migrate_notebook_writes_a_valid_copy_and_leaves_the_original(page, notebook, lab_server, artifacts_dir):
    before = notebook.path.read_bytes()
    answer = page.evaluate("window.jupyterapp.commands.execute('tf2-migrate:migrate-notebook')")
    copy = lab_server.root_dir / "tf1_tutorial.tf2.ipynb"

    assert answer["path"] == copy.name and answer["written"]
    assert notebook.path.read_bytes() == before
    migrated = nbformat.read(str(copy), as_version=4)
    nbformat.validate(migrated)
    by_id = {cell.id: cell for cell in migrated.cells}
    for cell_id, cell in notebook.analysis.items():
        assert by_id[cell_id].source == cell["source"]
        assert ("tf2_migrate" in by_id[cell_id].metadata) == cell["changed"]

    open_document(page, copy.name)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(state="visible")
    page.wait_for_function(
        "name => window.jupyterapp.shell.currentWidget?.context?.path === name", arg=copy.name)
    card(page, "simple").locator("[data-tf2m-action='undo']:not([disabled])").wait_for()
    shot(page, artifacts_dir, "09-migrated-copy.png")
    close_current(page)
    page.wait_for_function(
        "name => window.jupyterapp.shell.currentWidget?.context?.path === name", arg=notebook.name)
    # The copy has the same cell ids; closing it must not take the original's highlights along.
    page.wait_for_timeout(500)
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .tf2m-finding").count() > 0


@pytest.mark.xfail(not compare_available(), reason="kernel_helpers.compare (another helper's module) "
                   "is not in this checkout yet", strict=False)
def test_compare_shows_a_passing_table_for_a_correct_cell(page, notebook, artifacts_dir):
    wait_for_kernel_idle(page)
    page.locator(f"{PANEL} .tf2m-kernel-status[data-tf2m-kernel='loaded']").wait_for(timeout=120_000)

    card(page, "simple").locator("[data-tf2m-action='compare']").click()
    result = card(page, "simple").locator(".tf2m-compare-result")
    result.wait_for(timeout=COMPARE_TIMEOUT_MS)
    result.scroll_into_view_if_needed()
    shot(page, artifacts_dir, "10-compare.png")

    rows = result.locator("tbody tr")
    assert rows.count() >= 1
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.tf2mOk)") == ["true"] * rows.count()
    assert result.get_attribute("data-tf2m-ok") == "true"
    names = result.locator(".tf2m-compare-name").all_inner_texts()
    assert "logs" in names and "total" in names
    assert re.search(r"Original \(TF1\):\s*[\d.]+ m?s on ", result.locator(".tf2m-compare-timings").inner_text())


@pytest.mark.xfail(not compare_available(), reason="kernel_helpers.compare (another helper's module) "
                   "is not in this checkout yet", strict=False)
def test_compare_cell_shortcut_compares_the_active_cell(page, notebook):
    card(page, "simple").locator("[data-tf2m-action='goto']").click()
    previous = card(page, "simple").locator(".tf2m-compare-result").element_handle()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("Alt+Shift+C")

    # The card shows "running", then a new result: the previous table goes away first.
    page.wait_for_function("table => !table.isConnected", arg=previous)
    result = card(page, "simple").locator(".tf2m-compare-result")
    result.wait_for(timeout=COMPARE_TIMEOUT_MS)

    assert result.get_attribute("data-tf2m-ok") == "true"


def test_apply_all_safe_then_save_gives_a_valid_notebook_that_reopens(page, notebook, artifacts_dir):
    page.locator(f"{PANEL} [data-tf2m-action='apply-all-safe']").click()
    changed = [cell_id for cell_id, cell in notebook.analysis.items() if cell["changed"]]
    page.wait_for_function(
        "([i, text]) => window.jupyterapp.shell.currentWidget.content.model.cells.get(i)"
        ".sharedModel.getSource() === text",
        arg=[notebook.index(changed[-1]), notebook.analysis[changed[-1]]["source"]],
    )
    save(page, notebook.path)

    saved = nbformat.read(str(notebook.path), as_version=4)
    nbformat.validate(saved)
    by_id = {cell.id: cell for cell in saved.cells}
    for cell_id, cell in notebook.analysis.items():
        assert by_id[cell_id].source == cell["source"], cell_id
        if cell["changed"]:
            assert by_id[cell_id].metadata["tf2_migrate"]["original"] == notebook.sources[cell_id]

    # Reopen from disk: the migrated notebook loads, and the panel offers Undo from its metadata.
    close_current(page)
    open_document(page, notebook.name)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(state="visible")
    for cell_id in changed:
        card(page, cell_id).locator("[data-tf2m-action='undo']:not([disabled])").wait_for()
    shot(page, artifacts_dir, "11-apply-all-reopened.png")
    assert cell_source(page, notebook.index("simple")) == notebook.analysis["simple"]["source"]
    close_current(page)


def test_compare_outputs_render_as_a_table_in_notebooks(page, lab_server, artifacts_dir):
    # What `%%tf2_compare` leaves in a saved notebook; the HTML is what other frontends show.
    payload = {
        "ok": False,
        "rows": [
            {"name": "logs", "shape": [3], "dtype": "float32", "max_abs_err": 0.0, "max_rel_err": 0.0, "ok": True},
            {"name": "loss", "shape": [], "dtype": "float32", "max_abs_err": 0.25, "max_rel_err": "inf", "ok": False},
        ],
        "timings": {"original": 0.0123, "migrated": 1.5},
        "devices": {"original": "CPU:0", "migrated": "GPU:0"},
        "stdout": "",
        "error": None,
    }
    nb = nbformat.v4.new_notebook()
    # With a kernelspec, opening it asks no "select a kernel" question.
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    cell = nbformat.v4.new_code_cell("%%tf2_compare\nlogs = tf.log(values)")
    cell.outputs = [nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.tf2-migrate.compare+json": payload, "text/html": "<b>fallback html</b>"},
    )]
    nb.cells = [cell]
    nbformat.write(nb, str(lab_server.root_dir / "compare_output.ipynb"))

    open_document(page, "compare_output.ipynb")
    result = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea .tf2m-compare-result")
    result.wait_for()
    shot(page, artifacts_dir, "12-compare-output.png")

    assert result.get_attribute("data-tf2m-ok") == "false"
    assert result.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.tf2mOk)") == ["true", "false"]
    assert "fallback html" not in page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea").inner_text()
    timings = result.locator(".tf2m-compare-timings").inner_text()
    assert "12.3 ms on CPU:0" in timings and "1.50 s on GPU:0" in timings
    close_current(page)


def test_compare_without_kernel_helpers_says_how_to_fix_it(page, lab_server, no_helpers_kernel, artifacts_dir):
    name = "no_helpers.ipynb"
    write_fixture(lab_server.root_dir, name, kernel_name=no_helpers_kernel)
    open_document(page, name)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(state="visible")
    status = page.locator(f"{PANEL} .tf2m-kernel-status[data-tf2m-kernel='missing']")
    status.wait_for(timeout=120_000)

    card(page, "simple").locator("[data-tf2m-action='compare']").click()
    message = card(page, "simple").locator(".tf2m-compare-missing")
    message.wait_for(timeout=60_000)
    shot(page, artifacts_dir, "13-no-kernel-helpers.png")

    for text in (status.inner_text(), message.inner_text()):
        assert "cannot import kernel_helpers" in text
        assert "pip install tf2-migrate" in text
    close_current(page)


def test_welcome_notebook_opens_with_its_example_highlighted(page, lab_server, artifacts_dir):
    welcome = Path(__file__).resolve().parents[2] / "notebooks" / "Welcome.ipynb"
    nbformat.validate(nbformat.read(str(welcome), as_version=4))
    (lab_server.root_dir / "Welcome.ipynb").write_bytes(welcome.read_bytes())

    open_document(page, "Welcome.ipynb")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .tf2m-finding").first.wait_for()
    shot(page, artifacts_dir, "14-welcome.png")

    assert "tf.log" in page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .tf2m-finding").all_inner_texts()
    close_current(page)
