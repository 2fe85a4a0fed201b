"""fileio: users' files are decoded like Python does, written back like they were, atomically."""

from __future__ import annotations

import os
import stat

import pytest

from kernel_helpers import fileio
from kernel_helpers.fileio import (
    SourceEncodeError,
    SourceReadError,
    atomic_write,
    copy_unchanged,
    encode_source,
    read_source,
)

BOM = b"\xef\xbb\xbf"


def write_bytes(tmp_path, data: bytes, name: str = "cell.py"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_utf8(tmp_path):
    source = read_source(write_bytes(tmp_path, "x = 'é'\n".encode()))
    assert (source.text, source.encoding, source.newline, source.bom) == ("x = 'é'\n", "utf-8", "\n", False)


def test_latin1_coding_cookie(tmp_path):
    data = b"# -*- coding: latin-1 -*-\ns = 'caf\xe9'\n"
    source = read_source(write_bytes(tmp_path, data))
    assert source.text == "# -*- coding: latin-1 -*-\ns = 'café'\n"
    assert source.encoding == "iso8859-1"
    assert encode_source(source, source.text) == data
    changed = encode_source(source, source.text.replace("café", "thé"))
    assert changed == b"# -*- coding: latin-1 -*-\ns = 'th\xe9'\n"


def test_cookie_on_second_line_after_shebang(tmp_path):
    data = b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nq = '\x93x\x94'\n"
    source = read_source(write_bytes(tmp_path, data))
    assert source.text.endswith("q = '\u201cx\u201d'\n")
    assert encode_source(source, source.text + "y = 1\n") == data + b"y = 1\n"


def test_cookie_on_second_line_after_code_is_ignored_like_python(tmp_path):
    path = write_bytes(tmp_path, b"x = 1\n# coding: latin-1\ns = '\xe9'\n")
    with pytest.raises(SourceReadError, match="not valid UTF-8 and no coding cookie"):
        read_source(path)


def test_utf8_bom(tmp_path):
    data = BOM + "x = 'é'\n".encode()
    source = read_source(write_bytes(tmp_path, data))
    assert source.bom and source.text == "x = 'é'\n" and source.encoding == "utf-8"
    assert encode_source(source, source.text) == data
    assert encode_source(source, "y = 2\n") == BOM + b"y = 2\n"


def test_crlf_round_trip(tmp_path):
    data = b"import tensorflow as tf\r\nx = 1\r\n"
    source = read_source(write_bytes(tmp_path, data))
    assert source.newline == "\r\n" and "\r" not in source.text
    assert encode_source(source, source.text) == data
    assert encode_source(source, source.text + "y = 2\n") == data + b"y = 2\r\n"


def test_old_mac_newlines(tmp_path):
    source = read_source(write_bytes(tmp_path, b"x = 1\ry = 2\r"))
    assert source.newline == "\r" and source.text == "x = 1\ny = 2\n"
    assert encode_source(source, "z = 3\n") == b"z = 3\r"


def test_mixed_newlines_survive_a_no_op_and_take_the_dominant_style_on_change(tmp_path):
    data = b"a = 1\r\nb = 2\r\nc = 3\n"
    source = read_source(write_bytes(tmp_path, data))
    assert source.newline == "\r\n"
    assert encode_source(source, source.text) == data
    assert encode_source(source, source.text.replace("3", "4")) == b"a = 1\r\nb = 2\r\nc = 4\r\n"


def test_text_given_with_crlf_is_normalised(tmp_path):
    source = read_source(write_bytes(tmp_path, b"x = 1\n"))
    assert encode_source(source, "x = 1\r\ny = 2\r\n") == b"x = 1\ny = 2\n"


def test_invalid_bytes_give_a_clear_error(tmp_path):
    path = write_bytes(tmp_path, b"x = 1\ny = 2\ns = 'caf\xe9'\n", name="broken.py")
    with pytest.raises(SourceReadError) as caught:
        read_source(path)
    message = str(caught.value)
    assert str(path) in message
    assert "not valid UTF-8 and no coding cookie" in message
    assert "0xe9" in message and "line 3" in message
    assert isinstance(caught.value, ValueError)


def test_bytes_invalid_for_the_declared_encoding(tmp_path):
    path = write_bytes(tmp_path, b"# coding: ascii\ns = '\xe9'\n")
    with pytest.raises(SourceReadError, match="coding cookie on line 1.*0xe9 at line 2"):
        read_source(path)


def test_unknown_encoding_in_cookie(tmp_path):
    path = write_bytes(tmp_path, b"# coding: klingon\nx = 1\n")
    with pytest.raises(SourceReadError, match="unknown encoding 'klingon'"):
        read_source(path)


def test_bom_contradicting_cookie(tmp_path):
    path = write_bytes(tmp_path, BOM + b"# coding: latin-1\nx = 1\n")
    with pytest.raises(SourceReadError, match="byte order mark"):
        read_source(path)


def test_utf16_is_refused_clearly(tmp_path):
    path = write_bytes(tmp_path, "x = 1\n".encode("utf-16"))
    with pytest.raises(SourceReadError, match="UTF-16"):
        read_source(path)


def test_missing_file(tmp_path):
    with pytest.raises(SourceReadError, match="missing.py: cannot read"):
        read_source(tmp_path / "missing.py")


def test_text_that_the_encoding_cannot_hold(tmp_path):
    source = read_source(write_bytes(tmp_path, b"# coding: latin-1\nx = 1\n"))
    with pytest.raises(SourceEncodeError, match="line 3.*iso8859-1"):
        encode_source(source, source.text + "arrow = '\u2192'\n")


# --- atomic writes -----------------------------------------------------------------------------


def test_atomic_write_replaces_content(tmp_path):
    path = write_bytes(tmp_path, b"old content that is longer\n")
    atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert os.listdir(tmp_path) == ["cell.py"]


def test_atomic_write_creates_a_file_with_the_umask_mode(tmp_path):
    umask = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.py", b"x = 1\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.py").read_bytes() == b"x = 1\n"
    assert stat.S_IMODE(os.stat(tmp_path / "new.py").st_mode) == 0o640


def test_atomic_write_preserves_mode(tmp_path):
    path = write_bytes(tmp_path, b"#!/usr/bin/env python\n")
    os.chmod(path, 0o751)
    atomic_write(path, b"#!/usr/bin/env python3\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o751


def test_failed_replace_leaves_original_and_no_temporary_file(tmp_path, monkeypatch):
    path = write_bytes(tmp_path, b"precious\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, b"new content\n")
    assert path.read_bytes() == b"precious\n"
    assert os.listdir(tmp_path) == ["cell.py"]


def test_failed_write_leaves_original_and_no_temporary_file(tmp_path, monkeypatch):
    path = write_bytes(tmp_path, b"precious\n")

    def broken_fsync(descriptor):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fileio.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        atomic_write(path, b"new content\n")
    assert path.read_bytes() == b"precious\n"
    assert os.listdir(tmp_path) == ["cell.py"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path):
    target = write_bytes(tmp_path, b"old\n", name="real.py")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    atomic_write(link, b"new\n")
    assert link.is_symlink() and target.read_bytes() == b"new\n"


# --- copies ------------------------------------------------------------------------------------


def test_copy_unchanged_is_byte_for_byte_and_creates_parents(tmp_path):
    data = b"print 'caf\xe9'\r\n\x00odd\r"
    src = write_bytes(tmp_path, data, name="bad.py")
    os.chmod(src, 0o755)
    dst = tmp_path / "out" / "deep" / "bad.py"
    copy_unchanged(src, dst)
    assert dst.read_bytes() == data
    assert stat.S_IMODE(os.stat(dst).st_mode) == 0o755


def test_copy_unchanged_over_existing_file(tmp_path):
    src = write_bytes(tmp_path, b"new\n", name="a.py")
    dst = write_bytes(tmp_path, b"old\n", name="b.py")
    copy_unchanged(src, dst)
    assert dst.read_bytes() == b"new\n"


def test_copy_unchanged_onto_itself_is_a_no_op(tmp_path):
    src = write_bytes(tmp_path, b"same\n")
    copy_unchanged(src, src)
    assert src.read_bytes() == b"same\n" and os.listdir(tmp_path) == ["cell.py"]


def test_failed_copy_leaves_no_partial_file(tmp_path, monkeypatch):
    src = write_bytes(tmp_path, b"data\n", name="a.py")
    monkeypatch.setattr(fileio.os, "replace", lambda s, d: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError):
        copy_unchanged(src, tmp_path / "out" / "a.py")
    assert os.listdir(tmp_path / "out") == []
