"""Suite: what ``POST /tf2-migrate/analyze`` does for one 50-line cell, uncached (budget p50 ≤ 10 ms).

Timed through ``kernel_helpers.server.analyze_cells``, the pure function the handler wraps, with a fresh
cache on every call so that each one analyses and migrates the cell for real (a cache hit would measure
nothing). HTTP and JSON encoding are not included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .latency import latency_measurements
from .measurement import Measurement

if TYPE_CHECKING:
    from .runner import BenchContext

P50_MS = 10.0


def run(context: BenchContext) -> list[Measurement]:
    from kernel_helpers.server.analysis import AnalysisCache, analyze_cells

    settings = context.settings
    cells = [{"id": "bench", "source": context.corpus.cell}]
    context.progress(f"analysing the 50-line cell through the server's analysis {settings.cell_runs} times")
    details = {"lines": len(context.corpus.cell.splitlines()), "call": "analyze_cells(cells, level='tf2', cache=AnalysisCache())"}
    return latency_measurements(
        "server_analysis", "analyze route's work for one 50-line cell, uncached",
        lambda: analyze_cells(cells, level="tf2", cache=AnalysisCache()),
        runs=settings.cell_runs, warmup=settings.cell_warmup, p50_ms=P50_MS, details=details,
    )
