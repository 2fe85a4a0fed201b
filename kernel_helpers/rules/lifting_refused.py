"""TFM199 lifting-not-proven."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"


@register
class LiftingRefused(NotebookRule):
    """A TF1 graph the lifting cannot prove safe to turn eager: kept at level compat, with the reason.

    ## What it does
    Reported by the whole-notebook lifting (TFM100-TFM102) on the cell that stops it: feed dicts built
    dynamically, tensors stored in containers or passed along, graph lookups by name
    (`tf.get_default_graph()`), collections, a name bound twice, a session given its own graph, an optimizer
    without a faithful Keras twin (Ftrl), and graph APIs the lifting does not track yet
    (`tf.layers`, `tf.get_variable`, `tf.control_dependencies`, `tf.while_loop`, ...). The notebook is
    migrated at level compat instead, and runs with TF1 semantics (TFM103).

    ## Why
    Guessing a dataflow would produce code that runs and computes something else.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None])
    y = 2 * x
    feeds = [{x: [1.0]}, {x: [2.0]}]
    with tf.Session() as sess:
        print([sess.run(y, feed_dict=feed) for feed in feeds])
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    tf.compat.v1.disable_v2_behavior()
    x = tf.compat.v1.placeholder(tf.float32, [None])
    y = 2 * x
    feeds = [{x: [1.0]}, {x: [2.0]}]
    with tf.compat.v1.Session() as sess:
        print([sess.run(y, feed_dict=feed) for feed in feeds])
    ```

    ## Fix safety
    No fix: the message says what stopped the lifting; lift that part by hand (see the guide).
    """

    code = "TFM199"
    name = "lifting-not-proven"
    doc = _GUIDE

    applicability = Applicability.MANUAL
