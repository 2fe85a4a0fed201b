"""Python 2 leftovers in TensorFlow 1 tutorials, fixed with small exact edits.

Two independent passes:

* :func:`python2_edits` works on tokens and only when the source does not parse as Python 3.  It
  fixes the syntax that stops a cell from parsing (print and exec statements, ``except E, e``,
  ``raise E, V``, backticks, ``<>``, old octal and long literals, ``ur''`` strings) so that the
  rest of the cell can be migrated.
* :func:`python2_runtime_edits` works on the ``ast`` of source that parses and fixes what only
  fails when it runs (``xrange``, ``raw_input``, ``dict.iteritems()``, ``d.has_key(k)``, and
  print statements such as ``print >>f, x`` that happen to parse as expressions), unless the
  source defines those names itself.

Both accept a notebook cell with IPython syntax (or its masked text): magics are masked first
(:mod:`kernel_helpers.engine.masking`), so no edit ever lands inside one, and a ``%%bash`` cell
gets no edits.  The tokenizer is our own: ``tokenize`` cannot be trusted on Python 2 text (since
3.12 it raises on ``0777`` and ``10L``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple

from kernel_helpers.engine.masking import mask_magics

__all__ = ["Py2Edit", "python2_edits", "python2_runtime_edits"]


@dataclass(frozen=True)
class Py2Edit:
    """Replace ``source[start:end]`` (code-point offsets) with ``replacement``."""

    start: int
    end: int
    replacement: str
    message: str


# --------------------------------------------------------------------------------------------
# Tokens


class _Token(NamedTuple):
    kind: str  # name, number, string, op, newline, other
    text: str
    start: int
    end: int


_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\f]+|\\(?:\r\n|\r|\n))
  | (?P<comment>\#[^\r\n]*)
  | (?P<newline>\r\n|\r|\n)
  | (?P<string>[rRbBuUfFtT]{0,2}(?:'''|\"\"\"|'|"))
  | (?P<number>
        0[xX][0-9a-fA-F_]+[lL]?
      | 0[oO][0-7_]+[lL]?
      | 0[bB][01_]+[lL]?
      | (?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJlL]?
    )
  | (?P<name>[^\W\d]\w*)
  | (?P<op>
        \*\*=?|//=?|>>=?|<<=?|<>|!=|==|<=|>=|->|:=|\.\.\.|[-+*/%@&|^]=
      | [-+*/%@&|^~<>=.,:;()\[\]{}`]
    )
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# Where a string ends (see masking.py): escaped character, closing quote, or for single-quoted
# strings an unescaped newline, where an unterminated string is cut so the next line still lexes.
_STRING_END = {
    "'": re.compile(r"\\(?:\r\n|[\s\S])|'|[\r\n]"),
    '"': re.compile(r'\\(?:\r\n|[\s\S])|"|[\r\n]'),
    "'''": re.compile(r"\\[\s\S]|'''"),
    '"""': re.compile(r'\\[\s\S]|"""'),
}


def _tokens(source: str, pos: int = 0) -> Iterator[_Token]:
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        kind = match.lastgroup
        end = match.end()
        if kind == "string":
            quote = match.group().lstrip("rRbBuUfFtT")
            closing = _STRING_END[quote]
            while True:
                found = closing.search(source, end)
                if found is None:
                    end = len(source)
                    break
                if found.group() == quote:
                    end = found.end()
                    break
                if found.group() in ("\r", "\n"):
                    end = found.start()
                    break
                end = found.end()
        if kind not in ("space", "comment"):
            yield _Token(kind, source[pos:end], pos, end)
        pos = end


_COMPOUND_KEYWORDS = frozenset(
    {"if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class"}
)


def _statements(tokens: Iterable[_Token]) -> Iterator[list[_Token]]:
    """Simple statements as token lists: split at newlines and ``;`` outside brackets and after
    the header colon of a compound statement (``if x: print x`` holds the statement ``print x``).
    """
    current: list[_Token] = []
    depth = 0
    for token in tokens:
        boundary = False
        if token.kind == "op" and token.text in "([{":
            depth += 1
        elif token.kind == "op" and token.text in ")]}":
            depth = max(0, depth - 1)
        elif token.kind == "newline":
            if depth:
                continue
            boundary = True
        elif depth == 0 and token.kind == "op" and token.text == ";":
            boundary = True
        elif (
            depth == 0
            and token.kind == "op"
            and token.text == ":"
            and current
            and current[0].text in _COMPOUND_KEYWORDS
        ):
            boundary = True
        if boundary:
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _top_level(tokens: list[_Token]) -> Iterator[tuple[int, _Token]]:
    """``(index, token)`` for tokens that are not inside brackets (the brackets included)."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind == "op" and token.text in ")]}":
            depth = max(0, depth - 1)
        if depth == 0:
            yield index, token
        if token.kind == "op" and token.text in "([{":
            depth += 1


