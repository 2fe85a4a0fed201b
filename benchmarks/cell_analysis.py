"""Suite: analysing one 50-line cell in a warm process (budget p50 ≤ 5 ms, p99 ≤ 50 ms).

This is the work behind every highlight in the editor, so it is timed through the public API,
``kernel_helpers.analyze``, in this already-warm process. Both the Python 3 cell and its Python 2 twin
are timed: a Python 2 cell takes the engine's slower path (a failed parse, then a repaired one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .latency import latency_measurements
from .measurement import Measurement

if TYPE_CHECKING:
    from .runner import BenchContext

P50_MS = 5.0
P99_MS = 50.0
LEVEL = "tf2"  # the editor's default level


def run(context: BenchContext) -> list[Measurement]:
    from kernel_helpers import analyze  # imported here so that a broken engine fails this suite only

    settings = context.settings
    cells = {"python3": context.corpus.cell, "python2": context.corpus.cell_python2}
    measurements: list[Measurement] = []
    for dialect, cell in cells.items():
        context.progress(f"analysing the 50-line {dialect} cell {settings.cell_runs} times")
        details = {"lines": len(cell.splitlines()), "level": LEVEL, "call": f"kernel_helpers.analyze(cell, level={LEVEL!r})"}
        try:
            details["findings"] = len(analyze(cell, level=LEVEL))
        except Exception as error:  # noqa: BLE001 - reported by latency_measurements below as well
            details["findings"] = None
            details["first_call_error"] = f"{type(error).__name__}: {error}"
        measurements += latency_measurements(
            f"cell_analysis.{dialect}",
            f"analyze() one 50-line cell ({'Python 2 prints' if dialect == 'python2' else 'Python 3'})",
            lambda cell=cell: analyze(cell, level=LEVEL),
            runs=settings.cell_runs, warmup=settings.cell_warmup,
            p50_ms=P50_MS, p99_ms=P99_MS, details=details,
        )
    return measurements
