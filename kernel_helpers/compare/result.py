"""The outcome of one Compare, renderable by any Jupyter frontend.

``_repr_mimebundle_`` returns ``application/vnd.tf2-migrate.compare+json`` (the sidebar renders
it; the JSON is :meth:`CompareResult.to_dict`), an HTML table (classic notebook, VS Code, Colab)
and plain text.  In the HTML the table has class ``tf2m-compare-result`` and every row carries
``data-tf2m-ok="true|false"``.

``to_dict()`` schema (version 1)::

    {"version": 1, "ok": bool, "error": str|null,
     "errors": {"original": str|null, "migrated": str|null},
     "rows": [{"name", "shape": [int]|null, "dtype": str|null, "max_abs_err": float|"inf"|"nan"|null,
               "max_rel_err": ..., "ok": bool, "note": str}],
     "timings": {"original", "migrated", "total", "overhead", "reference_start", "local_start",
                 "migrate", "capture", "diff", "original_round_trip": float|null},
     "devices": {"original": str, "migrated": str},
     "stdout": {"original": str, "migrated": str}, "stderr": {...},
     "random_draws": {"original": int|null, "migrated": int|null},
     "notes": [str], "rtol": float, "atol": float, "original": str, "migrated": str}
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .diff import Row

__all__ = ["MIME_TYPE", "CompareResult"]

MIME_TYPE = "application/vnd.tf2-migrate.compare+json"
SIDES = ("original", "migrated")


@dataclass
class CompareResult:
    original: str
    migrated: str
    rows: list[Row] = field(default_factory=list)
    #: wall seconds: "original" and "migrated" are the cells' own run times on each side (measured
    #: inside each kernel); "total" is the whole compare() call; "reference_start" and
    #: "local_start" are one-time start-up costs (starting the reference kernel; importing
    #: TensorFlow/Keras here on the first Compare); "overhead" = total minus all of those, i.e.
    #: what Compare itself costs with warm kernels (migration, messaging, capture, diff).
    #: Also "migrate", "capture", "diff", "original_round_trip" for a finer breakdown.
    timings: dict[str, float | None] = field(default_factory=dict)
    devices: dict[str, str | None] = field(default_factory=dict)
    stdout: dict[str, str] = field(default_factory=lambda: {side: "" for side in SIDES})
    stderr: dict[str, str] = field(default_factory=lambda: {side: "" for side in SIDES})
    #: per side: the exception, timeout or crash that stopped it (None when it ran through)
    errors: dict[str, str | None] = field(default_factory=lambda: {side: None for side in SIDES})
    tracebacks: dict[str, str] = field(default_factory=lambda: {side: "" for side in SIDES})
    random_draws: dict[str, int | None] = field(default_factory=lambda: {side: None for side in SIDES})
    notes: list[str] = field(default_factory=list)
    rtol: float = 1e-6
    atol: float = 1e-5

    @property
    def error(self) -> str | None:
        """One message for what went wrong on either side, or None."""
        parts = [f"{side}: {self.errors[side]}" for side in SIDES if self.errors.get(side)]
        return "; ".join(parts) or None

    @property
    def ok(self) -> bool:
        """Both sides ran and every compared value is within tolerance."""
        return self.error is None and all(row.ok for row in self.rows)

    @property
    def failed_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "ok": self.ok,
            "error": self.error,
            "errors": dict(self.errors),
            "tracebacks": dict(self.tracebacks),
            "rows": [row.to_dict() for row in self.rows],
            "timings": {key: _json_number(value) for key, value in self.timings.items()},
            "devices": dict(self.devices),
            "stdout": dict(self.stdout),
            "stderr": dict(self.stderr),
            "random_draws": dict(self.random_draws),
            "notes": list(self.notes),
            "rtol": self.rtol,
            "atol": self.atol,
            "original": self.original,
            "migrated": self.migrated,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False)

    # -- rendering ---------------------------------------------------------------------------

    def summary(self) -> str:
        compared = [row for row in self.rows if row.max_abs_err is not None or not row.ok]
        if self.error:
            return f"Compare failed: {self.error}"
        if not self.rows:
            return "Compare: both sides ran; the cell bound no numeric values to compare."
        bad = len(self.failed_rows)
        if bad:
            return f"Compare: {bad} of {len(compared)} compared values differ."
        return f"Compare: all {len(compared)} compared values match (rtol={self.rtol:g}, atol={self.atol:g})."

    def __repr__(self) -> str:
        return f"<CompareResult ok={self.ok} rows={len(self.rows)} error={self.error!r}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.to_text())

    def to_text(self) -> str:
        lines = [self.summary()]
        for row in self.rows:
            mark = "ok  " if row.ok else "FAIL"
            lines.append(f"  {mark} {row.name:<20} {_shape(row.shape):<14} {row.dtype or '':<9} "
                         f"abs {_number(row.max_abs_err):<10} rel {_number(row.max_rel_err):<10} {row.note}")
        lines.append("  " + _timing_line(self.timings))
        lines.append("  " + _device_line(self.devices))
        lines.extend("  note: " + note for note in self.notes)
        return "\n".join(lines)

    def to_html(self) -> str:
        status = "ok" if self.ok else "fail"
        head = (f'<div class="tf2m-compare" data-tf2m-ok="{_bool(self.ok)}">'
                f'<p class="tf2m-compare-summary tf2m-{status}"><strong>{html.escape(self.summary())}</strong></p>')
        cells = []
        for row in self.rows:
            cells.append(
                f'<tr data-tf2m-ok="{_bool(row.ok)}" class="tf2m-row-{"ok" if row.ok else "fail"}">'
                f"<td><code>{html.escape(row.name)}</code></td><td>{html.escape(_shape(row.shape))}</td>"
                f"<td>{html.escape(row.dtype or '')}</td><td>{html.escape(_number(row.max_abs_err))}</td>"
                f"<td>{html.escape(_number(row.max_rel_err))}</td><td>{'✓' if row.ok else '✗'}</td>"
                f"<td>{html.escape(row.note)}</td></tr>")
        table = (
            '<table class="tf2m-compare-result">'
            "<thead><tr><th>name</th><th>shape</th><th>dtype</th><th>max abs err</th>"
            "<th>max rel err</th><th>ok</th><th>note</th></tr></thead>"
            f"<tbody>{''.join(cells)}</tbody></table>"
        )
        errors = "".join(
            f'<pre class="tf2m-compare-error" data-tf2m-side="{side}">{html.escape(side)}: '
            f"{html.escape(self.errors[side] or '')}\n{html.escape(self.tracebacks.get(side) or '')}</pre>"
            for side in SIDES if self.errors.get(side))
        facts = (f'<p class="tf2m-compare-facts">{html.escape(_timing_line(self.timings))}<br>'
                 f"{html.escape(_device_line(self.devices))}</p>")
        notes = "".join(f'<p class="tf2m-compare-note">{html.escape(note)}</p>' for note in self.notes)
        return head + table + errors + facts + notes + "</div>"

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {MIME_TYPE: self.to_dict(), "text/html": self.to_html(), "text/plain": self.to_text()}


def _json_number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _shape(shape: tuple | None) -> str:
    if shape is None:
        return ""
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf"
    return f"{value:.3g}"


def _timing_line(timings: dict[str, float | None]) -> str:
    def seconds(key: str) -> str:
        value = timings.get(key)
        return "-" if value is None else f"{value:.3f} s"

    line = f"time: original {seconds('original')}, migrated {seconds('migrated')}, overhead {seconds('overhead')}"
    if timings.get("reference_start"):
        line += f" (reference kernel start {seconds('reference_start')})"
    return line


def _device_line(devices: dict[str, str | None]) -> str:
    return f"device: original {devices.get('original') or '?'}, migrated {devices.get('migrated') or '?'}"
