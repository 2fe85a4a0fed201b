"""Parity and robustness of ``tf2-migrate --level compat`` against ``tf_upgrade_v2`` on real TF1 code.

Usage::

    python -m benchmarks.parity DIR [--json OUT] [--work WORKDIR] [--jobs N] [--timeout SECONDS]

DIR is a folder of third-party TF1 notebooks and scripts, one sub-folder per repository (the per-repo
rows of the table are the first path component under DIR). Nothing in DIR is written.

The bar
-------
On every ``.py``/``.ipynb`` file, ``tf2-migrate --level compat``

1. never crashes: an exception, a hang (``--timeout``) or an exit code other than 0/1 is a crash; exit 1
   with a per-file error in its JSON report (e.g. "does not parse") is a clean report, not a crash;
2. never changes its input (SHA-256 of the input before and after both of its runs);
3. produces parseable output wherever the input parsed: a script as a whole, a notebook cell by cell
   with IPython syntax masked by :func:`kernel_helpers.engine.masking.mask_magics` (cells are paired by
   their position among the code cells);
4. is idempotent: migrating its output again gives the same bytes;
5. leaves no more TF1-only references than ``tf_upgrade_v2`` leaves in the same file.

How it runs
-----------
DIR is copied to ``WORKDIR/input``; both tools read the copies. ``tf2-migrate`` runs in this process
through :func:`kernel_helpers.cli.main`, one file at a time (``-o`` into ``WORKDIR/tf2-migrate``, then
again on that output into ``WORKDIR/tf2-migrate-again``), so an exception comes back with its
traceback and is pinned to one file. ``tf_upgrade_v2`` is the console script next to
``sys.executable``, run once per file (``--infile/--outfile``; its report file goes to
``WORKDIR/tf_upgrade_v2-reports``), ``--jobs`` at a time, with ``PYTHONUTF8=1`` so that it can read
UTF-8 files whatever the locale. It "could not convert" a file when it exits non-zero, writes no
output, or its report says ``Failed to parse`` (it then leaves an empty ``.py``). For such a file,
and for a file on which tf2-migrate crashed, the references are counted in the original: that is
what the user is left with. Times are the sum of per-file wall times: tf_upgrade_v2's include a
process start and a TensorFlow import per file, tf2-migrate's do not (a warm process); the
whole-process side-by-side comparison is the job of ``python -m benchmarks``.

How TF1-only references are counted
-----------------------------------
One counter, :func:`count_references`, reads the original, tf_upgrade_v2's output and tf2-migrate's
output alike. It takes the code cells of a file (a script is one cell), masks IPython syntax, parses
each cell with :mod:`ast` (a cell that only parses after the engine's Python 2 repairs is counted in
its repaired form, so that Python 2 notebooks are counted the same way on every side; a cell that
does not parse at all is reported as uncounted), builds a
:class:`~kernel_helpers.engine.context.NotebookContext` from the whole file and indexes every cell
with :func:`~kernel_helpers.engine.index.build_index`. Each ``index.refs`` entry is a name or
attribute chain that resolves to TensorFlow through the imports, whatever the alias or import form
(``tf.placeholder``, ``placeholder`` after ``from tensorflow import placeholder``, ``slim.conv2d``
after ``import tensorflow.contrib.slim as slim``). :func:`~kernel_helpers.engine.index.split_api`
splits its qualified name into a namespace and a name, and the reference is **TF1-only** when

- its namespace is ``v1`` (plain ``tensorflow.X``) or ``v2`` (``tensorflow.compat.v2.X``) and
  ``tables().in_v2(name)`` is false: ``tf.placeholder``, ``tf.contrib.layers.flatten``;
- its namespace is ``compat.v1`` and ``tables().in_v1(name)`` is false: the name does not exist in
  ``tf.compat.v1`` of TF 2.21 either (``tf.compat.v1.contrib.rnn.LSTMCell``).

The tables list API symbols, not the attributes of classes, so a chain that is not listed is judged
by its longest listed prefix: below a module the member is missing (``tf.train.AdamOptimizer.minimize``
is TF1-only because ``tf.train.AdamOptimizer`` is), below a class, function or constant it is an
attribute of that object (``tf.float32.as_numpy_dtype`` exists); a dunder (``tf.__version__``) is judged by
its owner. Each import of ``tensorflow.contrib``
or of another module that TF 2.21 removed (``curated().removed_module``: ``contrib``, ``estimator``,
``examples``...) adds one more. References into the private ``tensorflow.python`` package are
counted apart (``private``), not as TF1-only.

Also counted, per side: every reference in the ``compat.v1`` namespace (``compat_v1``; the module
``tf.compat.v1`` itself included), and the compat.v1 names that only work with ``tf_keras`` and
``TF_USE_LEGACY_KERAS=1`` (``legacy_keras``: ``tf.compat.v1.layers.dense`` exists in TF 2.21's
export tables but raises under Keras 3).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import functools
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = {".git", ".ipynb_checkpoints", "__pycache__"}
ORIGINAL, TF_UPGRADE_V2, TF2_MIGRATE = "original", "tf_upgrade_v2", "tf2-migrate"
SIDES = (ORIGINAL, TF_UPGRADE_V2, TF2_MIGRATE)


# ============================================================================ reading code cells


def read_text(data: bytes) -> str:
    """Decode a script the way tf2-migrate does (coding cookie, BOM); Latin-1 if that fails, so a
    file is always counted."""
    from kernel_helpers.fileio import decode_source

    try:
        return decode_source(data).text
    except ValueError:
        return data.decode("latin-1")


def notebook_code_cells(data: bytes) -> list[str] | None:
    """The sources of a notebook's code cells in order (nbformat 4, and 3's worksheets); None when
    the bytes are not a notebook."""
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(notebook, dict):
        return None
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3 keeps cells in worksheets and code in "input"
        cells = [c for sheet in notebook.get("worksheets", []) for c in sheet.get("cells", [])]
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", cell.get("input", ""))
            sources.append(source if isinstance(source, str) else "".join(source))
    return sources


def code_cells(path: Path) -> list[str] | None:
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        return notebook_code_cells(data)
    return [read_text(data)]


# ============================================================================ parsing


def syntax_error(text: str) -> str | None:
    """Why ``text`` (magics masked) does not parse as Python 3; None when it parses or is not Python
    (a ``%%bash`` cell)."""
    from kernel_helpers.engine.masking import mask_magics

    masked = mask_magics(text)
    if masked.skip_reason:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in old code are not our business
            ast.parse(masked.text)
    except SyntaxError as error:
        line = (error.text or "").strip()
        return f"line {error.lineno}: {error.msg}: {line[:120]}"
    except ValueError as error:  # null bytes
        return str(error)
    return None


_NOT_PYTHON = object()


def _tree_for_counting(text: str):
    """(tree, the text it was parsed from), ``_NOT_PYTHON`` for a foreign cell magic, or None."""
    from kernel_helpers.engine.edits import apply_edits
    from kernel_helpers.engine.masking import mask_magics
    from kernel_helpers.engine.py2 import python2_edits

    masked = mask_magics(text)
    if masked.skip_reason:
        return _NOT_PYTHON
    candidates = [masked.text]
    edits = python2_edits(text)
    if edits:
        candidates.append(mask_magics(apply_edits(text, [(e.start, e.end, e.replacement) for e in edits])).text)
    for candidate in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(candidate), candidate
        except (SyntaxError, ValueError):
            continue
    return None


# ============================================================================ counting references


@dataclass
class RefCount:
    tf1_only: int = 0
    compat_v1: int = 0
    legacy_keras: int = 0
    private: int = 0
    removed_imports: int = 0  # included in tf1_only
    uncounted_cells: int = 0
    names: Counter = field(default_factory=Counter)  # TF1-only names, "tf.X" / "tf.compat.v1.X"

    def add(self, other: RefCount) -> None:
        for name in ("tf1_only", "compat_v1", "legacy_keras", "private", "removed_imports", "uncounted_cells"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.names.update(other.names)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["names"] = dict(self.names.most_common())
        return data


class _ApiView:
    """Existence checks over the generated tables, with class attributes judged by their class."""

    def __init__(self):
        from kernel_helpers.api import curated, tables

        self.tables = tables()
        self.curated = curated()
        names = self.tables.v1_names() | self.tables.v2_names()
        self.modules = {".".join(n.split(".")[:i]) for n in names for i in range(1, n.count(".") + 1)}
        self.modules |= {n for n in self.tables.v1_names() if self.tables.v1_kind(n) == "module"}

    def _is_module(self, name: str) -> bool:
        if name in self.modules:
            return True
        # keras.* and raw_ops.* pass through unlisted; their lower-case components are modules
        return name.split(".")[0] in ("keras", "raw_ops") and name.rsplit(".", 1)[-1][:1].islower()

    def _exists(self, name: str, listed) -> bool:
        parts = name.split(".")
        while parts and parts[-1].startswith("__"):
            parts.pop()  # module and object dunders (tf.__version__) exist wherever their owner does
        if not parts:
            return True
        name = ".".join(parts)
        if listed(name):
            return True
        for end in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:end])
            if listed(prefix):
                return not self._is_module(prefix)
        return False

    def in_v2(self, name: str) -> bool:
        return self._exists(name, self.tables.in_v2)

    def in_compat_v1(self, name: str) -> bool:
        return self._exists(name, self.tables.in_v1)

    def needs_legacy_keras(self, name: str) -> bool:
        return self.tables.under_legacy_keras(name)

    def removed(self, name: str) -> bool:
        return self.curated.removed_module(name) is not None


@functools.cache
def _api() -> _ApiView:
    return _ApiView()


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    """Full dotted names an import statement loads (``import tensorflow.contrib`` binds only
    ``tensorflow``, but it is still an import of contrib)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or not node.module:
        return []
    return [f"{node.module}.{alias.name}" if alias.name != "*" else node.module for alias in node.names]


