"""TFM313 keras-predict-classes."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import method_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register


@register
class KerasPredictClasses(Rule):
    """`model.predict_classes(x)` and `model.predict_proba(x)`: `predict`, with the classes taken as Keras 2 did.

    ## What it does
    In a notebook that imports TensorFlow, `predict_proba(x)` becomes `predict(x, verbose=0)`. `predict_classes(x)`
    becomes an expression that does what Keras 2's `Sequential.predict_classes` did: `argmax` over the last axis
    when the model has several outputs, else the outputs thresholded at 0.5, as `int32`. The probabilities go in a
    name of their own (`<name>_probabilities`) so the expression reads them once.

    ## Why
    Keras 2.6 removed both methods and Keras 3 does not have them. Which form is right depends on the model's last
    layer (softmax or sigmoid), which the code shows only at run time, so the expression decides there, as Keras 2
    did. Keras 2's `verbose` default was 0 where Keras 3's `predict` prints a progress bar.

    ## Example
    ```python
    import tensorflow as tf
    labels = model.predict_classes(x_test)
    scores = model.predict_proba(x_test, batch_size=64)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    labels = (model_probabilities.argmax(axis=-1)
              if (model_probabilities := model.predict(x_test, verbose=0)).shape[-1] > 1
              else (model_probabilities > 0.5).astype("int32"))
    scores = model.predict(x_test, batch_size=64, verbose=0)
    ```

    ## Fix safety
    Safe: the same classes and probabilities. A call that passes `*args`/`**kwargs`, or `verbose` by position, is
    only reported.
    """

    code = "TFM313"
    name = "keras-predict-classes"
    level = "tf2"
    doc = "https://keras.io/guides/migrating_to_keras_3/"

    def check(self, cell):
        for node in method_calls(cell, ("predict_classes", "predict_proba")):
            method = node.func.attr
            start, end = cell.source.span(node)
            message = f"Keras 3 has no `{method}`: call `predict`"
            if len(node.args) > 2 or any(isinstance(a, ast.Starred) for a in node.args) \
                    or any(k.arg is None for k in node.keywords):
                yield self.finding(cell, start, end, message, Applicability.MANUAL)
                continue
            model = cell.source.segment(node.func.value)
            arguments = [cell.source.segment(a) for a in node.args]
            arguments += [cell.source.segment(k) for k in node.keywords]
            if "verbose" not in {k.arg for k in node.keywords}:
                arguments.append("verbose=0")
            predict = f"{model}.predict({', '.join(arguments)})"
            if method == "predict_proba":
                yield self.finding(cell, start, end, message, edits=[(start, end, predict)])
                continue
            base = node.func.value.id if isinstance(node.func.value, ast.Name) else "predicted"
            name = _fresh(f"{base}_probabilities", cell.source.text)
            column = cell.source.position(start)[1]
            indent = " " * (column + 1)
            text = (f"({name}.argmax(axis=-1)\n{indent}if ({name} := {predict}).shape[-1] > 1\n"
                    f"{indent}else ({name} > 0.5).astype(\"int32\"))")
            yield self.finding(cell, start, end, message + ", then take the classes as Keras 2 did",
                               edits=[(start, end, text)])


def _fresh(name: str, text: str) -> str:
    candidate, number = name, 1
    while candidate in text:
        number += 1
        candidate = f"{name}_{number}"
    return candidate
