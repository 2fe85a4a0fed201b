"""TFM315 keras-target-tensors."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_feed_dict"


@register
class KerasTargetTensors(NotebookRule):
    '''`model.compile(..., target_tensors=[placeholder])`: the argument and the placeholder go.

    ## What it does
    At level tf2, when a placeholder is used only as an element of a Keras `compile` call's `target_tensors`
    (TF1-era Keras trained against graph tensors; Hvass's translation and captioning tutorials declare integer token
    targets this way), the `target_tensors` argument and the placeholder's definition go, across cells. Such a
    placeholder does not make the notebook a TF1 graph to lift.

    ## Why
    Keras 3 has no `target_tensors`, and TF 2 no placeholders: `fit` takes the targets as the notebook gives them.

    ## Example
    ```python
    import tensorflow as tf
    from tensorflow.keras.layers import Input, Dense
    from tensorflow.keras.models import Model
    inputs = Input(shape=(4,))
    model = Model(inputs=inputs, outputs=Dense(3)(inputs))
    target = tf.placeholder(dtype='int32', shape=(None,))
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', target_tensors=[target])
    model.fit(x=features, y=labels, epochs=2)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    from tensorflow.keras.layers import Input, Dense
    from tensorflow.keras.models import Model
    inputs = Input(shape=(4,))
    model = Model(inputs=inputs, outputs=Dense(3)(inputs))
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x=features, y=labels, epochs=2)
    ```

    ## Fix safety
    Safe: the placeholder was fed by `fit` with the same targets and read by nothing else. A placeholder used
    anywhere else, defined more than once, or listed with other tensors keeps the argument, and the notebook goes
    through the lifting (which reports what it cannot follow).
    '''

    code = "TFM315"
    name = "keras-target-tensors"
    doc = _GUIDE
