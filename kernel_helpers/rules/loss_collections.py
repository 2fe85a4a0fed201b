"""TFM321 loss-collections."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/model_mapping"


@register
class LossCollections(NotebookRule):
    '''`tf.losses.get_total_loss`, `get_regularization_loss` and slim's `create_train_op` in a lifted graph.

    ## What it does
    With the notebook's graph lifted (TFM100): `tf.losses.get_regularization_loss()` becomes a function that sums
    the `losses` of the Keras layers made with a regularizer (what TF1's `REGULARIZATION_LOSSES` held), and
    `tf.losses.get_total_loss()` one that adds them to the `tf.losses` losses defined before it (TF1's `LOSSES`),
    in TF1's order, with `tf.add_n`. `slim.learning.create_train_op(total_loss, optimizer)` becomes a train step
    like `minimize`'s (TFM102) whose run returns the loss, as TF1's did; it increments the notebook's global step
    and runs the batch normalization update ops, as TF1's defaults did. `slim.get_variables_by_name(name,
    scope)` and `slim.get_variables(scope)` become the lists of the variables whose TF1 names match.

    ## Why
    TF 2 has no graph collections: Keras layers keep their own regularization losses, and a loss is a value the
    notebook sums itself.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 1])
    prediction = tf.layers.dense(x, 1, kernel_regularizer=tf.contrib.layers.l2_regularizer(1e-3))
    mse = tf.losses.mean_squared_error(y, prediction)
    total_loss = tf.losses.get_total_loss()
    train_op = tf.contrib.slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(0.01))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for batch_x, batch_y in batches:
        print(sess.run(train_op, {x: batch_x, y: batch_y}))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    prediction_dense = tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.5 * 1e-3))
    prediction_dense.build((None, 4))
    def prediction(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return prediction_dense(x)
    def mse(x, y):
        y = tf.convert_to_tensor(y, tf.float32)
        return tf.reduce_mean(tf.math.squared_difference(tf.cast(prediction(x), tf.float32), tf.cast(y, tf.float32)))
    def total_loss(x, y):
        return tf.add_n([mse(x, y), *prediction_dense.losses])
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8)
    @tf.function(input_signature=[
        tf.TensorSpec([None, 4], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ])
    def train_op(x, y):
        with tf.GradientTape() as tape:
            loss_value = total_loss(x, y)
        variables = [*prediction_dense.trainable_variables]
        optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
        return loss_value
    for batch_x, batch_y in batches:
        print(train_op(batch_x, batch_y).numpy())
    ```

    ## Fix safety
    Safe: the same sums in the same order, checked against TF1 (tests/lift, and tutorial 12 under `--verify`).
    Keras computes a regularization loss from the weights when `losses` is read, as TF1's graph did when it ran.
    Refused, with a reason: a `tf.losses` loss computed inside an expression (the collection cannot be spelled), a
    loss put in another collection, getters given a scope, `create_train_op` given gradient clipping, multipliers
    or its own update ops, and lookups by name when some variable's TF1 name is not known.
    '''

    code = "TFM321"
    name = "loss-collections"
    doc = _GUIDE
