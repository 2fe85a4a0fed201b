"""TFM101 session-removal."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"
_APIS = {"Session": "eager TF2 runs operations without a session",
         "InteractiveSession": "eager TF2 runs operations without a session",
         "global_variables_initializer": "variables are initialized when they are created in TF2",
         "initialize_all_variables": "variables are initialized when they are created in TF2",
         "variables_initializer": "variables are initialized when they are created in TF2",
         "local_variables_initializer": "variables are initialized when they are created in TF2",
         "reset_default_graph": "eager TF2 has no default graph to reset"}


@register
class SessionRemoval(Rule):
    """Sessions, variable initializers and `reset_default_graph`: removed when the graph is lifted.

    ## What it does
    At level tf2, with the notebook's graph lifted (TFM100), removes `tf.Session()` and
    `tf.InteractiveSession()` (a `with tf.Session() as sess:` block is replaced by its body), `sess.close()`,
    `tf.global_variables_initializer()` and its `.run()` or `sess.run(...)`, and `tf.reset_default_graph()`.

    ## Why
    Eager TF2 executes each operation when it is called and initializes a variable when it is created.

    ## Example
    ```python
    import tensorflow as tf
    tf.reset_default_graph()
    total = tf.Variable(0.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(total))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    total = tf.Variable(0.0)
    print(total.numpy())
    ```

    ## Fix safety
    Safe: only applied together with the lifting of the graph these sessions ran; a session with a graph or
    target of its own, or one passed along (to a `Saver`, say), keeps the notebook at level compat (TFM199).
    """

    code = "TFM101"
    name = "session-removal"
    level = "tf2"
    doc = _GUIDE

    def check(self, cell):
        for call in tf1_calls(cell, compat=True):
            if call.api in _APIS:
                start, end = cell.source.span(call.node.func)
                yield self.finding(cell, start, end, _APIS[call.api] + " (applied when the notebook is "
                                   "migrated at level tf2)")
