"""TFM314 keras-embedding-input-length."""

from __future__ import annotations

import ast

from kernel_helpers.engine.rewrite import qualified
from kernel_helpers.engine.registry import Rule, register

EMBEDDING = "keras.layers.Embedding"


@register
class KerasEmbeddingInputLength(Rule):
    """`Embedding(..., input_length=N)` as a model's first layer: a `tf.keras.Input(shape=(N,))` in front of it.

    ## What it does
    Where an `Embedding` with `input_length` is added to a `Sequential` model (`model.add(Embedding(...))`) or is
    the first layer of a `Sequential([...])` list, puts `tf.keras.Input(shape=(N,))` before it and drops
    `input_length`.

    ## Why
    Keras 2 built a model whose first layer was an `Embedding(input_length=N)` at once, with inputs of shape
    `(None, N)`. Keras 3 ignores `input_length` (with a deprecation warning), so the model stays unbuilt:
    `summary()` shows no parameters and `get_weights()` is empty until the first batch is seen. An `Input` builds
    it as Keras 2 did.

    ## Example
    ```python
    import tensorflow as tf
    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Embedding(input_dim=1000, output_dim=8, input_length=20, name="embedding"))
    classifier = tf.keras.Sequential([tf.keras.layers.Embedding(1000, 8, input_length=20),
                                      tf.keras.layers.GlobalAveragePooling1D()])
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(20,)))
    model.add(tf.keras.layers.Embedding(input_dim=1000, output_dim=8, name="embedding"))
    classifier = tf.keras.Sequential([tf.keras.Input(shape=(20,)), tf.keras.layers.Embedding(1000, 8),
                                      tf.keras.layers.GlobalAveragePooling1D()])
    ```

    ## Fix safety
    Safe: the same layers and weights, built at once as Keras 2 built them. An `Embedding` with `input_length`
    elsewhere (not added to a model, or not the first in the list) is left alone.
    """

    code = "TFM314"
    name = "keras-embedding-input-length"
    level = "tf2"
    doc = "https://keras.io/guides/migrating_to_keras_3/"

    def check(self, cell):
        if "input_length" not in cell.source.text:
            return
        for ref in cell.refs:
            if ref.api != EMBEDDING or ref.call is None or ref.call.func is not ref.node:
                continue
            call = ref.call
            length = next((k for k in call.keywords if k.arg == "input_length"), None)
            if length is None or isinstance(length.value, ast.Constant) and length.value.value is None:
                continue
            where = _place(cell, call)
            if where is None:
                continue
            keras_input, imports = qualified(cell, "tensorflow.keras.Input")
            arguments = [*call.args, *call.keywords]
            index = arguments.index(length)
            start, end = cell.source.span(length)
            if index:
                start = cell.source.span(arguments[index - 1])[1]
            elif index + 1 < len(arguments):
                end = cell.source.span(arguments[index + 1])[0]
            shape = f"{keras_input}(shape=({cell.source.segment(length.value)},))"
            insert_at, prefix = where
            edits = [(start, end, ""), (insert_at, insert_at, prefix.format(shape))]
            yield self.finding(cell, *cell.source.span(length), "Keras 3 ignores `input_length`, so the model is not "
                               "built until it sees data: an `Input` of that length builds it as Keras 2 did",
                               edits=edits, imports=imports)


def _place(cell, call: ast.Call) -> tuple[int, str] | None:
    """Where the ``Input`` goes and how it is written around the layer: before the ``model.add(...)`` statement,
    or before the layer as the first item of a ``Sequential([...])`` list; None elsewhere."""
    for node in ast.walk(cell.tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func,
                                                                                          ast.Attribute) \
                and node.value.func.attr == "add" and node.value.args and node.value.args[0] is call \
                and len(node.value.args) == 1 and not node.value.keywords:
            start, _ = cell.source.span(node)
            line_start = cell.source.text.rfind("\n", 0, start) + 1
            indent = cell.source.text[line_start:start]
            if indent.strip():
                return None  # the statement shares its line with another
            model = cell.source.segment(node.value.func.value)
            return start, f"{model}.add({{}})\n{indent}"
        if isinstance(node, ast.List) and node.elts and node.elts[0] is call:
            parent = next((p for p in ast.walk(cell.tree) if isinstance(p, ast.Call) and p.args
                           and p.args[0] is node), None)
            if parent is not None and isinstance(parent.func, (ast.Name, ast.Attribute)) and (
                    parent.func.id if isinstance(parent.func, ast.Name) else parent.func.attr) == "Sequential":
                return cell.source.span(call)[0], "{}, "
    return None
