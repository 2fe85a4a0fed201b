"""TFM200 get-variable-lifting."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/model_mapping"


@register
class GetVariableLifting(NotebookRule):
    """`tf.get_variable` in a lifted graph: a `tf.Variable` made from the same initializer.

    ## What it does
    With the notebook's graph lifted (TFM100), `v = tf.get_variable(name, shape, initializer=init)` at the top
    level of a cell (a `variable_scope` block around it included) becomes `v = tf.Variable(init(shape), name=name)`.
    TF1's default initializer for float variables, glorot-uniform, is written out; `trainable=` and
    `constraint=` are kept. A variable named in a `variable_scope` can still be looked up by its TF1 name
    (`get_tensor_by_name("scope/v:0")` becomes `v`).

    ## Why
    `get_variable` looks variables up in the graph's variable store, which eager TF2 does not have.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer())
    y = tf.matmul(x, w)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    print(sess.run(y, {x: data}))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    w = tf.Variable(tf.zeros_initializer()([3, 1]), name="w")
    def y(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return tf.matmul(x, w)
    print(y(data).numpy())
    ```

    ## Fix safety
    Safe: only when nothing in the notebook reuses variables (`reuse=`, `tf.AUTO_REUSE`,
    `scope.reuse_variables()`), so every call made a new variable in TF1 too. Reuse, regularizers, partitioners
    and collections keep the notebook at level compat (TFM199).
    """

    code = "TFM200"
    name = "get-variable-lifting"
    doc = _GUIDE
