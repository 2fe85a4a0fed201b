"""The public engine API: ``analyze`` and ``migrate`` one cell or file."""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import check_cell
from .apply import run_passes, wanted
from .context import NotebookContext
from .finding import Applicability, Finding
from .registry import LEVELS, ORDER, rules_for


def _check_level(level: str) -> None:
    if level not in ORDER:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")


def analyze(source: str, *, context: NotebookContext | None = None, level: str = "tf2") -> list[Finding]:
    """Findings for one cell or file. ``context`` carries the imports of the notebook's other cells."""
    _check_level(level)
    return check_cell(source, context, level).findings


@dataclass(frozen=True)
class Migration:
    original: str
    source: str
    level: str
    unsafe: bool
    #: findings in the original text
    findings: tuple[Finding, ...]
    #: findings whose fixes were applied, pass by pass
    applied: tuple[Finding, ...]
    #: findings left in the migrated text (manual ones, hidden unsafe ones, ...)
    remaining: tuple[Finding, ...]
    skipped: str | None = None
    parsed: bool = True
    notes: tuple[str, ...] = field(default=())
    #: the syntax tree of ``source`` (magics masked, positions kept) that the last pass built, for callers that read
    #: the migrated text again (None when it did not parse)
    tree: object = field(default=None, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return self.source != self.original

    @property
    def hidden_unsafe(self) -> int:
        """Unsafe fixes left out because ``unsafe`` was not asked for."""
        return sum(1 for f in self.remaining if f.applicability is Applicability.UNSAFE and f.fix is not None)

    @property
    def manual(self) -> int:
        return sum(1 for f in self.remaining if f.applicability is Applicability.MANUAL)

    def report(self) -> dict:
        return {
            "changed": self.changed,
            "parsed": self.parsed,
            "skipped": self.skipped,
            "applied": [f.to_dict() for f in self.applied],
            "hidden_unsafe": self.hidden_unsafe,
            "manual": self.manual,
            "findings": [f.to_dict() for f in self.findings],
            "remaining": [f.to_dict() for f in self.remaining],
        }


def migrate(source: str, *, level: str = "tf2", unsafe: bool = False,
            context: NotebookContext | None = None, ignore: frozenset[str] = frozenset()) -> Migration:
    """Apply the fixes for ``level``: safe ones always, unsafe ones only when ``unsafe`` is true.

    Rules whose codes are in ``ignore`` (a user's ignored codes) are not run.
    """
    _check_level(level)
    ignore = frozenset(ignore)
    if level == "tf2" and context is None and not any(code.startswith("TFM1") for code in ignore):
        # Graph lifting (TFM1xx) is a whole-notebook transform: a lone cell or file is a one-cell notebook,
        # while a cell migrated with its notebook's context is lifted by migrate_notebook, with all its cells.
        from .lift import lift_notebook, migrate_lifted

        return migrate_lifted(lift_notebook([source], context)[0], unsafe=unsafe, context=context)
    return migrate_cell(source, level=level, unsafe=unsafe, context=context, ignore=ignore)


def migrate_cell(source: str, *, level: str = "tf2", unsafe: bool = False,
                 context: NotebookContext | None = None, ignore: frozenset[str] = frozenset(),
                 prebuilt=None) -> Migration:
    """The per-cell passes of :func:`migrate`, without the whole-notebook lifting (``prebuilt``: an index of
    ``source`` in ``context`` that the caller built already)."""
    _check_level(level)
    priority = {rule.code: rule.priority for rule in rules_for(level)}
    first, passes, last = run_passes(source, context, level, unsafe, priority, frozenset(ignore), prebuilt)
    new_source = passes[-1].text if passes else source
    return Migration(
        original=source,
        source=new_source,
        level=level,
        unsafe=unsafe,
        findings=tuple(first.findings),
        applied=tuple(f for p in passes for f in p.applied),
        remaining=tuple(last.findings),
        skipped=first.skipped,
        parsed=first.parsed,
        tree=last.index.tree if last.index is not None else None,
    )


__all__ = ["analyze", "migrate", "migrate_cell", "Migration", "wanted"]
