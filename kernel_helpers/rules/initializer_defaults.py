"""TFM211 initializer-defaults."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import argument, tf1_calls
from kernel_helpers.engine.registry import Rule, register

#: TF1 initializer -> its parameters whose TF 2 namesake has another default, as (name, position, TF1 default)
DEFAULTS = {
    "random_normal_initializer": (("stddev", 1, "1.0"),),
    "initializers.random_normal": (("stddev", 1, "1.0"),),
    "random_uniform_initializer": (("minval", 0, "0.0"), ("maxval", 1, "1.0")),
    "initializers.random_uniform": (("minval", 0, "0.0"), ("maxval", 1, "1.0")),
}


@register
class InitializerDefaults(Rule):
    """`tf.random_normal_initializer()` and `tf.random_uniform_initializer()`: TF1's defaults written out.

    ## What it does
    Adds `stddev=1.0` to a `random_normal_initializer` that does not set it, and `minval=0.0`/`maxval=1.0` to a
    `random_uniform_initializer` that does not set them (a `maxval=None` is TF1's 1.0 too).

    ## Why
    TF 2 kept the names but changed the defaults: its `random_normal_initializer` draws with standard
    deviation 0.05 (TF1: 1.0) and its `random_uniform_initializer` in [-0.05, 0.05) (TF1: [0, 1)). Code that
    relied on the defaults would start from other weights without any error.

    ## Example
    ```python
    import tensorflow as tf
    init = tf.random_normal_initializer()
    bias_init = tf.random_uniform_initializer(maxval=None)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    init = tf.random_normal_initializer(stddev=1.0)
    bias_init = tf.random_uniform_initializer(maxval=1.0, minval=0.0)
    ```

    ## Fix safety
    Safe: the values TF1 used, spelled out, mean the same in TF1 and TF 2.
    """

    code = "TFM211"
    name = "initializer-defaults"
    priority = 20

    def check(self, cell):
        for call in tf1_calls(cell, compat=True):
            if call.api not in DEFAULTS or any(isinstance(a, ast.Starred) for a in call.node.args) \
                    or any(k.arg is None for k in call.node.keywords):
                continue
            edits, added = [], []
            for name, position, default in DEFAULTS[call.api]:
                given = argument(call.node, name, position)
                if given is None:
                    added.append(f"{name}={default}")
                elif isinstance(given, ast.Constant) and given.value is None:
                    start, end = cell.source.span(given)
                    edits.append((start, end, default))
            if added:
                given_nodes = [*call.node.args, *(k.value for k in call.node.keywords)]
                if given_nodes:
                    # Right after the last argument, so a trailing comma or comment stays where it is.
                    end = max(cell.source.span(n)[1] for n in given_nodes)
                    edits.append((end, end, ", " + ", ".join(added)))
                else:
                    end = cell.source.span(call.node)[1] - 1  # before the closing parenthesis
                    edits.append((end, end, ", ".join(added)))
            if edits:
                start, stop = cell.source.span(call.node)
                yield self.finding(cell, start, stop, f"TF 2's `{call.api}` has other defaults: TF1's are written out",
                                   edits=edits)
