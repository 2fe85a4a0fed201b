"""``--verify``: execute a notebook and its migration, and compare them cell by cell.

The original runs in a kernel whose first, hidden step activates the TF1 reference runtime (before any
TensorFlow import), the migrated notebook in a plain python3 kernel with TF2 and Keras 3. Both sides draw
random numbers through the same deterministic scheme as Compare. After each code cell, each side runs the
capture code of :mod:`kernel_helpers.compare.capture` for the names the cell binds, and the values and
printed numbers are compared with :mod:`kernel_helpers.compare.diff`, exactly as Compare does.

Verdicts per code cell:

* ``match``: both sides ran and every compared value agrees within the tolerances;
* ``mismatch``: the migrated cell fails, times out or kills its kernel while the original ran, or a value
  differs. Any mismatch makes the notebook fail (and the CLI exit non-zero);
* ``original fails``: the original cell itself fails (there is nothing to match); not the migration's fault;
* ``not run``: a side stopped earlier (a timeout or a dead kernel), so this cell cannot be compared.

The two kernels run at the same time, both in the original notebook's folder so that relative data paths
work; a notebook whose cells write the same files from both sides can see each other's files.
Lines that would change the Python environment (``!pip install``, ``%pip``, ``%conda``, Colab's
``%tensorflow_version``) are skipped on both sides: verifying must never reinstall TensorFlow.
"""

from __future__ import annotations

import asyncio
import copy
import json
import math
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .io import NotebookReadError, cell_source, read_notebook
from .migrate import METADATA_KEY

__all__ = [
    "DEFAULT_TIMEOUT",
    "MATCH",
    "MISMATCH",
    "ORIGINAL_FAILS",
    "NOT_RUN",
    "SideRun",
    "CellCheck",
    "VerifyResult",
    "FileVerification",
    "verify_notebook",
    "verify_file",
    "original_notebook",
    "neutralize_environment_changes",
    "report_paths",
    "write_reports",
]

DEFAULT_TIMEOUT = 120.0
MATCH, MISMATCH, ORIGINAL_FAILS, NOT_RUN = "match", "mismatch", "original fails", "not run"

# The hidden steps bind no name in the user's namespace (hence __import__), so they cannot shadow
# or be captured as a cell's values.
_ALIGNMENT = "__import__('kernel_helpers.runtime.random_alignment', fromlist=['install'])"
#: First, hidden step of the original side, before anything imports TensorFlow: the TF1 reference runtime,
#: with random draws aligned (the k-th random op or initializer of a cell draws the same values on both sides).
REFERENCE_SETUP = "__import__('kernel_helpers.runtime', fromlist=['activate']).activate(align_random=True)\n"
#: First, hidden step of the migrated side: TF2 and Keras 3, with the same random alignment, and Keras's Adam
#: rounding as TF1's AdamOptimizer did (runtime/optimizer_alignment.py says why). Sessions are tracked too, so a
#: notebook kept at level compat (a TF1 graph, TFM103) has its graph values read like the original's.
MIGRATED_SETUP = (f"{_ALIGNMENT}.install()\n{_ALIGNMENT}.activate(True)\n"
                  "__import__('kernel_helpers.runtime.optimizer_alignment', fromlist=['install']).install()\n"
                  "__import__('kernel_helpers.runtime.sessions', fromlist=['install']).install()\n")
#: Last setup step on both sides (TensorFlow is imported by then).
_QUIET_SETUP = "__import__('kernel_helpers.notebook.verify', fromlist=['x']).send_tensorflow_logs_to_stderr()\n"


def _before_cell(index: int) -> str:
    # One epoch per cell: a cell that draws a different number of values cannot shift later cells.
    return f"{_ALIGNMENT}.begin({index})\n"

_SKIPPED_MARK = "pass  # skipped by tf2-migrate --verify: "
# Line magics and shell escapes that install or switch packages; matched at the start of a logical line.
_ENVIRONMENT_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<command>(?:[!%](?:pip|pip3|conda|mamba|micromamba|apt|apt-get|sudo)\b"
    r"|!python3?\s+-m\s+pip\b|%tensorflow_version\b).*)$",
    re.MULTILINE)


