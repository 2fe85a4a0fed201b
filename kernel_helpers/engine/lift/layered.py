"""Model functions built from ``tf.layers`` calls: Keras layer classes that make their layers once (TFM230).

The TF1 examples' favourite network is a function of layer calls, often under its own variable scope with a
``reuse`` flag, called once to train and again with ``reuse=True`` to evaluate::

    def conv_net(x, n_classes, dropout, reuse, is_training):
        with tf.variable_scope("ConvNet", reuse=reuse):
            x = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)
            x = tf.layers.dropout(x, rate=dropout, training=is_training)
            return tf.layers.dense(tf.layers.flatten(x), n_classes)

In eager TF2 every call would make new layers. The function becomes a ``tf.keras.layers.Layer`` whose
``__init__`` makes each layer (with the parameters its arguments read) and whose ``call`` is the body with each
layer call replaced by the layer's, so one instance per scope is made where TF1 made the variables and a
``reuse=True`` call calls it again (``modules.py`` makes the instances). Keras builds each layer at its first call,
in the order TF1 made the variables.
"""

from __future__ import annotations

import ast
import re
import textwrap

from ..edits import apply_edits
from ..source import Source
from . import arg_scopes, layers, rnn
from .layout import Layout
from .model import CellPlan, NotLiftable
from .recurrent_functions import RecurrentRun, init_lines
from .syntax import repeated, strings_across_lines

INDENT = "    "
#: where TF1's layer functions live: a call of one the lifting does not map stops the function's lifting
LAYER_MODULES = ("layers.", "contrib.layers.", "contrib.slim.")
#: why the class's ``build`` does nothing: Keras's default would trace ``call`` to build the layers
BUILD_COMMENT = ("# Keras would build the layers by tracing `call`, drawing random initial values it throws away",
                 "# (so aligned draws would not line up): each is built at its first call, as TF1 made them.")


def attribute_base(keras_class: str) -> str:
    """Keras's (and TF1's) default layer name for a class: ``Conv2D`` -> ``conv2d``, ``MaxPooling2D`` ->
    ``max_pooling2d``, ``Conv2DTranspose`` -> ``conv2d_transpose``."""
    words = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", keras_class)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


def read_layers(cell, func: ast.FunctionDef, body: list[ast.stmt], tf: str, skip: frozenset = frozenset()) -> list | str:
    """(attribute, call, LayerCall) for each layer call of the function (but the calls in ``skip``, by id), in
    creation order; or why not."""
    calls = [n for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Call) and id(n) not in skip]
    unknown = next((api for api in (cell.api.get(id(n), "") for n in calls) if api.startswith(LAYER_MODULES)
                    and api not in layers.LAYERS and api not in arg_scopes.FUNCTIONS
                    and "initializer" not in api and "regularizer" not in api), None)
    if unknown is not None:
        return f"`{func.name}` calls `tf.{unknown}`, which the lifting does not make a Keras layer"
    found = [n for n in calls if cell.api.get(id(n)) in layers.LAYERS]
    scoped = arg_scopes.blocks(cell, body)  # outermost first, as ast.walk goes
    inside_repeating = repeated(body)
    result, counts = [], {}
    # Python runs a call's arguments before the call: the one that ends first is made first.
    for call in sorted(found, key=lambda n: (n.end_lineno, n.end_col_offset)):
        if id(call) in inside_repeating:
            return f"`{func.name}` calls a layer in a loop, comprehension or nested function"
        api = cell.api[id(call)]
        around = [b for b in scoped if id(call) in {id(n) for n in ast.walk(b)}]
        merged = arg_scopes.with_defaults(cell, call, api, around)
        if isinstance(merged, str):
            return merged
        read = layers.read_call(api, merged[0], cell.segment, tf)
        if isinstance(read, str):
            return read
        read.inherited = tuple(merged[1])
        base = attribute_base(read.keras_class)
        counts[base] = counts.get(base, 0) + 1
        attribute = base if counts[base] == 1 else f"{base}_{counts[base] - 1}"
        result.append((attribute, call, read))
    return result


