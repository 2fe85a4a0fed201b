"""Reading and writing users' source files without losing a byte.

A file is decoded the way Python itself would decode it (UTF-8 BOM, PEP 263 coding cookie,
UTF-8 otherwise), handled as text with ``"\\n"`` newlines, and written back with the same
encoding, BOM and newline style.  Writes are atomic: a temporary file in the same directory is
renamed over the target, so a crash or a full disk never leaves a truncated file behind.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import uuid
from dataclasses import dataclass, field

__all__ = [
    "SourceFile",
    "SourceReadError",
    "SourceEncodeError",
    "read_source",
    "decode_source",
    "encode_source",
    "atomic_write",
    "copy_unchanged",
]

_UTF8_BOM = codecs.BOM_UTF8
# PEP 263: the cookie is a comment on line 1 or 2 matching this expression.
_CODING_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
# Line 2 is only looked at when line 1 is blank or a comment, as in the tokenizer.
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")


class SourceReadError(ValueError):
    """A file could not be read as Python source; the message names the file and the reason."""


class SourceEncodeError(ValueError):
    """New text cannot be written in the file's encoding."""


@dataclass(frozen=True)
class SourceFile:
    """A decoded source file: ``text`` always uses ``"\\n"`` newlines."""

    text: str
    encoding: str  # codec name, e.g. "utf-8", "iso-8859-1"
    newline: str  # the dominant newline style: "\n", "\r\n" or "\r"
    bom: bool
    # The bytes as read.  Writing back unchanged text returns them, so a file with mixed newline
    # styles is not rewritten by a no-op.
    original: bytes = field(default=b"", repr=False, compare=False)


def read_source(path: str | os.PathLike[str]) -> SourceFile:
    """Read and decode a Python source file; raise :class:`SourceReadError` with a clear reason."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        reason = error.strerror or error
        raise SourceReadError(f"{os.fspath(path)}: cannot read: {reason}") from error
    return decode_source(data, os.fspath(path))


def decode_source(data: bytes, name: str = "<source>") -> SourceFile:
    """Decode source bytes like :func:`read_source`; ``name`` is used in error messages."""
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceReadError(
            f"{name}: UTF-16 text; Python source must be UTF-8 or declare its encoding"
        )
    cookie, cookie_line = _coding_cookie(body)
    encoding = "utf-8"
    if cookie is not None:
        try:
            encoding = codecs.lookup(cookie.decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            raise SourceReadError(
                f"{name}: unknown encoding {cookie.decode('ascii', 'replace')!r} in the coding"
                f" cookie on line {cookie_line}"
            ) from None
        if bom and encoding != "utf-8":
            raise SourceReadError(
                f"{name}: starts with a UTF-8 byte order mark but its coding cookie on line"
                f" {cookie_line} says {cookie.decode('ascii')}"
            )
    try:
        raw_text = body.decode(encoding)
    except UnicodeDecodeError as error:
        raise SourceReadError(
            f"{name}: {_why_undecodable(body, error, encoding, cookie_line)}"
        ) from None
    newline = _dominant_newline(raw_text)
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(text, encoding, newline, bom, original=data)


def encode_source(src: SourceFile, new_text: str) -> bytes:
    """Encode ``new_text`` with ``src``'s encoding, BOM and newline style."""
    if new_text == src.text and src.original:
        return src.original
    text = new_text.replace("\r\n", "\n").replace("\r", "\n")
    if src.newline != "\n":
        text = text.replace("\n", src.newline)
    try:
        data = text.encode(src.encoding)
    except UnicodeEncodeError as error:
        line = text.count(src.newline, 0, error.start) + 1
        raise SourceEncodeError(
            f"cannot write {error.object[error.start]!r} (line {line}) in the file's encoding"
            f" {src.encoding}"
        ) from None
    return _UTF8_BOM + data if src.bom else data


def atomic_write(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Replace the file at ``path`` with ``data`` atomically.

    The data goes to a temporary file in the same directory (so the rename cannot cross file
    systems), is flushed to disk, and then renamed over the target.  An existing file keeps its
    permission bits; a new one gets ``mode`` if given, else the default the umask allows.  On any
    failure the temporary file is removed and the original is untouched.  A symbolic link is
    followed, so the link stays a link.
    """
    target = os.path.realpath(os.fspath(path))
    directory = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        pass
    temporary = os.path.join(directory, f".{os.path.basename(target)}.{uuid.uuid4().hex[:12]}.tmp")
    # 0o666 lets the umask decide a new file's permissions, as open() would.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_directory(directory)


def copy_unchanged(src_path: str | os.PathLike[str], dst_path: str | os.PathLike[str]) -> None:
    """Copy a file byte for byte (atomically, creating parent directories).

    Used for files that cannot be migrated, so the output tree is still complete.  A new copy
    gets the source's permission bits.
    """
    if os.path.exists(dst_path) and os.path.samefile(src_path, dst_path):
        return
    with open(src_path, "rb") as handle:
        data = handle.read()
    parent = os.path.dirname(os.path.abspath(os.fspath(dst_path)))
    os.makedirs(parent, exist_ok=True)
    atomic_write(dst_path, data, mode=stat.S_IMODE(os.stat(src_path).st_mode))


# --------------------------------------------------------------------------------------------

_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines


def _coding_cookie(body: bytes) -> tuple[bytes | None, int]:
    lines = body.splitlines(keepends=True)[:2]
    for number, line in enumerate(lines, start=1):
        match = _CODING_COOKIE.match(line)
        if match:
            return match.group(1), number
        if not _BLANK_OR_COMMENT.match(line):
            break
    return None, 0


def _why_undecodable(
    body: bytes, error: UnicodeDecodeError, encoding: str, cookie_line: int
) -> str:
    line = body.count(b"\n", 0, error.start) + 1
    column = error.start - (body.rfind(b"\n", 0, error.start) + 1) + 1
    where = f"byte 0x{body[error.start]:02x} at line {line}, column {column}"
    if cookie_line:
        return f"not valid {encoding} as its coding cookie on line {cookie_line} says; {where}"
    return f"not valid UTF-8 and no coding cookie; {where}"


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    counts = {"\n": lone_lf, "\r\n": crlf, "\r": lone_cr}
    best = max(counts, key=lambda style: counts[style])
    return best if counts[best] else "\n"


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable; not possible (nor needed) on every platform."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
