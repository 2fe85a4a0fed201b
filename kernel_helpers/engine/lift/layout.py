"""Turn a cell's lifting plan into text: statements replaced, deleted, or unwrapped from a session block.

Everything is a text edit on the original cell, so code the lifting does not touch keeps its formatting,
comments and magics byte for byte.
"""

from __future__ import annotations

import ast
import textwrap

from ..edits import apply_edits, overlaps
from ..source import Source
from .model import CellPlan, NotLiftable
from .syntax import strings_across_lines


class Layout:
    def __init__(self, text: str, source: Source, tree: ast.Module, plan: CellPlan, cell: int):
        self.text = text
        self.source = source
        self.tree = tree
        self.plan = plan
        self.cell = cell
        self.edits: list[tuple[int, int, str]] = []
        #: line start -> how many leading characters the unwrapped blocks around it remove
        self.dedents: dict[int, int] = {}
        #: the lines deleted so far, by number
        self.deleted: set[int] = set()

    def render(self, masked_spans) -> str:
        expression_edits = list(self.plan.edits)
        self.block(self.tree.body, top=True, expression_edits=expression_edits)
        edits = self.edits + expression_edits
        for start, width in self.dedents.items():
            edit = (start, start + width, "")
            if not any(overlaps((edit[0], edit[1]), (e[0], e[1])) or e[0] <= edit[0] < e[1] for e in edits):
                edits.append(edit)
        for start, end, _ in edits:
            if any(overlaps((start, end), span) for span in masked_spans):
                raise NotLiftable("IPython syntax sits inside code the lifting rewrites", self.cell)
        return apply_edits(self.text, edits)

    # -- positions ---------------------------------------------------------------------------------------
    def line_start(self, line: int) -> int:
        if line > len(self.source.line_starts):
            return len(self.text)
        return self.source.line_starts[line - 1]

    def span(self, node: ast.AST) -> tuple[int, int]:
        return self.source.span(node)

    # -- statements ----------------------------------------------------------------------------------------
    def gone(self, stmt: ast.stmt) -> bool:
        if id(stmt) in self.plan.delete:
            return True
        return id(stmt) in self.plan.unwrap and all(self.gone(child) for child in stmt.body)

    def changed(self, stmt: ast.stmt) -> bool:
        return id(stmt) in self.plan.delete or id(stmt) in self.plan.replace or id(stmt) in self.plan.unwrap

    def block(self, stmts: list[ast.stmt], top: bool, expression_edits: list) -> None:
        groups: list[list[ast.stmt]] = []
        for stmt in stmts:
            if groups and stmt.lineno == groups[-1][-1].end_lineno:
                groups[-1].append(stmt)
            else:
                groups.append([stmt])
        everything_gone = not top and all(self.gone(s) for s in stmts)
        for number, group in enumerate(groups):
            if len(group) > 1 and any(self.changed(s) for s in group):
                self.semicolon_group(group, top, expression_edits,
                                     keep_pass=everything_gone and number == 0)
                continue
            stmt = group[0]
            if self.gone(stmt):
                if everything_gone and number == 0:
                    start, end = self.span(stmt)
                    self.edits.append((start, end, "pass"))  # a block may not be empty
                else:
                    following = groups[number + 1][0] if number + 1 < len(groups) else None
                    self.delete_lines(stmt, following is None or self.gone(following))
            elif id(stmt) in self.plan.replace:
                start, end = self.span(stmt)
                self.edits.append((start, end, self.indented(stmt, self.plan.replace[id(stmt)])))
            elif id(stmt) in self.plan.unwrap:
                self.unwrap(stmt, expression_edits)
            else:
                for field in ("body", "orelse", "finalbody"):
                    child = getattr(stmt, field, None)
                    if isinstance(child, list) and child and isinstance(child[0], ast.stmt):
                        self.block(child, top=False, expression_edits=expression_edits)
                for handler in getattr(stmt, "handlers", []) or []:
                    self.block(handler.body, top=False, expression_edits=expression_edits)

    def indented(self, stmt: ast.stmt, text: str) -> str:
        """New lines replacing a statement inside a function body sit at its indentation (less what the unwrapped
        blocks around it remove)."""
        indent = stmt.col_offset - self.dedents.get(self.line_start(stmt.lineno), 0)
        if indent <= 0 or "\n" not in text:
            return text
        if '"""' in text or "'''" in text:
            raise NotLiftable("a multi-line string in a function the lifting rewrites cannot be re-indented safely",
                              self.cell, stmt)
        prefix = self.source.lines[stmt.lineno - 1][:indent]
        return "\n".join([text.split("\n")[0]] + [prefix + line if line else line for line in text.split("\n")[1:]])

    def delete_lines(self, stmt: ast.stmt, last_of_group: bool = False) -> None:
        """The statement's lines; and the comment lines right above it, which spoke of it, when no statement
        follows it without a blank line (a comment above a group of statements stays with the rest)."""
        first = stmt.lineno
        next_line = self.source.lines[stmt.end_lineno] if stmt.end_lineno < len(self.source.lines) else ""
        if last_of_group or not next_line.strip():
            indent = self.source.lines[stmt.lineno - 1][:stmt.col_offset]
            while first > 1 and self.source.lines[first - 2].startswith(indent + "#"):
                first -= 1
        end = stmt.end_lineno + 1
        # Between two blank lines (once the lines deleted before are gone), the lines go with one of the blanks:
        # no gap grows where they were; at the cell's end, the blanks before them go too.
        above = first - 1
        while above in self.deleted:
            above -= 1
        if above >= 1 and not self.source.lines[above - 1].strip() and not next_line.strip():
            if end <= len(self.source.lines):
                end += 1
            else:
                while first > 1 and not self.source.lines[first - 2].strip():
                    first -= 1
        self.deleted.update(range(first, end))
        self.edits.append((self.line_start(first), self.line_start(end), ""))

    def semicolon_group(self, group: list[ast.stmt], top: bool, expression_edits: list, keep_pass: bool) -> None:
        if not top:
            raise NotLiftable("statements the lifting rewrites share a line inside a block", self.cell, group[0])
        start, end = self.span(group[0])[0], self.span(group[-1])[1]
        parts = []
        for stmt in group:
            if self.gone(stmt):
                continue
            if id(stmt) in self.plan.replace:
                parts.append(self.plan.replace[id(stmt)])
                continue
            if id(stmt) in self.plan.unwrap or any(isinstance(c, ast.stmt) for c in ast.iter_child_nodes(stmt)):
                raise NotLiftable("a compound statement shares a line with rewritten ones", self.cell, stmt)
            s, e = self.span(stmt)
            inner = [x for x in expression_edits if s <= x[0] and x[1] <= e]
            for x in inner:
                expression_edits.remove(x)
            parts.append(apply_edits(self.text[s:e], [(a - s, b - s, r) for a, b, r in inner]))
        if parts:
            self.edits.append((start, end, "\n".join(parts)))
        else:
            self.edits.append((self.line_start(group[0].lineno), self.line_start(group[-1].end_lineno + 1), ""))

    def unwrap(self, stmt: ast.With, expression_edits: list) -> None:
        body = stmt.body
        header_end = max(item.optional_vars.end_lineno if item.optional_vars is not None
                         else item.context_expr.end_lineno for item in stmt.items)
        if strings_across_lines(textwrap.dedent(self.text[self.line_start(stmt.lineno):
                                                         self.line_start(stmt.end_lineno + 1)])):
            raise NotLiftable("a multi-line string in a session block cannot be re-indented safely", self.cell, stmt)
        self.edits.append((self.line_start(stmt.lineno), self.line_start(header_end + 1), ""))
        shift = body[0].col_offset - stmt.col_offset
        for line in range(header_end + 1, stmt.end_lineno + 1):
            start = self.line_start(line)
            text = self.source.lines[line - 1] if line <= len(self.source.lines) else ""
            leading = len(text) - len(text.lstrip(" \t"))
            # Blocks unwrapped inside unwrapped blocks remove their indentation on top of their parents'.
            done = self.dedents.get(start, 0)
            if text.strip() and min(shift, leading - done) > 0:
                self.dedents[start] = done + min(shift, leading - done)
        self.block(body, top=False, expression_edits=expression_edits)
