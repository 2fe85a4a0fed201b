"""TFM900 contrib-removed."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.index import split_api
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import is_contrib, v1_target


@register
class ContribRemoved(Rule):
    """A `tf.contrib` name with no maintained successor.

    ## What it does
    Reports each use or import of a `tf.contrib` name that the curated map has no successor for, with
    what to do instead (for example TensorFlow Probability for `contrib.distributions`).

    ## Why
    `tf.contrib` was removed in TF 2.0. Some of it moved to other projects that are not drop-in
    replacements, and some of it (TF Addons, which took many contrib modules) reached end of life in 2024.

    ## Example
    ```python
    import tensorflow as tf
    d = tf.contrib.distributions.Normal(0.0, 1.0)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    d = tf.contrib.distributions.Normal(0.0, 1.0)
    ```

    ## Fix safety
    No fix: the replacement has to be chosen by hand.
    """

    code = "TFM900"
    name = "contrib-removed"

    def check(self, cell):
        from kernel_helpers.api import curated

        spans = [(r.start, r.end, r.api) for r in cell.refs if r.namespace == "v1"]
        for imp in cell.imports:
            for _, qualname, alias in imp.bindings:
                if qualname.startswith("tensorflow."):
                    start, end = cell.source.span(alias)
                    spans.append((start, end, split_api(qualname)[1]))
        for start, end, api in spans:
            if is_contrib(api) and v1_target(api) is None:
                entry = curated().contrib(api)
                why = entry.note if entry is not None and entry.note else "it has no maintained successor"
                yield self.finding(cell, start, end, f"`tf.{api}` was removed with tf.contrib: {why}",
                                   Applicability.MANUAL)
