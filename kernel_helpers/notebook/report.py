"""The ``--verify`` report, as Markdown and as HTML: a verdict, a table of all code cells, and for each
cell that was changed or does not match, its diff, its comparison table and the values that differ.

Cells that match and were not changed by the migration are only listed in the overview table, so a
long notebook's report stays about its migration.
"""

from __future__ import annotations

import difflib
import html
import math

from kernel_helpers.widgets import diff_table_html

__all__ = ["render_markdown", "render_html", "render_html_fragment"]

_STATUS_COLOUR = {
    "match": "rgba(40, 170, 40, 0.25)",
    "mismatch": "rgba(255, 60, 60, 0.30)",
    "original fails": "rgba(255, 180, 0, 0.30)",
    "not run": "rgba(128, 128, 128, 0.25)",
}


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    return f"{value:.3g}"


def _seconds(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _shape(shape) -> str:
    return "" if shape is None else "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _worth_detail(cell) -> bool:
    return cell.changed or cell.status != "match"


def _headline(result) -> str:
    return result.summary()


def _settings(result) -> str:
    timeout = "none" if result.timeout is None else f"{result.timeout:g} s"
    return f"rtol {result.rtol:g}, atol {result.atol:g}, timeout per cell {timeout}, took {result.seconds:.1f} s"


# -- Markdown --------------------------------------------------------------------------------


def _md_cell(text) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _fence_for(text: str) -> str:
    # A fence longer than any backtick run inside, so code with ``` cannot end it early.
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return fence


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return lines


def render_markdown(result) -> str:
    lines = [f"# tf2-migrate verify: {result.original}", "",
             f"- original (TF1 reference runtime): `{result.original}`",
             f"- migrated (TF2, Keras 3): `{result.migrated}`",
             f"- {_settings(result)}", "", f"**{_headline(result)}**", ""]
    if result.error:
        lines += [f"The notebooks could not be run: {result.error}", ""]
        return "\n".join(lines)
    lines += _md_table(
        ["cell", "status", "values compared", "original s", "migrated s", "note"],
        [[c.index, c.status, len(c.rows), _seconds(c.original.seconds), _seconds(c.migrated.seconds),
          "; ".join(c.notes)] for c in result.cells])
    lines.append("")
    for cell in result.cells:
        if not _worth_detail(cell):
            continue
        lines += [f"## Cell {cell.index}: {cell.status}", ""]
        lines += [f"- {note}" for note in cell.notes]
        if cell.notes:
            lines.append("")
        if cell.changed:
            diff = "".join(line if line.endswith("\n") else line + "\n" for line in difflib.unified_diff(
                cell.original_source.splitlines(keepends=True), cell.migrated_source.splitlines(keepends=True),
                "original", "migrated"))
            fence = _fence_for(diff)
            lines += [f"{fence}diff", diff.rstrip("\n"), fence, ""]
        if cell.rows:
            lines += _md_table(
                ["name", "shape", "dtype", "max abs err", "max rel err", "ok", "note"],
                [[r.name, _shape(r.shape), r.dtype or "", _number(r.max_abs_err), _number(r.max_rel_err),
                  "yes" if r.ok else "**NO**", r.note] for r in cell.rows])
            lines.append("")
        for name, (original, migrated) in cell.previews.items():
            lines += [f"`{name}` differs:", "", f"- original: `{_md_inline(original)}`",
                      f"- migrated: `{_md_inline(migrated)}`", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_inline(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")


# -- HTML ------------------------------------------------------------------------------------

_TABLE = "border-collapse: collapse; font-size: 13px; margin: 6px 0;"
_TD = "border: 1px solid rgba(128, 128, 128, 0.35); padding: 2px 6px; text-align: left; vertical-align: top;"


def _html_table(headers: list[str], rows: list[list], *, row_styles: list[str] | None = None) -> str:
    head = "".join(f'<th style="{_TD}">{html.escape(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        style = f' style="background: {row_styles[i]};"' if row_styles and row_styles[i] else ""
        body.append(f"<tr{style}>" + "".join(f'<td style="{_TD}">{html.escape(str(v))}</td>' for v in row)
                    + "</tr>")
    return f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def render_html_fragment(result) -> str:
    """The report without the page around it: for a notebook output."""
    colour = _STATUS_COLOUR["match" if result.ok else "mismatch"]
    parts = [f'<div class="tf2m-verify"><p style="padding: 4px 8px; background: {colour};">'
             f'<b>{html.escape(_headline(result))}</b></p>',
             f"<p>original (TF1 reference runtime): <code>{html.escape(result.original)}</code><br>"
             f"migrated (TF2, Keras 3): <code>{html.escape(result.migrated)}</code><br>"
             f"{html.escape(_settings(result))}</p>"]
    if result.error:
        parts.append(f"<p>The notebooks could not be run: {html.escape(result.error)}</p></div>")
        return "".join(parts)
    parts.append(_html_table(
        ["cell", "status", "values compared", "original s", "migrated s", "note"],
        [[c.index, c.status, len(c.rows), _seconds(c.original.seconds), _seconds(c.migrated.seconds),
          "; ".join(c.notes)] for c in result.cells],
        row_styles=[_STATUS_COLOUR.get(c.status, "") for c in result.cells]))
    for cell in result.cells:
        if not _worth_detail(cell):
            continue
        parts.append(f'<h3 id="cell-{cell.index}">Cell {cell.index}: {html.escape(cell.status)}</h3>')
        if cell.notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in cell.notes) + "</ul>")
        if cell.changed:
            parts.append(diff_table_html(cell.original_source, cell.migrated_source))
        if cell.rows:
            parts.append(_html_table(
                ["name", "shape", "dtype", "max abs err", "max rel err", "ok", "note"],
                [[r.name, _shape(r.shape), r.dtype or "", _number(r.max_abs_err), _number(r.max_rel_err),
                  "yes" if r.ok else "NO", r.note] for r in cell.rows],
                row_styles=["" if r.ok else _STATUS_COLOUR["mismatch"] for r in cell.rows]))
        if cell.previews:
            parts.append(_html_table(["differs", "original", "migrated"],
                                     [[name, a, b] for name, (a, b) in cell.previews.items()]))
    parts.append("</div>")
    return "".join(parts)


def render_html(result) -> str:
    """A standalone page."""
    title = html.escape(f"tf2-migrate verify: {result.original}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title></head>"
            "<body style=\"font-family: system-ui, sans-serif; margin: 1.5em;\">"
            f"<h1 style=\"font-size: 1.4em;\">{title}</h1>{render_html_fragment(result)}</body></html>\n")
