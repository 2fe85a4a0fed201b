"""Regenerate tf1_tutorial.ipynb, the TF1 notebook the browser tests open (run from the repo root).

Cell ids are fixed so that tests can name cells (`[data-tf2m-cell-id="simple"]`). The filler
cells make the notebook longer than a screen, so the last cell starts out of view and a windowed
notebook has not created its editor yet.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).parent
FIXTURE = HERE / "tf1_tutorial.ipynb"
FILLER_CELLS = 30

CELLS = [
    ("markdown", "title", "# TF1 tutorial: tensors, graphs and sessions\n\n"
                          "A small TensorFlow 1.x notebook for the tf2-migrate browser tests."),
    ("code", "imports", "import numpy as np\nimport tensorflow as tf"),
    # Self-contained (its own import), so Compare can run it on both sides as it is.
    ("code", "simple", "import tensorflow as tf\n"
                       "values = tf.constant([1.0, 2.0, 4.0])\n"
                       "logs = tf.log(values)\n"
                       "total = tf.reduce_sum(values, keep_dims=True)"),
    ("code", "graph", "x = tf.placeholder(tf.float32, [None, 3])\n"
                      "w = tf.Variable(tf.random_normal([3, 2]))\n"
                      "y = tf.matmul(x, w)"),
    ("code", "plain", "def mean(numbers):\n    return sum(numbers) / len(numbers)\n\nprint(mean([1, 2, 3]))"),
    # Astral characters before the finding: 1 code point in Python, 2 UTF-16 units in the browser.
    ("code", "unicode", 'label = "ελληνικά 😀😀"  # non-ASCII before the TF1 call\n'
                        "scaled = tf.random_normal([3])"),
    ("markdown", "filler-title", "## Filler\n\nPlain Python cells that make the notebook longer than a screen."),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.nbformat_minor = 5
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    cells = list(CELLS)
    cells += [("code", f"filler-{n}", f"step_{n} = {n} * 2\nprint(step_{n})") for n in range(FILLER_CELLS)]
    cells.append(("code", "tail", "tail_logs = tf.log(tf.constant([3.0, 5.0]))"))
    for kind, cell_id, source in cells:
        new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = new(source)
        cell.id = cell_id
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


if __name__ == "__main__":
    nbformat.write(build(), str(FIXTURE))
