"""TFM410 mnist-tutorial-loader."""

from __future__ import annotations

from kernel_helpers.engine.registry import Rule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrate_tf2"
_PACKAGE = "tensorflow.examples.tutorials.mnist"
_MODULE = _PACKAGE + ".input_data"
#: tf2-migrate's offline copy of the loader (numpy only, the same read_data_sets/DataSet API)
_LOADER_PACKAGE = "kernel_helpers.runtime"
_LOADER = "kernel_helpers.runtime.datasets"


@register
class MnistTutorialLoader(Rule):
    """The TF1 tutorials' MNIST loader, `input_data.read_data_sets`: tf2-migrate's offline copy.

    ## What it does
    Points `from tensorflow.examples.tutorials.mnist import input_data` (and the other spellings of that
    import) at `kernel_helpers.runtime.datasets`, which has the same `read_data_sets`, `DataSet` and
    `next_batch`, so the notebook's data code runs unchanged.

    ## Why
    `tensorflow.examples` is not part of the TF 2 wheel, so the import fails and every cell that reads the
    data fails after it. The TF 2 way, `tf.keras.datasets.mnist.load_data()`, returns uint8 arrays with
    integer labels and no `next_batch`: moving to it rewrites the notebook's data handling, which is a
    person's job (the finding links the guide).

    ## Example
    ```python
    from tensorflow.examples.tutorials.mnist import input_data
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    ```

    ## Use instead
    ```python
    from kernel_helpers.runtime import datasets as input_data
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    ```

    ## Fix safety
    Safe for the data the notebook already has: the copy reads the four IDX files the TF1 loader downloaded
    into `train_dir`, then `$TF2_MIGRATE_DATA_DIR` and Keras' cache. It never downloads: with none of those
    it loads a small synthetic sample and warns that it did (a `DataSourceNotice` naming the source).
    """

    code = "TFM410"
    name = "mnist-tutorial-loader"
    level = "graph"  # its output runs with TF1's graph runtime too
    doc = _GUIDE

    def check(self, cell):
        for ref in cell.imports:
            replacement = _replacement(ref.node)
            if replacement is not None:
                yield self.finding(cell, ref.start, ref.end,
                                   "`tensorflow.examples` is not in TF 2: the MNIST loader comes from "
                                   "tf2-migrate's offline copy (or move to `tf.keras.datasets.mnist`)",
                                   edits=[(ref.start, ref.end, replacement)])


def _replacement(node) -> str | None:
    import ast

    if isinstance(node, ast.ImportFrom) and node.level == 0:
        if node.module == _PACKAGE and all(a.name == "input_data" for a in node.names):
            return f"from {_LOADER_PACKAGE} import " + ", ".join(
                f"datasets as {a.asname or a.name}" for a in node.names)
        if node.module == _MODULE:
            return f"from {_LOADER} import " + ", ".join(
                a.name if a.asname is None else f"{a.name} as {a.asname}" for a in node.names)
        return None
    if isinstance(node, ast.Import) and len(node.names) == 1:
        alias = node.names[0]
        if alias.name == _MODULE and alias.asname is not None:
            return f"from {_LOADER_PACKAGE} import datasets as {alias.asname}"
    return None
