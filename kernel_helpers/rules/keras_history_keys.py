"""TFM312 keras-history-metric-names."""

from __future__ import annotations

import ast

from kernel_helpers.engine.registry import Rule, register

#: the key Keras 2.2 reported for ``metrics=["accuracy"]`` -> the key Keras 2.3+ (and 3) reports
KEYS = {"acc": "accuracy", "val_acc": "val_accuracy"}


@register
class KerasHistoryMetricNames(Rule):
    """`history.history["acc"]` reads `"accuracy"` when the model was compiled with `metrics=["accuracy"]`.

    ## What it does
    In a notebook whose `compile` calls name the metric `"accuracy"` (and none names it `"acc"`), renames the
    `"acc"` and `"val_acc"` keys read from a Keras `History` (`<history>.history[...]`) to `"accuracy"` and
    `"val_accuracy"`.

    ## Why
    Keras up to 2.2 (TF 1.x's `tf.keras`) reported `metrics=["accuracy"]` as `acc`. Keras 2.3 and Keras 3 report a
    metric under the name it was given, so the TF1-era plotting code fails with a `KeyError: 'acc'`.

    ## Example
    ```python
    import tensorflow as tf
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, validation_split=0.2, epochs=5)
    print(history.history["acc"][-1], history.history["val_acc"][-1])
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, validation_split=0.2, epochs=5)
    print(history.history["accuracy"][-1], history.history["val_accuracy"][-1])
    ```

    ## Fix safety
    Safe: the same numbers, under the key Keras 3 stores them. When a `compile` names the metric `"acc"` itself,
    Keras 3 reports `acc` and nothing is changed.
    """

    code = "TFM312"
    name = "keras-history-metric-names"
    level = "tf2"
    doc = "https://github.com/keras-team/keras/releases/tag/2.3.0"

    def check(self, cell):
        metrics = cell.context.compiled_metrics
        text = cell.source.text
        if "accuracy" not in metrics or "acc" in metrics or "acc'" not in text and 'acc"' not in text:
            return  # the keys are string literals ending in "acc": without one there is nothing to walk for
        for node in ast.walk(cell.tree):
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "history" and isinstance(node.slice, ast.Constant) \
                    and node.slice.value in KEYS:
                start, end = cell.source.span(node.slice)
                quote = cell.source.text[start]
                if quote not in "'\"" or cell.source.text[end - 1] != quote:
                    continue  # a prefixed or triple-quoted literal: left as written
                new = KEYS[node.slice.value]
                yield self.finding(cell, start, end, f"Keras 3 reports `metrics=[\"accuracy\"]` under "
                                                     f"`{new}`, not `{node.slice.value}`",
                                   edits=[(start + 1, end - 1, new)])
