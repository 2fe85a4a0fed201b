"""Hide IPython syntax in a cell without moving any character.

The engine parses a cell with ``ast``/libcst and then edits the *original* text by offset, so the
masked text must keep every line and every line length.  Each piece of IPython syntax (line and
cell magics, shell escapes, help queries, auto-call forms) is replaced by a same-length
placeholder that is valid Python in that position and binds or reads no name, and its range is
recorded so that edits can refuse to touch it.

What counts as IPython syntax follows ``IPython.core.inputtransformer2``: an escape character
(``% ! ? / , ;``) as the first token of a logical line, ``= %magic`` / ``= !cmd`` after the first
top-level ``=`` of a logical line, a trailing ``?``/``??`` after a name, and a ``%%`` cell magic
on the first non-blank line.  Detection is done here with a small scanner that knows about
strings, comments, brackets and backslash continuations, so a ``%`` in ``a % b``, in a string or
on a continuation line inside brackets is left alone.  The scanner never calls ``tokenize``:
its handling of invalid characters changed in Python 3.12, and magic lines are not Python.

This module runs on every keystroke in the server; cells without anything that could be a
magic are recognised by a few anchored regular expression searches (microseconds) and returned
unchanged.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

__all__ = ["Masked", "PYTHON_BODY_CELL_MAGICS", "mask_magics"]


@dataclass(frozen=True)
class Masked:
    """A cell with its IPython syntax replaced by same-length Python.

    ``text`` has the same lines and line lengths as the input.  ``spans`` are ``(start, end)``
    code-point offsets of the masked syntax in the original text, in source order; ``magics``
    names the syntax of each span, in the same order (``"%matplotlib"``, ``"!"``, ``"!!"``,
    ``"?"``, ``"??"``, ``"/"``, ``","``, ``";"``, ``"%%time"``).  ``skip_reason`` is set when the
    cell is not Python at all (a ``%%bash`` cell): then the whole cell is one span.
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    skip_reason: str | None
    magics: tuple[str, ...]


# Cell magics whose body is Python code run in the user namespace, so the body can be migrated.
PYTHON_BODY_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "tf2_migrate", "tf2_compare"}
)

# Well-known cell magics whose body is another language or plain text.
_FOREIGN_CELL_MAGICS = frozenset(
    {
        "bash", "sh", "script", "writefile", "file", "html", "HTML", "javascript", "js",
        "latex", "markdown", "svg", "perl", "ruby", "python2", "python3", "pypy", "system",
        "sx",
    }
)

# Anything that could possibly be IPython syntax: an escape character after the indentation of
# some line, "=" followed by "!" or "%", or a "?" at the end of a line.  Most cells have none and
# are returned as they are.  Separate searches with literal anchors are several times faster than
# one alternation; a lone "\r" line ending (old Mac files) always takes the slow path.
_FIRST_LINE_ESCAPE = re.compile(r"[ \t\f]*+[%!?/,;]")
_LINE_START_ESCAPE = re.compile(r"\n[ \t\f]*+[%!?/,;]")
_ASSIGNED_ESCAPE = re.compile(r"=[ \t\f]*+[!%]")
_TRAILING_QUESTION = re.compile(r"\?[ \t\f]*+\r?$", re.MULTILINE)
_LONE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")


def _may_contain_magic(source: str) -> bool:
    return bool(
        _FIRST_LINE_ESCAPE.match(source)
        or _LINE_START_ESCAPE.search(source)
        or _ASSIGNED_ESCAPE.search(source)
        or ("?" in source and _TRAILING_QUESTION.search(source))
        or ("\r" in source and _LONE_CARRIAGE_RETURN.search(source))
    )


# Characters that change the scanner's state inside Python code.
_CODE_EVENT = re.compile(r"""['"#()\[\]{}=\\\r\n]""")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE_END = re.compile(r"[\r\n]|\Z")
_INDENT = re.compile(r"[ \t\f]*")
_BLANK_LINES = re.compile(r"(?:[ \t\f]*(?:\r\n|\r|\n))*")

# Where a string literal ends: an escaped character (which may be a newline), the closing quote,
# or, for single-quoted strings, an unescaped newline (an unterminated string: stop there so the
# next line is still scanned).
_STRING_END = {
    "'": re.compile(r"\\(?:\r\n|[\s\S])|'|[\r\n]"),
    '"': re.compile(r'\\(?:\r\n|[\s\S])|"|[\r\n]'),
    "'''": re.compile(r"\\[\s\S]|'''"),
    '"""': re.compile(r'\\[\s\S]|"""'),
}

