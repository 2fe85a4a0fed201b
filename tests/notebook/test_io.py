"""notebook.io: notebooks come back byte for byte in the layout they were written in."""

from __future__ import annotations

import copy
import difflib
import json
from pathlib import Path

import nbformat
import pytest

from kernel_helpers.notebook.io import (
    NotebookLayout,
    NotebookReadError,
    cell_source,
    dumps_notebook,
    read_notebook,
    set_cell_source,
    validate,
    write_notebook,
)

FIXTURES = Path(__file__).parent.parent / "data" / "io"
ALL_FIXTURES = sorted(FIXTURES.glob("*.ipynb"))


def test_fixtures_exist():
    assert len(ALL_FIXTURES) >= 10


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=[p.stem for p in ALL_FIXTURES])
def test_unchanged_notebook_round_trips_byte_identical(path):
    notebook, layout = read_notebook(path)
    assert dumps_notebook(notebook, layout).encode("utf-8") == path.read_bytes()
    assert validate(notebook) == []


EXPECTED_LAYOUTS = {
    "nbformat-4.5": dict(indent=1, ensure_ascii=False, trailing_newline=True, sort_keys=True),
    "nbformat-4.0-no-ids": dict(indent=1, ensure_ascii=False, trailing_newline=True, sort_keys=True),
    "indent2-unsorted-no-newline": dict(indent=2, trailing_newline=False, sort_keys=False),
    "indent4-ascii-escaped": dict(indent=4, ensure_ascii=True),
    "compact-default-separators": dict(indent=None, item_separator=", ", key_separator=": "),
    "compact-tight-separators": dict(indent=None, item_separator=",", key_separator=":", ensure_ascii=False),
    "python2-trailing-spaces": dict(indent=1, item_separator=", "),
    "windows-crlf-bom": dict(newline="\r\n", bom=True),
    "javascript-stringify": dict(indent=1, sort_keys=False),
    "string-sources": dict(indent=1),
}


@pytest.mark.parametrize("stem,expected", EXPECTED_LAYOUTS.items(), ids=EXPECTED_LAYOUTS.keys())
def test_layout_is_detected(stem, expected):
    _, layout = read_notebook(FIXTURES / f"{stem}.ipynb")
    assert {key: getattr(layout, key) for key in expected} == expected


def test_javascript_float_spelling_is_kept():
    text = (FIXTURES / "javascript-stringify.ipynb").read_text(encoding="utf-8")
    assert '"lr": 1e-7' in text and '"tiny": 0.00001' in text  # Python would write 1e-07, 1e-05
    notebook, layout = read_notebook(text)
    assert notebook["cells"][2]["metadata"]["lr"] == 1e-7
    # Callers deep-copy notebooks before migrating them; the spelling must survive that.
    assert dumps_notebook(copy.deepcopy(notebook), layout) == text
    notebook["cells"][2]["metadata"]["lr"] = 2e-7  # a new value is written the Python way
    assert '"lr": 2e-07' in dumps_notebook(notebook, layout)


def test_sources_keep_list_or_string_form():
    listed, _ = read_notebook(FIXTURES / "nbformat-4.5.ipynb")
    joined, _ = read_notebook(FIXTURES / "string-sources.ipynb")
    assert all(isinstance(cell["source"], list) for cell in listed["cells"])
    assert all(isinstance(cell["source"], str) for cell in joined["cells"])
    assert [cell_source(c) for c in listed["cells"]] == [cell_source(c) for c in joined["cells"]]


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.mark.parametrize("stem", ["nbformat-4.5", "indent2-unsorted-no-newline", "javascript-stringify",
                                  "windows-crlf-bom", "python2-trailing-spaces"])
def test_changing_one_cell_changes_only_its_source_lines(stem):
    notebook, layout = read_notebook(FIXTURES / f"{stem}.ipynb")
    before = dumps_notebook(notebook, layout)
    cell = notebook["cells"][1]
    old_lines = cell["source"]
    set_cell_source(cell, cell_source(cell).replace("tf.placeholder", "tf.compat.v1.placeholder"))
    removed, added = changed_lines(before, dumps_notebook(notebook, layout))
    assert removed == [line for line in before.splitlines() if "tf.placeholder" in line]
    assert len(removed) == len(added) == 1
    assert json.dumps(old_lines[-1], ensure_ascii=layout.ensure_ascii) in removed[0]
    assert "tf.compat.v1.placeholder" in added[0]


def test_changing_a_string_source_changes_one_line():
    notebook, layout = read_notebook(FIXTURES / "string-sources.ipynb")
    before = dumps_notebook(notebook, layout)
    set_cell_source(notebook["cells"][2], "print('loss:', sess.run(loss))  # ≈ 0.3")
    removed, added = changed_lines(before, dumps_notebook(notebook, layout))
    assert len(removed) == len(added) == 1 and "print 'loss:'" in removed[0]
    assert added[0].strip() == '"source": "print(\'loss:\', sess.run(loss))  # ≈ 0.3"'


def test_new_metadata_in_an_nbformat_notebook_is_written_as_nbformat_would():
    notebook, layout = read_notebook(FIXTURES / "nbformat-4.5.ipynb")
    cell = notebook["cells"][2]
    cell["metadata"]["tf2_migrate"] = {"original": cell_source(cell), "level": "tf2"}
    set_cell_source(cell, "print('loss:', sess.run(loss))  # ≈ 0.3\n")
    expected = nbformat.writes(nbformat.from_dict(copy.deepcopy(notebook))) + "\n"
    assert dumps_notebook(notebook, layout) == expected