def _matching_bracket(tokens: list[_Token], open_index: int) -> int | None:
    depth = 0
    for index in range(open_index, len(tokens)):
        token = tokens[index]
        if token.kind == "op" and token.text in "([{":
            depth += 1
        elif token.kind == "op" and token.text in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return None


# --------------------------------------------------------------------------------------------
# Syntax fixes (source that does not parse)

_NOT_AN_EXPRESSION_START = frozenset(
    {
        "and", "or", "in", "is", "if", "else", "elif", "for", "while", "as", "from", "import",
        "with", "def", "class", "return", "pass", "break", "continue", "del", "global",
        "nonlocal", "try", "except", "finally", "raise", "assert", "print", "exec",
    }
)
_EXPRESSION_START_OPS = frozenset({"(", "[", "{", "`", "-", "+", "~", "..."})
# Operators after "print (...)" that show the parentheses were only part of the first operand.
_BINARY_OPS = frozenset({",", "%", "+", "-", "*", "/", "//", "**", "@", "&", "|", "^", "<<", ">>"})

_PY2_OCTAL = re.compile(r"0[0-7]*[1-7][0-7]*[lL]?")
_PY2_LONG = re.compile(r"(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)[lL]")

_PRINT = "Python 2 print statement -> print() call"
_EXEC = "Python 2 exec statement -> exec() call"


def python2_edits(source: str) -> list[Py2Edit]:
    """Edits that turn Python 2 syntax into Python 3; empty if ``source`` already parses.

    The edits are sorted and do not overlap.  The edited text normally parses; when it does not
    (something else is wrong), the edits are returned anyway and the caller decides.

    ``print (a, b)`` printed a tuple in Python 2; it is left as the call ``print(a, b)``, which is
    what its author almost always meant.  ``print ("x"), y`` and ``print ("%d") % n`` are print
    statements whose first operand happens to be parenthesised, and are converted.
    """
    masked = mask_magics(source)
    if masked.skip_reason is not None:
        return []
    try:
        ast.parse(masked.text)
    except (SyntaxError, ValueError):
        pass
    else:
        return []
    # Magics are lexed in their masked form, so a shell command's "0777" is never "fixed".
    tokens = list(_tokens(masked.text))
    edits = list(_token_edits(tokens))
    for statement in _statements(tokens):
        edits.extend(_statement_edits(statement))
    return _non_overlapping(edits)


def _token_edits(tokens: list[_Token]) -> Iterator[Py2Edit]:
    for token in tokens:
        if token.kind == "op" and token.text == "<>":
            yield Py2Edit(token.start, token.end, "!=", "Python 2 operator <> -> !=")
        elif token.kind == "number":
            if _PY2_OCTAL.fullmatch(token.text):
                digits = token.text[1:].rstrip("lL")
                yield Py2Edit(
                    token.start, token.end, "0o" + digits, "Python 2 octal literal -> 0o prefix"
                )
            elif _PY2_LONG.fullmatch(token.text):
                yield Py2Edit(
                    token.start, token.end, token.text[:-1], "Python 2 long literal -> int"
                )
        elif token.kind == "string":
            prefix = token.text[: len(token.text) - len(token.text.lstrip("rRbBuUfFtT"))]
            if prefix.lower() == "ur":
                raw = prefix[1]
                yield Py2Edit(
                    token.start,
                    token.start + len(prefix),
                    raw,
                    f"Python 2 {prefix}'' string -> {raw}'' (Python 3 strings are unicode;"
                    " \\u escapes are no longer processed in raw strings)",
                )


