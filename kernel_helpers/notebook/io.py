""".ipynb reading and writing that keeps the file's own JSON conventions.

A migrated notebook should differ from the original only in the cells that were migrated, so
that reviews and version control show nothing else.  Notebooks are read as plain JSON (object
order kept, floats keeping their original spelling) and the layout of the file is detected: the
indentation, separators, whether non-ASCII text is escaped, whether keys were sorted, the newline
style, a trailing newline and a byte order mark.  :func:`dumps_notebook` writes the same layout
again, so an unchanged notebook comes out byte for byte identical whether nbformat (and so
JupyterLab), a JavaScript tool or a plain ``json.dump`` wrote it.
"""

from __future__ import annotations

import codecs
import copy
import json
import json.encoder
import math
import os
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "NotebookLayout",
    "NotebookReadError",
    "read_notebook",
    "dumps_notebook",
    "write_notebook",
    "cell_source",
    "set_cell_source",
    "validate",
]


class NotebookReadError(ValueError):
    """A file is not a notebook this tool can handle; the message says why."""


@dataclass(frozen=True)
class NotebookLayout:
    """How a notebook file is laid out.  The defaults are nbformat's (and so JupyterLab's)."""

    indent: int | str | None = 1  # spaces (or the literal string) per level; None = one line
    ensure_ascii: bool = False  # non-ASCII text written as \uXXXX escapes
    trailing_newline: bool = True
    newline: str = "\n"  # "\r\n" for files written in text mode on Windows
    item_separator: str = ","  # ", " in one-line JSON and in files written by Python 2
    key_separator: str = ": "
    sort_keys: bool = True  # every object's keys were sorted, so new keys are sorted in too
    bom: bool = False


class _JsonFloat(float):
    """A float that remembers how the file spelled it (``1e-7`` from JavaScript, ``1E5``...)."""

    __slots__ = ("text",)

    def __new__(cls, text: str | float) -> _JsonFloat:
        number = super().__new__(cls, text)
        number.text = text if isinstance(text, str) else None
        return number


_SUPPORTED_MAJOR = 4
_FIRST_KEY = re.compile(r'\{\s*"(?:[^"\\]|\\.)*"(\s*:\s*)')
_FIRST_INDENT = re.compile(r"\{\r?\n([ \t]*)")
_ITEM_SEPARATOR = re.compile(r"[ \t]*,[ \t]*")
# A \uXXXX escape (not an escaped backslash followed by "u") for a character outside ASCII.
_NON_ASCII_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")


