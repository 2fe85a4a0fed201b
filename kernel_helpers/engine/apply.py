"""Turn findings into a new cell text: choose fixes by safety and priority, apply, repeat until stable.

Fixes are text edits on the original text. Overlapping fixes are never merged: the one of higher priority
goes first and the other is reconsidered on the next pass, against the new text. Every pass must leave
the cell parseable, else it is undone, so migration never breaks a cell that parsed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .analysis import CellAnalysis, check_cell
from .context import NotebookContext, import_bindings, parse_quietly
from .edits import apply_edits, compatible
from .finding import Applicability, Finding
from .masking import mask_magics

MAX_PASSES = 6


@dataclass(frozen=True)
class Pass:
    text: str
    applied: tuple[Finding, ...]


def wanted(finding: Finding, unsafe: bool) -> bool:
    if finding.fix is None:
        return False
    return finding.applicability is Applicability.SAFE or (unsafe and finding.applicability is Applicability.UNSAFE)


def choose(analysis: CellAnalysis, unsafe: bool, priority: dict[str, int]) -> list[Finding]:
    taken: list[tuple[int, int]] = []
    chosen = []
    candidates = [f for f in analysis.findings if wanted(f, unsafe)]
    candidates.sort(key=lambda f: (priority.get(f.code, 50), f.range.start))
    for finding in candidates:
        spans = [(e.start, e.end) for e in finding.fix.edits]
        if compatible(spans, taken, analysis.masked):
            taken.extend(spans)
            chosen.append(finding)
    return chosen


def run_passes(text: str, context: NotebookContext | None, level: str, unsafe: bool,
               priority: dict[str, int], ignore: frozenset[str] = frozenset(), prebuilt=None
               ) -> tuple[CellAnalysis, list[Pass], CellAnalysis]:
    """(analysis of the original, the passes applied, analysis of the result)."""
    first = analysis = check_cell(text, context, level, ignore, prebuilt)
    passes: list[Pass] = []
    for _ in range(MAX_PASSES):
        chosen = choose(analysis, unsafe, priority)
        if not chosen:
            break
        new_text = apply_edits(analysis.text, [(e.start, e.end, e.replacement)
                                               for f in chosen for e in f.fix.edits])
        new_text = add_imports(new_text, [i for f in chosen for i in f.fix.imports], context,
                               _bindings_kept(analysis, chosen))
        new_analysis = check_cell(new_text, context, level, ignore)
        if analysis.parsed and not new_analysis.parsed:
            break  # a fix that breaks the cell is a bug in a rule; keep the last good text
        passes.append(Pass(new_text, tuple(chosen)))
        analysis = new_analysis
    return first, passes, analysis


def _bindings_kept(analysis: CellAnalysis, chosen: list[Finding]) -> dict[str, str] | None:
    """The cell's own import bindings when the chosen fixes leave every import statement as it was and write none:
    then the edited text binds the same names, and :func:`add_imports` need not parse it again."""
    index = analysis.index
    if index is None or not any(f.fix.imports for f in chosen):
        return None
    for finding in chosen:
        for edit in finding.fix.edits:
            if "import" in edit.replacement or any(edit.start < i.end and i.start < edit.end for i in index.imports):
                return None
    return index.cell_bindings


def add_imports(text: str, statements: list[str], context: NotebookContext | None,
                cell_bindings: dict[str, str] | None = None) -> str:
    """Insert the import statements the applied fixes need, unless the name is bound already. ``cell_bindings`` are
    the text's own import bindings, when the caller knows them (else the text is parsed for them)."""
    if not statements:
        return text
    cell_context = NotebookContext(dict(context.bindings) if context is not None else {})
    if cell_bindings is None:
        tree = parse_quietly(text)  # not add_cell: this throwaway context keeps no tree for a lifting
        if tree is not None:
            cell_context.add_tree(tree, text)
    else:
        cell_context.bindings.update(cell_bindings)
    needed = []
    for statement in dict.fromkeys(statements):
        node = ast.parse(statement).body[0]
        if all(cell_context.bindings.get(name) == qual for name, qual, _ in import_bindings(node)):
            continue
        if any(name in cell_context.bindings for name, _, _ in import_bindings(node)):
            continue  # the name means something else here; a rule must not silently rebind it
        needed.append(statement)
    if not needed:
        return text
    offset = _import_point(text)
    block = "".join(s + "\n" for s in needed)
    if offset == len(text) and text and not text.endswith("\n"):
        block = "\n" + block.rstrip("\n")
    return text[:offset] + block + text[offset:]


def _import_point(text: str) -> int:
    """After a leading cell magic, the docstring and the imports the cell starts with."""
    masked = mask_magics(text)
    lines = text.splitlines(keepends=True)
    first_line = 0
    cell_magics = [start for (start, _), name in zip(masked.spans, masked.magics) if name.startswith("%%")]
    if cell_magics:
        first_line = text.count("\n", 0, cell_magics[0]) + 1
    try:
        body = ast.parse(masked.text).body
    except (SyntaxError, ValueError):
        body = []
    for position, stmt in enumerate(body):
        is_docstring = (position == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                        and isinstance(stmt.value.value, str))
        if not (is_docstring or isinstance(stmt, (ast.Import, ast.ImportFrom))):
            first_line = max(first_line, stmt.lineno - 1)
            break
        first_line = max(first_line, stmt.end_lineno)
    return sum(len(line) for line in lines[:first_line])
