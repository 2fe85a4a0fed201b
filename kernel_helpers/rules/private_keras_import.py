"""TFM902 private-keras-import."""

from __future__ import annotations

from kernel_helpers.engine.context import PRIVATE_KERAS, public_keras_module
from kernel_helpers.engine.registry import Rule, register


@register
class PrivateKerasImport(Rule):
    """`from tensorflow.python.keras... import X`: the same names from the public `tensorflow.keras`.

    ## What it does
    Rewrites the module of a `from tensorflow.python.keras[.sub] import ...` statement to
    `tensorflow.keras[.sub]` when TF 2 exports every imported name there (`Input`, `GRU`, `Adam`, `VGG16`,
    `pad_sequences`, `backend`, ...). Names and aliases stay as written.

    ## Why
    TF1-era Keras tutorials imported Keras from TensorFlow's private copy. TF 2.16+ still has a
    `tensorflow.python.keras` package, but without most of those names, so the import fails
    (`cannot import name 'Adam'`, `No module named 'tensorflow.python.keras.applications'`).

    ## Example
    ```python
    from tensorflow.python.keras.layers import Input, Dense, GRU
    from tensorflow.python.keras import backend as K
    ```

    ## Use instead
    ```python
    from tensorflow.keras.layers import Input, Dense, GRU
    from tensorflow.keras import backend as K
    ```

    ## Fix safety
    Safe: the public module is the Keras that `tf.keras` is. An import naming anything TF 2 does not export
    publicly (`CuDNNGRU`, private helpers) is left to TFM901, which reports it.
    """

    code = "TFM902"
    name = "private-keras-import"
    doc = "https://www.tensorflow.org/guide/keras"
    priority = 20

    def check(self, cell):
        for ref in cell.imports:
            public = public_keras_module(ref.node)
            if public is None:
                continue
            text = cell.source.text[ref.start:ref.end]
            offset = text.find(PRIVATE_KERAS)
            if offset < 0:
                continue  # a module name split over lines: left as it is
            start, end = ref.start + offset, ref.start + offset + len(ref.node.module)
            yield self.finding(cell, start, end, f"`{ref.node.module}` is TensorFlow's private copy of Keras: the "
                               f"names are in `{public}`", edits=[(start, end, public)])
