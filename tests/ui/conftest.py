"""Fixtures for browser tests: a real JupyterLab server and a Playwright page on it.

One server and one browser serve the whole session because starting JupyterLab and loading
its frontend take seconds. Everything they write (config, data, runtime, settings, browser
profile) goes to a temporary folder, never to $HOME.

Facts these fixtures rely on (see /work/shared/notes/jupyterlab-extension.md):
- Debian's chromium at /usr/bin/chromium; never `playwright install`.
- the server may run as root, which needs --allow-root;
- the Jupyter news popup covers the page unless `fetchNews` is "false" in the user settings.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_data_dir, jupyter_path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO / "test-artifacts" / "ui"
CHROMIUM = Path(os.environ.get("TF2M_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LABEXTENSION_NAME = "tf2-migrate"
# Generous: on a loaded 2-core machine a cold JupyterLab start has taken tens of seconds.
SERVER_START_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 60_000

# Settings a test session needs; keys are settings files below the user settings dir.
TEST_USER_SETTINGS = {
    # The news/update prompt is a toast that covers part of every screenshot, and both
    # options make network requests.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # The hardest case for the highlights: cells out of view have no editor until they scroll in.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "full",
    },
}

# A kernel that cannot import kernel_helpers, even when tf2-migrate is pip-installed: a None
# entry in sys.modules makes `import kernel_helpers` fail as a missing package does.
NO_HELPERS_KERNEL = "python3-no-helpers"
_NO_HELPERS_LAUNCHER = (
    "import sys; sys.modules['kernel_helpers'] = None; "
    "from ipykernel.kernelapp import launch_new_instance; launch_new_instance()"
)


def pytest_collection_modifyitems(items):
    """Every test under tests/ui is a browser test, so `-m "not ui"` skips all of them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.ui)


@dataclass(frozen=True)
class LabServer:
    base_url: str  # "http://127.0.0.1:<port>/", with the trailing slash
    token: str
    root_dir: Path  # the server's notebook root: create test notebooks here
    log_file: Path

    def url(self, path: str = "", **query: str) -> str:
        """Absolute URL of `path` below the server, with the token added to the query."""
        params = {**query, "token": self.token}
        return f"{self.base_url}{path.lstrip('/')}?{urllib.parse.urlencode(params)}"

    def get(self, path: str) -> bytes:
        """GET `path` below the server, authenticated with the token."""
        request = urllib.request.Request(
            f"{self.base_url}{path.lstrip('/')}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def get_json(self, path: str) -> dict:
        return json.loads(self.get(path))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _installed_labextension() -> Path | None:
    # The server gets its own JUPYTER_DATA_DIR, so this session's user data dir does not count.
    user_data_dir = Path(jupyter_data_dir()).resolve()
    for directory in jupyter_path("labextensions"):
        if Path(directory).resolve().parent == user_data_dir:
            continue
        candidate = Path(directory) / LABEXTENSION_NAME / "package.json"
        if candidate.is_file():
            return candidate.parent
    return None


def _provide_labextension(data_dir: Path) -> None:
    """Make the labextension visible to the server even when the checkout is not pip-installed.

    With `make test` it is installed (shared-data of the editable wheel); in a shared dev venv
    only the bundle built into kernel_helpers/labextension may exist, so link that in.
    """
    if _installed_labextension() is not None:
        return
    built = REPO / "kernel_helpers" / "labextension"
    if not (built / "package.json").is_file():
        pytest.skip("the tf2-migrate labextension is neither installed nor built (run `make test`)")
    target = data_dir / "labextensions" / LABEXTENSION_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(built, target_is_directory=True)


def _write_test_settings(settings_dir: Path) -> None:
    for relative_path, values in TEST_USER_SETTINGS.items():
        settings_file = settings_dir / relative_path
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(json.dumps(values, indent=2))


def _write_no_helpers_kernelspec(data_dir: Path) -> None:
    spec_dir = data_dir / "kernels" / NO_HELPERS_KERNEL
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-c", _NO_HELPERS_LAUNCHER, "-f", "{connection_file}"],
        "display_name": "Python 3 (without kernel_helpers)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))


def _server_environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "matplotlib"),
        KERAS_HOME=str(home / "keras"),
        # The checkout's kernel_helpers wins, as it does for pytest itself (pythonpath = ".").
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env