@dataclass
class SideRun:
    """What one kernel did with one cell."""

    ran: bool = False
    error: str | None = None
    stdout: str = ""
    seconds: float | None = None
    #: name -> Captured (from kernel_helpers.compare.capture.load_capture)
    captured: dict[str, Any] = field(default_factory=dict)
    note: str | None = None  # why the cell did not run, or why nothing was captured
    capture_path: str | None = field(default=None, repr=False)


@dataclass
class CellCheck:
    index: int
    cell_id: str | None
    original_source: str
    migrated_source: str
    original: SideRun
    migrated: SideRun
    status: str = NOT_RUN
    rows: list = field(default_factory=list)  # kernel_helpers.compare.diff.Row
    notes: list[str] = field(default_factory=list)
    #: name -> (original value, migrated value), short texts, for the values that differ
    previews: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.original_source != self.migrated_source

    def to_dict(self) -> dict:
        def side(run: SideRun) -> dict:
            return {"ran": run.ran, "error": run.error, "seconds": run.seconds, "note": run.note,
                    "stdout": run.stdout}
        return {
            "cell": self.index, "id": self.cell_id, "status": self.status, "changed": self.changed,
            "notes": list(self.notes), "original": side(self.original), "migrated": side(self.migrated),
            "rows": [_row_dict(r) for r in self.rows],
            "previews": {name: {"original": a, "migrated": b} for name, (a, b) in self.previews.items()},
        }


