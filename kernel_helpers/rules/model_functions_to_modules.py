"""TFM230 model-functions-to-modules."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/model_mapping"


@register
class ModelFunctionsToModules(NotebookRule):
    '''Model functions that make variables with `tf.get_variable` under variable scopes: `tf.Module` classes.

    ## What it does
    With the notebook's graph lifted (TFM100): a function whose `v = tf.get_variable(...)` statements shape
    variables from some of its parameters becomes a `tf.Module` whose `__init__` takes those parameters and
    makes the variables, and whose `__call__` takes the others and computes; a function that calls such
    functions inside `tf.variable_scope("name")` blocks becomes a module with one sub-module per call, named
    after its scope. The notebook makes one instance per variable scope, where TF1 made the variables, and a call
    under the same scope with `reuse=True` calls the same instance. `tf.get_variable("conv1/weights")` under
    that reuse scope is the instance's variable; `tf.global_variables()` lists them in TF1's order, and they
    keep TF1's names (`model/hidden/w:0`).
    A function built from `tf.layers` calls (the examples' `conv_net`, often under its own
    `tf.variable_scope("ConvNet", reuse=reuse)`) becomes a `tf.keras.layers.Layer` whose `__init__` makes each
    Keras layer with the parameters its arguments read and whose `call` is the body; one instance is made at the
    `reuse=False` call and called again at `reuse=True` calls, which must give the layers the same arguments. A
    function that makes RNN cells and runs them with `dynamic_rnn` or `static_rnn` (the examples'
    `RNN(x, weights, biases)`) becomes such a layer too: `__init__` makes the notebook's Keras cells (TFM220) and
    one `tf.keras.layers.RNN` per run, and `call` runs them through the `dynamic_rnn`/`static_rnn` helpers. A
    parameter that both shapes a layer and computes is given to `__init__` and to `call`. The class's `build` does
    not trace `call`: Keras would otherwise draw each initializer once more before the first real call.
    A layer function that makes its variables with `tf.Variable` or the notebook's variable factories (the Hvass
    tutorials' `new_conv_layer`, whose `weights = new_weights(shape=shape)` makes a `tf.Variable`) becomes a module
    too, but TF1 made new variables at every call of it, so every call makes an instance of its own
    (`new_conv_layer_1`, `new_conv_layer_2`). Plain statements that only work out the variables' shapes
    (`shape = [size, size, n_in, n_out]`) move to `__init__`; literal defaults stay (`use_pooling=True`); and
    `layer_conv1, weights_conv1 = new_conv_layer(...)` reads the returned variable from the instance
    (`weights_conv1 = new_conv_layer_1.weights`) while the layer becomes a function.

    ## Why
    In eager TF2 a function that makes variables makes new ones at every call, and there are no variable scopes
    to share them through: variables belong to objects, made once.

    ## Example
    ```python
    import tensorflow as tf
    def dense(inputs, n_in, n_out):
        w = tf.get_variable("w", [n_in, n_out], initializer=tf.zeros_initializer())
        return tf.matmul(inputs, w)
    def net(inputs):
        with tf.variable_scope("hidden"):
            return tf.nn.relu(dense(inputs, 4, 2))
    x = tf.placeholder(tf.float32, [None, 4])
    with tf.variable_scope("model"):
        train_out = net(x)
    with tf.variable_scope("model", reuse=True):
        eval_out = net(x) * 2
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    print(sess.run(eval_out, {x: data}))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    class Dense(tf.Module):
        """TF1's `dense` as a module: its variables are made once, here."""

        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.w = tf.Variable(tf.zeros_initializer()([n_in, n_out]), name="w")

        def __call__(self, inputs):
            return tf.matmul(inputs, self.w)

    class Net(tf.Module):
        """TF1's `net` as a module: its variables are made once, here."""

        def __init__(self, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.hidden = Dense(4, 2, name="hidden")

        def __call__(self, inputs):
            return tf.nn.relu(self.hidden(inputs))

    model = Net(name="model")
    def train_out(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return model(x)
    def eval_out(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return model(x) * 2
    print(eval_out(data).numpy())
    ```

    ## Fix safety
    Safe: the same variables, made in the same order with the same initial values, and shared where TF1 shared
    them (tutorial 05's training matches TF1 step by step). Refused, with a reason: a parameter used both to
    shape variables and to compute, a variable made inside an expression or a block, functions that make
    variables both with `tf.get_variable` and `tf.Variable` (shared by scope and new at every call) or also with
    `tf.layers`, shapes worked out from computed values, variables returned other than as items of one final
    tuple, nested or computed scopes around a call, a second call under one scope without `reuse=True`.
    '''

    code = "TFM230"
    name = "model-functions-to-modules"
    doc = _GUIDE