def _statement_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    yield from _backtick_edits(statement)
    first = statement[0]
    if first.kind != "name":
        return
    if first.text == "print":
        yield from _print_edits(statement)
    elif first.text == "exec":
        yield from _exec_edits(statement)
    elif first.text == "except":
        yield from _except_edits(statement)
    elif first.text == "raise":
        yield from _raise_edits(statement)


def _backtick_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    backticks = [token for token in statement if token.kind == "op" and token.text == "`"]
    for opening, closing in zip(backticks[0::2], backticks[1::2]):
        yield Py2Edit(opening.start, opening.end, "repr(", "Python 2 backticks -> repr()")
        yield Py2Edit(closing.start, closing.end, ")", "Python 2 backticks -> repr()")


def _starts_expression(token: _Token) -> bool:
    if token.kind in ("string", "number"):
        return True
    if token.kind == "name":
        return token.text not in _NOT_AN_EXPRESSION_START
    return token.kind == "op" and token.text in _EXPRESSION_START_OPS


def _is_statement_form(statement: list[_Token]) -> bool:
    """Whether ``print ...`` / ``exec ...`` is the Python 2 statement rather than a Python 3
    use of the name (``print(x)``, ``print = log``, ``print.__doc__``)."""
    if len(statement) == 1:
        return True
    following = statement[1]
    if following.kind == "op" and following.text == "(":
        close = _matching_bracket(statement, 1)
        if close is None or close == len(statement) - 1:
            return False
        after = statement[close + 1]
        return after.kind == "op" and after.text in _BINARY_OPS
    return _starts_expression(following)


def _print_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    keyword = statement[0]
    if len(statement) > 1 and statement[1].kind == "op" and statement[1].text == ">>":
        yield from _print_to_file_edits(statement)
        return
    if not _is_statement_form(statement):
        return
    if len(statement) == 1:
        yield Py2Edit(keyword.end, keyword.end, "()", _PRINT)
        return
    yield Py2Edit(keyword.end, statement[1].start, "(", _PRINT)
    yield _close_print(statement[-1], "")


def _print_to_file_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    """``print >>f, x, y`` -> ``print(x, y, file=f)``."""
    keyword = statement[0]
    comma = next(
        (i for i, token in _top_level(statement) if token.kind == "op" and token.text == ","),
        None,
    )
    target_tokens = statement[2:comma] if comma is not None else statement[2:]
    if not target_tokens:
        return
    source_of_target = _joined(target_tokens)
    file_argument = f"file={source_of_target}"
    if comma is None or comma == len(statement) - 1:
        # Nothing to print: "print >>f" writes a newline, "print >>f," not even that.
        end_argument = ', end=""' if comma is not None else ""
        yield Py2Edit(
            keyword.end, statement[-1].end, f"({file_argument}{end_argument})", _PRINT
        )
        return
    yield Py2Edit(keyword.end, statement[comma + 1].start, "(", _PRINT)
    yield _close_print(statement[-1], f", {file_argument}")


def _close_print(last: _Token, extra: str) -> Py2Edit:
    if last.kind == "op" and last.text == ",":
        # A trailing comma suppressed the newline and left a "soft space".
        return Py2Edit(last.start, last.end, f', end=" "{extra})', _PRINT)
    return Py2Edit(last.end, last.end, f"{extra})", _PRINT)


def _joined(tokens: list[_Token]) -> str:
    """Source text of a run of tokens, with the spacing between them normalised."""
    parts = [tokens[0].text]
    for previous, token in zip(tokens, tokens[1:]):
        if token.start > previous.end:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


def _exec_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    """``exec code in globals, locals`` -> ``exec(code, globals, locals)``."""
    if len(statement) == 1 or not _is_statement_form(statement):
        return
    keyword = statement[0]
    yield Py2Edit(keyword.end, statement[1].start, "(", _EXEC)
    separator = next(
        (i for i, token in _top_level(statement) if token.kind == "name" and token.text == "in"),
        None,
    )
    if separator is not None and 1 < separator < len(statement) - 1:
        yield Py2Edit(
            statement[separator - 1].end, statement[separator + 1].start, ", ", _EXEC
        )
    yield Py2Edit(statement[-1].end, statement[-1].end, ")", _EXEC)


def _top_level_commas(statement: list[_Token]) -> list[int]:
    return [i for i, token in _top_level(statement) if token.kind == "op" and token.text == ","]


