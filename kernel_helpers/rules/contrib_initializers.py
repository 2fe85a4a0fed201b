"""TFM015 contrib-initializers."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import argument
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

XAVIER = ("contrib.layers.xavier_initializer", "contrib.layers.xavier_initializer_conv2d")


@register
class ContribInitializers(Rule):
    """`tf.contrib.layers.xavier_initializer`: Glorot initialisers in core TensorFlow.

    ## What it does
    Rewrites `xavier_initializer()` (and `xavier_initializer_conv2d()`) to
    `tf.compat.v1.glorot_uniform_initializer`, keeping `seed` and `dtype`. With `uniform=False` it
    proposes `glorot_normal_initializer`.

    ## Why
    `tf.contrib` is gone; Xavier and Glorot are two names for one scheme.

    ## Example
    ```python
    import tensorflow as tf
    init = tf.contrib.layers.xavier_initializer(seed=1)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    init = tf.compat.v1.glorot_uniform_initializer(seed=1)
    ```

    ## Fix safety
    Safe for the default uniform variant: the same limit `sqrt(6 / (fan_in + fan_out))` and the same
    random op. Unsafe with `uniform=False`: contrib scaled its truncated normal by `sqrt(1.3)`, core TF
    by `1 / 0.8796`, so the spread differs by 0.3 %.
    """

    code = "TFM015"
    name = "contrib-initializers"
    priority = 10

    def check(self, cell):
        for ref in cell.refs:
            if ref.call is None or ref.namespace != "v1" or ref.api not in XAVIER:
                continue
            call = ref.call
            uniform = argument(call, "uniform", 0)
            if uniform is None or (isinstance(uniform, ast.Constant) and uniform.value is True):
                variant, safety = "glorot_uniform_initializer", Applicability.SAFE
            elif isinstance(uniform, ast.Constant) and uniform.value is False:
                variant, safety = "glorot_normal_initializer", Applicability.UNSAFE
            else:
                continue  # a computed `uniform`: TFM020 moves the call, a person picks the variant
            function, imports = qualified(cell, f"tensorflow.compat.v1.{variant}")
            kept = []
            for name, position in (("seed", 1), ("dtype", 2)):
                value = argument(call, name, position)
                if value is not None:
                    kept.append(f"{name}={cell.source.segment(value)}")
            start, end = cell.source.span(call)
            yield self.finding(cell, start, end, f"`tf.{ref.api}` is `tf.compat.v1.{variant}`", safety,
                               edits=[(start, end, f"{function}({', '.join(kept)})")], imports=imports)
