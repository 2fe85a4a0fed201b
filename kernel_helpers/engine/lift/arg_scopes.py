"""``slim.arg_scope`` blocks inside model functions: their defaults written into the layer calls they reach.

TF-Slim sets default arguments for a group of layer functions with a block::

    with slim.arg_scope([slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=tf.contrib.layers.l2_regularizer(1e-3)):
        net = slim.fully_connected(inputs, 32, scope="fc1")

Every listed function called inside the block gets the block's keywords it does not give itself (the innermost
block first). The lifting reads each layer call with those keywords added, so its Keras layer is made with them,
and the block unwraps. The calls written inside the block are the ones reached: a function called there that
made layers of its own would be a model function of its own, which a layered function does not call.
"""

from __future__ import annotations

import ast

from . import layers

FUNCTIONS = {"contrib.slim.arg_scope", "contrib.framework.arg_scope"}


def blocks(cell, body: list[ast.stmt]) -> list[ast.With]:
    """The ``with slim.arg_scope(...)`` blocks among ``body``, at any depth."""
    return [n for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.With) and len(n.items) == 1
            and cell.api.get(id(n.items[0].context_expr)) in FUNCTIONS]


def _same_function(a: str, b: str) -> bool:
    # slim's layers are contrib.layers' functions under another name.
    return a.replace("contrib.slim.", "contrib.layers.") == b.replace("contrib.slim.", "contrib.layers.")


def listed(cell, block: ast.With) -> list[str] | str:
    """The APIs a block lists, or why they cannot be read."""
    call = block.items[0].context_expr
    functions = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "list_ops_or_scope"),
                                                    None)
    refs = {id(ref.node): ref.api for ref in cell.cell.refs}
    if block.items[0].optional_vars is not None or not isinstance(functions, (ast.List, ast.Tuple)) \
            or any(id(e) not in refs for e in functions.elts) or len(call.args) > 1:
        return "`slim.arg_scope` is not given a literal list of TF functions"
    return [refs[id(e)] for e in functions.elts]


def with_defaults(cell, call: ast.Call, api: str, around: list[ast.With]) -> tuple[ast.Call, list[ast.keyword]] | str:
    """``call`` with the keywords the ``around`` blocks (outermost first) give its function, and those keywords."""
    spec = layers.LAYERS[api]
    given = {k.arg for k in call.keywords} | set(spec.positional[:max(len(call.args) - 1, 0)])
    inherited = []
    for block in reversed(around):
        functions = listed(cell, block)
        if isinstance(functions, str):
            return functions
        if not any(_same_function(api, f) for f in functions):
            continue
        for keyword in block.items[0].context_expr.keywords:
            if keyword.arg not in given and keyword.arg != "list_ops_or_scope":
                inherited.append(keyword)
                given.add(keyword.arg)
    if not inherited:
        return call, []
    merged = ast.copy_location(ast.Call(func=call.func, args=call.args, keywords=[*call.keywords, *inherited]), call)
    return merged, inherited