# IPython's rule for "obj?" help: a dotted name, optionally indexed by integer literals, at the
# very end of the logical line (searched, not matched, so "x = obj?" is help for obj).
_HELP_END = re.compile(r"%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?[0-9]+\])*\?\??$")
_CELL_MAGIC_HELP = re.compile(r"%%\w+\?")
_LINE_MAGIC_NAME = re.compile(r"%{1,2}[\w.]*")
_CELL_MAGIC_NAME = re.compile(r"%%(\S*)")
_IDENTIFIER_START = re.compile(r"[^\W\d]")

# Characters that, directly before "=", make it part of another operator (==, !=, <=, +=, :=...).
_OPERATOR_BEFORE_EQUALS = frozenset("=!<>:+-*/%@&|^")


def mask_magics(source: str) -> Masked:
    """Return ``source`` with its IPython syntax masked, keeping every character position."""
    if not _may_contain_magic(source):
        return Masked(source, (), None, ())
    return _CellScanner(source).scan()


def parse_masked(source: str) -> tuple[Masked, ast.Module | None]:
    """The cell with its IPython syntax masked, and the masked text's syntax tree (None: skipped or unparseable)."""
    masked = mask_magics(source)
    if masked.skip_reason:
        return masked, None
    try:
        return masked, ast.parse(masked.text)
    except (SyntaxError, ValueError):
        return masked, None


def _placeholder(width: int) -> str:
    """Same-width Python that is both a valid statement and a valid expression, with no names."""
    if width >= 3:
        return "..." + "#" * (width - 3)
    return "0#"[:width]


