"""tf2-migrate: migrate TensorFlow 1.x notebooks and code to TensorFlow 2.

The public API is re-exported lazily so that ``import kernel_helpers`` stays cheap and never imports
TensorFlow (the Jupyter server and the CLI must start fast).
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "kernel_helpers.engine.api",
    "migrate": "kernel_helpers.engine.api",
    "Migration": "kernel_helpers.engine.api",
    "Finding": "kernel_helpers.engine.finding",
    "NotebookContext": "kernel_helpers.engine.context",
    "migrate_notebook": "kernel_helpers.notebook.migrate",
    "NotebookMigration": "kernel_helpers.notebook.migrate",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kernel_helpers' has no attribute {name!r}")
    return getattr(import_module(module), name)


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "tf2-migrate"}]


def _jupyter_server_extension_points():
    return [{"module": "kernel_helpers.server"}]


def load_ipython_extension(ipython):
    """``%load_ext kernel_helpers`` registers the tf2-migrate magics."""
    import_module("kernel_helpers.magics").load_ipython_extension(ipython)
