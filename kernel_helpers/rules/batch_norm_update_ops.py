"""TFM240 batch-norm-update-ops."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/model_mapping"


@register
class BatchNormUpdateOps(NotebookRule):
    '''`tf.layers.batch_normalization` and its `UPDATE_OPS` in a lifted graph: TF1's layer, moved by the train steps.

    ## What it does
    With the notebook's graph lifted (TFM100): each `tf.layers.batch_normalization(x, training=...)` becomes a
    `TF1BatchNormalization` layer, made once and called where the tensor was computed, with TF1's arguments, defaults
    and variable names (`gamma`, `beta`, `moving_mean`, `moving_variance`). `tf.get_collection(tf.GraphKeys.UPDATE_OPS,
    scope)` becomes an `UpdateOps` list of the layers whose update ops it held, and a `minimize` inside
    `with tf.control_dependencies(update_ops):` a train step that enters that list around its forward pass.
    `tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope)` given as a `var_list` reads the variables of the
    model function's layer made for that scope. A model function that reads a placeholder from the notebook (a
    `training` flag) takes it as an argument. The two classes are written once, before their first use.

    ## Why
    Keras's `BatchNormalization` moves its averages at every call in training mode, and TF1 only when the update ops
    ran. They differ when a training-mode value is computed outside the train step, when a GAN's two steps each
    run one network's updates, and when the notebook never ran the update ops (its averages stayed at their initial
    values). TF1 normalized 4-D and 5-D inputs with a fused kernel, which averaged the variance with Bessel's
    correction (within a few steps Keras's inference outputs drift ~1e-4 away) and rounds otherwise than separate
    ops; the layer calls the same kernel for them.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 1])
    is_training = tf.placeholder(tf.bool)
    h = tf.layers.batch_normalization(tf.layers.dense(x, 8), training=is_training)
    loss = tf.reduce_mean(tf.square(tf.layers.dense(tf.nn.relu(h), 1) - y))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for batch_x, batch_y in batches:
        sess.run(train, {x: batch_x, y: batch_y, is_training: True})
    print(sess.run(loss, {x: test_x, y: test_y, is_training: False}))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    class UpdateOps(list):
        """TF1's `UPDATE_OPS` collection: batch normalization layers. A train step made under
        `tf.control_dependencies(update_ops)` enters the list around its forward pass, and only then do the layers in it
        move their averages, as TF1 ran their update ops with the step and nowhere else."""

        entered = []

        def __enter__(self):
            UpdateOps.entered.append(self)
            return self

        def __exit__(self, *error):
            UpdateOps.entered.pop()

        @staticmethod
        def updating(layer):
            return any(member is layer for entered in UpdateOps.entered for member in entered)


    class TF1BatchNormalization(tf.keras.layers.Layer):
        """TF1's `tf.layers.batch_normalization`: its variables, defaults and numbers. Keras's layer would move its
        averages at every training call, and compute 4-D inputs otherwise than TF1's fused kernel."""

        def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                     gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                     fused=None, **kwargs):
            super().__init__(**kwargs)
            self.axis, self.momentum, self.epsilon, self.fused = axis, momentum, epsilon, fused
            self.center, self.scale = center, scale
            self.initializers = (gamma_initializer, beta_initializer, moving_mean_initializer,
                                 moving_variance_initializer)

        def build(self, input_shape):
            size = (input_shape[self.axis],)
            gamma, beta, mean, variance = self.initializers
            self.gamma = self.add_weight(name="gamma", shape=size, initializer=gamma) if self.scale else None
            self.beta = self.add_weight(name="beta", shape=size, initializer=beta) if self.center else None
            self.moving_mean = self.add_weight(name="moving_mean", shape=size, initializer=mean, trainable=False)
            self.moving_variance = self.add_weight(name="moving_variance", shape=size, initializer=variance,
                                                   trainable=False)

        def call(self, inputs, training=False):
            rank = len(inputs.shape)
            axis = self.axis % rank
            if self.fused is not False and rank in (4, 5) and axis in (1, rank - 1):
                return self.fused_call(inputs, training, ("NHWC", "NDHWC")[rank - 4] if axis > 1 else
                                       ("NCHW", "NCDHW")[rank - 4])
            axes = [i for i in range(rank) if i != axis]
            if training:
                mean, variance = tf.nn.moments(inputs, axes)
                self.move_averages(mean, variance)
            else:
                mean, variance = self.moving_mean, self.moving_variance
            shape = [1] * rank
            shape[axis] = -1

            def along_axis(value):
                return None if value is None else tf.reshape(value, shape)

            return tf.nn.batch_normalization(inputs, along_axis(mean), along_axis(variance), along_axis(self.beta),
                                              along_axis(self.gamma), self.epsilon)

        def fused_call(self, inputs, training, data_format):
            """TF1's fused kernel, which normalized 4-D and 5-D inputs over their channels: the same rounding, and the
            batch variance it returns for the averages has Bessel's correction."""
            size = self.moving_mean.shape
            gamma = self.gamma if self.scale else tf.ones(size)
            beta = self.beta if self.center else tf.zeros(size)
            if training:
                empty = tf.constant([], dtype=inputs.dtype)
                outputs, mean, variance = tf.raw_ops.FusedBatchNormV3(
                    x=inputs, scale=gamma, offset=beta, mean=empty, variance=empty, epsilon=self.epsilon,
                    data_format=data_format, is_training=True)[:3]
                self.move_averages(mean, variance)
                return outputs
            return tf.raw_ops.FusedBatchNormV3(
                x=inputs, scale=gamma, offset=beta, mean=self.moving_mean, variance=self.moving_variance,
                epsilon=self.epsilon, data_format=data_format, is_training=False)[0]

        def move_averages(self, mean, variance):
            if UpdateOps.updating(self):
                # TF1's update: average -= (average - value) * (1 - momentum)
                self.moving_mean.assign_sub((self.moving_mean - mean) * (1 - self.momentum))
                self.moving_variance.assign_sub((self.moving_variance - variance) * (1 - self.momentum))
    h_batchnormalization = TF1BatchNormalization()
    h_batchnormalization.build((None, 8))
    h_dense = tf.keras.layers.Dense(8)
    h_dense.build((None, 4))
    def h(x, is_training):
        x = tf.convert_to_tensor(x, tf.float32)
        is_training = tf.convert_to_tensor(is_training, tf.bool)
        return h_batchnormalization(h_dense(x), training=is_training)
    loss_dense = tf.keras.layers.Dense(1)
    loss_dense.build((None, 8))
    def loss(x, y, is_training):
        y = tf.convert_to_tensor(y, tf.float32)
        return tf.reduce_mean(tf.square(loss_dense(tf.nn.relu(h(x, is_training))) - y))
    update_ops = UpdateOps([h_batchnormalization])
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8)
    def train(x, y, is_training):
        with update_ops, tf.GradientTape() as tape:
            loss_value = loss(x, y, is_training)
        variables = [*h_batchnormalization.trainable_variables, *h_dense.trainable_variables, *loss_dense.trainable_variables]
        optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
        return loss_value
    for batch_x, batch_y in batches:
        train(batch_x, batch_y, True)
    print(loss(test_x, test_y, False).numpy())
    ```

    ## Fix safety
    Safe: the same losses, training-mode outputs, moving averages and inference outputs as TF1, checked value for
    value against TF1 in a graph on 2-D and fused 4-D inputs, with and without the update ops, and for a GAN whose two
    steps each run one scope's update ops (tests/lift). When a layer is called several times in one TF1 run (a
    discriminator on real and generated images), TF1 ran its updates in no fixed order; the step runs them in call
    order. Refused, with a reason: other keywords (`renorm`, `virtual_batch_size`, regularizers, `trainable`,
    `reuse`), update ops found by a scope when a layer's name is not known, update ops fetched or grouped by hand,
    and trainable variables by a scope that is not one model function's.
    '''

    code = "TFM240"
    name = "batch-norm-update-ops"
    doc = _GUIDE
