"""``compare(original, migrated)``: run a TF1 cell and its migration side by side.

The original runs in the reference kernel (TF1 runtime, its own process), the migrated code in
the calling kernel (TF2 + Keras 3).  Both draw random numbers through the aligned source, then
the names each cell bound and the numbers it printed are compared.  Successive calls keep state
on both sides, like running cells in order; :func:`reset` restarts the reference side.

The migrated side only runs when the original ran through: a cell that raises, hangs or kills its
process is reported from the reference kernel, and running its migration here could do the same
to the user's kernel.
"""

from __future__ import annotations

import atexit
import itertools
import os
import threading
import time
from typing import Any

from ..runtime.cell_hooks import EPOCH_KEY
from .capture import Captured, bound_names, capture_code, load_capture, load_meta
from .diff import compare_printed, compare_values
from .local import run_migrated
from .reference import ReferenceKernel
from .result import CompareResult

__all__ = ["compare", "reference_kernel", "reset", "shutdown", "warm_up"]

_lock = threading.RLock()
_reference: dict[str, ReferenceKernel | None] = {"kernel": None}
_epochs = itertools.count(1)
_local_device: dict[str, Any] = {}


def reference_kernel() -> ReferenceKernel:
    """This kernel's reference kernel (created on first use, started lazily)."""
    with _lock:
        kernel = _reference["kernel"]
        if kernel is None:
            kernel = ReferenceKernel(tf1=True, align_random=True)
            _reference["kernel"] = kernel
        return kernel


def warm_up() -> None:
    """Start the reference kernel in the background, so the first Compare waits less."""
    reference_kernel().warm_up()


def reset() -> None:
    """Restart the reference side: the original cells' state is forgotten."""
    with _lock:
        kernel = _reference["kernel"]
        if kernel is not None and kernel.started:
            kernel.restart()


def shutdown() -> None:
    """Stop the reference kernel (also done when this process exits)."""
    with _lock:
        kernel, _reference["kernel"] = _reference["kernel"], None
    if kernel is not None:
        kernel.shutdown()


atexit.register(shutdown)


def compare(original: str, migrated: str | None = None, *, rtol: float = 1e-6, atol: float = 1e-5,
            timeout: float = 60) -> CompareResult:
    """Run ``original`` with TF1 semantics and ``migrated`` (default: the tf2-level migration of
    ``original``) here, and compare the values they bind and print."""
    began = time.perf_counter()
    timings: dict[str, float | None] = {}
    if migrated is None:
        from ..engine.api import migrate

        migration_began = time.perf_counter()
        migrated = migrate(original, level="tf2").source
        timings["migrate"] = time.perf_counter() - migration_began
    result = CompareResult(original=original, migrated=migrated, rtol=rtol, atol=atol, timings=timings)
    with _lock:
        kernel = reference_kernel()
        generation = kernel.generation
        start_began = time.perf_counter()
        try:
            kernel.start()
        except Exception as error:  # noqa: BLE001 - reported in the result, never raised
            result.errors["original"] = str(error)
        timings["reference_start"] = time.perf_counter() - start_began if kernel.generation != generation else 0.0
        if generation and kernel.generation != generation:
            result.notes.append("The reference kernel was started afresh: state from earlier original cells is lost.")
        epoch = next(_epochs)
        original_values: dict[str, Captured] = {}
        migrated_values: dict[str, Captured] = {}
        if result.errors["original"] is None:
            original_values = _run_original(kernel, result, epoch, timeout)
        if result.errors["original"] is None:
            migrated_values = _run_migrated_side(result, epoch, timeout)
        else:
            result.notes.append("The migrated code was not run because the original failed.")
    diff_began = time.perf_counter()
    result.rows = compare_values(original_values, migrated_values, rtol=rtol, atol=atol)
    printed = compare_printed(result.stdout["original"], result.stdout["migrated"], rtol=rtol, atol=atol) \
        if result.error is None else None
    if printed is not None:
        result.rows.append(printed)
    _note_random_draws(result)
    timings["diff"] = time.perf_counter() - diff_began
    timings["total"] = time.perf_counter() - began
    timings["overhead"] = max(0.0, timings["total"] - sum(
        timings.get(key) or 0.0 for key in ("original", "migrated", "reference_start", "local_start")))
    return result


