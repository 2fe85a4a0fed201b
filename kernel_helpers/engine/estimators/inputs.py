"""Estimator ``input_fn``s as the ``tf.data.Dataset`` a Keras model is fitted on.

``tf.estimator.inputs.numpy_input_fn`` / ``pandas_input_fn`` become the dataset they fed the estimator
through a queue: ``from_tensor_slices``, ``shuffle(queue_capacity)`` when ``shuffle=True``, ``repeat(num_epochs)``
(forever for ``None``) and ``batch(batch_size)``, with TF1's defaults (batch 128, one epoch, capacity 1000).
A user ``input_fn`` returning a dataset is called to get it.
"""

from __future__ import annotations

import ast

from ..lift.syntax import is_none
from .columns import arguments
from .model import Cell, Refused

NUMPY = "estimator.inputs.numpy_input_fn"
PANDAS = "estimator.inputs.pandas_input_fn"
INPUT_FNS = {NUMPY, PANDAS}
PARAMS = {
    NUMPY: ("x", "y", "batch_size", "num_epochs", "shuffle", "queue_capacity", "num_threads"),
    PANDAS: ("x", "y", "batch_size", "num_epochs", "shuffle", "queue_capacity", "num_threads", "target_column"),
}


def dataset_from_input_fn(cell: Cell, call: ast.Call, api: str, tf: str) -> str:
    given = arguments(cell, call, PARAMS[api])
    if "x" not in given:
        raise Refused(f"`{api.rsplit('.', 1)[-1]}` is missing `x`", cell.index, call)
    shuffle = given.get("shuffle")
    if not (isinstance(shuffle, ast.Constant) and isinstance(shuffle.value, bool)):
        raise Refused("`shuffle` is not `True` or `False` (TF1 required it to be set)", cell.index, call)
    x = cell.segment(given["x"])
    if api == PANDAS:
        x = f"dict({x})"
    y = None if is_none(given.get("y")) else cell.segment(given["y"])
    text = f"{tf}.data.Dataset.from_tensor_slices({'(' + x + ', ' + y + ')' if y else x})"
    if shuffle.value:
        capacity = cell.segment(given["queue_capacity"]) if "queue_capacity" in given else "1000"
        text += f".shuffle({capacity})"
    if "num_epochs" in given:
        epochs = given["num_epochs"]
        if is_none(epochs):
            text += ".repeat()"
        elif not (isinstance(epochs, ast.Constant) and epochs.value == 1):
            text += f".repeat({cell.segment(epochs)})"
    batch = cell.segment(given["batch_size"]) if "batch_size" in given else "128"
    return text + f".batch({batch})"


def describe(api: str, call: ast.Call, cell: Cell) -> str:
    given = arguments(cell, call, PARAMS[api])
    shuffle = given.get("shuffle")
    steps = ["the examples shuffled in a buffer of the queue's capacity"] if isinstance(
        shuffle, ast.Constant) and shuffle.value is True else ["the examples in order"]
    epochs = given.get("num_epochs")
    if epochs is not None and is_none(epochs):
        steps.append("repeated forever (`num_epochs=None`)")
    elif epochs is not None and not (isinstance(epochs, ast.Constant) and epochs.value == 1):
        steps.append("repeated `num_epochs` times")
    steps.append("batched" + ("" if "batch_size" in given else " by 128, TF1's default"))
    return (f"`tf.{api}` becomes the `tf.data.Dataset` it fed the estimator: " + ", ".join(steps))


def returns_iterator(function: ast.FunctionDef) -> bool:
    """Whether an ``input_fn`` returns tensors from an iterator rather than a dataset."""
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr in ("get_next", "make_one_shot_iterator",
                                                              "make_initializable_iterator"):
            return True
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            return True
    return False


def required_parameters(function: ast.FunctionDef) -> list[str]:
    args = function.args
    positional = args.posonlyargs + args.args
    required = positional[:len(positional) - len(args.defaults)]
    required += [a for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
    return [a.arg for a in required]
