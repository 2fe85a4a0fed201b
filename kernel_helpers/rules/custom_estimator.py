"""TFM603 custom-estimator-to-keras."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_estimator"


@register
class CustomEstimator(NotebookRule):
    '''A custom `model_fn` estimator becomes a Keras model with its own `train_step` (proposed, unsafe).

    ## What it does
    `tf.estimator.Estimator(model_fn, params=...)` becomes an instance of a `tf.keras.Model` subclass written in
    place of `model_fn`, compiled with the TF1 optimizer's Keras twin (TF1's defaults written out). The class keeps
    the function's body as a method that takes the same `features, labels, mode, params`:
    - its `tf.layers` calls (and the network functions of `tf.layers` calls it calls) become layers made once in
      `__init__`; a layer made once per item of a `for` loop (`for units in params["hidden_units"]`) becomes a
      list of layers made from the same items, and the loop runs over that list;
    - `tf.feature_column.input_layer(features, params[...])` on numeric columns becomes a method that
      concatenates the features in the columns' name order, as TF1 did;
    - `tf.summary` lines go (the estimator wrote them to `model_dir`; the finding says so);
    - `ModeKeys` become TF1's mode strings;
    - each `tf.metrics` call calls a Keras metric;
    - the optimizer and `minimize` go;
    - `EstimatorSpec` becomes a dict of its predictions and loss.

    `train_step` runs the method in TRAIN mode under a `GradientTape` and applies the gradients of its loss.
    `test_step` reports the mean loss over batches and each metric under its `eval_metric_ops` key. `call` runs
    PREDICT mode. `train`, `evaluate` and `predict` are rewritten as for canned estimators (TFM600). The whole
    notebook is rewritten together.

    ## Why
    `tf.estimator` was removed in TF 2.16, so these notebooks cannot run at all on current TensorFlow. The
    proposal keeps the model, loss, optimizer and metrics, but a `model_fn` is a whole program, so it is offered
    as an unsafe fix for a person to check.

    ## Example
    ```python
    import tensorflow as tf

    def model_fn(features, labels, mode):
        logits = tf.layers.dense(features["x"], 3)
        classes = tf.argmax(logits, axis=1)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions=classes)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=tf.train.get_global_step())
        accuracy = tf.metrics.accuracy(labels, classes)
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={"accuracy": accuracy})

    model = tf.estimator.Estimator(model_fn)
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    class ModelFn(tf.keras.Model):
        """TF1's `model_fn` as a Keras model: `train_step`, `test_step` and `call` run it in the TRAIN, EVAL
        and PREDICT modes of the estimator's `train`, `evaluate` and `predict`."""

        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(3)
            self.accuracy_metric = tf.keras.metrics.Accuracy(name="accuracy")
            self.mean_loss = tf.keras.metrics.Mean(name="loss")

        def model_fn(self, features, labels, mode):
            logits = self.dense(features["x"])
            classes = tf.argmax(logits, axis=1)
            if mode == "infer":
                return dict(predictions=classes)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
            accuracy = self.accuracy_metric(labels, classes)
            return dict(loss=loss)

        def call(self, features):
            return self.model_fn(features, None, "infer")["predictions"]

        def train_step(self, data):
            features, labels = data
            with tf.GradientTape() as tape:
                loss = self.model_fn(features, labels, "train")["loss"]
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
            return {"loss": loss}

        def test_step(self, data):
            features, labels = data
            self.mean_loss.update_state(self.model_fn(features, labels, "eval")["loss"])
            return {"accuracy": self.accuracy_metric.result(), "loss": self.mean_loss.result()}

    model = ModelFn()
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8))
    ```

    ## Fix safety
    Unsafe: a proposal to check. The shapes it reads are verified (one optimizer and `minimize` of the reported
    loss with the global step, metrics it knows, layers whose arguments are known before any data); anything else
    (hooks, `scaffold`, graph collections, variables made directly) refuses the rewrite (TFM699).
    '''

    code = "TFM603"
    name = "custom-estimator-to-keras"
    doc = _GUIDE
    applicability = Applicability.UNSAFE
