"""TFM502 py-func."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified


@register
class PyFunc(Rule):
    """`tf.py_func`: `tf.numpy_function` in TF 2.

    ## What it does
    Rewrites `tf.py_func(f, inp, Tout)` (and `tf.compat.v1.py_func`) to `tf.numpy_function(f, inp, Tout)`.

    ## Why
    `tf.py_func` is TF1 only. `tf.numpy_function` has the same contract: the Python function receives and returns
    numpy arrays, and the op is stateful.

    ## Example
    ```python
    import tensorflow as tf
    y = tf.py_func(np.sinh, [x], tf.float32)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    y = tf.numpy_function(np.sinh, [x], tf.float32)
    ```

    ## Fix safety
    Safe: the same arguments and semantics. A call with `stateful=False` is reported instead, since
    `numpy_function` is always stateful.
    """

    code = "TFM502"
    name = "py-func"
    level = "graph"  # its output runs with TF1's graph runtime too
    priority = 20

    def check(self, cell):
        for call in tf1_calls(cell, compat=True):
            if call.api != "py_func" or any(k.arg == "stateful" for k in call.node.keywords):
                continue
            function, imports = qualified(cell, "tensorflow.numpy_function")
            start, end = cell.source.span(call.node.func)
            yield self.finding(cell, start, end, "`tf.py_func` is `tf.numpy_function` in TF 2",
                               edits=[(start, end, function)], imports=imports)
