"""URL table of the server extension. Add a route here and its handler in ``handlers.py``."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from .handlers import AnalyzeHandler, CacheStatsHandler, MigrateNotebookHandler, VersionHandler

API_NAMESPACE = "tf2-migrate"

# (path below /<base_url>/tf2-migrate/, handler class)
ROUTES = [
    ("version", VersionHandler),
    ("analyze", AnalyzeHandler),
    ("migrate-notebook", MigrateNotebookHandler),
    ("cache", CacheStatsHandler),
]


def setup_route_handlers(web_app) -> None:
    """Register every route of ``ROUTES`` on the server's tornado application."""
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, API_NAMESPACE, path), handler) for path, handler in ROUTES]
    web_app.add_handlers(".*$", handlers)