def count_references(cells: list[str]) -> RefCount:
    """TF1-only, compat.v1, legacy-Keras and private TensorFlow references in the code cells of one
    notebook or script (see the module docstring)."""
    from kernel_helpers.engine.context import TF, NotebookContext, is_tf
    from kernel_helpers.engine.index import build_index, split_api
    from kernel_helpers.engine.source import Source

    api = _api()
    parsed = [_tree_for_counting(text) for text in cells]
    # The context sees every cell in its countable form, so Python 2 cells still contribute imports.
    context = NotebookContext.from_cells(p[1] for p in parsed if p not in (None, _NOT_PYTHON))
    count = RefCount()
    for item in parsed:
        if item is _NOT_PYTHON:
            continue
        if item is None:
            count.uncounted_cells += 1
            continue
        tree, text = item
        index = build_index(Source(text), tree, context)
        for ref in index.refs:
            namespace, name = split_api(ref.qualname)
            if namespace == "compat.v1":
                count.compat_v1 += 1
            if not name:
                continue
            if name == "python" or name.startswith("python."):
                count.private += 1
            elif namespace == "compat.v1":
                if not api.in_compat_v1(name):
                    count.tf1_only += 1
                    count.names[f"tf.compat.v1.{name}"] += 1
                elif api.needs_legacy_keras(name):
                    count.legacy_keras += 1
            elif not api.in_v2(name):
                count.tf1_only += 1
                count.names[f"tf.{name}"] += 1
        for imported in index.imports:
            for module in _imported_modules(imported.node):
                if not is_tf(module) or module == TF:
                    continue
                _, name = split_api(module)
                if api.removed(name):
                    count.tf1_only += 1
                    count.removed_imports += 1
                    count.names[f"import tensorflow.{name}"] += 1
    return count