class _CellScanner:
    """One pass over a cell, collecting the spans of IPython syntax."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.spans: list[tuple[int, int]] = []
        self.names: list[str] = []

    # -- driver ---------------------------------------------------------------------------

    def scan(self) -> Masked:
        pos = _BLANK_LINES.match(self.src).end()
        if self.src.startswith("%%", pos):
            skip_reason, pos = self._cell_magic(pos)
            if skip_reason is not None:
                return self._result(skip_reason)
        else:
            pos = 0
        while pos < len(self.src):
            pos = self._logical_line(pos)
        return self._result(None)

    def _result(self, skip_reason: str | None) -> Masked:
        if not self.spans:
            return Masked(self.src, (), skip_reason, ())
        pieces: list[str] = []
        done = 0
        for start, end in self.spans:
            first_line_end = min(end, _LINE_END.search(self.src, start).start())
            pieces.append(self.src[done:start])
            pieces.append(_placeholder(first_line_end - start))
            # Continuation lines become blank lines, which Python ignores wherever they are.
            pieces.append(re.sub(r"[^\r\n]", " ", self.src[first_line_end:end]))
            done = end
        pieces.append(self.src[done:])
        return Masked("".join(pieces), tuple(self.spans), skip_reason, tuple(self.names))

    def _add(self, start: int, end: int, name: str) -> None:
        self.spans.append((start, end))
        self.names.append(name)

    # -- cell magics ----------------------------------------------------------------------

    def _cell_magic(self, start: int) -> tuple[str | None, int]:
        """Handle a ``%%`` first line; return (skip reason, where Python code resumes)."""
        line_end = _LINE_END.search(self.src, start).start()
        line = self.src[start:line_end]
        resume = self._after_newline(line_end)
        content_end = start + len(line.rstrip(" \t\f"))
        if _CELL_MAGIC_HELP.match(line):
            # "%%time?" asks for the magic's help; the rest of the cell is ordinary Python.
            self._add(start, content_end, "??" if line.rstrip().endswith("??") else "?")
            return None, resume
        name = _CELL_MAGIC_NAME.match(line).group(1)
        if name in PYTHON_BODY_CELL_MAGICS:
            self._add(start, content_end, "%%" + name)
            return None, resume
        self._add(start, len(self.src), "%%" + name)
        if name in _FOREIGN_CELL_MAGICS:
            return f"cell magic %%{name}: not Python", resume
        return f"cell magic %%{name}: unknown, its body is not analysed as Python", resume

    # -- logical lines --------------------------------------------------------------------

    def _logical_line(self, start: int) -> int:
        """Scan one logical line starting at ``start``; return where the next one starts."""
        code_start = _INDENT.match(self.src, start).end()
        escape = self._escape_name(code_start)
        if escape is not None:
            if escape in ("?", "??"):
                name = escape
            else:
                name = self._help_name(code_start) or escape
            return self._add_magic(code_start, name)
        return self._python_line(code_start)

    def _python_line(self, code_start: int) -> int:
        src = self.src
        depth = 0
        single_physical_line = True
        has_comment = False
        broken_string = False
        assignment_seen = False
        pos = code_start
        while True:
            event = _CODE_EVENT.search(src, pos)
            if event is None:
                line_end = next_start = len(src)
                break
            char, at = event.group(), event.start()
            if char in "\r\n":
                next_start = self._after_newline(at)
                if depth == 0:
                    line_end = at
                    break
                single_physical_line = False
                pos = next_start
            elif char == "#":
                has_comment = True
                pos = _LINE_END.search(src, at).start()
            elif char in "'\"":
                pos, terminated = self._skip_string(at)
                broken_string = broken_string or not terminated
                if single_physical_line and _NEWLINE.search(src, at, pos):
                    single_physical_line = False
            elif char in "([{":
                depth += 1
                pos = at + 1
            elif char in ")]}":
                # IPython never lets the depth go negative either, so "x)\n%time" still has a magic.
                depth = max(0, depth - 1)
                pos = at + 1
            elif char == "\\":
                newline = _NEWLINE.match(src, at + 1)
                if newline:
                    single_physical_line = False
                    pos = newline.end()
                else:
                    pos = at + 1
            else:  # "="
                if src.startswith("=", at + 1):
                    pos = at + 2
                    continue
                pos = at + 1
                if depth or assignment_seen or (at and src[at - 1] in _OPERATOR_BEFORE_EQUALS):
                    continue
                # IPython only looks right after the first top-level "=" of a logical line.
                assignment_seen = True
                magic = self._assigned_magic(at + 1)
                if magic is not None:
                    return self._add_magic(*magic)
        if single_physical_line and not has_comment and not broken_string:
            content = src[code_start:line_end].rstrip(" \t\f")
            if content.endswith("?") and _HELP_END.search(content):
                self._add(code_start, code_start + len(content), self._help_suffix(content))
        return next_start

    # -- pieces of syntax -----------------------------------------------------------------

    def _escape_name(self, at: int) -> str | None:
        """Name of the escape starting a logical line at ``at``, or None if it is Python."""
        src = self.src
        char = src[at : at + 1]
        if not char or char not in "%!?/,;":
            return None
        following = src[at + 1 : at + 2]
        if (char in "!%/" and following == "=") or (char == "/" and following == "/"):
            return None  # "!=", "%=", "/=" and "//" are operators, as IPython's tokens say
        if char == "%":
            return _LINE_MAGIC_NAME.match(src, at).group()
        if char in "!?" and following == char:
            return char * 2
        return char

    def _assigned_magic(self, after_equals: int) -> tuple[int, str] | None:
        """``x = !cmd`` / ``x = %magic``: the magic's start and name, if one follows the "="."""
        src = self.src
        at = _INDENT.match(src, after_equals).end()
        char = src[at : at + 1]
        if char == "!" and not src.startswith("=", at + 1):
            return at, "!!" if src.startswith("!", at + 1) else "!"
        if char == "%" and _IDENTIFIER_START.match(src, at + 1):
            return at, _LINE_MAGIC_NAME.match(src, at).group()
        return None

    def _help_name(self, at: int) -> str | None:
        """``%magic?`` and ``%timeit x?`` are help queries in IPython, not magic calls."""
        line_end = _LINE_END.search(self.src, at).start()
        content = self.src[at:line_end].rstrip(" \t\f")
        if content.endswith("?") and _HELP_END.search(content) and not self._continues(line_end):
            return self._help_suffix(content)
        return None

    @staticmethod
    def _help_suffix(content: str) -> str:
        return "??" if content.endswith("??") else "?"

    def _add_magic(self, start: int, name: str) -> int:
        """Record a magic that runs to the end of its line and any ``\\`` continuation lines."""
        src = self.src
        line_start = start
        while True:
            line_end = _LINE_END.search(src, line_start).start()
            if not self._continues(line_end):
                break
            line_start = self._after_newline(line_end)
        content_end = line_end
        while content_end > max(line_start, start + 1) and src[content_end - 1] in " \t\f":
            content_end -= 1
        self._add(start, content_end, name)
        return self._after_newline(line_end)

    def _continues(self, line_end: int) -> bool:
        """Whether the physical line ending at ``line_end`` ends with a backslash continuation."""
        return line_end < len(self.src) and line_end > 0 and self.src[line_end - 1] == "\\"

    def _after_newline(self, at: int) -> int:
        newline = _NEWLINE.match(self.src, at)
        return newline.end() if newline else at

    def _skip_string(self, quote_at: int) -> tuple[int, bool]:
        """Skip the string literal whose quote is at ``quote_at``; return (end, terminated).

        Prefixes do not matter here: backslashes stop a quote from closing the string even in raw
        strings.  f-strings are skipped like plain strings; replacement fields that reuse the
        enclosing quote (allowed since 3.12) re-pair on the same line, so the state at the end of
        the line is still right.
        """
        src = self.src
        quote = src[quote_at] * 3 if src.startswith(src[quote_at] * 3, quote_at) else src[quote_at]
        closing = _STRING_END[quote]
        pos = quote_at + len(quote)
        while True:
            found = closing.search(src, pos)
            if found is None:
                return len(src), False
            token = found.group()
            if token == quote:
                return found.end(), True
            if token in "\r\n":
                return found.start(), False
            pos = found.end()