def read_notebook(path_or_text: str | bytes | os.PathLike[str]) -> tuple[dict, NotebookLayout]:
    """Read a notebook from a path or from its JSON text (a ``str`` starting with ``{``, or bytes).

    Returns the notebook as a plain ``dict`` and its layout.  Raises :class:`NotebookReadError`
    for unreadable files, broken JSON, JSON that is not a notebook, and nbformat < 4.
    """
    name, text = _load_text(path_or_text)
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    if not body.strip():
        raise NotebookReadError(f"{name}: empty file, not a notebook")
    try:
        notebook = json.loads(body, parse_float=_JsonFloat)
    except json.JSONDecodeError as error:
        raise NotebookReadError(
            f"{name}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise NotebookReadError(f"{name}: JSON nested too deeply") from None
    _check_notebook(notebook, name)
    return notebook, _detect_layout(body, notebook, bom)


def dumps_notebook(nb: dict, layout: NotebookLayout = NotebookLayout()) -> str:
    """Serialise ``nb`` with ``layout``; encode the result as UTF-8 to get the file's bytes."""
    chunks: list[str] = []
    _JsonWriter(layout).write(nb, 0, chunks)
    text = "".join(chunks)
    if layout.trailing_newline:
        text += "\n"
    if layout.newline != "\n":
        # Raw newlines only occur between tokens: inside JSON strings they are always escaped.
        text = text.replace("\n", layout.newline)
    return "\ufeff" + text if layout.bom else text


def write_notebook(
    path: str | os.PathLike[str], nb: dict, layout: NotebookLayout = NotebookLayout()
) -> None:
    """Write ``nb`` to ``path`` atomically (see :func:`kernel_helpers.fileio.atomic_write`)."""
    from kernel_helpers.fileio import atomic_write

    atomic_write(path, dumps_notebook(nb, layout).encode("utf-8"))


def cell_source(cell: dict) -> str:
    """A cell's source as one string, whether it is stored as a string or a list of lines."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def set_cell_source(cell: dict, text: str) -> None:
    """Set a cell's source, keeping its form: a list of lines stays a list (split like nbformat
    does, each line keeping its ending), a string stays a string.  A cell without a source gets
    the list form nbformat writes."""
    if isinstance(cell.get("source", []), str):
        cell["source"] = text
    else:
        cell["source"] = text.splitlines(keepends=True)


def validate(nb: dict) -> list[str]:
    """nbformat schema problems of ``nb`` as readable messages; empty when it is valid.

    ``nb`` is not modified (nbformat's own ``validate`` may repair it in place).
    """
    candidate = copy.deepcopy(nb)
    checker = _schema_validator(candidate.get("nbformat"), candidate.get("nbformat_minor"))
    # The fast check settles the common case (valid); nbformat words the messages when it is not.
    messages = [] if checker is not None and checker(candidate) else _nbformat_messages(candidate)
    messages.extend(_duplicate_id_messages(candidate))
    return messages


def _nbformat_messages(candidate: dict) -> list[str]:
    from nbformat.validator import iter_validate

    try:
        return [_describe_validation_error(error) for error in iter_validate(candidate)]
    except Exception as error:  # nbformat raises several types for unknown versions
        return [f"cannot validate: {error}"]


_VALIDATORS: dict = {}


def _schema_validator(major, minor):
    """A fastjsonschema check against the schema nbformat ships, or None to fall back to nbformat.

    Importing ``nbformat.validator`` pulls in jsonschema and its format checkers, about a second per CLI
    process; the same schema compiled by fastjsonschema (an nbformat dependency) costs a tenth of that.
    """
    import importlib.util

    key = (major, minor)
    if key in _VALIDATORS:
        return _VALIDATORS[key]
    compiled = None
    spec = importlib.util.find_spec("nbformat")
    if major == 4 and isinstance(minor, int) and spec and spec.submodule_search_locations:
        path = os.path.join(spec.submodule_search_locations[0], "v4", f"nbformat.v4.{minor}.schema.json")
        if os.path.exists(path):
            try:
                import fastjsonschema

                with open(path, encoding="utf-8") as handle:
                    compiled = fastjsonschema.compile(json.load(handle))
            except Exception:  # no fastjsonschema, or a schema it cannot compile: nbformat decides
                compiled = None
    _VALIDATORS[key] = None if compiled is None else _fast_checker(compiled)
    return _VALIDATORS[key]


def _fast_checker(compiled):
    import fastjsonschema

    def checker(notebook) -> bool:
        try:
            compiled(notebook)
            return True
        except fastjsonschema.JsonSchemaException:
            return False

    return checker


# --------------------------------------------------------------------------------------------
# Reading


def _load_text(path_or_text: str | bytes | os.PathLike[str]) -> tuple[str, str]:
    """(name for messages, decoded text)."""
    if isinstance(path_or_text, str) and path_or_text.lstrip("\ufeff \t\r\n").startswith("{"):
        return "<notebook>", path_or_text
    if isinstance(path_or_text, (bytes, bytearray)):
        name, data = "<notebook>", bytes(path_or_text)
    else:
        name = os.fspath(path_or_text)
        try:
            with open(name, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise NotebookReadError(f"{name}: cannot read: {error.strerror or error}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotebookReadError(f"{name}: UTF-16 text; notebooks are UTF-8 JSON")
    try:
        return name, data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotebookReadError(
            f"{name}: not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line})"
        ) from None


def _check_notebook(notebook: Any, name: str) -> None:
    if not isinstance(notebook, dict) or "nbformat" not in notebook:
        raise NotebookReadError(f"{name}: JSON but not a Jupyter notebook (no 'nbformat' field)")
    major = notebook["nbformat"]
    if not isinstance(major, int) or isinstance(major, bool):
        raise NotebookReadError(f"{name}: 'nbformat' should be an integer, not {major!r}")
    if major < _SUPPORTED_MAJOR:
        raise NotebookReadError(
            f"{name}: nbformat {major} notebook; only nbformat 4 is supported. Upgrade it first:"
            f" jupyter nbconvert --to notebook --nbformat 4 --output upgraded.ipynb {name}"
        )
    if major > _SUPPORTED_MAJOR:
        raise NotebookReadError(f"{name}: nbformat {major} is newer than this tool knows (4)")
    if not isinstance(notebook.get("cells"), list):
        raise NotebookReadError(f"{name}: nbformat 4 notebook without a 'cells' list")


def _detect_layout(body: str, notebook: dict, bom: bool) -> NotebookLayout:
    indent_match = _FIRST_INDENT.match(body)
    indent: int | str | None = None
    if indent_match:
        unit = indent_match.group(1)
        indent = len(unit) if unit.strip(" ") == "" else unit
    key_separator, item_separator = _separators(body, indent is not None)
    return NotebookLayout(
        indent=indent,
        ensure_ascii=body.isascii() and bool(_NON_ASCII_ESCAPE.search(body)),
        trailing_newline=body.endswith("\n"),
        newline="\r\n" if "\r\n" in body else "\n",
        item_separator=item_separator,
        key_separator=key_separator,
        sort_keys=_keys_sorted(notebook),
        bom=bom,
    )


def _separators(body: str, indented: bool) -> tuple[str, str]:
    """Key and item separators, read from the first key/value pair of the top-level object."""
    default = (": ", ",") if indented else (": ", ", ")
    first_key = _FIRST_KEY.match(body)
    if not first_key:
        return default
    key_separator = first_key.group(1)
    try:
        _, value_end = json.JSONDecoder().raw_decode(body, first_key.end())
    except json.JSONDecodeError:
        return key_separator, default[1]
    separator = _ITEM_SEPARATOR.match(body, value_end)
    return key_separator, separator.group() if separator else default[1]


def _keys_sorted(value: Any) -> bool:
    if isinstance(value, dict):
        keys = list(value)
        return keys == sorted(keys) and all(_keys_sorted(item) for item in value.values())
    if isinstance(value, list):
        return all(_keys_sorted(item) for item in value)
    return True


# --------------------------------------------------------------------------------------------
# Writing


class _JsonWriter:
    """The subset of ``json.dumps`` a notebook needs, plus the original spelling of floats."""

    def __init__(self, layout: NotebookLayout) -> None:
        self.quote = (
            json.encoder.encode_basestring_ascii
            if layout.ensure_ascii
            else json.encoder.encode_basestring
        )
        if layout.indent is None:
            self.unit = None
        else:
            self.unit = " " * layout.indent if isinstance(layout.indent, int) else layout.indent
        self.item_separator = layout.item_separator
        self.key_separator = layout.key_separator
        self.sort_keys = layout.sort_keys

    def write(self, value: Any, level: int, out: list[str]) -> None:
        if isinstance(value, str):
            out.append(self.quote(value))
        elif value is None:
            out.append("null")
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif isinstance(value, int):
            out.append(int.__repr__(value))
        elif isinstance(value, float):
            out.append(_float_text(value))
        elif isinstance(value, dict):
            self._write_object(value, level, out)
        elif isinstance(value, (list, tuple)):
            self._write_array(value, level, out)
        else:
            raise TypeError(f"a notebook cannot hold {type(value).__name__} values: {value!r}")

    def _write_object(self, value: dict, level: int, out: list[str]) -> None:
        if not value:
            out.append("{}")
            return
        items = sorted(value.items()) if self.sort_keys else value.items()
        out.append("{")
        separator = self._open(level, out)
        for index, (key, item) in enumerate(items):
            if not isinstance(key, str):
                raise TypeError(f"notebook keys must be strings, not {key!r}")
            if index:
                out.append(separator)
            out.append(self.quote(key))
            out.append(self.key_separator)
            self.write(item, level + 1, out)
        self._close(level, out)
        out.append("}")

    def _write_array(self, value: list | tuple, level: int, out: list[str]) -> None:
        if not value:
            out.append("[]")
            return
        out.append("[")
        separator = self._open(level, out)
        for index, item in enumerate(value):
            if index:
                out.append(separator)
            self.write(item, level + 1, out)
        self._close(level, out)
        out.append("]")

    def _open(self, level: int, out: list[str]) -> str:
        """Start a container's items; return what goes between two items."""
        if self.unit is None:
            return self.item_separator
        line_start = "\n" + self.unit * (level + 1)
        out.append(line_start)
        return self.item_separator + line_start

    def _close(self, level: int, out: list[str]) -> None:
        if self.unit is not None:
            out.append("\n" + self.unit * level)


def _float_text(value: float) -> str:
    text = getattr(value, "text", None)
    if text is not None and float(text) == value:
        return text
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


# --------------------------------------------------------------------------------------------
# Validation


def _describe_validation_error(error: Any) -> str:
    path = "/".join(str(part) for part in getattr(error, "absolute_path", ()) or ())
    message = getattr(error, "message", None) or str(error)
    return f"{path}: {message}" if path else message


def _duplicate_id_messages(notebook: dict) -> list[str]:
    seen: dict[str, int] = {}
    messages = []
    for index, cell in enumerate(notebook.get("cells", [])):
        cell_id = cell.get("id") if isinstance(cell, dict) else None
        if not isinstance(cell_id, str):
            continue
        if cell_id in seen:
            first = seen[cell_id]
            messages.append(f"cells/{index}/id: {cell_id!r} is already the id of cell {first}")
        else:
            seen[cell_id] = index
    return messages