def count_file(path: Path | None) -> RefCount:
    cells = code_cells(path) if path is not None and path.exists() else None
    if cells is None:
        return RefCount(uncounted_cells=1)
    return count_references(cells)


# ============================================================================ running the tools


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that the CLI's own error handling cannot swallow it."""


@dataclass
class Tf2MigrateRun:
    exit_code: int | None = None
    crash: str | None = None  # traceback, or why the run counts as a crash
    error: str | None = None  # a clean per-file error in the JSON report
    skipped: str | None = None
    seconds: float = 0.0


def run_tf2_migrate(source: Path, target: Path, timeout: float, level: str = "compat") -> Tf2MigrateRun:
    """``tf2-migrate SOURCE -o TARGET --level LEVEL`` in this process, one file."""
    from kernel_helpers import cli

    run = Tf2MigrateRun()
    argv = [str(source), "-o", str(target), "--level", level, "--format", "json", "--no-progress"]
    stdout, stderr = io.StringIO(), io.StringIO()
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _raise_timeout) if alarm else None
    started = time.perf_counter()
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            run.exit_code = cli.main(argv)
    except _Timeout:
        run.crash = f"no result after {timeout:g} s (hang?)"
    except BaseException as error:  # anything escaping the CLI is what we are looking for
        if isinstance(error, KeyboardInterrupt):
            raise
        run.crash = "".join(traceback.format_exception(error)[-12:])
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        run.seconds = time.perf_counter() - started
    if run.crash is None:
        _read_tf2_migrate_report(run, stdout.getvalue(), stderr.getvalue())
    return run


