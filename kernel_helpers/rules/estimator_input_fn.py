"""TFM601 estimator-input-fn-to-dataset."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_estimator"


@register
class EstimatorInputFn(NotebookRule):
    """`tf.estimator.inputs.numpy_input_fn`/`pandas_input_fn` become the `tf.data.Dataset` they fed.

    ## What it does
    Rewrites `numpy_input_fn(x, y, batch_size, num_epochs, shuffle)` (and `pandas_input_fn`) into
    `tf.data.Dataset.from_tensor_slices((x, y))` with `.shuffle(queue_capacity)` when `shuffle=True`,
    `.repeat(num_epochs)` (forever for `None`) and `.batch(batch_size)`, TF1's defaults included (batch 128, one
    epoch, capacity 1000). A user `input_fn` that returns a dataset is called to get it. Part of the canned
    estimator rewrite (TFM600).

    ## Why
    Keras fits on datasets; `tf.estimator.inputs` was removed with `tf.estimator`.

    ## Example
    ```python
    import numpy as np
    import tensorflow as tf
    x = {"size": np.array([1.0, 2.0, 3.0])}
    y = np.array([2.0, 4.0, 6.0])
    train = tf.estimator.inputs.numpy_input_fn(x=x, y=y, batch_size=2, num_epochs=None, shuffle=False)
    model = tf.estimator.LinearRegressor(feature_columns=[tf.feature_column.numeric_column("size")])
    model.train(input_fn=train, steps=5)
    ```

    ## Use instead
    ```python
    import numpy as np
    import tensorflow as tf
    x = {"size": np.array([1.0, 2.0, 3.0])}
    y = np.array([2.0, 4.0, 6.0])
    train = tf.data.Dataset.from_tensor_slices((x, y)).repeat().batch(2)
    model_columns = {column.name: column for column in [tf.keras.Input(shape=(1,), name="size")]}
    # TF1 concatenated the feature columns sorted by name
    model_features = tf.keras.layers.Concatenate()([model_columns[name] for name in sorted(model_columns)])
    model_logits = tf.keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros",
                                         name="linear_model")(model_features)
    model = tf.keras.Model(model_columns, model_logits)
    model.compile(
        optimizer=tf.keras.optimizers.Ftrl(learning_rate=0.2, learning_rate_power=-0.5, initial_accumulator_value=0.1),
        # TF1's canned estimators sum the loss over the batch (loss_reduction=SUM)
        loss=tf.keras.losses.MeanSquaredError(reduction="sum"),
        metrics=[tf.keras.metrics.MeanSquaredError(name="average_loss")])
    model.fit(train.take(5), epochs=1, verbose=0)
    ```

    ## Fix safety
    Safe: the same examples in the same batches; the shuffle order differs (TF1 shuffled through a queue),
    as any reshuffle would.
    """

    code = "TFM601"
    name = "estimator-input-fn-to-dataset"
    doc = _GUIDE
