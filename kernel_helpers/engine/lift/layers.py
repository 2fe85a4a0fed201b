"""``tf.layers.*`` and contrib/slim layer calls in a lifted graph: Keras layer objects, created once, called in
the tensor's function.

TF1's functional layers created their variables when the graph was built and reused nothing; in eager TF2
a function runs at every call, so the layer must live outside it. Each call becomes a module-level
``<tensor>_<kind> = tf.keras.layers.Kind(...)`` and, where the call was, ``<tensor>_<kind>(inputs)``.
Arguments keep their values; where a TF1 default differs from Keras's (contrib's ReLU activation and
``'SAME'`` padding, slim's pooling stride of 2, dropout on by default) it is written out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from . import batch_norm


@dataclass(frozen=True)
class Spec:
    keras_class: str
    #: TF1 parameters after ``inputs`` that may be passed by position
    positional: tuple[str, ...]
    #: TF1 keyword -> Keras constructor keyword, where they differ
    renames: dict = field(default_factory=dict)
    #: TF1 keyword -> Keras keyword of the layer's call (``training``)
    call_time: dict = field(default_factory=dict)
    #: Keras keyword -> source text (``{tf}`` is the TensorFlow alias) for TF1 defaults Keras lacks
    defaults: dict = field(default_factory=dict)
    #: call-time keyword -> source text of TF1's default
    call_defaults: dict = field(default_factory=dict)
    #: TF1 keyword -> Keras keyword and value written when TF1 was given None (no biases: ``use_bias=False``)
    none_means: dict = field(default_factory=dict)
    #: TF1 keyword -> how the Keras value is computed from the TF1 text (slim's ``keep_prob``)
    transforms: dict = field(default_factory=dict)
    #: the class the notebook defines and constructs instead of Keras's (``batch_norm.py``), and the only TF1
    #: keywords it takes (None: any)
    helper: str | None = None
    accepted: frozenset | None = None
    #: the variables the layer makes, by TF1's name
    variables: tuple[str, ...] = ("kernel", "bias")


#: TF1's names of a layer's variables -> the Keras layer's attributes, where they differ
KERAS_VARIABLES = {"weights": "kernel", "biases": "bias"}

_CONTRIB_DENSE = Spec("Dense", ("num_outputs", "activation_fn"),
                      renames={"num_outputs": "units", "activation_fn": "activation",
                               "weights_initializer": "kernel_initializer", "biases_initializer": "bias_initializer",
                               "weights_regularizer": "kernel_regularizer", "biases_regularizer": "bias_regularizer",
                               "scope": "name"},
                      defaults={"activation": "{tf}.nn.relu"},
                      none_means={"biases_initializer": ("use_bias", "False"), "activation_fn": (None, None)},
                      variables=("weights", "biases"))
_CONTRIB_CONV2D = Spec("Conv2D", ("num_outputs", "kernel_size", "stride", "padding"),
                       renames={"num_outputs": "filters", "stride": "strides", "rate": "dilation_rate",
                                "activation_fn": "activation", "weights_initializer": "kernel_initializer",
                                "biases_initializer": "bias_initializer", "weights_regularizer": "kernel_regularizer",
                                "biases_regularizer": "bias_regularizer", "scope": "name"},
                       defaults={"padding": "'same'", "activation": "{tf}.nn.relu"},
                       none_means={"biases_initializer": ("use_bias", "False"), "activation_fn": (None, None)},
                       variables=("weights", "biases"))
_CONTRIB_MAX_POOL = Spec("MaxPooling2D", ("kernel_size", "stride", "padding"),
                         renames={"kernel_size": "pool_size", "stride": "strides", "scope": "name"},
                         defaults={"strides": "2"})
_CONTRIB_AVG_POOL = Spec("AveragePooling2D", ("kernel_size", "stride", "padding"),
                         renames={"kernel_size": "pool_size", "stride": "strides", "scope": "name"},
                         defaults={"strides": "2"})
_CONTRIB_FLATTEN = Spec("Flatten", (), renames={"scope": "name"})
_CONTRIB_DROPOUT = Spec("Dropout", ("keep_prob", "noise_shape", "is_training"),
                        renames={"keep_prob": "rate", "scope": "name"}, call_time={"is_training": "training"},
                        defaults={"rate": "0.5"}, call_defaults={"training": "True"},
                        transforms={"keep_prob": "1 - {}"})

#: TF1 layer function -> how it becomes a Keras layer
LAYERS = {
    "layers.dense": Spec("Dense", ("units", "activation")),
    "layers.dropout": Spec("Dropout", ("rate", "noise_shape", "seed"), call_time={"training": "training"}),
    "layers.conv1d": Spec("Conv1D", ("filters", "kernel_size", "strides", "padding")),
    "layers.conv2d": Spec("Conv2D", ("filters", "kernel_size", "strides", "padding")),
    "layers.conv3d": Spec("Conv3D", ("filters", "kernel_size", "strides", "padding")),
    "layers.conv2d_transpose": Spec("Conv2DTranspose", ("filters", "kernel_size", "strides", "padding")),
    "layers.conv3d_transpose": Spec("Conv3DTranspose", ("filters", "kernel_size", "strides", "padding")),
    "layers.max_pooling1d": Spec("MaxPooling1D", ("pool_size", "strides", "padding")),
    "layers.max_pooling2d": Spec("MaxPooling2D", ("pool_size", "strides", "padding")),
    "layers.max_pooling3d": Spec("MaxPooling3D", ("pool_size", "strides", "padding")),
    "layers.average_pooling1d": Spec("AveragePooling1D", ("pool_size", "strides", "padding")),
    "layers.average_pooling2d": Spec("AveragePooling2D", ("pool_size", "strides", "padding")),
    "layers.average_pooling3d": Spec("AveragePooling3D", ("pool_size", "strides", "padding")),
    "layers.flatten": Spec("Flatten", ()),
    "layers.batch_normalization": Spec("BatchNormalization", batch_norm.POSITIONAL,
                                       call_time={"training": "training"}, helper="TF1BatchNormalization",
                                       accepted=batch_norm.KEYWORDS, variables=batch_norm.VARIABLES),
}
for _prefix in ("contrib.layers.", "contrib.slim."):
    LAYERS.update({_prefix + "fully_connected": _CONTRIB_DENSE, _prefix + "conv2d": _CONTRIB_CONV2D,
                   _prefix + "convolution2d": _CONTRIB_CONV2D, _prefix + "max_pool2d": _CONTRIB_MAX_POOL,
                   _prefix + "avg_pool2d": _CONTRIB_AVG_POOL, _prefix + "flatten": _CONTRIB_FLATTEN,
                   _prefix + "dropout": _CONTRIB_DROPOUT})

#: Keras classes that own no variables (nothing for a train step to update)
VARIABLE_FREE = {"Dropout", "Flatten", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
                 "AveragePooling2D", "AveragePooling3D"}
#: keywords whose TF1 meaning has no Keras constructor argument, or that the lifting cannot keep faithfully
REFUSED_KEYWORDS = {
    "reuse": "reuses the variables of another layer",
    "_reuse": "reuses the variables of another layer",
    "trainable": "sets `trainable`",
    "normalizer_fn": "normalizes inside the layer",
    "normalizer_params": "normalizes inside the layer",
    "variables_collections": "puts its variables in graph collections",
    "outputs_collections": "puts its output in graph collections",
    "data_format": "chooses a data format",
}
#: keywords that say "the default" in TF1 spelled as None, which Keras would not accept
NONE_MEANS_DEFAULT = {"kernel_initializer", "bias_initializer", "activation", "name", "scope",
                      "weights_initializer", "noise_shape"}


@dataclass
class LayerCall:
    """How one TF1 layer call is lifted."""

    api: str
    keras_class: str
    #: constructor arguments as source text
    arguments: list[str]
    inputs: ast.expr
    #: call-time keywords: (Keras name, node or None, text when there is no node)
    call_keywords: list[tuple[str, ast.expr | None, str]]
    #: keywords given by the ``slim.arg_scope`` blocks around the call (``arg_scopes.py``)
    inherited: tuple[ast.keyword, ...] = ()

    @property
    def regularized(self) -> bool:
        """Whether the layer is made with a regularizer (TF1 put its penalty in REGULARIZATION_LOSSES)."""
        return any(a.startswith(("kernel_regularizer=", "bias_regularizer=")) for a in self.arguments)

    @property
    def helper(self) -> str | None:
        """The class the notebook defines for the layer, or None for a Keras one."""
        return LAYERS[self.api].helper


def read_call(api: str, call: ast.Call, segment, tf: str = "tf") -> LayerCall | str:
    """The lifted form of a layer call, or why it cannot be lifted."""
    spec = LAYERS[api]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return f"`tf.{api}` is called with *args or **kwargs"
    inputs = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "inputs"), None)
    if inputs is None:
        return f"`tf.{api}` is called without inputs"
    if len(call.args) - 1 > len(spec.positional):
        return f"`tf.{api}` is given more positional arguments than the lifting maps"
    given = dict(zip(spec.positional, call.args[1:]))
    given.update({k.arg: k.value for k in call.keywords if k.arg != "inputs"})
    arguments, keras_given, call_keywords = [], set(), []
    positional_ok = True
    for index, (name, value) in enumerate(given.items()):
        if name in REFUSED_KEYWORDS and not (isinstance(value, ast.Constant) and value.value is None):
            return f"`tf.{api}` {REFUSED_KEYWORDS[name]}"
        if spec.accepted is not None and name not in spec.accepted:
            return f"`tf.{api}` is given `{name}`, which the lifting does not carry over"
        if name in spec.call_time:
            call_keywords.append((spec.call_time[name], value, ""))
            positional_ok = False
            continue
        keras_name = spec.renames.get(name, name)
        if isinstance(value, ast.Constant) and value.value is None:
            if name in spec.none_means:
                replacement, text = spec.none_means[name]
                keras_given.add(keras_name)
                if replacement is not None:
                    arguments.append(f"{replacement}={text}")
                positional_ok = False
                continue
            if name in NONE_MEANS_DEFAULT:
                positional_ok = False
                continue
        text = segment(value)
        if name in spec.transforms:
            text = spec.transforms[name].format(text)
        keras_given.add(keras_name)
        # Leading positional arguments stay positional where the Keras constructor has the same order.
        by_position = positional_ok and index < len(call.args) - 1 and keras_name == name
        arguments.append(text if by_position else f"{keras_name}={text}")
        positional_ok = by_position
    for keras_name, text in spec.defaults.items():
        if keras_name not in keras_given:
            arguments.append(f"{keras_name}={text.format(tf=tf)}")
    for keras_name, text in spec.call_defaults.items():
        if keras_name not in {k for k, _, _ in call_keywords}:
            call_keywords.append((keras_name, None, text))
    return LayerCall(api, spec.keras_class, arguments, inputs, call_keywords)


def constructor_arguments(read: LayerCall, call: ast.Call) -> list[ast.expr]:
    """The arguments of a layer call that go to the layer's constructor: not its inputs, not its call-time keywords."""
    call_time = {id(node) for _, node, _ in read.call_keywords if node is not None}
    keywords = [*call.keywords, *read.inherited]
    return [a for a in [*call.args[1:], *(k.value for k in keywords if k.arg != "inputs")]
            if id(a) not in call_time and a is not read.inputs]


def arguments_by_name(api: str, call: ast.Call) -> dict[str, ast.expr]:
    """The call's constructor arguments by Keras parameter name (positional ones after ``inputs`` included)."""
    spec = LAYERS[api]
    named = dict(zip(spec.positional, call.args[1:]))
    named.update({k.arg: k.value for k in call.keywords if k.arg is not None})
    return {spec.renames.get(k, k): v for k, v in named.items()}


def literal_name(api: str, call: ast.Call, default: str | None) -> str | None:
    """TF1's name for a layer: the literal name (or scope) the call gives, else ``default``, what TF1 named it; None
    when the name is not known."""
    name = arguments_by_name(api, call).get("name")
    if name is None:
        return default
    return name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None


def variable_names(api: str, layer_name: str | None) -> list[tuple[str, str]]:
    """(TF1 name, Keras attribute) of each variable the layer TF1 named ``layer_name`` makes; none when the name is
    not known."""
    if layer_name is None:
        return []
    return [(f"{layer_name}/{v}", KERAS_VARIABLES.get(v, v)) for v in LAYERS[api].variables]


def constructor(tf: str, layer: LayerCall) -> str:
    return f"{layer.helper or tf + '.keras.layers.' + layer.keras_class}({', '.join(layer.arguments)})"
