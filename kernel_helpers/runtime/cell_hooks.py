"""Per-cell hooks of a Compare kernel: the cell's wall time and its random-alignment epoch.

* Timing: Compare reports how long each side took; measuring inside the kernel, with IPython's
  own ``pre_run_cell``/``post_run_cell`` events, leaves out the messaging between the kernels.
* Epoch: the caller puts ``{"tf2m_epoch": n}`` in the execute request's metadata, and the
  ``pre_run_cell`` hook starts random alignment's epoch ``n`` just before the cell runs.  That
  saves a separate request per cell (a few milliseconds each, which is most of Compare's fixed
  overhead).
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["EPOCH_KEY", "install", "last_elapsed"]

EPOCH_KEY = "tf2m_epoch"

_state: dict[str, Any] = {"start": None, "elapsed": None, "shell": None}


def _pre_run_cell(*_args: Any) -> None:
    _begin_requested_epoch()
    _state["start"] = time.perf_counter()
    _state["elapsed"] = None


def _post_run_cell(*_args: Any) -> None:
    if _state["start"] is not None:
        _state["elapsed"] = time.perf_counter() - _state["start"]


def _begin_requested_epoch() -> None:
    kernel = getattr(_state["shell"], "kernel", None)
    get_parent = getattr(kernel, "get_parent", None)
    if get_parent is None:
        return
    try:
        parent = get_parent("shell")
    except TypeError:  # older ipykernel: no channel argument
        parent = get_parent()
    epoch = (parent or {}).get("metadata", {}).get(EPOCH_KEY)
    if epoch is not None:
        from . import random_alignment

        random_alignment.begin(int(epoch))


def install(shell: Any = None) -> bool:
    """Register the hooks with the running IPython shell; False when there is none."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or _state["shell"] is shell:
        return shell is not None
    shell.events.register("pre_run_cell", _pre_run_cell)
    shell.events.register("post_run_cell", _post_run_cell)
    _state["shell"] = shell
    return True


def last_elapsed() -> float | None:
    """Seconds the last non-silent cell took, or None before any."""
    return _state["elapsed"]