def _raise_timeout(signum, frame):
    raise _Timeout()


def _read_tf2_migrate_report(run: Tf2MigrateRun, stdout: str, stderr: str) -> None:
    try:
        files = json.loads(stdout)["files"]
        entry = files[0]
    except (ValueError, KeyError, IndexError, TypeError):
        run.crash = f"exit {run.exit_code} without a JSON report: {(stderr or stdout).strip()[:500]}"
        return
    run.error, run.skipped = entry.get("error"), entry.get("skipped")
    if run.exit_code not in (0, 1) or (run.exit_code == 1 and not run.error):
        run.crash = f"exit {run.exit_code}: {(stderr or stdout).strip()[-500:]}"


@dataclass
class UpgradeRun:
    failure: str | None = None
    seconds: float = 0.0


def tf_upgrade_v2_executable() -> Path:
    # The console script sits next to the interpreter of a venv even when sys.executable is a symlink.
    candidate = Path(sys.executable).parent / "tf_upgrade_v2"
    if candidate.is_file():
        return candidate
    found = shutil.which("tf_upgrade_v2")
    if found is None:
        raise FileNotFoundError("tf_upgrade_v2 is not installed next to this Python (it ships with tensorflow)")
    return Path(found)


def run_tf_upgrade_v2(executable: Path, source: Path, target: Path, report: Path, timeout: float) -> UpgradeRun:
    target.parent.mkdir(parents=True, exist_ok=True)
    report.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUTF8": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(executable), "--infile", str(source), "--outfile", str(target), "--reportfile", str(report)],
            cwd=report.parent, env=env, capture_output=True, text=True, errors="replace", timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return UpgradeRun(f"no result after {timeout:g} s", time.perf_counter() - started)
    run = UpgradeRun(seconds=time.perf_counter() - started)
    report_text = report.read_text(errors="replace") if report.exists() else ""
    if done.returncode != 0:
        run.failure = f"exit {done.returncode}: {_exception_summary(done.stderr)}"
    elif "Failed to parse" in report_text:
        run.failure = "Failed to parse: " + _parse_failure_reason(report_text)
    elif not target.exists():
        run.failure = "no output written"
    return run


