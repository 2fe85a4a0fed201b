"""TFM100 graph-lifting."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"


@register
class GraphLifting(Rule):
    """Placeholders, graph tensors and `sess.run`: lifted into eager functions and calls across the notebook.

    ## What it does
    At level tf2, migrating the whole notebook (or a lone file) turns each placeholder into a function
    parameter, each tensor that depends on a feed, a variable or randomness into a function of the
    placeholders it needs, and each `sess.run(fetches, feed_dict)`, `tensor.eval(...)` and `op.run(...)`
    into a call, with `.numpy()` where TF1 returned an array. Constant tensors stay eager values. A tensor
    defined again with the same expression (an `accuracy` built anew in a second session block) keeps the
    function of its first definition. A cell that only shows a tensor or a placeholder (`layer_conv1`, to see its
    shape) gets a comment that says what became of it, and code under `if False:` is left alone.
    Also followed: `.eval()` of an expression written in place (`(x * 2).eval()`); helpers given the tensors or
    variables they run (`plot_conv_layer(layer=layer_conv1, image=image1)`); static shapes read from tensors
    (`flat.get_shape()[1].num_elements()`), worked out once by tracing with the placeholders' shapes; a placeholder
    that takes over the name of a constant run before it; a graph name given a plain value once nothing is built on
    it; and notebooks that build a graph per exercise (`graph = tf.Graph()` again, `tf.reset_default_graph()`),
    lifted graph by graph. While typing, the placeholders are underlined; the rewrite needs the whole notebook.

    ## Why
    TF2 runs eagerly: there is no graph to feed and no session to run it. A function of the former
    placeholders computes the same values whenever it is called, as `sess.run` did for each feed.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(tf.ones([3, 1]))
    y = tf.matmul(x, w)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    print(sess.run(y, feed_dict={x: data}))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    w = tf.Variable(tf.ones([3, 1]))
    def y(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return tf.matmul(x, w)
    print(y(data).numpy())
    ```

    ## Fix safety
    Safe: applied only when every use of every graph name is one the lifting rewrites (literal feed dicts,
    fetches named directly, no graph lookups, one definition per name, no name read in one graph and made in
    another); the feeds are converted to the placeholder's dtype as the session did. Anything else keeps the
    notebook at level compat (TFM199).
    """

    code = "TFM100"
    name = "graph-lifting"
    level = "tf2"
    doc = _GUIDE

    def check(self, cell):
        for call in tf1_calls(cell, compat=True):
            if call.api == "placeholder":
                start, end = cell.source.span(call.node.func)
                yield self.finding(cell, start, end,
                                   "placeholders become function parameters when the notebook is migrated "
                                   "at level tf2")
