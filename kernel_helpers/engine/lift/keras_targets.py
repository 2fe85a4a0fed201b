"""Keras models compiled with ``target_tensors=[placeholder]`` (TFM315): the argument and the placeholder go.

TF1-era Keras let a model train against a tensor of the graph instead of the targets given to ``fit``; Hvass's
tutorials feed integer token targets that way::

    decoder_target = tf.placeholder(dtype='int32', shape=(None, None))
    model.compile(optimizer=optimizer, loss=sparse_cross_entropy, target_tensors=[decoder_target])
    model.fit(x=x_data, y=y_data, ...)

The placeholder is fed by ``fit`` with ``y`` and used nowhere else, so it is only a declaration of the targets'
dtype and shape. Keras 3 has no ``target_tensors`` (and TF 2 no placeholders): ``fit`` takes the targets as they
are. A whole-notebook pass, since the placeholder and the ``compile`` call are usually in different cells; such
placeholders do not make a notebook's graph to lift.
"""

from __future__ import annotations

import ast

from .model import CellPlan

CODE = "TFM315"


def target_placeholders(cells) -> dict[str, tuple[int, ast.Assign, int, ast.Call]] | None:
    """Placeholder name -> (its cell, its statement, the compile call's cell, the call) for every placeholder that
    is only a ``target_tensors`` element; None when there are none, or some placeholder is used otherwise too."""
    if not any("target_tensors" in cell.text for cell in cells):
        return None
    defined, used, targets = {}, {}, {}
    for cell in cells:
        for node in ast.walk(cell.tree) if cell.tree is not None else ():
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and cell.api.get(id(node.value)) == "placeholder" and node in cell.tree.body:
                defined.setdefault(node.targets[0].id, []).append((cell.index, node))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used[node.id] = used.get(node.id, 0) + 1
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile":
                value = next((k.value for k in node.keywords if k.arg == "target_tensors"), None)
                if isinstance(value, (ast.List, ast.Tuple)):
                    for element in value.elts:
                        if isinstance(element, ast.Name):
                            targets.setdefault(element.id, []).append((cell.index, node))
    found = {}
    for name, places in targets.items():
        if len(defined.get(name, ())) != 1 or len(places) != 1 or used.get(name) != 1:
            return None
        (cell, stmt), (call_cell, call) = defined[name][0], places[0]
        found[name] = (cell, stmt, call_cell, call)
    # Every element of every such list must be one of them, or the argument cannot go.
    for _, _, _, call in found.values():
        value = next(k.value for k in call.keywords if k.arg == "target_tensors")
        if not all(isinstance(e, ast.Name) and e.id in found for e in value.elts):
            return None
    return found or None


def ignored_calls(found) -> set[int]:
    """The placeholder calls that do not make the notebook a graph to lift."""
    return {id(stmt.value) for _, stmt, _, _ in (found or {}).values()}


def target_plans(cells, found) -> list[CellPlan]:
    plans = [CellPlan() for _ in cells]
    calls = {}
    for name, (index, stmt, call_index, call) in found.items():
        cell = cells[index]
        plans[index].delete.add(id(stmt))
        start, end = cell.span(stmt)
        plans[index].notes.append((CODE, start, end, f"`{name}` only declared the targets of a Keras model, which "
                                                     "`fit` is given: it goes"))
        calls[id(call)] = (call_index, call)
    for index, call in calls.values():
        cell = cells[index]
        arguments = [*call.args, *call.keywords]
        keyword = next(k for k in call.keywords if k.arg == "target_tensors")
        position = arguments.index(keyword)
        start, end = cell.span(keyword)
        # The argument goes with the comma before it (or, first, the one after it).
        if position:
            start = cell.span(arguments[position - 1])[1]
        elif len(arguments) > 1:
            end = cell.span(arguments[1])[0]
        plans[index].edits.append((start, end, ""))
        plans[index].notes.append((CODE, start, end, "Keras 3 has no `target_tensors`: `fit` takes the targets"))
    return plans
