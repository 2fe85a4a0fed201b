"""TFM340 metrics-to-keras."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/metrics_optimizers"


@register
class MetricsToKeras(NotebookRule):
    '''`tf.metrics` pairs in a lifted graph: Keras metric objects.

    ## What it does
    With the notebook's graph lifted (TFM100): `value, update_op = tf.metrics.accuracy(labels, predictions)` (and
    `mean`, `mean_squared_error`, `mean_absolute_error`, `root_mean_squared_error`) becomes a Keras metric made
    once; `update_op` becomes a function of the feeds that calls it, which updates its state and returns its result
    as the update op did, and `value` a function that reads its result. `weights` become `sample_weight`. Running
    the local variables' initializer resets the metrics made before it.

    ## Why
    TF 2 has no local variables or update ops: a Keras metric object holds the running totals.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 4])
    labels = tf.placeholder(tf.int64, [None])
    w = tf.Variable(tf.zeros([4, 3]))
    predictions = tf.argmax(tf.matmul(x, w), 1)
    acc, acc_op = tf.metrics.accuracy(labels=labels, predictions=predictions)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(tf.local_variables_initializer())
    for batch_x, batch_labels in batches:
        sess.run(acc_op, {x: batch_x, labels: batch_labels})
    print(sess.run(acc))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    w = tf.Variable(tf.zeros([4, 3]))
    def predictions(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return tf.argmax(tf.matmul(x, w), 1)
    acc_metric = tf.keras.metrics.Accuracy()
    def acc_op(x, labels):
        labels = tf.convert_to_tensor(labels, tf.int64)
        return acc_metric(labels, predictions(x))
    def acc():
        return acc_metric.result()
    acc_metric.reset_state()
    for batch_x, batch_labels in batches:
        acc_op(batch_x, batch_labels).numpy()
    print(acc().numpy())
    ```

    ## Fix safety
    Safe: the same running values, checked against TF1's streaming metrics over three epochs with resets
    (tests/lift). Refused, with a reason: a metric put in graph collections, a pair not unpacked into two names, and
    the other `tf.metrics` functions (AUC, precision and recall compare predictions with thresholds of their own).
    '''

    code = "TFM340"
    name = "metrics-to-keras"
    doc = _GUIDE
