"""Analyse the code cells of a notebook for the frontend, with a cache keyed by cell content.

This is the pure core of ``POST /tf2-migrate/analyze`` (the handler only parses and answers), so
benchmarks and tests can call :func:`analyze_cells` directly.

The proposals are the batch tool's (``migrate_notebook``): at level tf2 the TF1 graph is first
lifted across the whole notebook (a placeholder in one cell, its ``sess.run`` in another), then
the per-cell passes run on each cell. Findings are always reported in the cell's own text, which
is what the editor underlines.

Typing in one cell re-sends the whole notebook, so unchanged cells must cost next to nothing: the
result of a cell is cached under everything it depends on (its text, what the lifting made of it,
the notebook's import bindings, the level, the unsafe switch and the ignored codes). An import
added in another cell changes the bindings, which rightly invalidates every cell's entry.

Pure syntax: nothing here executes user code or imports TensorFlow.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Mapping, Sequence

from kernel_helpers.engine.api import migrate
from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.finding import Applicability, Finding
from kernel_helpers.engine.lift import CellLift, lift_notebook, migrate_lifted
from kernel_helpers.engine.registry import LEVELS

__all__ = [
    "AnalysisCache",
    "CacheStats",
    "LEVELS",
    "analyze_cells",
    "family_of",
    "utf16_offsets",
]

# A 200-cell notebook at two levels fits several times over; an entry is a few kB.
DEFAULT_MAX_CELLS = 4096
# Whole-notebook liftings, keyed by all the cells' texts: one per open notebook is enough.
DEFAULT_MAX_NOTEBOOKS = 16


@dataclass(frozen=True)
class CacheStats:
    hits: int = 0
    misses: int = 0
    size: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "size": self.size}


class _LRU:
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, max_size: int):
        if max_size < 1:
            raise ValueError("an LRU cache needs room for at least one entry")
        self.max_size = max_size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()


class AnalysisCache:
    """Per-cell results and per-cell import bindings, both bounded (LRU).

    Not thread-safe: the server uses it from its event loop only.
    """

    def __init__(self, max_cells: int = DEFAULT_MAX_CELLS, max_notebooks: int = DEFAULT_MAX_NOTEBOOKS):
        self._results = _LRU(max_cells)
        self._bindings = _LRU(max_cells)
        self._lifts = _LRU(max_notebooks)
        self.hits = 0
        self.misses = 0

    def stats(self) -> CacheStats:
        return CacheStats(self.hits, self.misses, len(self._results))

    def clear(self) -> None:
        self._results.clear()
        self._bindings.clear()
        self._lifts.clear()
        self.hits = self.misses = 0


def analyze_cells(
    cells: Sequence[Mapping[str, str]],
    *,
    level: str = "tf2",
    unsafe: bool = False,
    ignored: Iterable[str] = (),
    cache: AnalysisCache | None = None,
) -> dict[str, Any]:
    """Findings and the proposed source of every cell, analysed with the whole notebook's imports.

    ``cells`` are the notebook's code cells in order, each ``{"id": ..., "source": ...}``.
    Findings whose code is in ``ignored`` are neither reported nor fixed.

    Returns ``{"level", "unsafe", "cells": [...], "summary": {...}, "cache": {...}}``; each cell
    is ``{"id", "source" (the proposal), "changed", "applied" (codes), "hidden_unsafe",
    "manual", "skipped", "parsed", "findings"}`` and each finding is ``Finding.to_dict()`` plus
    ``utf16`` ``{"from", "to"}``: the range in UTF-16 code units, which is what CodeMirror counts.
    ``cache`` tells how many cells of this call came from the cache.

    Ignoring a code of the graph lifting (TFM1xx) turns the lifting off for the whole notebook:
    it rewrites cells together, so it cannot leave out one cell's part.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    cache = cache if cache is not None else AnalysisCache()
    ignored_key = tuple(sorted(set(ignored)))
    sources = [cell["source"] for cell in cells]
    context = _notebook_context(sources, cache)
    bindings_key = (tuple(context.bindings.items()), tuple(sorted(context.compiled_metrics)))
    lifts = _notebook_lifts(sources, context, bindings_key, level, frozenset(ignored_key), cache)

    hits_before, misses_before = cache.hits, cache.misses
    results = []
    for index, (cell, source, lift) in enumerate(zip(cells, sources, lifts)):
        key = (source, _lift_key(lift), bindings_key, level, unsafe, ignored_key)
        result = cache._results.get(key)
        if result is None:
            cache.misses += 1
            result = _analyze_cell(source, lift, context, level, unsafe, frozenset(ignored_key))
            cache._results.put(key, result)
        else:
            cache.hits += 1
        results.append(_for_cell(result, cell["id"], index))

    return {
        "level": level,
        "unsafe": unsafe,
        "cells": results,
        "summary": _summary(results),
        "cache": {
            "hits": cache.hits - hits_before,
            "misses": cache.misses - misses_before,
            "size": len(cache._results),
        },
    }


