"""TFM231 slim-arg-scope."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/model_mapping"


@register
class SlimArgScope(NotebookRule):
    '''`slim.arg_scope` blocks inside a lifted model function: their defaults written into the layers they reach.

    ## What it does
    With the notebook's graph lifted (TFM100) and a model function of layer calls made a Keras layer (TFM230):
    each `with slim.arg_scope([slim.fully_connected, ...], **defaults):` block inside the function gives every
    listed layer called inside it the keywords it does not give itself (the innermost block first), so each Keras
    layer is made with them; the block unwraps. `slim.fully_connected` and `tf.contrib.layers.fully_connected` are
    one function, as in TF1. A variable scope named by a parameter with a literal default (`scope="mlp"`, as slim's
    nets are written) names the layer's instance, or the literal a call gives it.

    ## Why
    TF 2 has no `arg_scope`: a Keras layer takes its arguments where it is made.

    ## Example
    ```python
    import tensorflow as tf
    import tensorflow.contrib.slim as slim
    x = tf.placeholder(tf.float32, [None, 4])
    def mlp(inputs, scope="mlp"):
        with tf.variable_scope(scope):
            with slim.arg_scope([slim.fully_connected], activation_fn=tf.nn.relu,
                                weights_regularizer=tf.contrib.layers.l2_regularizer(1e-3)):
                net = slim.fully_connected(inputs, 16, scope="fc1")
                return slim.fully_connected(net, 3, activation_fn=None, scope="logits")
    logits = mlp(x)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    class Mlp(tf.keras.layers.Layer):
        """TF1's `mlp` as a Keras layer: its layers are made once, here."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = tf.keras.layers.Dense(units=16, name="fc1", activation=tf.nn.relu, kernel_regularizer=tf.keras.regularizers.l2(0.5 * 1e-3))
            self.dense_1 = tf.keras.layers.Dense(units=3, name="logits", kernel_regularizer=tf.keras.regularizers.l2(0.5 * 1e-3))

        def build(self, input_shape):
            # Keras would build the layers by tracing `call`, drawing random initial values it throws away
            # (so aligned draws would not line up): each is built at its first call, as TF1 made them.
            super().build(input_shape)

        def call(self, inputs):
            net = self.dense(inputs)
            return self.dense_1(net)

    mlp_layer = Mlp(name="mlp")
    def logits(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return mlp_layer(x)
    ```

    ## Fix safety
    Safe: the same arguments reach the same layers, checked with tutorial 12 under `--verify`. A block that lists
    something other than TF functions, or is bound with `as`, keeps the notebook at level compat (TFM199). Only the
    calls written inside the block get the defaults: a function called there that made layers of its own would
    be a model function of its own, which a lifted model function does not call.
    '''

    code = "TFM231"
    name = "slim-arg-scope"
    doc = _GUIDE
