"""TFM098 removed-api."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.index import split_api
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import is_contrib, v1_target


@register
class RemovedApi(Rule):
    """A TF1 module that TF 2.21 no longer ships at all, not even in `tf.compat.v1`.

    ## What it does
    Reports uses and imports of removed modules such as `tf.estimator` (gone since TF 2.16) and
    `tensorflow.examples.tutorials.mnist`, with the replacement the migration guide recommends.

    ## Why
    The code fails with `AttributeError` or `ModuleNotFoundError` on current TensorFlow.

    ## Example
    ```python
    import tensorflow as tf
    from tensorflow.examples.tutorials.mnist import input_data
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    from tensorflow.examples.tutorials.mnist import input_data
    ```

    ## Fix safety
    No fix at level `compat`. At level `tf2` some of these have rules of their own (estimators: TFM6xx).
    """

    code = "TFM098"
    name = "removed-api"

    def check(self, cell):
        from kernel_helpers.api import curated

        seen = []
        for ref in cell.refs:
            seen.append((ref.start, ref.end, ref.api if ref.namespace != "v2" else None))
        for imp in cell.imports:
            for _, qualname, alias in imp.bindings:
                start, end = cell.source.span(alias)
                seen.append((start, end, split_api(qualname)[1] if qualname.startswith("tensorflow.") else None))
        for start, end, api in seen:
            if api and is_contrib(api) and v1_target(api) is not None:
                continue  # moved, not removed: TFM020 rewrites it to its successor (tf_slim, Keras, core TF)
            entry = curated().removed_module(api) if api else None
            if entry is not None:
                yield self.finding(cell, start, end, f"`tf.{api}` was removed from TensorFlow: {entry.note}",
                                   Applicability.MANUAL, doc=entry.guide or None)