def _except_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    """``except E, e:`` -> ``except E as e:`` (only when the target is a plain name)."""
    commas = _top_level_commas(statement)
    if len(commas) != 1:
        return
    comma = commas[0]
    if comma < 2 or comma != len(statement) - 2 or statement[-1].kind != "name":
        return
    yield Py2Edit(
        statement[comma - 1].end,
        statement[comma + 1].start,
        " as ",
        "Python 2 except E, e -> except E as e",
    )


def _raise_edits(statement: list[_Token]) -> Iterator[Py2Edit]:
    """``raise E, V`` -> ``raise E(V)``; ``raise E, V, T`` -> ``raise E(V).with_traceback(T)``."""
    commas = _top_level_commas(statement)
    if not 1 <= len(commas) <= 2 or commas[0] < 2 or commas[-1] == len(statement) - 1:
        return
    message = "Python 2 raise E, V -> raise E(V)"
    exception_end = statement[commas[0] - 1].end
    value_first = commas[0] + 1
    value_last = commas[1] - 1 if len(commas) == 2 else len(statement) - 1
    if value_first > value_last:
        return
    value_is_one_group = (
        statement[value_first].text == "("
        and _matching_bracket(statement, value_first) == value_last
    )
    if value_is_one_group and len(commas) == 1:
        # In Python 2 a tuple value gave the constructor's arguments: E, (a, b) -> E(a, b).
        yield Py2Edit(exception_end, statement[value_first].start, "", message)
        return
    yield Py2Edit(exception_end, statement[value_first].start, "(", message)
    if len(commas) == 2:
        yield Py2Edit(
            statement[value_last].end,
            statement[commas[1] + 1].start,
            ").with_traceback(",
            "Python 2 raise E, V, T -> raise E(V).with_traceback(T)",
        )
    yield Py2Edit(statement[-1].end, statement[-1].end, ")", message)


def _non_overlapping(edits: list[Py2Edit]) -> list[Py2Edit]:
    """Sort edits; drop any that overlaps one kept before it (a fix inside a replaced range)."""
    kept: list[Py2Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept


# --------------------------------------------------------------------------------------------
# Runtime fixes (source that parses)

_RENAMED_BUILTINS = {"xrange": "range", "raw_input": "input"}
_RENAMED_DICT_METHODS = {"iteritems": "items", "itervalues": "values", "iterkeys": "keys"}
_FIXED_METHODS = frozenset(_RENAMED_DICT_METHODS) | {"has_key"}
# ``print(`` is Python 3's call: only a ``print`` not directly followed by a parenthesis can be a statement.
_RUNTIME_CANDIDATE = re.compile(r"xrange|raw_input|iter(?:items|values|keys)|has_key|\bprint\b(?!\()")

# Expressions that need no parentheses on either side of "in".
_ATOMS = (
    ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant, ast.List, ast.Dict,
    ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.JoinedStr, ast.BinOp,
    ast.UnaryOp,
)
# Parents under which "k in d" can replace a call without parentheses.
_LOOSE_PARENTS = (
    ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.If, ast.While,
    ast.IfExp, ast.BoolOp, ast.Call, ast.keyword, ast.List, ast.Tuple, ast.Set, ast.Dict,
    ast.Assert, ast.comprehension, ast.Lambda, ast.FormattedValue, ast.Yield,
)


def python2_runtime_edits(source: str, *, tree: ast.Module | None = None) -> list[Py2Edit]:
    """Edits for Python 2 code that parses but fails or misbehaves at run time; empty if nothing
    applies or the source does not parse.

    Handles ``xrange`` -> ``range``, ``raw_input`` -> ``input``, ``d.iteritems()`` /
    ``itervalues()`` / ``iterkeys()`` -> ``items()`` / ``values()`` / ``keys()``,
    ``d.has_key(k)`` -> ``k in d``, and print statements that parse as expressions
    (``print >>f, x``, ``print ("%d") % n``, ``print ("a"), b``, ``print -x``, ``print [x]``,
    bare ``print``).  Names the source defines itself (``def xrange``, ``from six.moves import
    xrange``, a method ``iteritems``, ``print = log``) are left alone.  ``unicode()`` is not
    touched: ``str`` is not always what was meant.

    A caller that has already parsed the masked text can pass its ``tree`` to save a parse.
    """
    masked = mask_magics(source)
    if masked.skip_reason is not None:
        return []
    source = masked.text  # same offsets; the has_key fix copies operand text from here
    if not _RUNTIME_CANDIDATE.search(source):
        return []  # the rule runs on every keystroke: skip the parse when nothing can match
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return []
    nodes = list(ast.walk(tree))
    defined = _defined_names(nodes)
    offsets = _Offsets(source)
    edits: list[Py2Edit] = []
    if "print" not in defined:
        edits.extend(_parsed_print_statement_edits(nodes, source, offsets))
    parents: dict[ast.AST, ast.AST] | None = None
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            new_name = _RENAMED_BUILTINS.get(node.id)
            if new_name and node.id not in defined:
                start, end = offsets.span(node)
                edits.append(
                    Py2Edit(start, end, new_name, f"Python 2 {node.id}() -> {new_name}()")
                )
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _FIXED_METHODS
        ):
            if parents is None:
                parents = {child: n for n in nodes for child in ast.iter_child_nodes(n)}
            edit = _method_call_edit(node, defined, offsets, parents.get(node), source)
            if edit is not None:
                edits.append(edit)
    return _non_overlapping(edits)


