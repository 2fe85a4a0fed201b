"""Applying text edits: non-overlapping, chosen in priority order, never inside masked magics."""

from __future__ import annotations

from typing import Iterable, Sequence

Span = tuple[int, int]


def overlaps(a: Span, b: Span) -> bool:
    # An insertion conflicts with a replacement that starts at the same point (the inserted text would
    # land inside the replaced one), and with another insertion there (their order would be arbitrary).
    if a[0] == a[1]:
        return b[0] <= a[0] < b[1] or b[0] == b[1] == a[0]
    if b[0] == b[1]:
        return overlaps(b, a)
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Apply non-overlapping (start, end, replacement) edits given in any order."""
    out, pos = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def compatible(spans: Sequence[Span], taken: list[Span], forbidden: Sequence[Span]) -> bool:
    return not any(overlaps(s, t) for s in spans for t in [*taken, *forbidden])
