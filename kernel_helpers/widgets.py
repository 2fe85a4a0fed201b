"""ipywidgets views for the magics, each with a plain HTML and text fallback.

Every view is displayed through ``_repr_mimebundle_``: a frontend with a widget manager (JupyterLab,
Notebook 7, VS Code, Colab) renders the live widget, and any other (nbconvert, GitHub, a terminal
console, a frontend without ipywidgets) picks the ``text/html`` or ``text/plain`` entry of the same
bundle. So there is nothing to detect at display time, and a saved notebook stays readable.

The HTML uses inline styles only: outputs are shown outside JupyterLab too, where no stylesheet of
ours is loaded, and semi-transparent colours keep it readable on dark themes.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from kernel_helpers.engine.apply import wanted
from kernel_helpers.engine.finding import Applicability, Finding

__all__ = [
    "PROPOSAL_MIMETYPE",
    "DiffRow",
    "MigrationProposal",
    "side_by_side",
    "diff_table_html",
    "findings_table_html",
    "fix_state",
    "NotebookSummary",
]

#: Raw data of a proposal, for frontends that render it themselves (the tf2-migrate labextension).
PROPOSAL_MIMETYPE = "application/vnd.tf2-migrate.proposal+json"

_REMOVED = "background: rgba(255, 60, 60, 0.16);"
_ADDED = "background: rgba(40, 170, 40, 0.18);"
_REMOVED_WORD = "background: rgba(255, 60, 60, 0.38);"
_ADDED_WORD = "background: rgba(40, 170, 40, 0.40);"
_CODE_CELL = "font-family: var(--jp-code-font-family, monospace); white-space: pre; padding: 0 6px; " \
             "text-align: left; vertical-align: top;"
_NUMBER_CELL = "font-family: var(--jp-code-font-family, monospace); opacity: 0.55; padding: 0 4px; " \
               "text-align: right; vertical-align: top; user-select: none;"
_TABLE = "border-collapse: collapse; font-size: 12px; width: 100%;"
_HEAD = "text-align: left; padding: 2px 6px; border-bottom: 1px solid rgba(128, 128, 128, 0.5);"


@dataclass(frozen=True)
class DiffRow:
    """One line of a side-by-side diff; a missing side (pure insertion/deletion) has ``None``."""

    tag: str  # "equal", "replace", "delete", "insert"
    left_number: int | None
    left: str | None
    right_number: int | None
    right: str | None


def side_by_side(original: str, migrated: str) -> list[DiffRow]:
    """Pair the lines of two texts for a two-pane view: changed lines face their closest counterpart."""
    left, right = original.splitlines(), migrated.splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("equal", i + 1, left[i], j + 1, right[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        # Equal-sized blocks face each other line by line; otherwise lines are paired by similarity.
        pairs = [(k, k) for k in range(i2 - i1)] if i2 - i1 == j2 - j1 else _align_lines(left[i1:i2], right[j1:j2])
        i, j = i1, j1
        for a, b in pairs + [(i2 - i1, j2 - j1)]:
            # lines skipped before the next pair were removed (left) or added (right)
            while i < i1 + a:
                rows.append(DiffRow("delete", i + 1, left[i], None, None))
                i += 1
            while j < j1 + b:
                rows.append(DiffRow("insert", None, None, j + 1, right[j]))
                j += 1
            if i < i2 and j < j2:
                rows.append(DiffRow("replace", i + 1, left[i], j + 1, right[j]))
                i, j = i + 1, j + 1
    return rows


_SIMILAR = 0.5


def _align_lines(left: list[str], right: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j), in order, of similar lines of a changed block; an added import is not paired
    with the first changed statement just because they share a position."""
    if not left or not right:
        return []
    # best[i][j]: the best total similarity aligning left[i:] with right[j:]
    score = [[difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() for b in right] for a in left]
    best = [[0.0] * (len(right) + 1) for _ in range(len(left) + 1)]
    for i in range(len(left) - 1, -1, -1):
        for j in range(len(right) - 1, -1, -1):
            paired = best[i + 1][j + 1] + score[i][j] if score[i][j] >= _SIMILAR else -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        if score[i][j] >= _SIMILAR and best[i][j] == best[i + 1][j + 1] + score[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _marked_pair(left: str, right: str) -> tuple[str, str]:
    """Both lines as HTML with the words that differ highlighted, so a one-word rename stands out."""
    a_tokens, b_tokens = _TOKEN.findall(left), _TOKEN.findall(right)
    matcher = difflib.SequenceMatcher(None, a_tokens, b_tokens, autojunk=False)
    out_left, out_right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = html.escape("".join(a_tokens[i1:i2])), html.escape("".join(b_tokens[j1:j2]))
        if tag == "equal":
            out_left.append(a)
            out_right.append(b)
            continue
        if a:
            out_left.append(f'<span style="{_REMOVED_WORD}">{a}</span>')
        if b:
            out_right.append(f'<span style="{_ADDED_WORD}">{b}</span>')
    return "".join(out_left), "".join(out_right)


def diff_table_html(original: str, migrated: str, *, left_title: str = "Original (TF1)",
                    right_title: str = "Migrated (TF2)") -> str:
    """The two panes as one HTML table: line numbers, removed lines red, added lines green."""
    body = []
    for row in side_by_side(original, migrated):
        left = html.escape(row.left) if row.left is not None else ""
        right = html.escape(row.right) if row.right is not None else ""
        if row.tag == "replace":
            left, right = _marked_pair(row.left, row.right)
        left_style = _CODE_CELL + (_REMOVED if row.tag in ("replace", "delete") else "")
        right_style = _CODE_CELL + (_ADDED if row.tag in ("replace", "insert") else "")
        body.append(
            f'<tr data-tag="{row.tag}">'
            f'<td style="{_NUMBER_CELL}">{row.left_number or ""}</td>'
            f'<td class="tf2m-original" style="{left_style}">{left}</td>'
            f'<td style="{_NUMBER_CELL}">{row.right_number or ""}</td>'
            f'<td class="tf2m-migrated" style="{right_style}">{right}</td></tr>')
    return (f'<table class="tf2m-diff" style="{_TABLE} table-layout: fixed;">'
            '<colgroup><col style="width: 3em"><col><col style="width: 3em"><col></colgroup>'
            f'<thead><tr><th style="{_HEAD}"></th><th style="{_HEAD}">{html.escape(left_title)}</th>'
            f'<th style="{_HEAD}"></th><th style="{_HEAD}">{html.escape(right_title)}</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def fix_state(finding: Finding, unsafe: bool) -> str:
    """What happened to a finding's fix, in words a user can act on."""
    if finding.applicability is Applicability.MANUAL:
        return "by hand"
    if finding.fix is None:
        return "none here"
    if wanted(finding, unsafe):
        return "applied"
    return "not applied (unsafe; --unsafe-fixes)"


def findings_table_html(findings: Iterable[Finding], *, unsafe: bool = False) -> str:
    rows = []
    for f in findings:
        message = html.escape(f.message)
        if f.doc:
            message += f' <a href="{html.escape(f.doc, quote=True)}" target="_blank" rel="noopener">docs</a>'
        rows.append(
            f'<tr><td style="{_CODE_CELL}">{html.escape(f.code)}</td>'
            f'<td style="{_CODE_CELL}">{f.range.line}</td>'
            f'<td style="padding: 0 6px;">{message}</td>'
            f'<td style="padding: 0 6px;">{html.escape(f.applicability.value)}</td>'
            f'<td style="padding: 0 6px;">{html.escape(fix_state(f, unsafe))}</td></tr>')
    if not rows:
        return ""
    head = "".join(f'<th style="{_HEAD}">{title}</th>'
                   for title in ("code", "line", "message", "applicability", "fix"))
    return f'<table class="tf2m-findings" style="{_TABLE}"><thead><tr>{head}</tr></thead>' \
           f'<tbody>{"".join(rows)}</tbody></table>'


def findings_text(findings: Iterable[Finding], *, unsafe: bool = False) -> str:
    return "".join(f"  line {f.range.line}: {f.code} [{f.applicability.value}, {fix_state(f, unsafe)}] "
                   f"{f.message}\n" for f in findings)


class MigrationProposal:
    """The proposed rewrite of one cell: two panes with a line diff, the findings, Apply and Copy.

    ``on_apply`` is called with ``True`` when the user asks for the rewrite and ``False`` when they
    take it back. A widget click is a comm message, and a kernel can only change a cell's text in the
    reply to an *execute* request (the ``set_next_input`` payload), so the caller arms the rewrite and
    performs it on the cell's next run; ``applied=True`` shows the outcome of such a run.
    """

    def __init__(self, original: str, migrated: str, findings: Iterable[Finding], *,
                 level: str = "tf2", unsafe: bool = False, hidden_unsafe: int = 0,
                 applied: bool = False, on_apply: Callable[[bool], None] | None = None):
        self.original = original
        self.migrated = migrated
        self.findings = tuple(findings)
        self.level = level
        self.unsafe = unsafe
        self.hidden_unsafe = hidden_unsafe
        self.applied = applied
        self._on_apply = on_apply
        self.armed = False
        self.widget = None  # built lazily by _repr_mimebundle_ (or .build())

    @property
    def changed(self) -> bool:
        return self.migrated != self.original

    def summary(self) -> str:
        """One line: what the proposal does, or that there is nothing to do."""
        if self.applied:
            return ("Applied: the cell now holds the migrated code. The original is kept in this output "
                    "(left pane).")
        manual = sum(1 for f in self.findings if fix_state(f, self.unsafe) == "by hand")
        extra = []
        if manual:
            extra.append(f"{manual} finding(s) need a manual change")
        if self.hidden_unsafe:
            extra.append(f"{self.hidden_unsafe} unsafe fix(es) not applied (use --unsafe-fixes)")
        tail = ("; " + "; ".join(extra)) if extra else ""
        if not self.changed:
            if not self.findings:
                return "Nothing to migrate: this cell uses no TensorFlow 1 API that needs a change."
            return "Nothing to rewrite automatically" + tail + "."
        fixed = sum(1 for f in self.findings if fix_state(f, self.unsafe) == "applied")
        return f"Proposed rewrite ({self.level} level): {fixed} fix(es){tail}."

    # -- fallbacks ------------------------------------------------------------------------

    def to_html(self) -> str:
        parts = [f'<div class="tf2m-proposal"><p style="margin: 4px 0;"><b>tf2-migrate</b>: '
                 f'{html.escape(self.summary())}</p>']
        if self.changed:
            parts.append(diff_table_html(self.original, self.migrated,
                                         left_title="Original (kept)" if self.applied else "Original (TF1)"))
        table = findings_table_html(self.findings, unsafe=self.unsafe)
        if table:
            parts.append(f'<div style="margin-top: 6px;">{table}</div>')
        parts.append("</div>")
        return "".join(parts)

    def to_text(self) -> str:
        lines = [f"tf2-migrate: {self.summary()}\n"]
        if self.changed:
            diff = difflib.unified_diff(self.original.splitlines(keepends=True),
                                        self.migrated.splitlines(keepends=True), "original", "migrated")
            lines.extend(line if line.endswith("\n") else line + "\n" for line in diff)
        if self.findings:
            lines.append("findings:\n" + findings_text(self.findings, unsafe=self.unsafe))
        return "".join(lines)

    def to_json(self) -> dict:
        return {"original": self.original, "migrated": self.migrated, "level": self.level,
                "unsafe": self.unsafe, "applied": self.applied, "summary": self.summary(),
                "findings": [f.to_dict() for f in self.findings]}

    # -- the widget -----------------------------------------------------------------------

    def build(self):
        """Create the ipywidgets view (once); ``None`` when ipywidgets is not installed."""
        if self.widget is not None:
            return self.widget
        try:
            import ipywidgets as w
        except ImportError:
            return None
        children = [w.HTML(f"<b>tf2-migrate</b>: {html.escape(self.summary())}")]
        if self.changed:
            children.append(w.HTML(diff_table_html(
                self.original, self.migrated,
                left_title="Original (kept)" if self.applied else "Original (TF1)")))
        table = findings_table_html(self.findings, unsafe=self.unsafe)
        if table:
            children.append(w.HTML(table))
        auto = {"width": "auto", "flex": "0 0 auto"}  # never squeezed by the hint beside them
        self.apply_button = w.Button(description="Applied" if self.applied else "Apply", icon="check",
                                     disabled=self.applied or not self.changed, layout=w.Layout(**auto),
                                     tooltip="Replace the cell's text with the migrated code")
        self.copy_button = w.Button(description="Copy", icon="copy", disabled=not self.changed,
                                    layout=w.Layout(**auto), tooltip="Show the migrated code as plain text to copy")
        # Next to the buttons, so what a click did is seen where the user clicked.
        self.hint = w.HTML("")
        self.copy_area = w.Textarea(value=self.migrated, layout=w.Layout(display="none", width="100%"),
                                    rows=min(30, max(3, self.migrated.count("\n") + 1)))
        self.apply_button.on_click(self._apply_clicked)
        self.copy_button.on_click(self._copy_clicked)
        if self.changed:
            children.extend([w.HBox([self.apply_button, self.copy_button, self.hint]), self.copy_area])
        self.widget = w.VBox(children)
        return self.widget

    def _apply_clicked(self, _button=None) -> None:
        self.armed = not self.armed
        if self._on_apply is not None:
            self._on_apply(self.armed)
        if self.armed:
            self.apply_button.description = "Apply on next run"
            self.apply_button.button_style = "warning"
            self.hint.value = ("Run this cell again (Shift+Enter) to replace it with the migrated code; "
                               "this output keeps the original. Click again to cancel.")
        else:
            self.apply_button.description = "Apply"
            self.apply_button.button_style = ""
            self.hint.value = ""

    def _copy_clicked(self, _button=None) -> None:
        showing = self.copy_area.layout.display != "none"
        self.copy_area.layout.display = "none" if showing else "block"
        self.copy_button.description = "Copy" if showing else "Hide"
        self.hint.value = "" if showing else "Select all in the box below (Ctrl+A) and copy (Ctrl+C)."

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        widget = self.build()
        if widget is not None:
            bundle.update(widget._repr_mimebundle_())
        # After the widget's own entries, so a frontend without a widget manager shows these instead.
        bundle["text/plain"] = self.to_text()
        bundle["text/html"] = self.to_html()
        bundle[PROPOSAL_MIMETYPE] = self.to_json()
        return bundle


class NotebookSummary:
    """What ``%tf2_migrate_notebook`` did: where it wrote, and per changed cell its fixes and open findings."""

    def __init__(self, source: str, target: str, notebook_migration):
        self.source = source
        self.target = target
        self.cells = [c for c in notebook_migration.cells if c.migration.changed or c.migration.remaining]
        self.changed = sum(1 for c in notebook_migration.cells if c.migration.changed)

    def _rows(self) -> list[tuple[int, int, int, int]]:
        """(cell index, fixes applied, manual findings, unsafe fixes hidden) per cell worth listing."""
        return [(c.index, len(c.migration.applied), c.migration.manual, c.migration.hidden_unsafe)
                for c in self.cells]

    def headline(self) -> str:
        return f"tf2-migrate: wrote {self.target} ({self.changed} cell(s) changed; {self.source} unchanged)"

    def to_text(self) -> str:
        lines = [self.headline()]
        lines += [f"  cell {i}: {fixes} fix(es), {manual} manual, {hidden} unsafe hidden"
                  for i, fixes, manual, hidden in self._rows()]
        return "\n".join(lines)

    def to_html(self) -> str:
        rows = "".join(f"<tr><td>{i}</td><td>{fixes}</td><td>{manual}</td><td>{hidden}</td></tr>"
                       for i, fixes, manual, hidden in self._rows())
        table = (f'<table style="{_TABLE}"><thead><tr>'
                 + "".join(f'<th style="{_HEAD}">{t}</th>' for t in ("cell", "fixes", "manual", "unsafe hidden"))
                 + f"</tr></thead><tbody>{rows}</tbody></table>") if rows else ""
        return f"<p>{html.escape(self.headline())}</p>{table}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.to_text(), "text/html": self.to_html()}
