"""TFM501 summaries-v2."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/tensorboard/migrate"


@register
class SummariesV2(NotebookRule):
    """TF1 summaries and `FileWriter` in a lifted graph: v2 summaries written at the step.

    ## What it does
    With the notebook's graph lifted (TFM100): `tf.summary.scalar/histogram/image/text` (and TF 0.x's
    `tf.scalar_summary`, ...) are collected; `merged = tf.summary.merge_all()` (or `merge([...])`, or a summary
    bound to a name) becomes a function returning `(kind, tag, value)` for each summary, computed from the same
    inputs; `tf.summary.FileWriter(logdir, sess.graph)` becomes `tf.summary.create_file_writer(logdir)`; and
    `writer.add_summary(summary, step)` writes each value with `tf.summary.<kind>` under
    `writer.as_default(step=step)`. Tags keep TF1's name-scope prefix.

    ## Why
    TF1 summaries are graph ops evaluated by a session and serialized for a FileWriter; TF 2 summaries are
    written when they are called, to the default writer, at an explicit step.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None])
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(x))
        tf.summary.scalar("mse", loss)
    merged = tf.summary.merge_all()
    sess = tf.Session()
    writer = tf.summary.FileWriter("logs", sess.graph)
    writer.add_summary(sess.run(merged, {x: data}), 0)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    def loss(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return tf.reduce_mean(tf.square(x))
    def merged(x):
        return [('scalar', 'loss/mse', loss(x).numpy())]
    writer = tf.summary.create_file_writer("logs")
    def write_summary(writer, summary, step):
        with writer.as_default(step=step):
            for kind, tag, value in summary:
                getattr(tf.summary, kind)(tag, value)
    write_summary(writer, merged(data), 0)
    ```

    ## Fix safety
    Safe: the same values under the same tags at the same steps (checked against TF1's event files). TF 2 writes
    scalars as tensors rather than `simple_value` (TensorBoard reads both), does not write the graph (use
    `tf.summary.trace_on`), and on TF 2.21 needs the `tensorboard` package installed.
    """

    code = "TFM501"
    name = "summaries-v2"
    doc = _GUIDE
