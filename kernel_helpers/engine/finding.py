"""What a rule reports: a Finding, with an optional Fix made of text edits.

Edits are offsets into the cell's text (code points), so unchanged code keeps its formatting byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

GUIDE = "https://www.tensorflow.org/guide/migrate"


class Applicability(str, Enum):
    """Ruff's model: safe fixes apply by default, unsafe ones on opt-in, manual ones only explain."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    MANUAL = "manual"


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    #: import statements the fixed code needs, e.g. ``import tensorflow as tf``; added once per cell when missing
    imports: tuple[str, ...] = ()


@dataclass(frozen=True)
class Range:
    """1-based lines, 0-based columns in code points; ``start``/``end`` are offsets into the cell text."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    range: Range
    applicability: Applicability
    fix: Fix | None = None
    doc: str = GUIDE
    #: index of the notebook cell, when the finding belongs to one
    cell: int | None = None
    #: the replacement text shown in hovers and reports (the edited span after the fix)
    replacement: str | None = field(default=None, compare=False)

    def at_cell(self, index: int) -> "Finding":
        return _replace(self, cell=index)

    def to_dict(self) -> dict:
        r = self.range
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "cell": self.cell,
            "range": {"line": r.line, "column": r.column, "end_line": r.end_line,
                      "end_column": r.end_column, "start": r.start, "end": r.end},
            "applicability": self.applicability.value,
            "fixable": self.fix is not None,
            "replacement": self.replacement,
            "doc": self.doc,
        }


def _replace(finding: Finding, **changes) -> Finding:
    from dataclasses import replace

    return replace(finding, **changes)