def _exception_summary(stderr: str) -> str:
    """The exception line of a traceback (and the source line pasta quotes after it)."""
    lines = stderr.strip().splitlines()
    for at in range(len(lines) - 1, -1, -1):
        if _EXCEPTION_LINE.match(lines[at]):
            return " ".join(line.strip() for line in lines[at:at + 2])[:300]
    return (lines or ["(no output)"])[-1][:300]


_EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception)\b")


def _parse_failure_reason(report_text: str) -> str:
    lines = [line for line in report_text.splitlines() if "Error" in line and "ERROR: Failed" not in line]
    return lines[-1].strip()[:300] if lines else "see the report"


# ============================================================================ one file


@dataclass
class FileResult:
    path: str  # relative to the corpus folder
    repo: str
    kind: str  # "py" or "ipynb"
    cells: int  # code cells of a notebook; 1 for a script
    tf2_migrate_seconds: float = 0.0
    tf_upgrade_v2_seconds: float = 0.0
    crash: str | None = None
    reported_error: str | None = None
    skipped: str | None = None
    input_changed: bool = False
    #: cells (None for a script) that parsed in the input and not in tf2-migrate's output
    unparseable: list[dict] = field(default_factory=list)
    non_idempotent: str | None = None  # a short diff between the first and second migration
    tf_upgrade_v2_failure: str | None = None
    #: cells that parsed in the input and not in tf_upgrade_v2's output (for comparison only)
    tf_upgrade_v2_unparseable: int = 0
    refs: dict[str, RefCount] = field(default_factory=dict)

    @property
    def worse_than_tf_upgrade_v2(self) -> bool:
        return self.refs[TF2_MIGRATE].tf1_only > self.refs[TF_UPGRADE_V2].tf1_only

    def to_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if k != "refs"}
        data["refs"] = {side: count.to_dict() for side, count in self.refs.items()}
        data["worse_than_tf_upgrade_v2"] = self.worse_than_tf_upgrade_v2
        return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _unparseable_cells(before: list[str] | None, after: list[str] | None) -> list[dict]:
    """Cells that parsed before and do not after, paired by position."""
    if before is None:
        return []
    if after is None:
        return [{"cell": None, "error": "the output is not a notebook any more"}]
    if len(before) != len(after):
        return [{"cell": None, "error": f"{len(before)} code cells became {len(after)}"}]
    single = len(before) == 1
    broken = []
    for number, (old, new) in enumerate(zip(before, after)):
        if syntax_error(old) is None:
            error = syntax_error(new)
            if error is not None:
                broken.append({"cell": None if single else number, "error": error})
    return broken


def _idempotence_diff(first: Path, second: Path, kind: str) -> str | None:
    if not second.exists():
        return "the second migration wrote no output"
    if first.read_bytes() == second.read_bytes():
        return None
    if kind == "ipynb":
        old, new = notebook_code_cells(first.read_bytes()) or [], notebook_code_cells(second.read_bytes()) or []
        for number, (a, b) in enumerate(zip(old, new)):
            if a != b:
                return f"cell {number}:\n" + _short_diff(a, b)
        if len(old) != len(new):
            return f"{len(old)} code cells became {len(new)}"
        return "same cell sources, different bytes (metadata or layout):\n" + _short_diff(
            first.read_text(errors="replace"), second.read_text(errors="replace"))
    return _short_diff(read_text(first.read_bytes()), read_text(second.read_bytes()))


def _short_diff(old: str, new: str, limit: int = 30) -> str:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "first", "second", lineterm="", n=1))
    return "\n".join(lines[:limit])


def check_tf2_migrate(result: FileResult, source: Path, target: Path, again: Path, timeout: float,
                      level: str = "compat") -> None:
    """Checks (1)-(4) on one input copy; fills ``result``."""
    before = _sha256(source)
    first = run_tf2_migrate(source, target, timeout, level)
    result.tf2_migrate_seconds = first.seconds
    result.crash, result.reported_error, result.skipped = first.crash, first.error, first.skipped
    if first.crash is None and target.exists():
        result.unparseable = _unparseable_cells(code_cells(source), code_cells(target))
        second = run_tf2_migrate(target, again, timeout, level)
        if second.crash is not None:
            result.crash = "on its own output: " + second.crash
        else:
            result.non_idempotent = _idempotence_diff(target, again, result.kind)
    elif first.crash is None:
        result.crash = "exit without an output file"
    result.input_changed = _sha256(source) != before


