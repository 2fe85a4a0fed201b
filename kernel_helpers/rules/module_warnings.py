"""TFM021 flags-and-logging."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register

MODULES = {
    "app.flags": "absl.flags",
    "flags": "absl.flags",
    "logging": "absl.logging",
    "app.run": "absl.app.run",
}


@register
class FlagsAndLogging(Rule):
    """`tf.app.flags`, `tf.flags`, `tf.app.run` and `tf.logging`: absl in TF 2.

    ## What it does
    Reports each use. At level `compat` they keep working as `tf.compat.v1.*` (TFM005); at level `tf2`,
    the TFM5xx rules rewrite them to `absl.flags`, `absl.app` and `absl.logging`.

    ## Why
    TF 2 dropped its wrappers around absl; the compat.v1 ones still work but will not be maintained.

    ## Example
    ```python
    import tensorflow as tf
    tf.logging.set_verbosity(tf.logging.INFO)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.INFO)
    ```

    ## Fix safety
    No fix of its own: a warning that points at the absl replacement.
    """

    code = "TFM021"
    name = "flags-and-logging"

    def check(self, cell):
        for ref in cell.refs:
            if ref.namespace == "v2":
                continue
            for module, successor in MODULES.items():
                if ref.api == module or ref.api.startswith(module + "."):
                    yield self.finding(cell, ref.start, ref.end,
                                       f"`tf.{ref.api}` wraps absl; use `{successor}` in TF 2",
                                       Applicability.MANUAL)
                    break
