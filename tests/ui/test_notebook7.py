"""The extension in Notebook 7: highlights, the panel and Apply work there too.

Notebook 7 is JupyterLab's components in another shell (no left area, one document per tab),
so this checks the plugin asks for nothing Lab-only. Skipped when `notebook` is not installed.
"""

import shutil
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.ui, pytest.mark.timeout(600)]

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "ui" / "tf1_tutorial.ipynb"


@pytest.fixture(scope="module")
def notebook7_page(browser, notebook7_server):
    shutil.copy(FIXTURE, notebook7_server.root_dir / FIXTURE.name)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(notebook7_server.url(f"notebooks/{FIXTURE.name}"))
    try:
        yield page
    finally:
        context.close()


def test_highlights_panel_and_apply_in_notebook_7(notebook7_page, notebook7_server, artifacts_dir):
    page = notebook7_page
    page.locator(".tf2m-finding").first.wait_for()
    assert "tf.log" in page.locator(".tf2m-finding").all_inner_texts()
    assert page.locator(".tf2m-cell-badge").count() >= 1

    page.locator("[data-jp-item-name='tf2-migrate']").first.click()
    card = page.locator("#tf2-migrate-panel [data-tf2m-cell-id='simple']")
    card.locator("[data-tf2m-action='apply']").click()
    card.locator("[data-tf2m-action='undo']:not([disabled])").wait_for()
    page.screenshot(path=str(artifacts_dir / "20-notebook7.png"))

    source = page.evaluate(
        "() => document.querySelectorAll('.jp-Cell')[2].querySelector('.cm-content').innerText"
    )
    expected = nbformat.read(str(FIXTURE), as_version=4).cells[2].source
    assert "tf.math.log(values)" in source and "tf.log(values)" not in source
    assert "tf.log(values)" in expected