def _wait_until_ready(process: subprocess.Popen, server: LabServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{_tail(server.log_file)}")
        try:
            server.get_json("api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(
        f"jupyter lab did not answer /api/status within {SERVER_START_TIMEOUT_S} s:\n{_tail(server.log_file)}"
    )


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and whatever it started (kernels, terminals) in its process group."""
    if process.poll() is not None:
        return
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)  # jupyter_server shuts its kernels down on SIGTERM
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=10)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _run_server(home: Path, app: str):
    """Start `jupyter <app>` (lab or notebook) in `home`; yield its LabServer, stop it afterwards."""
    root_dir = home / "notebooks"
    settings_dir = home / "user-settings"
    for directory in (root_dir, settings_dir, home / "config", home / "data", home / "runtime"):
        directory.mkdir(parents=True, exist_ok=True)
    _provide_labextension(home / "data")
    _write_test_settings(settings_dir)
    _write_no_helpers_kernelspec(home / "data")
    # Enabled here too, so a checkout that is not pip-installed still serves the routes;
    # tests/server/test_install.py checks that the installed enable-file does it on its own.
    (home / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"kernel_helpers": True}}})
    )

    port = _free_port()
    server = LabServer(
        base_url=f"http://127.0.0.1:{port}/",
        token=secrets.token_hex(16),
        root_dir=root_dir,
        log_file=home / f"{app}.log",
    )
    # Notebook 7 is built on JupyterLab's application class, so the LabApp options reach it
    # under its own class name.
    app_class = "LabApp" if app == "lab" else "JupyterNotebookApp"
    launcher = ["jupyter", "lab"] if app == "lab" else ["notebook"]
    command = [
        sys.executable, "-m", *launcher,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={server.token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--{app_class}.user_settings_dir={settings_dir}",
        f"--{app_class}.workspaces_dir={home / 'workspaces'}",
        # window.jupyterapp lets tests open and save documents without driving menus.
        f"--{app_class}.expose_app_in_browser=True",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")

    with server.log_file.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=home,
            env=_server_environment(home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so _stop also reaches its kernels
        )
    try:
        _wait_until_ready(process, server)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    """A running `jupyter lab` (this interpreter's) with a token, on a free local port."""
    yield from _run_server(tmp_path_factory.mktemp("jupyter-lab"), "lab")


@pytest.fixture(scope="session")
def notebook7_server(tmp_path_factory) -> LabServer:
    """A running Notebook 7 (`jupyter notebook`); skipped when the `notebook` package is missing."""
    # By distribution, not by import: tests/notebook/ would pass for a `notebook` package.
    try:
        version = importlib.metadata.version("notebook")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("Notebook 7 (the `notebook` package) is not installed")
    if int(version.split(".")[0]) < 7:
        pytest.skip(f"notebook {version} is not Notebook 7")
    yield from _run_server(tmp_path_factory.mktemp("jupyter-notebook7"), "notebook")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's chromium driven by Playwright (sync API)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (`make test` installs the Debian package `chromium`)")
    profile_home = tmp_path_factory.mktemp("chromium-home")
    env = {**os.environ, "XDG_CONFIG_HOME": str(profile_home / "config"), "XDG_CACHE_HOME": str(profile_home / "cache")}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def page(browser, lab_server):
    """A page with JupyterLab loaded (fresh workspace, `?reset`) and its shell attached."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(lab_server.url("lab", reset=""))
    page.wait_for_selector("#jp-main-dock-panel", state="attached")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def no_helpers_kernel(lab_server) -> str:
    """Name of a kernelspec of `lab_server` whose kernel cannot import kernel_helpers."""
    return NO_HELPERS_KERNEL


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser tests save screenshots (git-ignored test-artifacts/ui)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