def family_of(code: str) -> str:
    """The rule family of a code, by hundreds: ``TFM123`` → ``TFM1xx``."""
    return f"{code[:4]}xx" if len(code) >= 4 else code


def utf16_offsets(text: str, offsets: Sequence[int]) -> list[int]:
    """Code-point offsets into ``text`` as UTF-16 code-unit offsets.

    Characters beyond the Basic Multilingual Plane (emoji, some CJK) are one code point in
    Python and two code units in JavaScript; every other character counts the same in both.
    """
    if text.isascii() or max(text) <= "\uffff":
        return list(offsets)
    astral_before = [0] * (len(text) + 1)
    count = 0
    for position, character in enumerate(text):
        astral_before[position] = count
        if character > "\uffff":
            count += 1
    astral_before[len(text)] = count
    return [offset + astral_before[min(max(offset, 0), len(text))] for offset in offsets]


# --------------------------------------------------------------------------------------------


def _notebook_context(sources: Sequence[str], cache: AnalysisCache) -> NotebookContext:
    """``NotebookContext.from_cells(sources)``, parsing each distinct cell text only once."""
    bindings: dict[str, str] = {}
    metrics: set[str] = set()
    parsed: dict = {}
    for source in sources:
        cached = cache._bindings.get(source)
        if cached is None:
            single = NotebookContext.from_cells([source])
            cached = (tuple(single.bindings.items()), frozenset(single.compiled_metrics))
            cache._bindings.put(source, cached)
            parsed.update(single.parsed)  # this request's trees, for its lifting (never cached: it marks them)
        # Later cells win, as they do when the context adds cells one after another.
        bindings.update(cached[0])
        metrics |= cached[1]
    return NotebookContext(bindings, metrics, parsed)


@dataclass(frozen=True)
class _CellResult:
    source: str
    changed: bool
    applied: tuple[str, ...]
    hidden_unsafe: int
    manual: int
    skipped: str | None
    parsed: bool
    findings: tuple[dict[str, Any], ...]


def _notebook_lifts(
    sources: Sequence[str],
    context: NotebookContext,
    bindings_key: tuple,
    level: str,
    ignored: frozenset[str],
    cache: AnalysisCache,
) -> list[CellLift | None]:
    """What the whole-notebook lifting makes of each cell; None where there is nothing to lift."""
    if level != "tf2":
        return [None] * len(sources)
    key = (tuple(sources), bindings_key)
    lifts = cache._lifts.get(key)
    if lifts is None:
        lifts = lift_notebook(list(sources), context)
        cache._lifts.put(key, lifts)
    codes = {f.code for lift in lifts for f in (*lift.findings, *lift.manual)}
    if codes & ignored:
        return [None] * len(sources)
    return [lift if _lift_key(lift) is not None else None for lift in lifts]