# ============================================================================ the corpus


@dataclass
class ParityReport:
    corpus: str
    files: list[FileResult]
    tf2_migrate_wall: float = 0.0  # elapsed time of the tf2-migrate phase (both runs)
    tf_upgrade_v2_wall: float = 0.0  # elapsed time of the tf_upgrade_v2 phase (with --jobs workers)

    def repos(self) -> list[str]:
        return sorted({f.repo for f in self.files})

    def totals(self, repo: str | None = None) -> dict:
        files = [f for f in self.files if repo is None or f.repo == repo]
        refs = {side: RefCount() for side in SIDES}
        for f in files:
            for side in SIDES:
                refs[side].add(f.refs[side])
        return {
            "files": len(files),
            "cells": sum(f.cells for f in files),
            "crashes": sum(f.crash is not None for f in files),
            "inputs_changed": sum(f.input_changed for f in files),
            "unparseable_outputs": sum(bool(f.unparseable) for f in files),
            "non_idempotent": sum(f.non_idempotent is not None for f in files),
            "reported_errors": sum(f.reported_error is not None for f in files),
            "worse_than_tf_upgrade_v2": sum(f.worse_than_tf_upgrade_v2 for f in files),
            "tf_upgrade_v2_failures": sum(f.tf_upgrade_v2_failure is not None for f in files),
            "tf_upgrade_v2_unparseable_outputs": sum(f.tf_upgrade_v2_unparseable > 0 for f in files),
            "tf2_migrate_seconds": sum(f.tf2_migrate_seconds for f in files),
            "tf_upgrade_v2_seconds": sum(f.tf_upgrade_v2_seconds for f in files),
            "refs": {side: count.to_dict() for side, count in refs.items()},
        }

    @property
    def passed(self) -> bool:
        """Whether the bar holds on every file."""
        total = self.totals()
        return not any(total[key] for key in
                       ("crashes", "inputs_changed", "unparseable_outputs", "non_idempotent",
                        "worse_than_tf_upgrade_v2"))

    def to_dict(self) -> dict:
        return {
            "corpus": self.corpus,
            "passed": self.passed,
            "tf2_migrate_wall_seconds": self.tf2_migrate_wall,
            "tf_upgrade_v2_wall_seconds": self.tf_upgrade_v2_wall,
            "total": self.totals(),
            "repos": {repo: self.totals(repo) for repo in self.repos()},
            "files": [f.to_dict() for f in self.files],
        }


def corpus_files(root: Path) -> list[Path]:
    """``.py``/``.ipynb`` files under ``root``, relative to it, in sorted walk order."""
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                found.append((Path(directory) / name).relative_to(root))
    return found


