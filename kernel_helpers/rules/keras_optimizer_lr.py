"""TFM310 keras-optimizer-lr."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register

OPTIMIZERS = {"SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "AdamW", "Lion"}


@register
class KerasOptimizerLr(Rule):
    """TF1-era Keras optimizers given `lr=` (or `decay=`), which Keras 3 rejects.

    ## What it does
    Renames `lr=` to `learning_rate=` in `tf.keras.optimizers.*(...)` calls.

    ## Why
    Keras 2.3 deprecated `lr`; Keras 3 raises `TypeError: Argument(s) not recognized: {'lr': ...}`.

    ## Example
    ```python
    import tensorflow as tf
    opt = tf.keras.optimizers.Adam(lr=0.01)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    opt = tf.keras.optimizers.Adam(learning_rate=0.01)
    ```

    ## Fix safety
    Safe: the same argument under its current name. (`decay=`, a per-step time decay in Keras 2, has no Keras 3
    argument; it is reported for a `LearningRateSchedule` by hand.)
    """

    code = "TFM310"
    name = "keras-optimizer-lr"
    level = "tf2"

    def check(self, cell):
        for ref in cell.refs:
            parts = ref.api.split(".")
            if ref.call is None or len(parts) != 3 or parts[:2] != ["keras", "optimizers"] or parts[2] not in OPTIMIZERS:
                continue
            for keyword in ref.call.keywords:
                if keyword.arg == "lr":
                    start = cell.source.offset(keyword.lineno, keyword.col_offset)
                    yield self.finding(cell, start, start + 2, "Keras 3 optimizers take `learning_rate`, not `lr`",
                                       edits=[(start, start + 2, "learning_rate")])
                elif keyword.arg == "decay":
                    start = cell.source.offset(keyword.lineno, keyword.col_offset)
                    yield self.finding(cell, start, start + 5,
                                       "Keras 3 optimizers have no `decay`; pass a "
                                       "`tf.keras.optimizers.schedules.InverseTimeDecay` as `learning_rate`",
                                       Applicability.MANUAL)
