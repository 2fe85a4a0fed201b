"""``python -m benchmarks``: time tf2-migrate against its budgets and against ``tf_upgrade_v2``.

Run from the repository root (``make bench`` does). Prints a table with each number, its budget and
PASS/FAIL; ``--json`` also writes every number with its raw timings and the exact commands. The exit
status is 1 when a number could not be measured (a tool crashed or wrote no output), and with
``--strict`` also when a budget is missed; missed budgets alone are not errors, since timings depend on
the machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import report
from .runner import SUITES, Settings, run_benchmarks

REPO_ROOT = Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="a small corpus and few repetitions: checks that everything runs, numbers not meaningful")
    p.add_argument("--json", metavar="PATH", help="write all results (raw timings, commands, versions) to PATH")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    p.add_argument("--workdir", metavar="DIR",
                   help="generate the corpus and keep every output in DIR (default: a temporary folder, removed)")
    p.add_argument("--only", action="append", choices=sorted(SUITES), help="run only this suite (repeatable)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.for_mode(args.quick)
    if args.workdir:
        workdir = Path(args.workdir).resolve()
        if workdir.exists() and any(workdir.iterdir()):
            print(f"benchmarks: --workdir {workdir} is not empty", file=sys.stderr)
            return 2
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="tf2-migrate-bench-"))
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    try:
        results = run_benchmarks(workdir, settings, REPO_ROOT, only=args.only, progress=progress)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    print(report.headline(results))
    print()
    print(report.markdown_table(results) if args.markdown else report.text_table(results))
    shown = report.commands(results)
    if shown:
        print("\nWhat ran (whole processes, side by side):")
        print(shown)
    trouble = report.problems(results)
    if trouble:
        print("\nNot measured:")
        print("\n".join(f"  {line}" for line in trouble))
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results.to_dict(), indent=2, allow_nan=False, default=str) + "\n",
                        encoding="utf-8")
    if results.incomplete:
        return 1
    if args.strict and results.failed_budgets:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
