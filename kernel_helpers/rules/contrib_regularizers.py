"""TFM016 contrib-regularizers."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import argument, operand
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

#: contrib function -> (Keras regularizer, factor that makes the penalty equal)
REGULARIZERS = {
    "contrib.layers.l1_regularizer": ("l1", ""),
    # contrib's L2 was scale * tf.nn.l2_loss(w) = scale * sum(w**2) / 2; Keras's has no 1/2
    "contrib.layers.l2_regularizer": ("l2", "0.5 * "),
}


@register
class ContribRegularizers(Rule):
    """`tf.contrib.layers.l1_regularizer` / `l2_regularizer`: Keras regularizers.

    ## What it does
    Rewrites the contrib regularizers to `tf.keras.regularizers.l1` / `l2`, halving the L2 scale.

    ## Why
    `tf.contrib` is gone. Keras's L2 penalty is `scale * sum(w**2)`, while contrib's was
    `scale * tf.nn.l2_loss(w)`, which is half of that.

    ## Example
    ```python
    import tensorflow as tf
    reg = tf.contrib.layers.l2_regularizer(scale=0.01)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    reg = tf.keras.regularizers.l2(0.5 * 0.01)
    ```

    ## Fix safety
    Safe: the penalty has the same value (up to float rounding). The `scope` argument is dropped: it
    only named the op.
    """

    code = "TFM016"
    name = "contrib-regularizers"
    priority = 10

    def check(self, cell):
        for ref in cell.refs:
            if ref.call is None or ref.namespace != "v1" or ref.api not in REGULARIZERS:
                continue
            kind, factor = REGULARIZERS[ref.api]
            scale = argument(ref.call, "scale", 0)
            if scale is None or any(isinstance(a, ast.Starred) for a in ref.call.args):
                continue
            if isinstance(scale, ast.Constant) and scale.value == 0:
                continue  # contrib returned no regularizer at all for scale 0
            function, imports = qualified(cell, f"tensorflow.keras.regularizers.{kind}")
            value = operand(cell.source.segment(scale), scale) if factor else cell.source.segment(scale)
            start, end = cell.source.span(ref.call)
            yield self.finding(cell, start, end, f"`tf.{ref.api}` is `tf.keras.regularizers.{kind}`"
                               + (" with half the scale" if factor else ""),
                               edits=[(start, end, f"{function}({factor}{value})")], imports=imports)
