"""Positions in a cell's text.

``ast`` reports columns in UTF-8 bytes; findings and edits use code-point offsets (the frontend converts
those to UTF-16 for CodeMirror). This module is the one place that converts between them.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from functools import cached_property

from .finding import Range


class Source:
    def __init__(self, text: str):
        self.text = text

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines(keepends=True) or [""]

    @cached_property
    def line_starts(self) -> list[int]:
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line)
        return starts

    def offset(self, line: int, byte_col: int) -> int:
        """Offset of (1-based line, UTF-8 byte column), as ``ast`` reports positions."""
        if line > len(self.lines):
            return len(self.text)
        text = self.lines[line - 1]
        if not text.isascii():
            byte_col = len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))
        return self.line_starts[line - 1] + byte_col

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based code-point column) of an offset."""
        index = max(bisect_right(self.line_starts, offset) - 1, 0)
        return index + 1, offset - self.line_starts[index]

    def range(self, start: int, end: int) -> Range:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Range(line, column, end_line, end_column, start, end)

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]
