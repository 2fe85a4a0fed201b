"""TFM503 logging-to-absl."""

from __future__ import annotations

from kernel_helpers.engine.registry import Rule, register

#: the tf.logging names that are absl.logging's own, under the same names
SAME_IN_ABSL = {
    "debug", "info", "warning", "warn", "error", "fatal", "log", "log_every_n", "log_first_n", "log_if",
    "vlog", "set_verbosity", "get_verbosity", "flush",
    "DEBUG", "INFO", "WARN", "ERROR", "FATAL",
}


@register
class LoggingToAbsl(Rule):
    """`tf.logging`: absl's logging in TF 2.

    ## What it does
    Rewrites `tf.logging.X` (and `tf.compat.v1.logging.X`) to `absl.logging.X` for the functions and levels
    absl has under the same name, and adds `import absl.logging`.

    ## Why
    `tf.logging` was a thin wrapper of absl's logging; TF 2 dropped it, and `tf.compat.v1.logging` is kept only
    for old code.

    ## Example
    ```python
    import tensorflow as tf
    tf.logging.set_verbosity(tf.logging.INFO)
    tf.logging.info("step %d", 3)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    import absl.logging
    absl.logging.set_verbosity(absl.logging.INFO)
    absl.logging.info("step %d", 3)
    ```

    ## Fix safety
    Safe: the same functions with the same arguments. Messages now come from the `absl` logger instead of the
    `tensorflow` one, which matters only to code that configures Python's logging by logger name.
    """

    code = "TFM503"
    name = "logging-to-absl"
    level = "graph"  # its output runs with TF1's graph runtime too
    priority = 60

    def check(self, cell):
        for ref in cell.refs:
            if ref.namespace not in ("v1", "compat.v1"):
                continue
            module, _, member = ref.api.rpartition(".")
            if module != "logging" or member not in SAME_IN_ABSL:
                continue
            alias = _absl_alias(cell)
            text = f"{alias}.{member}"
            imports = ("import absl.logging",) if alias == "absl.logging" else ()
            yield self.finding(cell, ref.start, ref.end, f"`tf.{ref.api}` is `absl.logging.{member}` in TF 2",
                               edits=[(ref.start, ref.end, text)], imports=imports)


def _absl_alias(cell) -> str:
    """A name already bound to absl.logging (``from absl import logging as absl_logging``), else the dotted path."""
    for name, qualname in {**cell.context.bindings, **cell.cell_bindings}.items():
        if qualname == "absl.logging":
            return name
    return "absl.logging"

