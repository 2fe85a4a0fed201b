"""Fixtures for the server-extension tests.

pytest-jupyter's fixtures are imported here rather than listed in ``pytest_plugins``: pytest
only accepts ``pytest_plugins`` in the top-level conftest, and its autouse event-loop fixtures
and async test runner are only wanted for these tests.
"""

import pytest
from jupyter_server.serverapp import ServerApp
from pytest_jupyter.jupyter_server import *  # noqa: F403 - fixtures and hooks of the plugin


@pytest.fixture
def jp_server_config():
    # Leave `allow_unauthenticated_access` at its default (True) on purpose: then only the
    # handlers' own `@tornado.web.authenticated` stands between a tokenless request and a route,
    # which is what the 403 tests check.
    return {"ServerApp": {"jpserver_extensions": {"kernel_helpers": True}}}


@pytest.fixture(autouse=True)
def jp_server_cleanup(jp_asyncio_loop):
    """Stop the test's server, if it started one.

    Replaces pytest-jupyter's autouse cleanup, which calls ``ServerApp.instance()`` after every
    test and so creates a server (and a runtime dir under $HOME) for tests that never started
    one, such as the packaging tests here.
    """
    yield
    if not ServerApp.initialized():
        return
    app = ServerApp.instance()
    jp_asyncio_loop.run_until_complete(app._cleanup())
    if hasattr(app, "kernel_manager"):
        app.kernel_manager.context.destroy()
    ServerApp.clear_instance()
