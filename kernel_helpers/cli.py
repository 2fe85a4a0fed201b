"""``tf2-migrate``: migrate TensorFlow 1.x ``.py`` files and ``.ipynb`` notebooks, one by one or by folder.

Inputs are never modified unless ``--in-place`` is given; every write is atomic. A file that cannot be
read or parsed is reported, copied unchanged when ``-o`` is given, and makes the exit code non-zero.
This module must not import TensorFlow: ``tf2-migrate --help`` has to be instant.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = {".git", ".ipynb_checkpoints", "__pycache__", ".venv", "venv", "node_modules", ".tox"}
OUTPUT_TAG = ".tf2"


@dataclass
class FileResult:
    path: str
    output: str | None = None
    changed: bool = False
    error: str | None = None
    #: (cell index or None for .py files, finding dict)
    findings: list[tuple[int | None, dict]] = field(default_factory=list)
    applied: int = 0
    hidden_unsafe: int = 0
    manual: int = 0
    diff: str = ""
    new_text: str | None = None
    skipped: str | None = None

    def to_dict(self) -> dict:
        return {
            "path": self.path, "output": self.output, "changed": self.changed, "error": self.error,
            "skipped": self.skipped, "applied": self.applied, "hidden_unsafe": self.hidden_unsafe,
            "manual": self.manual,
            "findings": [{**f, "cell": cell} for cell, f in self.findings],
        }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tf2-migrate",
        description="Migrate TensorFlow 1.x code and notebooks to TensorFlow 2.",
        epilog="Without -o or --in-place, each FILE is written beside the input as FILE.tf2.py / FILE.tf2.ipynb.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".py or .ipynb files, or folders of them")
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", help="output file (one input) or folder that mirrors the input tree")
    out.add_argument("--in-place", action="store_true", help="rewrite the inputs (atomically)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if anything would be migrated or needs attention")
    p.add_argument("--diff", action="store_true", help="print a unified diff of the changes; write nothing")
    p.add_argument("--level", choices=("compat", "tf2"), default="tf2",
                   help="compat: what tf_upgrade_v2 does, on any alias; tf2 (default): idiomatic TF 2")
    p.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change numerics")
    p.add_argument("--format", choices=("text", "json"), default="text", help="report format on stdout")
    p.add_argument("-j", "--jobs", type=int, default=1, help="files migrated in parallel (default 1)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--verify", action="store_true",
                   help="execute each notebook (TF1 reference runtime) and its migration (TF2) and compare "
                        "them cell by cell; writes NAME.verify.md and NAME.verify.html; exit 1 on any mismatch. "
                        "A notebook written by this tool is checked against the originals it records")
    p.add_argument("--report", metavar="DIR", help="folder for the --verify reports (default: beside the output)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="--verify: time limit per cell (default 120; 0 for none)")
    p.add_argument("--rtol", type=float, default=1e-6,
                   help="--verify: relative tolerance of the values compared (default 1e-6)")
    p.add_argument("--atol", type=float, default=1e-5,
                   help="--verify: absolute tolerance (default 1e-5); long training with Adam drifts by float32 "
                        "rounding, about 1e-4 after a few hundred steps")
    return p


def collect(paths: list[str]) -> list[tuple[Path, Path]]:
    """(file, the root it was found under) for every input file, folders walked in sorted order."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for directory, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(directory) / name
                    if candidate.suffix in SUFFIXES and not _is_output(candidate):
                        found.append((candidate, path))
        else:
            found.append((path, path.parent))
    return found


def _is_output(path: Path) -> bool:
    return path.stem.endswith(OUTPUT_TAG)


def migrate_file(path: Path, level: str, unsafe: bool, want_diff: bool) -> FileResult:
    result = FileResult(str(path))
    try:
        if path.suffix == ".ipynb":
            _migrate_notebook_file(path, level, unsafe, want_diff, result)
        else:
            _migrate_python_file(path, level, unsafe, want_diff, result)
    except (OSError, ValueError) as error:  # unreadable, undecodable, broken JSON: reported, never written
        result.error = str(error)
    return result


def _migrate_python_file(path, level, unsafe, want_diff, result: FileResult) -> None:
    from kernel_helpers.engine.api import migrate
    from kernel_helpers.fileio import encode_source, read_source

    source = read_source(path)
    migration = migrate(source.text, level=level, unsafe=unsafe)
    _count(result, None, migration)
    if not migration.parsed:
        result.error = next((f.message for f in migration.findings if f.code == "TFM000"), "does not parse")
    if migration.changed:
        result.changed = True
        result.new_text = encode_source(source, migration.source)
        if want_diff:
            result.diff = _diff(source.text, migration.source, str(path))


def _migrate_notebook_file(path, level, unsafe, want_diff, result: FileResult) -> None:
    from kernel_helpers.notebook.io import cell_source
    from kernel_helpers.notebook.migrate import migrate_notebook

    nbm = migrate_notebook(path, level=level, unsafe=unsafe)
    result.skipped = nbm.skipped
    for cell in nbm.cells:
        _count(result, cell.index, cell.migration)
    if nbm.validation_errors:
        result.error = "the migrated notebook does not validate: " + "; ".join(nbm.validation_errors[:3])
        return
    if nbm.changed:
        result.changed = True
        result.new_text = nbm.dumps().encode("utf-8")
        if want_diff:
            result.diff = "".join(
                _diff(cell_source(nbm.original["cells"][c.index]), c.migration.source, f"{path}:cell {c.index}")
                for c in nbm.cells if c.migration.changed)


