"""TFM103 graph-mode-kept."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"


@register
class GraphModeKept(NotebookRule):
    """A TF1 graph kept at level compat gets its TF1 runtime back, so the notebook still runs.

    ## What it does
    When the whole-notebook lifting is refused (TFM199) for a notebook that builds a graph with placeholders
    or sessions, adds `tf.compat.v1.disable_v2_behavior()` right after its `import tensorflow`, unless the
    notebook already disables v2 behaviour or eager execution. When the kept graph uses TF1 layers or RNN cells
    (`tf.layers.dense`, `tf.nn.rnn_cell.LSTMCell`), which TF 2.16+ serves only from tf_keras, it also sets
    `TF_USE_LEGACY_KERAS=1` before that import (the notebook then needs `pip install tf-keras`).

    ## Why
    TF 2 runs eagerly, and eager TF 2 rejects `tf.compat.v1.placeholder` and graph sessions: without this
    line the compat output stops at its first placeholder. `disable_v2_behavior()` also restores reference
    variables, v1 shapes and v1 control flow, so the numbers are those of TF1. (`tf_upgrade_v2` leaves it out.)

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None])
    feeds = [{x: [1.0]}, {x: [2.0]}]
    with tf.Session() as sess:
        print([sess.run(2 * x, feed_dict=feed) for feed in feeds])
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    tf.compat.v1.disable_v2_behavior()
    x = tf.compat.v1.placeholder(tf.float32, [None])
    feeds = [{x: [1.0]}, {x: [2.0]}]
    with tf.compat.v1.Session() as sess:
        print([sess.run(2 * x, feed_dict=feed) for feed in feeds])
    ```

    ## Fix safety
    Safe: it selects the runtime the code was written for. The notebook then runs as TF1 code, so any TF 2
    or Keras 3 code added to it later needs the graph lifted first (TFM199 says what stopped it).
    """

    code = "TFM103"
    name = "graph-mode-kept"
    doc = _GUIDE
