"""TFM099 unknown-symbol."""

from __future__ import annotations

from functools import cache

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.rewrite import is_contrib
from kernel_helpers.engine.registry import Rule, register


@register
class UnknownSymbol(Rule):
    """A TensorFlow name that neither the TF1 nor the TF 2 API has.

    ## What it does
    Reports every reference into TensorFlow that the API tables cannot map, so nothing is missed silently
    (`tf_upgrade_v2` says "0 issues" about names it does not know).

    ## Why
    The name is a typo, private, or was removed before TF 2.21 (for instance by the Keras 3 switch).
    The cell will fail on it at run time.

    ## Example
    ```python
    import tensorflow as tf
    y = tf.nn.no_such_op(x)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    y = tf.nn.no_such_op(x)
    ```

    ## Fix safety
    No fix: look the name up in the TF 1.15 API docs and the migration guide.
    """

    code = "TFM099"
    name = "unknown-symbol"

    def check(self, cell):
        from kernel_helpers.api import curated, tables

        t, c = tables(), curated()
        for ref in cell.refs:
            api = ref.api
            if not api or is_contrib(api) or _private(api) or c.removed_module(api) is not None:
                continue
            if not _known(t, api, ref.namespace):
                spelled = ref.qualname.replace("tensorflow", "tf", 1)
                yield self.finding(cell, ref.start, ref.end,
                                   f"`{spelled}` is not in the TF1 or TF 2.21 API; it will fail at run time",
                                   Applicability.MANUAL)


@cache
def _known(t, api: str, namespace: str) -> bool:
    if namespace == "v2":
        return t.in_v2(api)
    if t.in_v1(api) or (namespace == "v1" and t.in_v2(api)):
        return True
    # an attribute of a known class or constant (tf.GraphKeys.LOSSES, tf.float32.max), not of a module
    prefix = t.longest_known_prefix(api)
    return prefix is not None and t.v1_kind(prefix) != "module"


def _private(api: str) -> bool:
    # tensorflow.python.* and tensorflow.core.* are private; TFM901 reports those imports.
    return api.split(".", 1)[0] in {"python", "core", "lite", "tools", "_api"} or api.startswith("_")
