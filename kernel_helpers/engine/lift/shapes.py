"""Static shapes of lifted tensors, as far as the source shows them.

Keras builds a layer's variables at its first call, but TF1 created them with the graph, in the cell that
defined the layer. A lifted layer whose input shape is known is built where it is defined, so its
variables are created, and their initial values drawn, in the same order and the same cell as TF1's
(what Compare and ``--verify`` line up). Unknown shapes leave the layer to build at its first call.
"""

from __future__ import annotations

import ast
import math

Shape = tuple  # of int | None

#: ops that keep their first argument's shape
ELEMENTWISE = {"nn.relu", "nn.relu6", "nn.elu", "nn.selu", "nn.softplus", "nn.softsign", "nn.sigmoid", "nn.tanh",
               "sigmoid", "tanh", "nn.leaky_relu", "nn.dropout", "identity", "nn.crelu"}


def literal(node: ast.expr | None) -> Shape | None:
    """``[None, 784]`` or ``(None, 2)`` written as a list or tuple; a dimension that is not a literal number
    (``[None, SEQ_LEN, 1]``) is unknown."""
    if not isinstance(node, (ast.List, ast.Tuple)) or any(isinstance(e, ast.Starred) for e in node.elts):
        return None
    return tuple(e.value if isinstance(e, ast.Constant) and type(e.value) is int else None for e in node.elts)


def layer_output(keras_class: str, arguments: dict[str, ast.expr], shape: Shape | None) -> Shape | None:
    if shape is None or not shape:
        return None
    if keras_class == "Dropout":
        return shape
    if keras_class == "Dense":
        units = arguments.get("units")
        if isinstance(units, ast.Constant) and type(units.value) is int:
            return (*shape[:-1], units.value)
        return (*shape[:-1], None)
    if keras_class == "Flatten":
        rest = shape[1:]
        return (shape[0], math.prod(rest)) if all(d is not None for d in rest) else (shape[0], None)
    return None


def text(shape: Shape) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
