"""TFM311 keras-fit-generator."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import method_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register

#: Keras 2's generator methods -> the Keras 3 method that takes generators
METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"}
#: keywords that only tuned Keras 2's loading threads; Keras 3's fit has no such parameters
DROPPED = {"max_queue_size", "workers", "use_multiprocessing"}


@register
class KerasFitGenerator(Rule):
    """`model.fit_generator(...)` (and `evaluate_generator`, `predict_generator`): `fit` and friends in Keras 3.

    ## What it does
    In a notebook that imports TensorFlow, renames the call to `fit` (`evaluate`, `predict`), passes the generator
    as `x=` where it was given as `generator=`, and drops `max_queue_size`, `workers` and `use_multiprocessing`.

    ## Why
    Keras 2.4 deprecated the generator methods and Keras 3 removed them: `fit` takes a Python generator itself.
    The loading-thread settings have no `fit` parameter in Keras 3 (they belong to a `keras.utils.PyDataset`).

    ## Example
    ```python
    import tensorflow as tf
    history = model.fit_generator(generator=batches, steps_per_epoch=100, epochs=5, workers=4)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    history = model.fit(x=batches, steps_per_epoch=100, epochs=5)
    ```

    ## Fix safety
    Safe: the same batches, epochs and callbacks. A call with more than one positional argument is only reported,
    since `fit`'s second parameter is `y` where `fit_generator`'s was `steps_per_epoch`.
    """

    code = "TFM311"
    name = "keras-fit-generator"
    level = "tf2"
    doc = "https://keras.io/guides/migrating_to_keras_3/"

    def check(self, cell):
        for node in method_calls(cell, METHODS):
            method, new = node.func.attr, METHODS[node.func.attr]
            name_end = cell.source.span(node.func)[1]
            name_start = name_end - len(method)
            message = f"Keras 3 has no `{method}`: `{new}` takes the generator"
            if len(node.args) > 1 or any(isinstance(a, ast.Starred) for a in node.args) \
                    or any(k.arg is None for k in node.keywords):
                yield self.finding(cell, name_start, name_end, message + "; pass its other arguments by keyword",
                                   Applicability.MANUAL)
                continue
            edits = [(name_start, name_end, new)]
            arguments = [*node.args, *node.keywords]
            for index, keyword in enumerate(node.keywords, start=len(node.args)):
                start, end = cell.source.span(keyword)
                if keyword.arg == "generator":
                    edits.append((start, start + len("generator"), "x"))
                elif keyword.arg in DROPPED:
                    # Take the comma before it along (or the one after, when it comes first).
                    if index:
                        start = cell.source.span(arguments[index - 1])[1]
                    elif index + 1 < len(arguments):
                        end = cell.source.span(arguments[index + 1])[0]
                    edits.append((start, end, ""))
            yield self.finding(cell, name_start, name_end, message, edits=edits)

