"""``tf.get_variable`` in a lifted graph: a ``tf.Variable`` made from its initializer, where it was created.

Without variable reuse anywhere in the notebook, every ``get_variable`` call that ran in TF1 created a new
variable (a second one under the same name was an error), so an eager ``tf.Variable`` per call is the same
thing. Reuse (``reuse=True``, ``tf.AUTO_REUSE``, ``scope.reuse_variables()``) keeps the notebook at compat.
"""

from __future__ import annotations

import ast

#: tf.get_variable's parameters, in order (TF 1.15)
PARAMETERS = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "collections",
              "caching_device", "partitioner", "validate_shape", "use_resource", "custom_getter", "constraint")
#: arguments an eager tf.Variable has no place for, and why they stop the lifting
REFUSED = {
    "regularizer": "adds a regularization loss to a graph collection",
    "collections": "puts the variable in graph collections",
    "partitioner": "partitions the variable",
    "custom_getter": "has a custom getter",
    "caching_device": "sets a caching device",
    "use_resource": "chooses the variable's implementation",
    "validate_shape": "skips shape validation",
}
FLOAT_DTYPES = {"float16", "float32", "float64", "bfloat16"}


def arguments(call: ast.Call) -> dict[str, ast.expr] | str:
    """The call's arguments by parameter name, or why the call cannot be lifted."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return "`tf.get_variable` is called with *args or **kwargs"
    if len(call.args) > len(PARAMETERS):
        return "`tf.get_variable` is called with too many arguments"
    named = dict(zip(PARAMETERS, call.args))
    named.update({k.arg: k.value for k in call.keywords})
    for parameter, reason in REFUSED.items():
        value = named.get(parameter)
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            return f"`tf.get_variable` {reason}"
    if "name" not in named:
        return "`tf.get_variable` is called without a name"
    return named


def is_float(dtype: ast.expr | None, dtype_name) -> bool:
    """Whether ``dtype`` (None: TF1's float32 default) is a floating dtype, which TF1 initialized with glorot."""
    return dtype is None or dtype_name(dtype) in FLOAT_DTYPES


def variable_text(tf: str, named: dict[str, ast.expr], segment, dtype_name) -> str | None:
    """``tf.Variable(<initial value>, name=...)``, or None when the initial value cannot be written faithfully."""
    shape, dtype, initializer = named.get("shape"), named.get("dtype"), named.get("initializer")
    call_arguments = [segment(shape)] if shape is not None else []
    if dtype is not None:
        call_arguments.append(f"dtype={segment(dtype)}")
    if initializer is None or isinstance(initializer, ast.Constant) and initializer.value is None:
        if shape is None or not is_float(dtype, dtype_name):
            return None  # TF1 used zeros for integer variables, glorot for floats; only the latter is written
        value = f"{tf}.keras.initializers.GlorotUniform()({', '.join(call_arguments)})"
    elif shape is not None:
        # An initializer object (TF1 refused a value with a shape), called the way get_variable called it.
        value = f"{segment(initializer)}({', '.join(call_arguments)})"
    else:
        value = segment(initializer)  # a tensor or an array: the value itself
    extra = [f"name={segment(named['name'])}"]
    for keyword in ("trainable", "constraint"):
        if keyword in named:
            extra.append(f"{keyword}={segment(named[keyword])}")
    return f"{tf}.Variable({value}, {', '.join(extra)})"
