"""Smoke test: JupyterLab loads the tf2-migrate frontend, and it reaches the server extension."""

import json
import re

import pytest

import kernel_helpers

pytestmark = [pytest.mark.ui, pytest.mark.timeout(600)]


def test_status_item_reports_the_server_version(page, artifacts_dir):
    status = page.locator("#tf2m-status")

    # The text changes from a placeholder once GET /tf2-migrate/version has answered, so
    # waiting for the final text also proves the frontend reached the authenticated route.
    status.wait_for(state="visible")
    page.wait_for_function(
        "() => !document.querySelector('#tf2m-status').textContent.includes('…')"
    )
    page.screenshot(path=str(artifacts_dir / "00-smoke.png"))

    assert status.inner_text().strip() == f"tf2-migrate {kernel_helpers.__version__} ready"


def test_settings_schema_is_served_with_its_defaults(lab_server):
    settings = lab_server.get_json("lab/api/settings/tf2-migrate:plugin")
    properties = settings["schema"]["properties"]

    assert {name: prop["default"] for name, prop in properties.items()} == {
        "level": "tf2",
        "unsafeFixes": False,
        "ignoredCodes": [],
        "debounceMs": 400,
        "autoAnalyze": True,
    }


def test_labextension_is_in_the_page_config(lab_server):
    # The page config lists the prebuilt extensions Lab will load. When the smoke test above
    # fails, this one tells "bundle not found" apart from "bundle found but broken".
    html_page = lab_server.get("lab").decode()
    config_json = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html_page, re.S
    )
    assert config_json, "no page config in /lab"
    extensions = json.loads(config_json.group(1))["federated_extensions"]

    assert "tf2-migrate" in {extension["name"] for extension in extensions}