@dataclass
class VerifyResult:
    original: str  # a label: the original's path, or "<notebook>"
    migrated: str
    cells: list[CellCheck] = field(default_factory=list)
    #: the run could not happen at all (a kernel did not start, the runtime is missing, ...)
    error: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    rtol: float = 1e-6
    atol: float = 1e-5
    seconds: float = 0.0

    @property
    def mismatches(self) -> list[CellCheck]:
        return [c for c in self.cells if c.status == MISMATCH]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.mismatches

    def counts(self) -> dict[str, int]:
        counts = {MATCH: 0, MISMATCH: 0, ORIGINAL_FAILS: 0, NOT_RUN: 0}
        for cell in self.cells:
            counts[cell.status] = counts.get(cell.status, 0) + 1
        return counts

    def summary(self) -> str:
        if self.error:
            return f"not verified: {self.error}"
        counts = self.counts()
        verdict = "OK" if self.ok else "MISMATCH"
        detail = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        where = ""
        if self.mismatches:
            where = " (cells " + ", ".join(str(c.index) for c in self.mismatches) + ")"
        return f"{verdict}: {len(self.cells)} code cell(s): {detail or 'nothing to run'}{where}"

    def to_dict(self) -> dict:
        return {"original": self.original, "migrated": self.migrated, "ok": self.ok, "error": self.error,
                "summary": self.summary(), "counts": self.counts(), "timeout": self.timeout,
                "rtol": self.rtol, "atol": self.atol, "seconds": round(self.seconds, 3),
                "cells": [c.to_dict() for c in self.cells]}

    def markdown(self) -> str:
        from .report import render_markdown

        return render_markdown(self)

    def html(self) -> str:
        from .report import render_html

        return render_html(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .report import render_html_fragment

        return {"text/plain": self.summary(), "text/html": render_html_fragment(self)}


# -- pairing the two notebooks ---------------------------------------------------------------


def original_notebook(notebook: dict) -> dict | None:
    """The notebook as it was before migration, rebuilt from the originals that migrated cells record
    in ``metadata.tf2_migrate``; ``None`` when no cell records one (the notebook was not migrated)."""
    rebuilt = copy.deepcopy(notebook)
    found = False
    for cell in rebuilt.get("cells", []):
        record = cell.get("metadata", {}).get(METADATA_KEY)
        if cell.get("cell_type") == "code" and isinstance(record, dict) and isinstance(record.get("original"), str):
            cell["source"] = record["original"]
            del cell["metadata"][METADATA_KEY]
            found = True
    return rebuilt if found else None


def neutralize_environment_changes(source: str) -> tuple[str, list[str]]:
    """``source`` with package-installing lines replaced by ``pass`` (same line count), and those lines."""
    skipped: list[str] = []

    def replace(match: re.Match) -> str:
        skipped.append(match.group("command").strip())
        return match.group("indent") + _SKIPPED_MARK + match.group("command").strip()

    return _ENVIRONMENT_LINE.sub(replace, source), skipped


def _load(notebook) -> dict:
    if isinstance(notebook, dict):
        return copy.deepcopy(notebook)
    return read_notebook(notebook)[0]


def _is_path(notebook) -> bool:
    return isinstance(notebook, os.PathLike) or (isinstance(notebook, str) and not notebook.lstrip().startswith("{"))


def _label(notebook) -> str:
    return str(notebook) if _is_path(notebook) else "<notebook>"


def _code_cells(notebook: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(notebook.get("cells", []))
            if c.get("cell_type") == "code" and cell_source(c).strip()]


# -- running ---------------------------------------------------------------------------------


def verify_notebook(original, migrated=None, *, level: str = "tf2", unsafe: bool = False,
                    timeout: float | None = DEFAULT_TIMEOUT, rtol: float = 1e-6, atol: float = 1e-5,
                    kernel_name: str = "python3", startup_timeout: float = 120.0,
                    cwd: str | os.PathLike | None = None) -> VerifyResult:
    """Execute ``original`` (TF1, reference runtime) and ``migrated`` (TF2) and compare them cell by cell.

    Each may be a path or a notebook dict. Without ``migrated``, the original is migrated here (``level``,
    ``unsafe``). ``timeout`` is per cell, in seconds (``None``: no limit). Never raises for what happens
    inside the kernels: failures are verdicts, and a run that cannot start sets ``VerifyResult.error``.
    """
    started = time.monotonic()
    result = VerifyResult(_label(original), _label(migrated) if migrated is not None else "<migrated here>",
                          timeout=timeout, rtol=rtol, atol=atol)
    try:
        original_nb = _load(original)
        if migrated is None:
            from .migrate import migrate_notebook

            migrated_nb = migrate_notebook(original_nb, level=level, unsafe=unsafe).notebook
        else:
            migrated_nb = _load(migrated)
    except (NotebookReadError, OSError, ValueError) as error:
        result.error = str(error)
        return result
    pairs = _pair(original_nb, migrated_nb, result)
    if result.error or not pairs:
        return result
    if cwd is None:
        cwd = Path(original).resolve().parent if _is_path(original) else Path.cwd()
    plan = _Plan(pairs, kernel_name, timeout, startup_timeout, str(cwd))
    _run_blocking(plan.run(result))
    if not result.error:
        for check in result.cells:
            _judge(check, rtol, atol)
    result.seconds = time.monotonic() - started
    return result


def _pair(original_nb: dict, migrated_nb: dict, result: VerifyResult) -> list[CellCheck]:
    left, right = _code_cells(original_nb), _code_cells(migrated_nb)
    if len(left) != len(right):
        result.error = (f"the notebooks have different code cells ({len(left)} in the original, "
                        f"{len(right)} in the migrated one); verify compares cell by cell")
        return []
    for (index, cell), (_, other) in zip(left, right):
        check = CellCheck(index, cell.get("id"), cell_source(cell), cell_source(other), SideRun(), SideRun())
        result.cells.append(check)
    return result.cells


class _Plan:
    """Both kernels, started together; each runs its side's cells in order."""

    def __init__(self, cells: list[CellCheck], kernel_name, timeout, startup_timeout, cwd):
        self.cells, self.kernel_name, self.cwd = cells, kernel_name, cwd
        self.timeout, self.startup_timeout = timeout, startup_timeout

    async def run(self, result: VerifyResult) -> None:
        with tempfile.TemporaryDirectory(prefix="tf2-migrate-verify-") as scratch:
            sides = {"original": REFERENCE_SETUP + _QUIET_SETUP, "migrated": MIGRATED_SETUP + _QUIET_SETUP}
            tasks = {asyncio.ensure_future(_Side(self, side, setup, scratch).run()): side
                     for side, setup in sides.items()}
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in pending:  # one side cannot run: the other's results would mean nothing
                task.cancel()
            for task in pending:
                try:
                    await task
                except (asyncio.CancelledError, Exception):
                    pass
            for task in done:
                if task.exception() is not None:
                    result.error = f"the {tasks[task]} side could not run: {task.exception()}"
                    return
            # Read the captures while the scratch folder still exists.
            for check in self.cells:
                for run in (check.original, check.migrated):
                    if run.capture_path is not None:
                        run.captured = _load_capture(run.capture_path, run)
                        run.capture_path = None


class _SideFailed(RuntimeError):
    """One side could not run at all; the message says why."""


class _Side:
    """One kernel running one side's cells, each followed by the capture of the names it binds."""

    def __init__(self, plan: _Plan, side: str, setup: str, scratch: str):
        self.plan, self.side, self.setup, self.scratch = plan, side, setup, scratch

    async def run(self) -> None:
        # jupyter_client picks free ports and lets them go before the kernel binds them, so another process (the
        # other side's kernel starting at the same moment) can take one first: a kernel that could not bind its
        # ports, before any cell ran, is started once more.
        for attempt in range(2):
            try:
                await self._run_once()
                return
            except _SideFailed as error:
                if attempt or self.started or "Address already in use" not in str(error):
                    raise

    async def _run_once(self) -> None:
        import nbformat
        from nbclient import NotebookClient

        self.started = False
        work = nbformat.v4.new_notebook()
        work.cells = [nbformat.v4.new_code_cell("")]
        self.client = NotebookClient(
            work, kernel_name=self.plan.kernel_name, allow_errors=True, interrupt_on_timeout=False,
            startup_timeout=math.ceil(self.plan.startup_timeout), record_timing=False,
            shutdown_kernel="immediate", resources={"metadata": {"path": self.plan.cwd}})
        # The kernel's own output (TensorFlow's C++ logs, a crash) goes to a file, not to our user's terminal;
        # its end explains a kernel that died.
        self.log_path = os.path.join(self.scratch, f"{self.side}-kernel.log")
        try:
            with open(self.log_path, "wb") as log:
                async with self.client.async_setup_kernel(env=_kernel_env(), stdout=log, stderr=log):
                    await self._run_cells()
        except _SideFailed as error:
            raise _SideFailed(f"{error}{self._log_tail()}") from error
        except Exception as error:  # the kernel did not start or answer: nbclient's own errors
            raise _SideFailed(_describe(error) + self._log_tail()) from error

    async def _run_cells(self) -> None:
        self.started = True
        # TensorFlow is imported here, so the setup gets the startup time, not a cell's.
        failure = _error_of(await self._hidden(self.setup, self.plan.startup_timeout))
        if failure:
            raise _SideFailed(f"its setup failed: {failure}")
        stopped = None
        for check in self.plan.cells:
            run = check.original if self.side == "original" else check.migrated
            if stopped:
                run.note = stopped
                continue
            stopped = await self._cell(check, run)

    def _log_tail(self, lines: int = 3) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                tail = [line.strip() for line in log.read().splitlines() if line.strip()][-lines:]
        except OSError:
            return ""
        return (": " + " | ".join(tail)) if tail else ""

    async def _execute(self, source: str, timeout: float | None, *, store_history: bool):
        import nbformat

        cell = nbformat.v4.new_code_cell(source)
        # nbclient counts whole seconds; 0 would mean "no limit" to it.
        self.client.timeout = None if timeout is None else max(1, math.ceil(timeout))
        await self.client.async_execute_cell(cell, 0, store_history=store_history)
        return cell

    async def _hidden(self, source: str, timeout: float | None = None) -> list:
        """Run our own code (setup, capture): no history, and the cell's limit or a minute at least."""
        limit = timeout if timeout is not None else \
            (None if self.plan.timeout is None else max(self.plan.timeout, 60.0))
        return (await self._execute(source, limit, store_history=False)).outputs

    async def _cell(self, check: CellCheck, run: SideRun) -> str | None:
        """Run one cell and capture its names; a reason to stop this side, or None."""
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        from kernel_helpers.compare.capture import bound_names, capture_code

        source = check.original_source if self.side == "original" else check.migrated_source
        runnable, skipped = neutralize_environment_changes(source)
        if skipped and self.side == "original":
            check.notes.append("skipped on both sides: " + "; ".join(skipped))
        try:
            await self._hidden(_before_cell(check.index))
            begin = time.monotonic()
            cell = await self._execute(runnable, self.plan.timeout, store_history=True)
        except CellTimeoutError:
            run.ran, run.error = True, f"timed out after {self.plan.timeout:g} s"
            return f"not run: cell {check.index} timed out on this side"
        except DeadKernelError:
            run.ran, run.error = True, "the kernel died" + self._log_tail()
            return f"not run: the kernel died in cell {check.index}"
        run.ran, run.seconds = True, time.monotonic() - begin
        run.error, run.stdout = _error_of(cell.outputs), _stdout_of(cell.outputs)
        names = _union(bound_names(check.original_source), bound_names(check.migrated_source))
        if run.error or not names:
            return None
        path = os.path.join(self.scratch, f"{self.side}-cell{check.index}.npz")
        try:
            failure = _error_of(await self._hidden(capture_code(names, path)))
        except CellTimeoutError:
            run.note = "capture timed out"
            return f"not run: the capture of cell {check.index} timed out on this side"
        except DeadKernelError:
            run.note = "the kernel died while capturing"
            return f"not run: the kernel died capturing cell {check.index}"
        if failure:
            run.note = f"capture failed: {failure}"
        else:
            run.capture_path = path
        return None


def send_tensorflow_logs_to_stderr() -> None:
    """Run inside a kernel: TensorFlow's Python logger writes to stdout in an interactive process, and its
    deprecation warnings there would be compared as printed output (one side warns, the other does not)."""
    import logging
    import sys

    from tensorflow.python.platform import tf_logging

    for handler in tf_logging.get_logger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
            handler.setStream(sys.stderr)


def _load_capture(path: str, run: SideRun) -> dict:
    from kernel_helpers.compare.capture import load_capture

    try:
        return load_capture(path)
    except Exception as error:  # a truncated file from a kernel that died while writing it
        run.note = f"capture unreadable: {_describe(error)}"
        return {}


def _judge(check: CellCheck, rtol: float, atol: float) -> None:
    from kernel_helpers.compare.diff import compare_printed, compare_values

    original, migrated = check.original, check.migrated
    if not original.ran:
        check.status = NOT_RUN
        if original.note:
            check.notes.append(f"original: {original.note}")
        return
    if original.error:
        check.status = ORIGINAL_FAILS
        check.notes.append(f"original fails: {original.error}")
        return
    if not migrated.ran:
        check.status = NOT_RUN
        check.notes.append(f"migrated: {migrated.note}")
        return
    if migrated.error:
        check.status = MISMATCH
        check.notes.append(f"migrated fails: {migrated.error}")
        return
    for run, side in ((original, "original"), (migrated, "migrated")):
        if run.note:
            check.notes.append(f"{side}: {run.note}")
    check.rows = list(compare_values(original.captured, migrated.captured, rtol=rtol, atol=atol))
    printed = compare_printed(original.stdout, migrated.stdout, rtol=rtol, atol=atol)
    if printed is not None:
        check.rows.append(printed)
    check.status = MISMATCH if any(not row.ok for row in check.rows) else MATCH
    for row in check.rows:
        if row.ok:
            continue
        if row is printed:
            check.previews[row.name] = (_shorten(original.stdout), _shorten(migrated.stdout))
        else:
            check.previews[row.name] = (_preview(original, row.name), _preview(migrated, row.name))


def _preview(run: SideRun, name: str) -> str:
    """A short text of one captured value, for the report of a value that differs."""
    captured = run.captured.get(name)
    if captured is None:
        return "(not bound)"
    if captured.value is None:
        return f"({captured.kind}: {captured.note or 'no value'})"
    import numpy as np

    text = np.array2string(np.asarray(captured.value), threshold=24, edgeitems=3, precision=7, separator=", ")
    return _shorten(text)


def _shorten(text: str, limit: int = 300) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _union(*groups: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for name in group:
            seen.setdefault(name, None)
    return list(seen)


def _error_of(outputs) -> str | None:
    for output in outputs:
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
    return None


def _stdout_of(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    # The kernels must import this very package, also from a checkout that is not installed.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # Inherited from a reference kernel it would give the migrated side Keras 2; activate() sets it
    # itself on the original side.
    env.pop("TF_USE_LEGACY_KERAS", None)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def _run_blocking(coroutine) -> None:
    """Run ``coroutine`` to the end, also from inside a running event loop (an IPython kernel)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    thread = threading.Thread(target=target, name="tf2-migrate-verify")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _row_dict(row) -> dict:
    return row.to_dict()


# -- files and reports -----------------------------------------------------------------------


def report_paths(named_after: str | os.PathLike, directory: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """``<name>.verify.md`` and ``<name>.verify.html``: beside ``named_after`` or in ``directory``."""
    path = Path(named_after)
    folder = Path(directory) if directory is not None else path.parent
    return folder / f"{path.stem}.verify.md", folder / f"{path.stem}.verify.html"


def write_reports(result: VerifyResult, markdown_path: str | os.PathLike, html_path: str | os.PathLike) -> None:
    from kernel_helpers.fileio import atomic_write

    for path, text in ((Path(markdown_path), result.markdown()), (Path(html_path), result.html())):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"))


@dataclass
class FileVerification:
    """``--verify`` for one file of the command line."""

    path: str
    result: VerifyResult | None = None
    markdown: str | None = None
    html: str | None = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.skipped is not None or (self.result is not None and self.result.ok)

    def to_dict(self) -> dict:
        return {"path": self.path, "ok": self.ok, "skipped": self.skipped, "report": self.markdown,
                "report_html": self.html, "result": self.result.to_dict() if self.result else None}


def verify_file(path: str | os.PathLike, migrated: bytes | str | None = None,
                written_to: str | os.PathLike | None = None, *, report_dir: str | os.PathLike | None = None,
                timeout: float | None = DEFAULT_TIMEOUT, rtol: float = 1e-6, atol: float = 1e-5) -> FileVerification:
    """Verify one notebook of the command line and write its reports.

    ``migrated`` is the migrated notebook's text when the migration changed it (``None``: unchanged).
    A notebook that records its originals (an output of this tool, maybe edited by hand since) is
    verified against them, so ``tf2-migrate --verify nb.tf2.ipynb`` checks a migration after the fact.
    Reports go to ``report_dir``, else beside ``written_to`` (the migrated output), else beside ``path``.
    """
    path = Path(path)
    outcome = FileVerification(str(path))
    if path.suffix != ".ipynb":
        outcome.skipped = "only notebooks are verified"
        return outcome
    try:
        given, _ = read_notebook(path)
        migrated_nb = read_notebook(migrated)[0] if migrated is not None else given
    except (NotebookReadError, OSError, ValueError) as error:
        outcome.result = VerifyResult(str(path), str(written_to or path), error=str(error), timeout=timeout)
    else:
        recorded = original_notebook(given)
        outcome.result = verify_notebook(recorded or given, migrated_nb, timeout=timeout, rtol=rtol, atol=atol,
                                         cwd=path.resolve().parent)
        outcome.result.original = f"{path} (the original cells it records)" if recorded else str(path)
        outcome.result.migrated = str(written_to) if written_to else \
            (str(path) if migrated is None else f"{path} (migrated in memory)")
    folder = report_dir if report_dir is not None else Path(written_to or path).parent
    markdown_path, html_path = report_paths(path, folder)
    write_reports(outcome.result, markdown_path, html_path)
    outcome.markdown, outcome.html = str(markdown_path), str(html_path)
    return outcome


def to_json(verifications: list[FileVerification]) -> str:
    return json.dumps([v.to_dict() for v in verifications], indent=2, default=str)
