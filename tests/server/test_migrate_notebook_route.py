"""POST /tf2-migrate/migrate-notebook: a migrated copy beside the notebook, the original untouched."""

import json
import os

import nbformat
import pytest
import tornado.httpclient

from kernel_helpers.server.notebooks import UnsafePath, migrated_path, resolve_inside

SOURCES = ["import tensorflow as tf\n", "x = tf.log(tf.constant(2.0))\nprint(x)\n", "y = 1 + 1\n"]


def write_tf1_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in SOURCES]
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Some *notes* é"))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path.read_bytes()


async def migrate(jp_fetch, **payload):
    response = await jp_fetch("tf2-migrate", "migrate-notebook", method="POST", body=json.dumps(payload))
    return json.loads(response.body)


async def refusal(jp_fetch, **payload):
    with pytest.raises(tornado.httpclient.HTTPClientError) as raised:
        await jp_fetch("tf2-migrate", "migrate-notebook", method="POST", body=json.dumps(payload))
    return raised.value.code, json.loads(raised.value.response.body)["message"]


async def test_writes_a_migrated_copy_and_leaves_the_original_alone(jp_fetch, jp_root_dir):
    original = jp_root_dir / "tutorials" / "intro.ipynb"
    original_bytes = write_tf1_notebook(original)

    answer = await migrate(jp_fetch, path="tutorials/intro.ipynb")

    copy = jp_root_dir / "tutorials" / "intro.tf2.ipynb"
    assert answer["path"] == "tutorials/intro.tf2.ipynb"
    assert answer["written"] is True and answer["changed"] is True
    assert answer["cells_changed"] == 1
    assert answer["validation_errors"] == []
    assert original.read_bytes() == original_bytes
    migrated = nbformat.read(str(copy), as_version=4)
    nbformat.validate(migrated)
    cell = migrated.cells[2]
    assert "tf.math.log" in cell.source
    assert cell.metadata["tf2_migrate"]["original"] == SOURCES[1]
    assert migrated.cells[1].source == "Some *notes* é"
    assert "tf2_migrate" not in migrated.cells[3].metadata


async def test_the_copy_is_replaced_on_a_second_run(jp_fetch, jp_root_dir):
    write_tf1_notebook(jp_root_dir / "a.ipynb")
    (jp_root_dir / "a.tf2.ipynb").write_text("stale")

    await migrate(jp_fetch, path="a.ipynb", level="compat")

    nbformat.validate(nbformat.read(str(jp_root_dir / "a.tf2.ipynb"), as_version=4))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("../outside.ipynb", 403, id="dotdot"),
        pytest.param("sub/../../outside.ipynb", 403, id="dotdot-inside"),
        pytest.param("missing.ipynb", 404, id="missing"),
        pytest.param("notes.txt", 403, id="not-a-notebook"),
    ],
)
async def test_paths_outside_the_root_or_not_notebooks_are_refused(jp_fetch, jp_root_dir, path, status):
    outside = jp_root_dir.parent / "outside.ipynb"
    write_tf1_notebook(outside)
    (jp_root_dir / "notes.txt").write_text("x")

    code, message = await refusal(jp_fetch, path=path)

    assert code == status
    assert message
    assert not (jp_root_dir.parent / "outside.tf2.ipynb").exists()


async def test_a_file_that_is_not_a_notebook_is_422_and_untouched(jp_fetch, jp_root_dir):
    broken = jp_root_dir / "broken.ipynb"
    broken.write_text("{not json")

    code, message = await refusal(jp_fetch, path="broken.ipynb")

    assert code == 422
    assert broken.read_text() == "{not json"
    assert not (jp_root_dir / "broken.tf2.ipynb").exists()


async def test_bad_options_are_400(jp_fetch, jp_root_dir):
    write_tf1_notebook(jp_root_dir / "a.ipynb")

    assert (await refusal(jp_fetch, path="a.ipynb", level="tf3"))[0] == 400
    assert (await refusal(jp_fetch, path=7))[0] == 400


def test_symlinks_that_leave_the_root_are_refused(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    os.symlink(outside, root / "link")

    with pytest.raises(UnsafePath):
        resolve_inside(root, "link/x.ipynb")
    assert resolve_inside(root, "/sub/x.ipynb") == (root / "sub" / "x.ipynb").resolve()


def test_migrated_path_names():
    assert migrated_path(__import__("pathlib").Path("a/b.ipynb")).as_posix() == "a/b.tf2.ipynb"
