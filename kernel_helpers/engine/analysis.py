"""Analyse one cell: mask magics, parse, index TensorFlow references, run the rules.

A cell that does not parse gets one finding and no edits. A cell that parses only once its Python 2
leftovers are fixed gets those fixes as findings of their own, and the rest of the analysis runs on the
fixed text with positions mapped back to the original.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace

from .context import NotebookContext
from .finding import Edit, Finding, Fix
from .index import CellIndex, build_index
from .masking import mask_magics
from .py2 import python2_edits
from .registry import rules_for
from .source import Source
from .edits import apply_edits


@dataclass
class CellAnalysis:
    text: str
    findings: list[Finding] = field(default_factory=list)
    #: spans of the original text that hold IPython syntax; no edit may touch them
    masked: tuple[tuple[int, int], ...] = ()
    skipped: str | None = None
    parsed: bool = True
    index: CellIndex | None = None


def check_cell(text: str, context: NotebookContext | None = None, level: str = "tf2",
               ignore: frozenset[str] = frozenset(), prebuilt: CellIndex | None = None) -> CellAnalysis:
    """Analyse one cell; without a ``context`` the cell is a whole program (a file) and is its own context.

    Rules whose codes are in ``ignore`` do not run, so their fixes neither apply nor block others.
    ``prebuilt`` is an index of this text in this context that a caller already built (the lifting's).
    """
    rules = [rule for rule in rules_for(level) if rule.code not in ignore] if ignore else rules_for(level)
    masked = mask_magics(text)
    if masked.skip_reason:
        return CellAnalysis(text, skipped=masked.skip_reason, masked=masked.spans)
    if prebuilt is not None and prebuilt.source.text == masked.text and context is not None \
            and prebuilt.context is context:
        index = prebuilt
    else:
        try:
            tree = ast.parse(masked.text)
        except (SyntaxError, ValueError) as error:
            return _check_python2(text, context, level, error)
        if context is None:
            context = NotebookContext()
            context.add_tree(tree, masked.text)
        # Rules read the masked text (valid Python); masking keeps every position, so their edits apply
        # to the original text unchanged.
        index = build_index(Source(masked.text), tree, context)
    findings: list[Finding] = []
    if index.touches_tensorflow:
        for rule in rules:
            findings.extend(rule.check(index))
    findings.sort(key=lambda f: (f.range.start, f.code))
    return CellAnalysis(text, _without_answered_removals(findings), masked.spans, index=index)


#: "this name was removed" findings (TFM098 removed-api, TFM900 contrib-removed): advice for a name no rule replaces
REMOVALS = frozenset({"TFM098", "TFM900"})


def _without_answered_removals(findings: list[Finding]) -> list[Finding]:
    """Drop a removal finding on a name that another finding's fix replaces (``tf.contrib.layers.l2_regularizer``
    becoming a Keras regularizer, TFM016): telling the user to replace it by hand would contradict the fix."""
    replaced = [(e.start, e.end) for f in findings if f.fix is not None for e in f.fix.edits if e.end > e.start]
    if not replaced:
        return findings
    return [f for f in findings if not (f.code in REMOVALS and f.fix is None and any(
        start <= f.range.start and f.range.end <= end for start, end in replaced))]


def _check_python2(text: str, context: NotebookContext, level: str, error: Exception) -> CellAnalysis:
    from kernel_helpers.rules.syntax_error import SyntaxErrorRule
    from kernel_helpers.rules.python2_syntax import Python2Syntax

    source = Source(text)
    edits = python2_edits(text)
    fixed_text = apply_edits(text, [(e.start, e.end, e.replacement) for e in edits]) if edits else None
    fixed = check_cell(fixed_text, context, level) if fixed_text is not None else None
    if fixed is None or not fixed.parsed or fixed.skipped:
        return CellAnalysis(text, [SyntaxErrorRule.report(source, error)], parsed=False)
    if not (fixed.index and fixed.index.touches_tensorflow):
        # Python 2 code that has nothing to do with TensorFlow is not ours to change.
        return CellAnalysis(text, [SyntaxErrorRule.report(source, error)], parsed=False)
    mapping = _OffsetMap(edits)
    findings = [Python2Syntax.report(source, group) for group in _by_statement(text, edits)]
    findings += [mapped for f in fixed.findings if (mapped := mapping.back(f, source)) is not None]
    findings.sort(key=lambda f: (f.range.start, f.code))
    masked = tuple(s for span in fixed.masked if (s := mapping.span(span)) is not None)
    return CellAnalysis(text, findings, masked, index=None)


def _by_statement(text: str, edits) -> list[list]:
    """Edits of one Python 2 construct (the two parentheses of a print) become one finding."""
    groups: list[list] = []
    for edit in sorted(edits, key=lambda e: e.start):
        last = groups[-1][-1] if groups else None
        if last is not None and last.message == edit.message and "\n" not in text[last.end:edit.start]:
            groups[-1].append(edit)
        else:
            groups.append([edit])
    return groups


class _OffsetMap:
    """Maps offsets in the Python-2-fixed text back to the original text."""

    def __init__(self, edits):
        self.edits = sorted(edits, key=lambda e: e.start)

    def offset(self, pos: int) -> int | None:
        delta = 0
        for e in self.edits:
            fixed_start = e.start + delta
            fixed_end = fixed_start + len(e.replacement)
            if pos < fixed_start or (pos == fixed_start and e.start == e.end):
                break
            if pos < fixed_end:
                return None
            delta += len(e.replacement) - (e.end - e.start)
        return pos - delta

    def span(self, span: tuple[int, int]) -> tuple[int, int] | None:
        start, end = self.offset(span[0]), self.offset(span[1])
        return None if start is None or end is None else (start, end)

    def back(self, finding: Finding, source: Source) -> Finding | None:
        span = self.span((finding.range.start, finding.range.end))
        if span is None:
            return None
        fix = finding.fix
        if fix is not None:
            moved = [(self.span((e.start, e.end)), e.replacement) for e in fix.edits]
            fix = None if any(s is None for s, _ in moved) else Fix(
                tuple(Edit(s[0], s[1], r) for s, r in moved), fix.imports)
        return replace(finding, range=source.range(*span), fix=fix)