def _repo_of(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else "."


def run_parity(corpus: Path, *, work: Path | None = None, jobs: int = 2, timeout: float = 120.0,
               level: str = "compat") -> ParityReport:
    """Run both tools over every file under ``corpus`` and check the bar. ``work`` (created, must be
    outside ``corpus``) keeps the copies and outputs; without it a temporary folder is used and removed."""
    corpus = corpus.resolve()
    if work is None:
        with tempfile.TemporaryDirectory(prefix="parity-") as scratch:
            return _run(corpus, Path(scratch), jobs, timeout, level)
    work = work.resolve()
    if work.is_relative_to(corpus):
        raise ValueError("the work folder must be outside the corpus")
    return _run(corpus, work, jobs, timeout, level)


def _run(corpus: Path, work: Path, jobs: int, timeout: float, level: str) -> ParityReport:
    executable = tf_upgrade_v2_executable()
    inputs, migrated, again = work / "input", work / "tf2-migrate", work / "tf2-migrate-again"
    upgraded, reports = work / "tf_upgrade_v2", work / "tf_upgrade_v2-reports"
    relatives = corpus_files(corpus)
    results = []
    for relative in relatives:
        copy = inputs / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / relative, copy)  # no metadata: a read-only original must not make the copy read-only
        cells = code_cells(copy)
        results.append(FileResult(str(relative), _repo_of(relative), relative.suffix[1:],
                                  len(cells) if cells is not None else 0))
    report = ParityReport(str(corpus), results)

    started = time.perf_counter()
    for relative, result in zip(relatives, results):
        for folder in (migrated, again):
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        check_tf2_migrate(result, inputs / relative, migrated / relative, again / relative, timeout, level)
    report.tf2_migrate_wall = time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        upgrades = list(pool.map(
            lambda rel: run_tf_upgrade_v2(executable, inputs / rel, upgraded / rel,
                                          reports / rel.with_name(rel.name + ".report.txt"), timeout),
            relatives))
    report.tf_upgrade_v2_wall = time.perf_counter() - started

    for relative, result, upgrade in zip(relatives, results, upgrades):
        result.tf_upgrade_v2_seconds = upgrade.seconds
        result.tf_upgrade_v2_failure = upgrade.failure
        original = inputs / relative
        result.refs[ORIGINAL] = count_file(original)
        result.refs[TF_UPGRADE_V2] = count_file(original if upgrade.failure else upgraded / relative)
        result.refs[TF2_MIGRATE] = count_file(original if result.crash else migrated / relative)
        if not upgrade.failure:
            result.tf_upgrade_v2_unparseable = len(
                _unparseable_cells(code_cells(original), code_cells(upgraded / relative)))
    return report


# ============================================================================ the table


_CHECK_COLUMNS = (
    ("files", "files"), ("cells", "cells"), ("crashes", "crash"), ("inputs_changed", "in-chg"),
    ("unparseable_outputs", "unparse"), ("non_idempotent", "non-idem"), ("reported_errors", "reported"),
    ("tf_upgrade_v2_failures", "tfup-fail"),
)


def format_tables(report: ParityReport) -> str:
    """Two tables (checks and times; references), one row per repository and a total row."""
    rows = [(repo, report.totals(repo)) for repo in report.repos()] + [("TOTAL", report.totals())]
    width = max(len(name) for name, _ in rows)
    checks = [f"{'repository':<{width}} " + " ".join(f"{title:>9}" for _, title in _CHECK_COLUMNS)
              + f" {'tf2m s':>8} {'tfup s':>8}"]
    refs = [(f"{'repository':<{width}} {'TF1-only: orig':>14} {'tfup':>6} {'tf2m':>6} "
             f"{'compat.v1: tfup':>15} {'tf2m':>6} {'tf_keras: tfup':>14} {'tf2m':>6} {'worse':>6} {'uncounted':>9}")]
    for name, total in rows:
        checks.append(f"{name:<{width}} " + " ".join(f"{total[key]:>9}" for key, _ in _CHECK_COLUMNS)
                      + f" {total['tf2_migrate_seconds']:>8.1f} {total['tf_upgrade_v2_seconds']:>8.1f}")
        counts = total["refs"]
        refs.append(
            f"{name:<{width}} {counts[ORIGINAL]['tf1_only']:>14} {counts[TF_UPGRADE_V2]['tf1_only']:>6} "
            f"{counts[TF2_MIGRATE]['tf1_only']:>6} {counts[TF_UPGRADE_V2]['compat_v1']:>15} "
            f"{counts[TF2_MIGRATE]['compat_v1']:>6} {counts[TF_UPGRADE_V2]['legacy_keras']:>14} "
            f"{counts[TF2_MIGRATE]['legacy_keras']:>6} {total['worse_than_tf_upgrade_v2']:>6} "
            f"{counts[ORIGINAL]['uncounted_cells']:>9}")
    legend = ("crash/in-chg/unparse/non-idem/reported: files where tf2-migrate --level compat crashed, changed its "
              "input, broke a cell that parsed, was not idempotent, or reported a clean per-file error; "
              "tfup-fail: files tf_upgrade_v2 could not convert; times are sums of per-file wall times "
              f"(phases: tf2-migrate {report.tf2_migrate_wall:.1f} s, tf_upgrade_v2 {report.tf_upgrade_v2_wall:.1f} s).\n"
              "TF1-only: references that do not exist in TF 2.21 (orig = input); compat.v1: references into "
              "tf.compat.v1; tf_keras: compat.v1 names that need tf_keras; worse: files where tf2-migrate leaves "
              "more TF1-only references than tf_upgrade_v2; uncounted: input cells that do not parse at all.")
    return "\n".join(checks) + "\n\n" + "\n".join(refs) + "\n\n" + legend


