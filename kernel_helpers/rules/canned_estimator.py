"""TFM600 canned-estimator-to-keras."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_estimator"


@register
class CannedEstimator(NotebookRule):
    """Canned TF1 estimators (`LinearRegressor`, `DNNClassifier`, ...) become Keras models.

    ## What it does
    Rewrites `name = tf.estimator.DNNClassifier(...)` (and the linear and regressor variants) into a functional
    Keras model over the estimator's feature columns, compiled with TF 1.15's defaults written out: the loss summed
    over the batch (`loss_reduction=SUM`), Adagrad at 0.05 for DNNs and Ftrl at 0.2 for linear models (or the
    given TF1 optimizer's Keras twin), relu hidden layers with glorot_uniform kernels, zero-initialized linear
    weights, a softmax head for `n_classes > 2` and a one-logit sigmoid head for two classes.
    `train(input_fn, steps=N)` becomes `fit(dataset.take(N), epochs=1)`; `evaluate` returns a dict with TF1's
    keys (`loss`, `average_loss`, `accuracy`, ..., `global_step`); `predict` yields TF1's per-example dicts from a
    generated `<name>_predict`; `get_variable_names`/`get_variable_value` read a generated `<name>_variables`.
    The whole notebook is rewritten together (a whole-notebook transform); `RunConfig(tf_random_seed=...)`
    becomes `tf.keras.utils.set_random_seed`.

    ## Why
    `tf.estimator` was removed in TF 2.16, so these notebooks cannot run at all on current TensorFlow. The
    numbers differ from TF1's (other random draws), not the model or its training.

    ## Example
    ```python
    import tensorflow as tf
    columns = [tf.feature_column.numeric_column("x")]
    model = tf.estimator.DNNClassifier(hidden_units=[8], feature_columns=columns, n_classes=3)
    model.train(input_fn=lambda: make_dataset(), steps=100)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    columns = [tf.keras.Input(shape=(1,), name="x")]
    model_columns = {column.name: column for column in columns}
    # TF1 concatenated the feature columns sorted by name
    model_hidden = tf.keras.layers.Concatenate()([model_columns[name] for name in sorted(model_columns)])
    model_hidden = tf.keras.layers.Dense(8, activation="relu", kernel_initializer="glorot_uniform",
                                         name="hiddenlayer_0")(model_hidden)
    model_logits = tf.keras.layers.Dense(3, kernel_initializer="glorot_uniform", name="logits")(model_hidden)
    model = tf.keras.Model(model_columns, model_logits)
    model.compile(
        optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.05, initial_accumulator_value=0.1, epsilon=0.0),
        # TF1's canned estimators sum the loss over the batch (loss_reduction=SUM)
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum"),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
                 tf.keras.metrics.SparseCategoricalCrossentropy(from_logits=True, name="average_loss")])
    model.fit(make_dataset().take(100), epochs=1, verbose=0)
    ```

    ## Fix safety
    Safe: the same architecture, loss, optimizer and step count. What the rewrite cannot prove
    (hooks other than `LoggingTensorHook`, which only printed, `max_steps`, weight columns, ...) refuses the whole
    rewrite (TFM699); a notebook with a custom `model_fn` is offered as one unsafe fix (TFM603).
    """

    code = "TFM600"
    name = "canned-estimator-to-keras"
    doc = _GUIDE
