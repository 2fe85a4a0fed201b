"""``tf.layers.*`` calls in a lifted graph: Keras layer objects, created once, called in the tensor's function.

TF1's functional layers created their variables when the graph was built and reused nothing; in eager TF2
a function runs at every call, so the layer must live outside it. Each call becomes a module-level
``<tensor>_<kind> = tf.keras.layers.Kind(...)`` and, where the call was, ``<tensor>_<kind>(inputs)``.
The constructor arguments keep their values: the defaults agree (glorot-uniform kernels, zero biases,
``padding='valid'``), so only the arguments the notebook passed are written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: tf.layers function -> (Keras class, parameters after ``inputs`` that may be passed by position, keywords
#: that go to the layer's call rather than its constructor)
LAYERS = {
    "layers.dense": ("Dense", ("units", "activation"), ()),
    "layers.dropout": ("Dropout", ("rate", "noise_shape", "seed"), ("training",)),
    "layers.conv1d": ("Conv1D", ("filters", "kernel_size", "strides", "padding"), ()),
    "layers.conv2d": ("Conv2D", ("filters", "kernel_size", "strides", "padding"), ()),
    "layers.conv3d": ("Conv3D", ("filters", "kernel_size", "strides", "padding"), ()),
    "layers.max_pooling1d": ("MaxPooling1D", ("pool_size", "strides", "padding"), ()),
    "layers.max_pooling2d": ("MaxPooling2D", ("pool_size", "strides", "padding"), ()),
    "layers.max_pooling3d": ("MaxPooling3D", ("pool_size", "strides", "padding"), ()),
    "layers.average_pooling1d": ("AveragePooling1D", ("pool_size", "strides", "padding"), ()),
    "layers.average_pooling2d": ("AveragePooling2D", ("pool_size", "strides", "padding"), ()),
    "layers.average_pooling3d": ("AveragePooling3D", ("pool_size", "strides", "padding"), ()),
    "layers.flatten": ("Flatten", (), ()),
}
#: Keras classes that own no variables (nothing for a train step to update)
VARIABLE_FREE = {"Dropout", "Flatten", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
                 "AveragePooling2D", "AveragePooling3D"}
#: keywords whose TF1 meaning has no Keras constructor argument, or that the lifting cannot keep faithfully
REFUSED_KEYWORDS = {
    "reuse": "reuses the variables of another layer",
    "trainable": "sets `trainable`",
    "_reuse": "reuses the variables of another layer",
}
#: keywords that say "the default" in TF1 spelled as None, which Keras would not accept
NONE_MEANS_DEFAULT = {"kernel_initializer", "bias_initializer", "activation", "name"}


@dataclass
class LayerCall:
    """How one ``tf.layers.X(inputs, ...)`` call is lifted."""

    keras_class: str
    #: constructor arguments as source text
    arguments: list[str]
    inputs: ast.expr
    #: call-time keywords (``training=``) as (name, node)
    call_keywords: list[tuple[str, ast.expr]]


def read_call(api: str, call: ast.Call, segment) -> LayerCall | str:
    """The lifted form of a layer call, or why it cannot be lifted."""
    keras_class, positional, call_time = LAYERS[api]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return f"`tf.{api}` is called with *args or **kwargs"
    inputs = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "inputs"), None)
    if inputs is None:
        return f"`tf.{api}` is called without inputs"
    rest = call.args[1:]
    if len(rest) > len(positional):
        return f"`tf.{api}` is given more positional arguments than the lifting maps"
    arguments = [segment(a) for a in rest]
    call_keywords = []
    for keyword in call.keywords:
        if keyword.arg == "inputs":
            continue
        if keyword.arg in REFUSED_KEYWORDS:
            return f"`tf.{api}` {REFUSED_KEYWORDS[keyword.arg]}"
        if keyword.arg in call_time:
            call_keywords.append((keyword.arg, keyword.value))
            continue
        if keyword.arg in NONE_MEANS_DEFAULT and isinstance(keyword.value, ast.Constant) \
                and keyword.value.value is None:
            continue
        arguments.append(f"{keyword.arg}={segment(keyword.value)}")
    return LayerCall(keras_class, arguments, inputs, call_keywords)


def arguments_by_name(api: str, call: ast.Call) -> dict[str, ast.expr]:
    """The call's constructor arguments by parameter name (positional ones after ``inputs`` included)."""
    _, positional, _ = LAYERS[api]
    named = dict(zip(positional, call.args[1:]))
    named.update({k.arg: k.value for k in call.keywords if k.arg is not None})
    return named


def constructor(tf: str, layer: LayerCall) -> str:
    return f"{tf}.keras.layers.{layer.keras_class}({', '.join(layer.arguments)})"


def object_name(tensor: str, layer: LayerCall, taken) -> str:
    """``hidden1_dense``: the tensor's name and the layer's kind, made unique."""
    base = f"{tensor}_{layer.keras_class.lower()}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name
