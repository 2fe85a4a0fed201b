"""TFM602 feature-columns-to-keras."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_estimator"


@register
class FeatureColumnsKeras(NotebookRule):
    """Feature columns given to a canned estimator become Keras inputs and preprocessing layers.

    ## What it does
    Each `tf.feature_column` passed to a canned estimator becomes the `tf.keras.Input` of the raw feature it
    reads (named by its key) where it is defined; the model encodes it as TF1 did: `numeric_column` as is,
    `indicator_column(categorical_column_with_vocabulary_list)` as `StringLookup`/`IntegerLookup` one-hot,
    `categorical_column_with_identity` as `CategoryEncoding`, `bucketized_column` as `Discretization` one-hot, all
    concatenated sorted by column name (`<key>_indicator`, `<key>_bucketized`), the order TF1 used. Embedding,
    crossed and hashed columns are not rewritten (TFM699).

    ## Why
    `tf.feature_column` is deprecated and only worked with estimators and `DenseFeatures`; Keras
    preprocessing layers are its TF2 successor.

    ## Example
    ```python
    import tensorflow as tf
    color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["red", "blue"])
    columns = [tf.feature_column.numeric_column("size"), tf.feature_column.indicator_column(color)]
    model = tf.estimator.DNNRegressor(hidden_units=[4], feature_columns=columns, optimizer="Adam")
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    color = tf.keras.Input(shape=(1,), name="color", dtype="string")
    columns = [tf.keras.Input(shape=(1,), name="size"), color]
    model_inputs = {column.name: column for column in columns}
    model_columns = {  # the dense encoding of each feature column, by its TF1 name
        "color_indicator": tf.keras.layers.StringLookup(vocabulary=["red", "blue"], num_oov_indices=1,
                                                        output_mode="one_hot")(model_inputs["color"]),
        "size": model_inputs["size"],
    }
    # TF1 concatenated the feature columns sorted by name
    model_hidden = tf.keras.layers.Concatenate()([model_columns[name] for name in sorted(model_columns)])
    model_hidden = tf.keras.layers.Dense(4, activation="relu", kernel_initializer="glorot_uniform",
                                         name="hiddenlayer_0")(model_hidden)
    model_logits = tf.keras.layers.Dense(1, kernel_initializer="glorot_uniform", name="logits")(model_hidden)
    model = tf.keras.Model(model_inputs, model_logits)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.05, epsilon=1e-8),
        # TF1's canned estimators sum the loss over the batch (loss_reduction=SUM)
        loss=tf.keras.losses.MeanSquaredError(reduction="sum"),
        metrics=[tf.keras.metrics.MeanSquaredError(name="average_loss")])
    ```

    ## Fix safety
    Safe for in-vocabulary values. A vocabulary lookup reserves one out-of-vocabulary index where TF1
    gave unknown values an all-zero row.
    """

    code = "TFM602"
    name = "feature-columns-to-keras"
    doc = _GUIDE
