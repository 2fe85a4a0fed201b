"""TFM102 train-step-lifting."""

from __future__ import annotations

from kernel_helpers.engine.registry import Rule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"


@register
class TrainStepLifting(Rule):
    """`opt.minimize(loss)` in a graph: a train-step function with `tf.GradientTape` and a Keras optimizer.

    ## What it does
    At level tf2, with the notebook's graph lifted (TFM100), turns `train = opt.minimize(loss)` into
    `def train(<placeholders>)` that records the loss on a `tf.GradientTape` and applies the gradients to
    the trainable variables the loss depends on (or `var_list`, whose variables made with `trainable=False` the
    tape is told to watch, since TF1 took their gradients too). The TF1 optimizer becomes the Keras one
    with TF1's numerics: `GradientDescentOptimizer(lr)` → `SGD(lr)`, `MomentumOptimizer(lr, m,
    use_nesterov=n)` → `SGD(lr, momentum=m, nesterov=n)`, `AdamOptimizer` → `Adam(..., epsilon=1e-8)`,
    `AdagradOptimizer` → `Adagrad(..., epsilon=0.0)`, `AdadeltaOptimizer` → `Adadelta(..., epsilon=1e-8)`.
    The step returns the loss computed before the update, so `sess.run([train, loss], feed)` becomes
    `[None, train(...).numpy()]`; other fetches of the same run are read before the step, in a helper.
    Gradients computed with `compute_gradients` or `tf.gradients`, transformed (`tf.clip_by_global_norm`, a
    comprehension) and then given to `apply_gradients` make one step too: the tape's gradients replace the TF1
    call, the transforms follow as written, and a value they compute that a run fetches (the global norm) is
    returned by the step after the loss. Several train steps fetched in one run (a GAN's generator and
    discriminator steps) become one helper that computes every loss and gradient on one persistent tape before
    it applies any update, as TF1 did with resource variables (that part is a `tf.function` too, which the helper
    calls between reading the run's other fetches and converting the values to arrays).

    A step whose inputs are all placeholders of known dtypes is a `tf.function` with their specs as its
    `input_signature` (the shapes TF1 knew, `None` where it knew none): traced once, as TF1 built its graph once,
    it runs several times faster than op-by-op eager code, and a batch of another size or a Python number fed
    where a placeholder was does not retrace it. A step fed only iterator elements is traced without a signature
    (`reduce_retracing=True`: the last, smaller batch retraces it once). A step fed flags (a bool, a
    `placeholder_with_default`) or RNNs the lifting runs with its `dynamic_rnn` helper stays eager. To debug a
    traced step, `tf.config.run_functions_eagerly(True)` runs it op by op.

    ## Why
    TF2 has no graph for `minimize` to add update ops to. Keras optimizers changed defaults (epsilon 1e-7),
    so the TF1 values are passed explicitly.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None])
    w = tf.Variable(1.0)
    loss = tf.reduce_mean(tf.square(w * x - 2.0))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, l = sess.run([train, loss], feed_dict={x: xs})
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    w = tf.Variable(1.0)
    def loss(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return tf.reduce_mean(tf.square(w * x - 2.0))
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.1, epsilon=1e-8)
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def train(x):
        with tf.GradientTape() as tape:
            loss_value = loss(x)
        variables = [w]
        optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
        return loss_value
    _, l = [None, train(xs).numpy()]
    ```

    ## Fix safety
    Safe: checked numerically against `tf.compat.v1.train` in a graph (SGD, momentum, Nesterov, Adam,
    Adagrad, Adadelta, RMSProp agree to float32 rounding). RMSProp becomes `TF1RMSprop`, a three-line subclass
    of Keras' RMSprop defined in the notebook, because TF1 starts its mean squares at 1.0 and Keras at 0.0.
    Other optimizers, `grad_loss` and computed `var_list`s keep the notebook at level compat. Train steps run
    together are refused when two update the same variables or share an optimizer: TF1 applied their updates
    concurrently, in no fixed order. (With TF1's reference variables a step could also read what the other had
    just updated: such a notebook's losses varied between runs in the sixth digit. The lifted helper gives the
    result TF1 gave with resource variables, checked against it in tests/lift.)
    """

    code = "TFM102"
    name = "train-step-lifting"
    level = "tf2"
    doc = _GUIDE

    def check(self, cell):
        for call in cell.method_calls.get("minimize", []):
            start, end = cell.source.span(call.func)
            yield self.finding(cell, start, end, "`minimize` becomes a GradientTape train step when the notebook "
                               "is migrated at level tf2")
