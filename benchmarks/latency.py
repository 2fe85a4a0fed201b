"""Latency budgets: turn the timings of any callable into p50/p99 measurements held to a budget.

This is the one place a new latency benchmark plugs into. The server budget (``POST /tf2-migrate/analyze``
of a 50-line cell: p50 ≤ 10 ms) becomes a small module whose ``run(context)`` starts a Jupyter server on
127.0.0.1, wraps one authenticated request in a function and returns
``latency_measurements("server.analyze", ..., request, runs=..., warmup=..., p50_ms=10)``; add it to
``SUITES`` in :mod:`benchmarks.runner`.
"""

from __future__ import annotations

from collections.abc import Callable

from .measurement import Budget, Measurement
from .timing import time_callable


def latency_measurements(key: str, label: str, fn: Callable[[], object], *, runs: int, warmup: int,
                         p50_ms: float | None = None, p99_ms: float | None = None,
                         details: dict | None = None) -> list[Measurement]:
    """Time ``fn`` and report its p50 and p99 as ``{key}.p50_ms`` and ``{key}.p99_ms``.

    A call that raises does not end the whole benchmark run: both measurements are reported as not
    taken (NaN, which fails any budget) with the error in their details.
    """
    extra = dict(details or {})
    try:
        stats = time_callable(fn, runs=runs, warmup=warmup)
    except Exception as error:  # noqa: BLE001 - the code under test may fail in any way
        extra["error"] = f"{type(error).__name__}: {error}"
        p50 = p99 = float("nan")
    else:
        extra.update(stats.to_dict())
        p50, p99 = stats.p50 * 1e3, stats.p99 * 1e3
    return [
        Measurement(f"{key}.p50_ms", f"{label}, p50", p50, "ms", _budget(p50_ms), extra),
        Measurement(f"{key}.p99_ms", f"{label}, p99", p99, "ms", _budget(p99_ms), extra),
    ]


def _budget(limit_ms: float | None) -> Budget | None:
    return None if limit_ms is None else Budget(limit_ms)
