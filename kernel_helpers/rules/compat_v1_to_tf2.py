"""TFM006 compat-v1-to-tf2."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_only_keywords
from kernel_helpers.engine.context import TF
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import v1_target


@register
class CompatV1ToTf2(Rule):
    """A `tf.compat.v1` name whose function or class has a TF 2 home.

    ## What it does
    At level `tf2`, rewrites `tf.compat.v1.X` to the TF 2 name of the same API, for the names the tables map to
    TF 2 (the keyword rules then adapt the call). Names with no TF 2 home stay for the execution-model rules.

    ## Why
    `tf.compat.v1` is a crutch for running TF1 code; where TF 2 has the same API under its own name, the code
    should use it (and `tf_upgrade_v2` output is full of such names).

    ## Example
    ```python
    import tensorflow as tf
    y = tf.compat.v1.log(tf.compat.v1.reduce_sum(x, keep_dims=True))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    y = tf.math.log(tf.reduce_sum(x, keepdims=True))
    ```

    ## Fix safety
    Safe: the TF 2 name is the same object, or its successor when a call carries over by keyword edits alone
    (checked when the tables are generated).
    """

    code = "TFM006"
    name = "compat-v1-to-tf2"
    level = "tf2"
    priority = 85

    def check(self, cell):
        for ref in cell.refs:
            # only spelled-out chains from the root (tf.compat.v1.x): a name bound to tensorflow.compat.v1
            # itself is the execution-model rules' business, since the whole notebook then runs as TF1
            if ref.namespace != "compat.v1" or not ref.api or ref.base_qual != TF:
                continue
            target = v1_target(ref.api)
            if target is None or target.startswith(f"{TF}.compat."):
                continue
            if ref.call is not None and tf1_only_keywords(ref.call, ref.api):
                continue  # TF 2's namesake lacks a keyword the call passes; TFM004 says which
            text = ref.base + target[len(TF):]
            spelled = ref.qualname.replace(TF, "tf", 1)
            yield self.finding(cell, ref.start, ref.end, f"`{spelled}` is `{target.replace(TF, 'tf', 1)}` in TF 2",
                               edits=[(ref.start, ref.end, text)])
