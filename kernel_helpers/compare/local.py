"""Running the migrated side in the calling kernel: TF2, Keras 3, the user's real state.

The code runs in IPython's user namespace when there is a shell (so a Compare behaves like
running the migrated cell), otherwise in a module-level namespace kept between calls.  Its
output is captured instead of shown, an exception is recorded instead of raised, random draws
are aligned with the reference side, and Keras' dataset loaders read the same offline data as
the reference runtime does.

A timeout is enforced with ``SIGALRM`` when Compare runs on the main thread (always the case in
a kernel); TensorFlow ops running in C++ only notice it when they return to Python.  A migrated
cell that crashes its process cannot be contained here: Compare never runs the migrated side
when the original side failed, so code that kills its process is caught on the reference side.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .capture import Captured, bound_names, capture_values

__all__ = ["LocalRun", "namespace", "reset_namespace", "run_migrated"]

_module_namespace: dict[str, Any] = {"__name__": "__tf2m_compare__"}


class MigratedTimeout(Exception):
    """The migrated code ran past Compare's timeout."""


@dataclass
class LocalRun:
    status: str  # "ok" | "error" | "timeout"
    stdout: str = ""
    stderr: str = ""
    error: str | None = None
    traceback: str = ""
    elapsed: float = 0.0
    captured: dict[str, Captured] = field(default_factory=dict)
    random_draws: int | None = None
    capture_seconds: float = 0.0


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def namespace() -> dict[str, Any]:
    """Where migrated code runs: the IPython user namespace, else one kept by this module."""
    shell = _shell()
    if shell is not None:
        return shell.user_ns
    return _module_namespace


def reset_namespace() -> None:
    """Forget the module-level namespace (the IPython one belongs to the user)."""
    _module_namespace.clear()
    _module_namespace["__name__"] = "__tf2m_compare__"


def _python_source(source: str) -> str:
    shell = _shell()
    if shell is not None:
        # Magics and shell escapes become get_ipython() calls, as when the cell runs.
        return shell.transform_cell(source)
    return source


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and seconds and seconds > 0)
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise MigratedTimeout(f"timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _offline_keras_datasets(source: str) -> Iterator[None]:
    # Only cells that load data pay for the patching.
    if "datasets" not in source and "load_data" not in source:
        yield
        return
    from ..runtime import datasets

    undo = datasets.patch_keras_datasets("keras")
    try:
        yield
    finally:
        undo()


def run_migrated(source: str, names: list[str] | None = None, *, epoch: int = 0, timeout: float = 60.0,
                 align_random: bool = True) -> LocalRun:
    """Run ``source`` here and capture the names it binds.  Never raises (except KeyboardInterrupt)."""
    from ..runtime import random_alignment

    names = bound_names(source) if names is None else names
    target = namespace()
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        code = compile(_python_source(source), "<migrated cell>", "exec")
    except SyntaxError as error:
        return LocalRun("error", error=f"SyntaxError: {error.msg} (line {error.lineno})",
                        traceback="".join(traceback.format_exception_only(type(error), error)))
    run = LocalRun("ok")
    alignment = random_alignment.aligned(epoch) if align_random else contextlib.nullcontext()
    began = time.perf_counter()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), \
                _offline_keras_datasets(source), alignment, _alarm(timeout):
            began = time.perf_counter()
            exec(code, target)  # noqa: S102 - running the user's migrated cell is the point
            run.elapsed = time.perf_counter() - began
    except MigratedTimeout as error:
        run.elapsed = time.perf_counter() - began
        run.status, run.error = "timeout", f"{error}: the migrated code was interrupted"
    except Exception as error:  # noqa: BLE001 - the user's code may raise anything
        run.elapsed = time.perf_counter() - began
        run.status = "error"
        run.error = f"{type(error).__name__}: {error}"
        run.traceback = _user_traceback(error)
    run.stdout, run.stderr = stdout.getvalue(), stderr.getvalue()
    run.random_draws = random_alignment.draws() if align_random else None
    captured_at = time.perf_counter()
    run.captured = capture_values(target, names)
    run.capture_seconds = time.perf_counter() - captured_at
    return run


def _user_traceback(error: BaseException) -> str:
    # Drop this module's frames: the user wants to see their cell's lines.
    frames = traceback.extract_tb(error.__traceback__)
    kept = [frame for frame in frames if frame.filename != __file__]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(kept)
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)