def _run_original(kernel: ReferenceKernel, result: CompareResult, epoch: int,
                  timeout: float) -> dict[str, Captured]:
    path = kernel.scratch_path(f"capture-{epoch}.npz")
    names = bound_names(result.original)
    began = time.perf_counter()
    # One request: the epoch travels in its metadata, the capture runs as a user expression
    # right after the cell (only when it ran through); this keeps Compare's overhead small.
    cell = kernel.execute(result.original, timeout=timeout, metadata={EPOCH_KEY: epoch}, user_expressions={
        "capture": capture_code(names, path).strip(),
        "device": "__import__('kernel_helpers.compare.devices', fromlist=['describe']).describe()",
    })
    round_trip = time.perf_counter() - began
    result.stdout["original"], result.stderr["original"] = cell.stdout, cell.stderr
    result.devices["original"] = _expression_text(cell.user_expressions.get("device")) or kernel.info.get("device")
    if not cell.ok:
        result.errors["original"] = cell.error or cell.status
        result.tracebacks["original"] = cell.traceback
        result.timings["original"] = cell.elapsed
        return {}
    capture_status = cell.user_expressions.get("capture", {})
    if capture_status.get("status") != "ok":
        result.notes.append("Capturing the original values failed: "
                            f"{capture_status.get('ename')}: {capture_status.get('evalue')}")
    meta = load_meta(path)
    captured = load_capture(path)
    _remove_capture(path)
    if meta.get("error"):
        result.notes.append(f"Capturing the original values failed: {meta['error']}")
    result.timings["original"] = meta.get("elapsed") if meta.get("elapsed") is not None else cell.elapsed
    result.timings["original_round_trip"] = round_trip
    result.random_draws["original"] = meta.get("random_draws")
    return captured


def _run_migrated_side(result: CompareResult, epoch: int, timeout: float) -> dict[str, Captured]:
    if "device" not in _local_device:
        # First Compare in this kernel: TensorFlow/Keras imports and GPU set-up are start-up
        # costs like the reference kernel's, reported apart from Compare's overhead.
        setup_began = time.perf_counter()
        _local_device["device"], _local_device["notes"] = _prepare_local_devices()
        result.notes.extend(_local_device["notes"])
        result.timings["local_start"] = time.perf_counter() - setup_began
    result.devices["migrated"] = _local_device["device"]
    run = run_migrated(result.migrated, bound_names(result.migrated), epoch=epoch, timeout=timeout)
    result.stdout["migrated"], result.stderr["migrated"] = run.stdout, run.stderr
    result.timings["migrated"] = run.elapsed
    result.timings["capture"] = run.capture_seconds
    result.random_draws["migrated"] = run.random_draws
    if run.status != "ok":
        result.errors["migrated"] = run.error
        result.tracebacks["migrated"] = run.traceback
    return run.captured


def _prepare_local_devices() -> tuple[str, list[str]]:
    import tensorflow as tf

    from ..runtime import random_alignment
    from . import devices

    notes = devices.enable_memory_growth()
    # TensorFlow's logger binds sys.stdout when first used; create it now, outside the output
    # capture of the migrated cell, so later warnings still reach the user's notebook.
    tf.get_logger()
    # Finds (and caches) where the random entry points are bound, importing Keras 3 if needed.
    if not random_alignment.installed():
        random_alignment.install()
        random_alignment.uninstall()
    return devices.describe(), notes


def _note_random_draws(result: CompareResult) -> None:
    before, after = result.random_draws.get("original"), result.random_draws.get("migrated")
    if before is not None and after is not None and before != after:
        result.notes.append(
            f"The original made {before} random draws and the migrated code {after}: random values are "
            "matched by order, so values after the first difference may not line up.")


def _expression_text(entry: Any) -> str | None:
    import ast

    if not isinstance(entry, dict) or entry.get("status") != "ok":
        return None
    text = entry.get("data", {}).get("text/plain")
    try:
        return ast.literal_eval(text) if text else None
    except (ValueError, SyntaxError):
        return text


def _remove_capture(path: str) -> None:
    for leftover in (path, path + ".json"):
        try:
            os.unlink(leftover)
        except OSError:
            pass