def _lift_key(lift: CellLift | None) -> Hashable:
    """What a cell's result depends on from the lifting; None when the lifting left it alone."""
    if lift is None or (not lift.lifted and not lift.findings and not lift.manual and lift.level == "tf2"
                        and lift.proposal is None):
        return None
    notes = tuple((f.code, f.range.start, f.range.end, f.message) for f in (*lift.findings, *lift.manual))
    return (lift.source, lift.level, lift.graph_mode, lift.legacy_keras, notes, _lift_key(lift.proposal))


def _analyze_cell(
    source: str,
    lift: CellLift | None,
    context: NotebookContext,
    level: str,
    unsafe: bool,
    ignored: frozenset[str],
) -> _CellResult:
    if lift is None:
        migration = migrate(source, level=level, unsafe=unsafe, context=context, ignore=ignored)
        proposal, found, applied, remaining = (
            migration.source, list(migration.findings), list(migration.applied), list(migration.remaining)
        )
    else:
        migration = migrate_lifted(lift, unsafe=unsafe, context=context, ignore=ignored)
        proposal = migration.source
        found = _unique(migration.findings)
        applied, remaining = list(migration.applied), list(migration.remaining)
    findings = [f for f in found if f.code not in ignored]
    remaining = [f for f in remaining if f.code not in ignored]
    utf16 = utf16_offsets(source, [o for f in findings for o in (f.range.start, f.range.end)])
    wire = []
    for number, finding in enumerate(findings):
        entry = finding.to_dict()
        entry["utf16"] = {"from": utf16[2 * number], "to": utf16[2 * number + 1]}
        wire.append(entry)
    return _CellResult(
        source=proposal,
        changed=proposal != source,
        applied=tuple(sorted({f.code for f in applied})),
        hidden_unsafe=sum(
            1 for f in remaining if f.applicability is Applicability.UNSAFE and f.fix is not None
        ),
        manual=sum(1 for f in remaining if f.applicability is Applicability.MANUAL),
        skipped=migration.skipped,
        parsed=migration.parsed,
        findings=tuple(wire),
    )


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in text order, without repeats.

    The lifting and a per-cell rule can report the same thing (same code) on overlapping text;
    the first one, the lifting's, says more about what the proposal does.
    """
    kept: list[Finding] = []
    for finding in findings:
        if not any(k.code == finding.code and _overlap(k, finding) for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.range.start, f.code))


def _overlap(a: Finding, b: Finding) -> bool:
    if (a.range.start, a.range.end) == (b.range.start, b.range.end):
        return True
    return a.range.start < b.range.end and b.range.start < a.range.end


def _for_cell(result: _CellResult, cell_id: str, index: int) -> dict[str, Any]:
    # Cached results are shared between requests, so the per-request fields go on copies.
    return {
        "id": cell_id,
        "source": result.source,
        "changed": result.changed,
        "applied": list(result.applied),
        "hidden_unsafe": result.hidden_unsafe,
        "manual": result.manual,
        "skipped": result.skipped,
        "parsed": result.parsed,
        "findings": [{**finding, "cell": index} for finding in result.findings],
    }


def _summary(cells: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    by_family: dict[str, int] = {}
    by_applicability = {a.value: 0 for a in Applicability}
    fixable = 0
    for cell in cells:
        for finding in cell["findings"]:
            family = family_of(finding["code"])
            by_family[family] = by_family.get(family, 0) + 1
            by_applicability[finding["applicability"]] += 1
            if finding["fixable"] and finding["applicability"] == Applicability.SAFE.value:
                fixable += 1
    return {
        "findings": sum(by_family.values()),
        "by_family": dict(sorted(by_family.items())),
        "by_applicability": by_applicability,
        "auto_fixable": fixable,
        "hidden_unsafe": sum(cell["hidden_unsafe"] for cell in cells),
        "manual": sum(cell["manual"] for cell in cells),
        "cells_with_findings": sum(1 for cell in cells if cell["findings"]),
        "cells_changed": sum(1 for cell in cells if cell["changed"]),
    }
