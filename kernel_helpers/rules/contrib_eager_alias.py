"""TFM105 contrib-eager-alias."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register


@register
class ContribEagerAlias(NotebookRule):
    """`tfe = tf.contrib.eager` in an eager notebook: every use gets its TF 2 name, and the alias goes.

    ## What it does
    Where a notebook binds `tf.contrib.eager` to a name (by assignment or import) and builds no TF1 graph, each
    `tfe.X` in every cell is written as TF 2 has it: `tfe.Variable` → `tf.Variable` and the other curated
    renames, `tfe.Iterator(dataset)` → `iter(dataset)`, `tfe.enable_eager_execution()` → the switch TFM104
    removes, and `tfe.implicit_gradients` (or `implicit_value_and_gradients`) → a small function of the same
    name, defined where the alias was, that records the call on a `tf.GradientTape`. The alias line then goes.

    ## Why
    `tf.contrib` is gone in TF 2. An alias made by assignment hides every later use from a per-cell reading, and
    the alias can only go once all of them have a TF 2 spelling.

    ## Example
    ```python
    import tensorflow as tf
    tfe = tf.contrib.eager
    w = tfe.Variable(2.0)
    grad = tfe.implicit_gradients(lambda x: w * x)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    def implicit_gradients(function):
        # tf.contrib.eager's implicit_gradients: the gradients of what `function` returns, with respect to the
        # trainable variables it read, paired with them
        def gradients(*args, **kwargs):
            with tf.GradientTape() as tape:
                value = function(*args, **kwargs)
            variables = tape.watched_variables()
            return list(zip(tape.gradient(value, variables), variables))
        return gradients
    w = tf.Variable(2.0)
    grad = implicit_gradients(lambda x: w * x)
    ```

    ## Fix safety
    Safe: the same variables and the same gradients (a tape watches the trainable variables a computation reads,
    as the contrib function did). A use with no TF 2 spelling here (`tfe.Network`, `tfe.metrics`, the alias
    passed along or bound again) leaves the whole notebook to the per-cell rules, which report the contrib names.
    """

    code = "TFM105"
    name = "contrib-eager-alias"
    doc = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"