def test_new_keys_stay_last_when_the_file_was_not_sorted():
    notebook, layout = read_notebook(FIXTURES / "indent2-unsorted-no-newline.ipynb")
    notebook["metadata"]["tf2_migrate"] = {"b": 1, "a": 2}
    reread, _ = read_notebook(dumps_notebook(notebook, layout))
    assert list(reread) == ["nbformat", "nbformat_minor", "metadata", "cells"]
    assert list(reread["metadata"])[-1] == "tf2_migrate"
    assert list(reread["metadata"]["tf2_migrate"]) == ["b", "a"]


def test_outputs_attachments_ids_and_metadata_are_kept():
    notebook, layout = read_notebook(FIXTURES / "nbformat-4.5.ipynb")
    original = copy.deepcopy(notebook)
    set_cell_source(notebook["cells"][2], "print('x')\n")
    reread, _ = read_notebook(dumps_notebook(notebook, layout))
    for old, new in zip(original["cells"], reread["cells"]):
        for key in ("id", "outputs", "attachments", "metadata", "execution_count", "cell_type"):
            assert old.get(key) == new.get(key)
    assert reread["metadata"] == original["metadata"]


def test_read_from_text_bytes_and_path(tmp_path):
    path = FIXTURES / "nbformat-4.5.ipynb"
    from_path = read_notebook(path)
    assert read_notebook(str(path)) == from_path
    assert read_notebook(path.read_bytes()) == from_path
    assert read_notebook(path.read_text(encoding="utf-8")) == from_path


def test_write_notebook_writes_the_dumped_bytes(tmp_path):
    notebook, layout = read_notebook(FIXTURES / "windows-crlf-bom.ipynb")
    target = tmp_path / "out.ipynb"
    write_notebook(target, notebook, layout)
    assert target.read_bytes() == (FIXTURES / "windows-crlf-bom.ipynb").read_bytes()


def test_default_layout_is_nbformats():
    notebook = json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 'é'")])))
    assert dumps_notebook(notebook) == nbformat.writes(nbformat.from_dict(notebook)) + "\n"
    assert NotebookLayout().indent == 1


# --- cell sources ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "x = 1", "x = 1\n", "a\nb\n\nc", "a\r\nb\r\n", "tab\tline\n\n"])
def test_list_sources_split_like_nbformat(text):
    cell = {"source": ["old\n"]}
    set_cell_source(cell, text)
    assert cell["source"] == text.splitlines(keepends=True)
    assert cell_source(cell) == text
    written = json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)])))
    assert written["cells"][0]["source"] == cell["source"]


def test_string_source_stays_a_string():
    cell = {"source": "old"}
    set_cell_source(cell, "new\nlines\n")
    assert cell["source"] == "new\nlines\n"


def test_cell_without_source_gets_the_list_form():
    cell = {"cell_type": "code"}
    assert cell_source(cell) == ""
    set_cell_source(cell, "x\ny")
    assert cell["source"] == ["x\n", "y"]


# --- errors ------------------------------------------------------------------------------------


def test_broken_json_is_reported_with_its_position(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{\n "cells": [\n  {"cell_type": "code",}\n ]\n}\n', encoding="utf-8")
    with pytest.raises(NotebookReadError) as caught:
        read_notebook(path)
    message = str(caught.value)
    assert str(path) in message and "not valid JSON" in message and "line 3" in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text,expected", [
    ("[1, 2]", "not a Jupyter notebook"),
    ('{"cells": []}', "not a Jupyter notebook"),
    ('{"nbformat": "4", "cells": []}', "should be an integer"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "without a 'cells' list"),
    ('{"nbformat": 5, "cells": []}', "newer than this tool knows"),
    ("   ", "empty file"),
], ids=["json-list", "no-nbformat", "nbformat-string", "no-cells", "nbformat-5", "empty"])
def test_json_that_is_not_a_notebook(text, expected):
    with pytest.raises(NotebookReadError, match=expected):
        read_notebook(text.encode())


def test_nbformat_3_suggests_nbconvert(tmp_path):
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": []}))
    with pytest.raises(NotebookReadError, match="nbformat 3.*nbconvert --to notebook --nbformat 4"):
        read_notebook(path)


def test_invalid_utf8_and_missing_file(tmp_path):
    with pytest.raises(NotebookReadError, match="not valid UTF-8.*0xe9"):
        read_notebook(b'{"nbformat": 4, "cells": ["caf\xe9"]}')
    with pytest.raises(NotebookReadError, match="cannot read"):
        read_notebook(tmp_path / "missing.ipynb")


# --- validation --------------------------------------------------------------------------------


def test_validation_messages_name_the_problem():
    notebook, _ = read_notebook(FIXTURES / "nbformat-4.5.ipynb")
    notebook["cells"][1]["source"] = 42
    notebook["cells"][3]["id"] = notebook["cells"][0]["id"]
    before = copy.deepcopy(notebook)
    messages = validate(notebook)
    assert any(message.startswith("cells/1/source") for message in messages)
    assert any("cells/3/id" in message and "already the id of cell 0" in message for message in messages)
    assert notebook == before  # nbformat's own validate() would repair the duplicate id in place


def test_nbformat_4_5_needs_cell_ids():
    notebook, _ = read_notebook(FIXTURES / "nbformat-4.0-no-ids.ipynb")
    assert validate(notebook) == []
    notebook["nbformat_minor"] = 5
    assert any("'id' is a required property" in message for message in validate(notebook))