def class_text(cell, func: ast.FunctionDef, model, tf: str) -> str:
    made = "layers and RNN cells" if model.layers and model.recurrent.runs else \
        "RNN cells" if model.recurrent.runs else "layers"
    init = [f"class {model.class_name}({tf}.keras.layers.Layer):",
            f'{INDENT}"""TF1\'s `{func.name}` as a Keras layer: its {made} are made once, here."""',
            "",
            f"{INDENT}def __init__(self, {''.join(p + ', ' for p in model.init_params)}**kwargs):",
            f"{INDENT * 2}super().__init__(**kwargs)"]
    for attribute, _, read in model.layers:
        init.append(f"{INDENT * 2}self.{attribute} = {layers.constructor(tf, read)}")
    init += [INDENT * 2 + line for line in init_lines(cell, model, tf)]
    build = [f"{INDENT}def build(self, input_shape):", *(INDENT * 2 + line for line in BUILD_COMMENT),
             f"{INDENT * 2}super().build(input_shape)"]
    call = [f"{INDENT}def call(self{''.join(', ' + p for p in model.call_params + model.feeds)}):",
            textwrap.indent(call_body(cell, func, model), INDENT * 2)]
    return "\n".join(init) + "\n\n" + "\n".join(build) + "\n\n" + "\n".join(call)


def call_body(cell, func: ast.FunctionDef, model) -> str:
    """The function's body with its scope block unwrapped, each layer call replaced by the layer's, its cell
    statements deleted and its RNN runs calling their RNN layers."""
    lines = cell.text.splitlines(keepends=True)[model.body[0].lineno - 1:func.end_lineno]
    text = textwrap.dedent("".join(lines))
    tree = ast.parse(text)
    source = Source(text)
    plan = CellPlan()
    by_call = {id(call): (attribute, read) for attribute, call, read in model.layers}
    by_call.update({id(run.call): (run.attributes, run) for run in model.recurrent.runs})
    calls = [call for _, call, _ in model.layers] + [run.call for run in model.recurrent.runs]
    inner = {id(n) for call in calls for n in ast.walk(call) if n is not call}
    cell_statements = {id(stmt) for stmt in model.recurrent.cells}
    defaults_blocks = {id(block) for block in arg_scopes.blocks(cell, model.body)}

    def written(node: ast.expr) -> str:
        """``node``'s source with the layer calls in it replaced by the layers' (inner ones too)."""
        start, _ = cell.span(node)
        edits = []
        for child in ast.walk(node):
            if id(child) in by_call and child is not node and not any(
                    id(child) in {id(n) for n in ast.walk(other)} for other in ast.walk(node)
                    if id(other) in by_call and other is not node and other is not child):
                s, e = cell.span(child)
                edits.append((s - start, e - start, layer(child)))
        return apply_edits(cell.segment(node), edits) if id(node) not in by_call else layer(node)

    def layer(call: ast.Call) -> str:
        attribute, read = by_call[id(call)]
        if isinstance(read, RecurrentRun):
            return rnn.run_call(read.api, call, written, tuple(f"self.{a}" for a in attribute))
        keywords = "".join(f", {name}={cell.segment(node) if node is not None else default}"
                           for name, node, default in read.call_keywords)
        return f"self.{attribute}({written(read.inputs)}{keywords})"

    for original, copy in zip(ast.walk(ast.Module(body=model.body, type_ignores=[])), ast.walk(tree)):
        if type(original) is not type(copy):
            raise NotLiftable(f"`{func.name}` could not be read back", cell.index, func)
        if original is model.scope_block or id(original) in defaults_blocks:
            plan.unwrap.add(id(copy))  # the layer's name takes the scope's place; the layers have the defaults
        if id(original) in by_call and id(original) not in inner:
            start, end = source.span(copy)
            plan.edits.append((start, end, layer(original)))
        if id(original) in cell_statements:
            plan.delete.add(id(copy))  # `__init__` makes the cell
    if strings_across_lines(text):
        raise NotLiftable(f"`{func.name}` has a multi-line string, which cannot be re-indented safely", cell.index,
                          func)
    return Layout(text, source, tree, plan, cell.index).render([]).rstrip("\n") + "\n"