def _parsed_print_statement_edits(
    nodes: list[ast.AST], source: str, offsets: _Offsets
) -> Iterator[Py2Edit]:
    """Print statements that happen to parse as Python 3 expressions (``print >>f, x`` is a
    tuple, ``print -x`` a subtraction, ``print [x]`` a subscript, bare ``print`` a name) but do
    not print what was meant.  The token-level rules decide, as for unparseable source."""
    for node in nodes:
        if not isinstance(node, ast.Expr):
            continue
        value = node.value
        if isinstance(value, ast.Call) and _is_print_name(value.func):
            continue  # print(...): the common Python 3 case
        start = offsets.offset(node.lineno, node.col_offset)
        if not source.startswith("print", start):
            continue
        statement = next(_statements(_tokens(source, start)), None)
        if statement and statement[0].text == "print":
            yield from _print_edits(statement)


def _is_print_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "print"


def _method_call_edit(
    call: ast.Call,
    defined: set[str],
    offsets: _Offsets,
    parent: ast.AST | None,
    source: str,
) -> Py2Edit | None:
    method = call.func.attr
    if method in defined:
        return None
    if method in _RENAMED_DICT_METHODS and not call.args and not call.keywords:
        _, end = offsets.span(call.func)
        new_method = _RENAMED_DICT_METHODS[method]
        return Py2Edit(
            end - len(method), end, new_method, f"Python 2 dict.{method}() -> {new_method}()"
        )
    if method == "has_key" and len(call.args) == 1 and not call.keywords:
        key = call.args[0]
        if isinstance(key, ast.Starred):
            return None
        key_text = _operand(key, offsets, source)
        mapping_text = _operand(call.func.value, offsets, source)
        replacement = f"{key_text} in {mapping_text}"
        called = isinstance(parent, ast.Call) and parent.func is call
        negated = isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
        if called or not (negated or isinstance(parent, _LOOSE_PARENTS)):
            replacement = f"({replacement})"
        start, end = offsets.span(call)
        return Py2Edit(start, end, replacement, "Python 2 d.has_key(k) -> k in d")
    return None


def _operand(node: ast.expr, offsets: _Offsets, source: str) -> str:
    start, end = offsets.span(node)
    text = source[start:end]
    parenthesised_tuple = isinstance(node, ast.Tuple) and text.startswith("(")
    if isinstance(node, _ATOMS) or parenthesised_tuple:
        return text
    return f"({text})"


def _defined_names(nodes: list[ast.AST]) -> set[str]:
    """Every name the source binds anywhere, and every attribute or method it defines."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            names.add(node.attr)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
    return names


class _Offsets:
    """Convert ``ast`` positions (1-based line, UTF-8 byte column) to code-point offsets."""

    def __init__(self, source: str) -> None:
        self._lines: list[str] = []
        self._starts: list[int] = []
        for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)?", source):
            self._starts.append(match.start())
            self._lines.append(match.group())

    def offset(self, lineno: int, col_offset: int) -> int:
        line = self._lines[lineno - 1]
        if not line.isascii():
            col_offset = len(line.encode("utf-8")[:col_offset].decode("utf-8", "replace"))
        return self._starts[lineno - 1] + col_offset

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )
