"""Clocks for the benchmarks: latency of an in-process callable, and wall time of whole processes.

``time_callable`` is the hook for every latency budget: the cell analysis uses it today, and the server
benchmark (``POST /tf2-migrate/analyze``) only has to wrap one request in a zero-argument function.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: always one of the samples, so p99 of 200 runs is the second slowest."""
    if not samples:
        raise ValueError("no samples")
    if not 0 < pct <= 100:
        raise ValueError(f"percentile out of range: {pct}")
    ordered = sorted(samples)
    rank = math.ceil(pct / 100 * len(ordered))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LatencyStats:
    """Seconds per call over ``runs`` timed calls (warm-up calls excluded)."""

    samples: tuple[float, ...]

    @property
    def runs(self) -> int:
        return len(self.samples)

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)

    def to_dict(self) -> dict:
        return {
            "runs": self.runs,
            "p50_ms": self.p50 * 1e3,
            "p99_ms": self.p99 * 1e3,
            "mean_ms": statistics.fmean(self.samples) * 1e3,
            "min_ms": min(self.samples) * 1e3,
            "max_ms": max(self.samples) * 1e3,
        }


def time_callable(fn: Callable[[], object], *, runs: int, warmup: int) -> LatencyStats:
    """Call ``fn`` ``warmup`` times untimed (caches, lazy imports), then time ``runs`` calls one by one."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return LatencyStats(tuple(samples))


@dataclass(frozen=True)
class ProcessRun:
    """One timed run of a sequence of commands (one process each, one after the other)."""

    seconds: float
    returncodes: tuple[int, ...]


def run_commands(commands: Sequence[Sequence[str]], *, cwd: Path, env: dict[str, str],
                 log: Path) -> ProcessRun:
    """Run ``commands`` in order and time the whole sequence, process start-up included.

    Output goes to ``log`` (appended), never to a pipe: both tools then write to the same kind of sink,
    and a chatty tool cannot stall on a full pipe.
    """
    codes = []
    with log.open("ab") as sink:
        start = time.perf_counter()
        for argv in commands:
            completed = subprocess.run(list(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                       stdout=sink, stderr=sink, check=False)
            codes.append(completed.returncode)
        seconds = time.perf_counter() - start
    return ProcessRun(seconds, tuple(codes))


def median_seconds(runs: Sequence[ProcessRun]) -> float:
    return statistics.median(run.seconds for run in runs)


def benchmark_environment() -> dict[str, str]:
    """The environment both tools run with: this one, minus settings that would slow one side only."""
    env = dict(os.environ)
    # A debugger or coverage hook in the parent would be inherited by every child Python.
    for name in ("PYTHONBREAKPOINT", "COVERAGE_PROCESS_START", "PYTHONTRACEMALLOC", "PYTHONDEVMODE"):
        env.pop(name, None)
    return env
