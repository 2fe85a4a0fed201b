"""TFM901 private-api."""

from __future__ import annotations

from kernel_helpers.engine.context import public_keras_module
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register

PRIVATE = ("tensorflow.python", "tensorflow.core")


@register
class PrivateApi(Rule):
    """An import of TensorFlow's private modules (`tensorflow.python.*`, `tensorflow.core.*`).

    ## What it does
    Reports the import. Private modules move between releases without notice and have no migration path.

    ## Why
    TF1 code often reached into `tensorflow.python` for helpers that are now public under another name
    (or gone). They break on upgrades.

    ## Example
    ```python
    from tensorflow.python.framework import ops
    ```

    ## Use instead
    ```python
    from tensorflow.python.framework import ops
    ```

    ## Fix safety
    No fix: find the public API that does the same (often `tf.compat.v1.*` or `tf.experimental.*`).
    """

    code = "TFM901"
    name = "private-api"

    def check(self, cell):
        for imp in cell.imports:
            if public_keras_module(imp.node) is not None:
                continue  # TFM902 rewrites it to the public module
            for _, _, alias in imp.bindings:
                module = alias.name if imp.node.__class__.__name__ == "Import" \
                    else f"{imp.node.module}.{alias.name}"
                if any(module == p or module.startswith(p + ".") for p in PRIVATE):
                    start, end = cell.source.span(alias)
                    yield self.finding(cell, start, end,
                                       f"`{module}` is private TensorFlow API with no migration path",
                                       Applicability.MANUAL)