def _count(result: FileResult, cell: int | None, migration) -> None:
    result.findings.extend((cell, f.to_dict()) for f in migration.findings)
    result.applied += len(migration.applied)
    result.hidden_unsafe += migration.hidden_unsafe
    result.manual += migration.manual


def _diff(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"a/{name}", f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def destination(path: Path, root: Path, args, many: bool) -> Path | None:
    if args.check or args.diff:
        return None
    if args.in_place:
        return path
    if args.output:
        out = Path(args.output)
        if not many and not out.is_dir() and not args.output.endswith(os.sep):
            return out
        relative = path.relative_to(root) if path.is_relative_to(root) else Path(path.name)
        return out / relative
    return path.with_name(path.stem + OUTPUT_TAG + path.suffix)


def write(result: FileResult, path: Path, target: Path | None, mirror: bool) -> None:
    from kernel_helpers.fileio import atomic_write, copy_unchanged

    if target is None:
        return
    if result.new_text is not None and not result.error:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, result.new_text)
        result.output = str(target)
    elif mirror and target != path and path.exists():
        copy_unchanged(path, target)  # unchanged or unparseable: the -o tree is still complete
        result.output = str(target)


class Progress:
    """A one-line progress bar on stderr, shown only for several files on a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done = total, 0
        self.enabled = enabled and total > 1 and sys.stderr.isatty()

    def step(self, name: str) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = width * self.done // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {name[-40:]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def print_text(results: list[FileResult], args) -> None:
    for r in results:
        if r.error:
            print(f"{r.path}: error: {r.error}")
        if r.skipped:
            print(f"{r.path}: skipped: {r.skipped}")
        for cell, f in r.findings:
            where = f"{r.path}:" + (f"cell {cell}:" if cell is not None else "")
            rng = f["range"]
            state = f["applicability"] + (", fixable" if f["fixable"] else "")
            print(f"{where}{rng['line']}:{rng['column'] + 1}: {f['code']} [{state}] {f['message']}")
        if r.diff:
            sys.stdout.write(r.diff)
    changed = sum(r.changed for r in results)
    errors = sum(bool(r.error) for r in results)
    findings = sum(len(r.findings) for r in results)
    verb = "would change" if (args.check or args.diff) else "changed"
    summary = (f"{len(results)} file(s): {changed} {verb}, {findings} finding(s), "
               f"{sum(r.applied for r in results)} fix(es), {sum(r.manual for r in results)} manual, "
               f"{sum(r.hidden_unsafe for r in results)} unsafe fix(es) hidden (--unsafe-fixes), {errors} error(s)")
    print(summary)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    files = collect(args.paths)
    missing = [str(p) for p, _ in files if not p.exists()]
    if missing:
        print(f"tf2-migrate: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.output and len(files) == 1 and Path(args.output).resolve() == files[0][0].resolve():
        print("tf2-migrate: -o names the input itself; use --in-place to rewrite it", file=sys.stderr)
        return 2
    many = len(files) > 1 or any(Path(p).is_dir() for p in args.paths)
    want_diff = args.diff
    progress = Progress(len(files), not args.no_progress)
    results = []
    jobs = max(1, args.jobs)
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(jobs) as pool:
            futures = [pool.submit(migrate_file, p, args.level, args.unsafe_fixes, want_diff) for p, _ in files]
            for (path, root), future in zip(files, futures):
                results.append(_finish(future.result(), path, root, args, many, progress))
    else:
        for path, root in files:
            results.append(_finish(migrate_file(path, args.level, args.unsafe_fixes, want_diff),
                                   path, root, args, many, progress))
    progress.close()
    verified = _verify(results, args) if args.verify else []
    if args.format == "json":
        report = {"level": args.level, "files": [r.to_dict() for r in results]}
        if args.verify:
            report["verify"] = [v.to_dict() for v in verified]
        json.dump(report, sys.stdout, indent=2, default=str)
        print()
    else:
        print_text(results, args)
        print_verify(verified)
    if any(r.error for r in results):
        return 1
    if args.check and any(r.changed or r.findings for r in results):
        return 1
    if not all(v.ok for v in verified):
        return 1
    return 0


def _verify(results: list[FileResult], args) -> list:
    from kernel_helpers.notebook.verify import verify_file

    timeout = args.timeout if args.timeout and args.timeout > 0 else None
    return [verify_file(r.path, r.new_text, r.output, report_dir=args.report, timeout=timeout, rtol=args.rtol,
                        atol=args.atol)
            for r in results if not r.error and not r.skipped]


def print_verify(verified: list) -> None:
    for v in verified:
        if v.skipped:
            print(f"{v.path}: verify: skipped: {v.skipped}")
            continue
        print(f"{v.path}: verify: {v.result.summary()}")
        for cell in v.result.mismatches:
            differing = [row.name for row in cell.rows if not row.ok]
            detail = "; ".join(cell.notes + ([f"differs: {', '.join(differing)}"] if differing else []))
            print(f"{v.path}: cell {cell.index}: mismatch: {detail}")
        print(f"{v.path}: verify report: {v.markdown} (and {v.html})")


def _finish(result: FileResult, path: Path, root: Path, args, many: bool, progress: Progress) -> FileResult:
    try:
        write(result, path, destination(path, root, args, many), mirror=bool(args.output))
    except OSError as error:
        result.error = f"could not write: {error}"
    progress.step(str(path))
    return result


if __name__ == "__main__":
    sys.exit(main())
