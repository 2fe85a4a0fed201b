"""Runs the benchmark suites on a freshly generated corpus and collects their measurements.

A suite is a function ``run(context) -> list[Measurement]``. To add one (the server's analyze route, the
Compare overhead), write a small module with such a function and list it in :data:`SUITES`; the table,
the JSON file and the smoke test pick it up from there.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import cell_analysis, compare_overhead, environment, server_analysis, side_by_side, training_steps
from .corpus import Corpus, write_corpus
from .measurement import Measurement

Suite = Callable[["BenchContext"], list[Measurement]]

#: name -> suite, in the order they run
SUITES: dict[str, Suite] = {
    "cell": cell_analysis.run,
    "server": server_analysis.run,
    "compare": compare_overhead.run,
    "folders": side_by_side.run,
    "training": training_steps.run,
}


@dataclass(frozen=True)
class Settings:
    quick: bool
    cell_runs: int
    cell_warmup: int
    #: whole-process runs per side and scenario; the median is reported
    repeats: int
    notebooks: int
    large_notebooks: int
    large_cells: int
    max_tutorials: int | None
    warm_up_tools: bool

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            # Enough to exercise every code path and produce every number; too few runs to trust them.
            return cls(quick=True, cell_runs=30, cell_warmup=3, repeats=1, notebooks=2, large_notebooks=1,
                       large_cells=40, max_tutorials=1, warm_up_tools=False)
        return cls(quick=False, cell_runs=300, cell_warmup=20, repeats=3, notebooks=40, large_notebooks=3,
                   large_cells=200, max_tutorials=None, warm_up_tools=True)


@dataclass
class BenchContext:
    settings: Settings
    corpus: Corpus
    workdir: Path
    repo_root: Path
    progress: Callable[[str], None] = lambda message: None


@dataclass
class Results:
    settings: Settings
    machine: dict
    versions: dict
    corpus: dict
    measurements: list[Measurement] = field(default_factory=list)
    #: suite name -> error, for suites that could not run at all
    suite_errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def incomplete(self) -> bool:
        """A suite failed or a number could not be measured (NaN)."""
        return bool(self.suite_errors) or any(math.isnan(m.value) for m in self.measurements)

    @property
    def failed_budgets(self) -> list[Measurement]:
        return [m for m in self.measurements if m.verdict == "FAIL"]

    def to_dict(self) -> dict:
        return {
            "mode": "quick" if self.settings.quick else "full",
            "settings": asdict(self.settings),
            "machine": self.machine,
            "versions": self.versions,
            "corpus": self.corpus,
            "seconds": self.seconds,
            "suite_errors": self.suite_errors,
            "measurements": {m.key: m.to_dict() for m in self.measurements},
        }


def run_benchmarks(workdir: Path, settings: Settings, repo_root: Path, *, only: list[str] | None = None,
                   progress: Callable[[str], None] = lambda message: None) -> Results:
    """Generate the corpus under ``workdir`` and run the chosen suites (all by default)."""
    started = time.perf_counter()
    progress("generating the corpus")
    corpus = write_corpus(workdir / "corpus", notebooks=settings.notebooks, large=settings.large_notebooks,
                          large_cells=settings.large_cells, tutorials=repo_root / "notebooks" / "tf1", max_tutorials=settings.max_tutorials)
    results = Results(settings, environment.machine(), environment.versions(), corpus.summary())
    context = BenchContext(settings, corpus, workdir, repo_root, progress)
    for name, suite in SUITES.items():
        if only and name not in only:
            continue
        try:
            results.measurements += suite(context)
        except Exception as error:  # noqa: BLE001 - one broken suite must not hide the others' numbers
            results.suite_errors[name] = f"{type(error).__name__}: {error}"
    results.seconds = time.perf_counter() - started
    results.machine["load_average_at_end"] = environment.load_average()
    return results
