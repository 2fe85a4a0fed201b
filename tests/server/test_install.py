"""Packaging: the pieces JupyterLab and jupyter_server need are where they look for them."""

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_config_path, jupyter_path

import kernel_helpers

REPO = Path(__file__).resolve().parents[2]


def _installed_distribution():
    try:
        return importlib.metadata.distribution("tf2-migrate")
    except importlib.metadata.PackageNotFoundError:
        return None


needs_install = pytest.mark.skipif(
    _installed_distribution() is None, reason="tf2-migrate is not pip-installed here (make test does it)"
)


def test_npm_package_version_matches_python_version():
    package = json.loads((REPO / "extension" / "package.json").read_text())

    assert package["name"] == "tf2-migrate"
    assert package["version"] == kernel_helpers.__version__


def test_settings_schema_defaults():
    schema = json.loads((REPO / "extension" / "schema" / "plugin.json").read_text())
    defaults = {name: prop["default"] for name, prop in schema["properties"].items()}

    assert defaults == {
        "level": "tf2",
        "unsafeFixes": False,
        "ignoredCodes": [],
        "debounceMs": 400,
        "autoAnalyze": True,
    }
    assert schema["properties"]["level"]["enum"] == ["compat", "tf2"]


def test_server_extension_does_not_import_tensorflow():
    # A fresh interpreter, because this test session may already have imported TensorFlow.
    probe = (
        "import sys, kernel_helpers.server, kernel_helpers.server.handlers, kernel_helpers.server.routes; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'tensorflow', 'keras', 'tf_keras'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


@needs_install
def test_installed_labextension_is_found_by_jupyterlab():
    candidates = [Path(d) / "tf2-migrate" / "package.json" for d in jupyter_path("labextensions")]
    found = [path for path in candidates if path.is_file()]

    assert found, f"no tf2-migrate labextension in {jupyter_path('labextensions')}"
    built = json.loads(found[0].read_text())
    assert built["name"] == "tf2-migrate"
    assert built["version"] == kernel_helpers.__version__
    # The built package.json records where the bundle's entry point is; without it Lab skips it.
    assert built["jupyterlab"]["_build"]["load"].startswith("static/remoteEntry.")


@needs_install
def test_installed_server_extension_is_enabled():
    enabled = {}
    for directory in jupyter_config_path():
        config_file = Path(directory) / "jupyter_server_config.d" / "kernel_helpers.json"
        if config_file.is_file():
            enabled.update(json.loads(config_file.read_text())["ServerApp"]["jpserver_extensions"])

    assert enabled.get("kernel_helpers") is True


@needs_install
def test_console_script_is_declared():
    scripts = {
        ep.name: ep.value for ep in _installed_distribution().entry_points if ep.group == "console_scripts"
    }

    assert scripts.get("tf2-migrate") == "kernel_helpers.cli:main"
