"""Regenerate the notebook layout fixtures in this folder (run from the repository root).

Each fixture is one real-world way of writing the same small TF1 notebook: by nbformat (which is
also what JupyterLab's server writes), by JavaScript's JSON.stringify (VS Code-style, needs
``node``), and by plain ``json.dump`` calls of various tools.  The tests read each file and
check that writing it back gives the same bytes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat

HERE = Path(__file__).parent
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="


def tf1_notebook(minor: int = 5) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.nbformat_minor = minor
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "version": "2.7.18"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# MNIST — softmax régression\n\n![pixel](attachment:pixel.png)",
            attachments={"pixel.png": {"image/png": PNG}},
        ),
        nbformat.v4.new_code_cell(
            "%matplotlib inline\nimport tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 784])",
            execution_count=1,
        ),
        nbformat.v4.new_code_cell(
            "print 'loss:', sess.run(loss)  # ≈ 0.3",
            execution_count=2,
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="loss: 0.31\n"),
                nbformat.v4.new_output(
                    "display_data", data={"image/png": PNG, "text/plain": "<Figure size 432x288>"},
                    metadata={"image/png": {"width": 1, "height": 1}},
                ),
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": "array([0.1, 0.2])"}, execution_count=2
                ),
            ],
            metadata={"scrolled": True, "lr": 1e-07, "tags": ["train"]},
        ),
        nbformat.v4.new_code_cell("", execution_count=None),
    ]
    if minor < 5:
        for cell in nb.cells:
            cell.pop("id", None)
    return nb


def plain(nb) -> dict:
    """The notebook as nbformat would write it, as plain JSON data (list sources)."""
    return json.loads(nbformat.writes(nb))


def write(name: str, text: str, *, bom: bool = False) -> None:
    data = text.encode("utf-8")
    (HERE / name).write_bytes(b"\xef\xbb\xbf" + data if bom else data)


def main() -> None:
    nbformat.write(tf1_notebook(), str(HERE / "nbformat-4.5.ipynb"))
    nbformat.write(tf1_notebook(minor=0), str(HERE / "nbformat-4.0-no-ids.ipynb"))

    data = plain(tf1_notebook())
    write("indent2-unsorted-no-newline.ipynb", json.dumps(
        {k: data[k] for k in ("nbformat", "nbformat_minor", "metadata", "cells")}, indent=2,
        ensure_ascii=False))
    write("indent4-ascii-escaped.ipynb", json.dumps(data, indent=4, ensure_ascii=True) + "\n")
    write("compact-default-separators.ipynb", json.dumps(data))
    write("compact-tight-separators.ipynb", json.dumps(data, separators=(",", ":"), ensure_ascii=False))
    write("python2-trailing-spaces.ipynb", json.dumps(data, indent=1, separators=(", ", ": ")) + "\n")
    write("windows-crlf-bom.ipynb",
          (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").replace("\n", "\r\n"),
          bom=True)

    string_sources = plain(tf1_notebook())
    for cell in string_sources["cells"]:
        cell["source"] = "".join(cell["source"])
    write("string-sources.ipynb", json.dumps(string_sources, indent=1, ensure_ascii=False) + "\n")

    # JSON.stringify spells small floats "1e-7" where Python writes "1e-07", and keeps key order.
    script = (
        "const fs = require('fs');"
        "const nb = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "nb.cells[2].metadata.tiny = 0.00001; nb.cells[2].metadata.big = 1e21;"
        "process.stdout.write(JSON.stringify(nb, null, 1) + '\\n');"
    )
    js = subprocess.run(["node", "-e", script], input=json.dumps(data), capture_output=True,
                        text=True, check=True, encoding="utf-8").stdout
    write("javascript-stringify.ipynb", js)


if __name__ == "__main__":
    main()
