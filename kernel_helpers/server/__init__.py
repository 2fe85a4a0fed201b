"""Jupyter server extension of tf2-migrate: thin, authenticated routes over the engine.

Enabled by ``jupyter-config/server-config/kernel_helpers.json`` (installed into
``etc/jupyter/jupyter_server_config.d``). Found through
``kernel_helpers._jupyter_server_extension_points``, which names this module.

This package must never import TensorFlow: the Jupyter server's environment may not have it,
and analysis is pure syntax.
"""

from .analysis import AnalysisCache, analyze_cells
from .routes import API_NAMESPACE, setup_route_handlers

__all__ = ["API_NAMESPACE", "AnalysisCache", "analyze_cells", "setup_route_handlers"]


def _load_jupyter_server_extension(serverapp):
    """Called by jupyter_server when the extension is enabled."""
    setup_route_handlers(serverapp.web_app)
    serverapp.log.info("tf2-migrate: routes registered under /%s/", API_NAMESPACE)