def format_problems(report: ParityReport, top: int = 15) -> str:
    """Every failed check, file by file, and the TF1-only names each tool leaves most often."""
    lines = []
    for f in report.files:
        if f.crash:
            lines.append(f"CRASH {f.path}\n{_indent(f.crash)}")
        if f.input_changed:
            lines.append(f"INPUT CHANGED {f.path}")
        for broken in f.unparseable:
            where = "" if broken["cell"] is None else f" cell {broken['cell']}"
            lines.append(f"UNPARSEABLE OUTPUT {f.path}{where}: {broken['error']}")
        if f.non_idempotent:
            lines.append(f"NOT IDEMPOTENT {f.path}\n{_indent(f.non_idempotent)}")
        if f.worse_than_tf_upgrade_v2:
            mine, theirs = f.refs[TF2_MIGRATE].names, f.refs[TF_UPGRADE_V2].names
            extra = ", ".join(f"{n} ({mine[n] - theirs[n]})" for n in mine if mine[n] > theirs[n])
            lines.append(f"WORSE THAN tf_upgrade_v2 {f.path}: {f.refs[TF2_MIGRATE].tf1_only} vs "
                         f"{f.refs[TF_UPGRADE_V2].tf1_only}: {extra}")
        if f.reported_error:
            lines.append(f"reported error {f.path}: {f.reported_error}")
        if f.tf_upgrade_v2_failure:
            lines.append(f"tf_upgrade_v2 failed {f.path}: {f.tf_upgrade_v2_failure}")
    for side in (TF_UPGRADE_V2, TF2_MIGRATE):
        names = Counter()
        for f in report.files:
            names.update(f.refs[side].names)
        common = ", ".join(f"{name} {n}" for name, n in names.most_common(top))
        lines.append(f"most frequent TF1-only names left by {side}: {common or 'none'}")
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


# ============================================================================ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.parity",
        description="Check tf2-migrate --level compat against tf_upgrade_v2 on a folder of real TF1 code.")
    parser.add_argument("corpus", type=Path, help="folder of .py/.ipynb files, one sub-folder per repository")
    parser.add_argument("--json", type=Path, help="write the full results (every file) here")
    parser.add_argument("--work", type=Path, help="keep copies and outputs here (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=2, help="tf_upgrade_v2 processes at a time (default 2)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per file and tool (default 120)")
    parser.add_argument("--quiet", action="store_true", help="print only the tables")
    parser.add_argument("--level", choices=("compat", "tf2"), default="compat",
                        help="tf2-migrate's level (default compat: the level tf_upgrade_v2 aims at)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    report = run_parity(args.corpus, work=args.work, jobs=args.jobs, timeout=args.timeout, level=args.level)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(format_tables(report))
    if not args.quiet:
        print()
        print(format_problems(report))
    print(f"\nbar {'met' if report.passed else 'NOT met'} on {len(report.files)} file(s)")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
