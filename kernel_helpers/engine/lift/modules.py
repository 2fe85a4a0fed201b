"""Model functions that make variables with ``tf.get_variable`` under variable scopes: ``tf.Module`` classes (TFM230).

TF1 code often builds a network from functions. A layer function makes its variables with ``tf.get_variable``
and computes with them; a model function calls layer functions inside ``tf.variable_scope`` blocks; the
notebook calls the model under a scope, and again under the same scope with ``reuse=True`` to share the
variables (a training and an evaluation graph). Eager TF2 would make new variables at every call, so:

- a layer function becomes a ``tf.Module`` whose ``__init__`` makes the variables (with the parameters that
  shaped them) and whose ``__call__`` is the rest of the body, reading ``self.weights``;
- a model function becomes a ``tf.Module`` with one sub-module per layer call, named after the variable scope
  around the call, and the body, its scope blocks unwrapped, as ``__call__``;
- the notebook makes one instance per scope, where TF1 made the variables; a call under that scope with
  ``reuse=True`` calls the same instance. Variables keep TF1's names (``model/conv1/weights:0``) through the
  modules' name scopes.

A layer function may also make its variables with ``tf.Variable`` or the notebook's variable factories
(``weights = new_weights(shape=shape)``, the Hvass tutorials' ``new_conv_layer``). TF1 made new variables at every
call of such a function, whatever the scope, so every call gets a module instance of its own. Plain statements that
only work out the variables' shapes (``shape = [size, size, n_in, n_out]``) move to ``__init__``, and a function
that returns its variables with its result (``return layer, weights``) has them unpacked from the instance.
"""

from __future__ import annotations

import ast
import textwrap
from collections import Counter
from dataclasses import dataclass, field

from ..source import Source
from . import emit, layered, layers, recurrent_functions
from .layout import Layout
from .model import CellPlan, GraphName, Kind, NotLiftable
from .syntax import argument, body_without_docstring, by_parameter, strings_across_lines

INDENT = "    "


@dataclass
class ModelFunction:
    name: str
    class_name: str
    #: parameters in the order the function takes them; those that shape its variables; the others
    params: tuple[str, ...]
    init_params: tuple[str, ...]
    call_params: tuple[str, ...]
    #: the body (without its docstring), its ``v = tf.get_variable(...)`` statements, and its calls of other
    #: model functions with the attribute each sub-module gets (the variable scope around the call)
    body: list[ast.stmt]
    own: list[ast.Assign]
    calls: dict[int, tuple[ast.Call, str]]
    #: (attribute, TF1 name under the instance's scope, trainable) of every variable, in creation order
    variables: list[tuple[str, str, bool]] = field(default_factory=list)
    #: for a function of ``tf.layers`` calls (``layered.py``): (attribute, call, LayerCall) per layer, in creation
    #: order; the variable scope its body opens (name and block) and the parameter given as its ``reuse``
    layers: list = field(default_factory=list)
    scope: str | None = None
    scope_block: ast.With | None = None
    reuse_param: str | None = None
    #: the parameter that names the variable scope (``scope="mlp"``, slim's nets), whose default is ``scope``
    scope_param: str | None = None
    #: parameters with a default -> its node
    defaults: dict = field(default_factory=dict)
    #: for a function that makes RNN cells and runs them (``recurrent_functions.py``): its cells and runs
    recurrent: recurrent_functions.Recurrent = field(default_factory=recurrent_functions.Recurrent)
    #: the notebook's placeholders the body reads (a `training` flag): parameters of the call after lifting
    feeds: tuple[str, ...] = ()
    #: its variables are ``tf.Variable``s, new at every call (not shared by scope): one instance per call
    fresh: bool = False
    #: statements that only shape the variables (``shape = [...]``): they run in ``__init__``
    setup: list[ast.stmt] = field(default_factory=list)
    #: for a function ending in ``return layer, weights``: per item, the attribute of the variable it returns, or
    #: None for a computed value
    returns: tuple[str | None, ...] | None = None

    @property
    def keras(self) -> bool:
        """Whether the function becomes a Keras layer (``layered.py``), not a ``tf.Module``."""
        return bool(self.layers or self.recurrent.runs)

    def in_creation_order(self) -> list[tuple[ast.Call, str]]:
        # Python runs a call's arguments before the call: the one that ends first runs first.
        return sorted(self.calls.values(), key=lambda item: (item[0].end_lineno, item[0].end_col_offset))


def class_name(function: str, suffix: str) -> str:
    """``conv_net`` -> ``ConvNet``; a function already named like a class (``RNN``) gets ``suffix``, since the class
    and the instance named after the function both need names."""
    name = "".join(part[:1].upper() + part[1:] for part in function.split("_") if part) or "Model"
    return name + suffix if name == function else name


def _params(func: ast.FunctionDef) -> tuple[tuple[str, ...], dict] | str:
    """The parameters, and the literal defaults of those that have one."""
    args = func.args
    if func.decorator_list or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        return "takes decorators, * or ** arguments"
    params = tuple(a.arg for a in args.args)
    defaults = dict(zip(params[len(params) - len(args.defaults):], args.defaults))
    if not all(isinstance(d, ast.Constant) for d in defaults.values()):
        return "has a default that is not a literal"
    return params, defaults


def signature(params: tuple[str, ...], defaults: dict) -> str:
    """``a, b, flag=True, `` for a method's parameters after ``self`` (a subsequence of a valid signature is
    valid)."""
    return "".join(f"{p}={ast.unparse(defaults[p])}, " if p in defaults else f"{p}, " for p in params)


def argument_texts(call: ast.Call, model: ModelFunction, params: tuple[str, ...], segment,
                   keras: bool = False) -> list[str]:
    """The arguments a call gives ``params``, as ``segment`` writes them: by position, or by name where the call
    named them or after one is left to its default. ``keras``: the first by position, the others by name (Keras
    takes only tensors by position)."""
    given = by_parameter(call, model.params)
    named = {k.arg for k in call.keywords}
    texts, by_name = [], False
    for param in params:
        if param not in given:
            by_name = True
            continue
        by_name = by_name or (bool(texts) if keras else param in named)
        texts.append(f"{param}={segment(given[param])}" if by_name else segment(given[param]))
    return texts


class ModuleLifting:
    """The Lifter's reading of model functions and their calls (a mixin: it uses the Lifter's state)."""

    # -- the functions ----------------------------------------------------------------------------------
    def model_function(self, cell, func: ast.FunctionDef) -> ModelFunction | str | None:
        """The class a function that makes variables becomes; None when it makes them some other way (not with
        ``tf.get_variable`` or other model functions), or why it cannot be lifted."""
        body = body_without_docstring(func)
        own = [stmt for stmt in body if self.variable_statement(cell, stmt)]
        calls = [n for n in ast.walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                 and self.kind(n.func.id) is Kind.MODEL_FUNCTION]
        if any(isinstance(n, ast.Call) and cell.api.get(id(n)) in layers.LAYERS for n in ast.walk(func)) \
                or recurrent_functions.runs_cells(cell, func):
            if own or calls or any(isinstance(n, ast.Call) and cell.api.get(id(n)) in {"Variable", "get_variable"}
                                   for n in ast.walk(func)):
                return f"`{func.name}` makes variables with `tf.layers` or RNN cells and in other ways too"
            # The cell factories it may call: those whose cells read no feeds and drop nothing.
            factories = {f for f in self.cell_factories if not self.cell_feeds.get(f) and f not in self.dropout_cells}
            return layered_function(cell, func, body, self.tf, factories)
        if not own and not calls:
            return None
        found = _params(func)
        if isinstance(found, str):
            return f"`{func.name}` {found}"
        params, defaults = found
        if not body or body[0].lineno == func.lineno:
            return f"`{func.name}` has its body on the `def` line"
        owned = {id(stmt.value) for stmt in own}
        for node in ast.walk(func):
            if not isinstance(node, ast.Call) or id(node) in owned:
                continue
            api = cell.api.get(id(node))
            if api in ("get_variable", "Variable"):
                return f"`{func.name}` calls `tf.{api}` inside an expression or a block"
            if api in layers.LAYERS:
                return f"`{func.name}` also makes variables with `tf.{api}`"
            if isinstance(node.func, ast.Name) and self.kind(node.func.id) is Kind.FACTORY:
                return f"`{func.name}` calls the variable factory `{node.func.id}` inside an expression or a block"
        # tf.Variable made new variables at every call; tf.get_variable shared them by scope. One module cannot do both.
        parts = [cell.api.get(id(stmt.value)) != "get_variable" for stmt in own] \
            + [self.names[call.func.id].module.fresh for call in calls]
        fresh = all(parts)
        if any(parts) and not fresh:
            return f"`{func.name}` makes variables both with `tf.Variable`, new at every call, and with " \
                   "`tf.get_variable`, shared by variable scope"
        scopes = self.scope_names(cell, body)
        for node in variable_scope_blocks(cell, func):
            if node not in body or self.variable_scope_name(cell, node) is None:
                return f"`{func.name}` opens a variable scope that is nested, computed or bound to a name"
        named_calls: dict[int, tuple[ast.Call, str]] = {}
        shaping: list[ast.expr] = [stmt.value for stmt in own]
        repeated = Counter(call.func.id for call in calls)
        numbered = Counter()
        for call in sorted(calls, key=lambda c: (c.end_lineno, c.end_col_offset)):
            callee = self.names[call.func.id].module
            attribute = scopes.get(id(call), call.func.id)
            if callee.fresh and id(call) not in scopes and repeated[call.func.id] > 1:
                numbered[call.func.id] += 1  # each call its own module: `new_fc_layer_1`, `new_fc_layer_2`
                attribute = f"{call.func.id}_{numbered[call.func.id]}"
            if attribute in {a for _, a in named_calls.values()} or not attribute.isidentifier():
                return f"`{func.name}` calls two model functions under one variable scope, or under a scope " \
                       "that is not a Python name"
            named_calls[id(call)] = (call, attribute)
            shaping += split_arguments(call, callee)[0].values()
        setup = _setup_statements(body, shaping, {stmt.targets[0].id for stmt in own})
        if isinstance(setup, str):
            return f"`{func.name}` {setup}"
        shaping += [stmt.value for stmt in setup]
        shaping_nodes = {id(n) for expr in shaping for n in ast.walk(expr)}
        shaping_reads = {n.id for expr in shaping for n in ast.walk(expr) if isinstance(n, ast.Name)}
        init_params = tuple(p for p in params if p in shaping_reads)
        shaped = set(init_params) | {stmt.targets[0].id for stmt in setup}
        setup_targets = {id(stmt.targets[0]) for stmt in setup}
        for node in ast.walk(func):
            if isinstance(node, ast.Name) and node.id in shaped and id(node) not in shaping_nodes | setup_targets:
                return f"`{func.name}` uses `{node.id}` both to make variables and to compute"
        call_params = tuple(p for p in params if p not in init_params)
        if fresh and not call_params:
            return None  # it only makes variables (`weight_variable(shape)`): a factory, called where TF1 called it
        model = ModelFunction(func.name, class_name(func.name, "Module"), params, init_params, call_params, body,
                              own, named_calls, defaults=defaults, fresh=fresh, setup=setup)
        returns = _returned_variables(func, body, {stmt.targets[0].id for stmt in own})
        if isinstance(returns, str):
            return f"`{func.name}` {returns}"
        model.returns = returns
        for stmt in own:
            if fresh:
                is_variable = cell.api.get(id(stmt.value)) == "Variable"
                trainable = argument(stmt.value, "trainable", 1 if is_variable else None)
                name = argument(stmt.value, "name", None) if is_variable else None
                model.variables.append((stmt.targets[0].id, name.value if isinstance(name, ast.Constant) else None,
                                        not (isinstance(trainable, ast.Constant) and trainable.value is False)))
                continue
            named = self.get_variable_arguments(cell, stmt.value)
            trainable = named.get("trainable")
            model.variables.append((stmt.targets[0].id, named["name"].value,
                                    not (isinstance(trainable, ast.Constant) and trainable.value is False)))
        for call, attribute in model.in_creation_order():
            callee = self.names[call.func.id].module
            model.variables += [(f"{attribute}.{a}", n if fresh else f"{attribute}/{n}", t)
                                for a, n, t in callee.variables]
        return model

    def variable_statement(self, cell, stmt: ast.stmt) -> bool:
        """``v = tf.get_variable(...)``, ``v = tf.Variable(...)`` or ``v = new_weights(...)`` (a variable factory)."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call)):
            return False
        value = stmt.value
        return cell.api.get(id(value)) in ("get_variable", "Variable") \
            or isinstance(value.func, ast.Name) and self.kind(value.func.id) is Kind.FACTORY

    def scope_names(self, cell, body: list[ast.stmt]) -> dict[int, str]:
        """Calls inside ``with tf.variable_scope("name"):`` at the top of the body -> that name."""
        names = {}
        for stmt in body:
            if isinstance(stmt, ast.With):
                name = self.variable_scope_name(cell, stmt)
                if name is not None:
                    names.update({id(n): name for n in ast.walk(stmt) if isinstance(n, ast.Call)})
        return names

    def variable_scope_name(self, cell, stmt: ast.With) -> str | None:
        if len(stmt.items) != 1 or stmt.items[0].optional_vars is not None:
            return None
        expr = stmt.items[0].context_expr
        if not (isinstance(expr, ast.Call) and cell.api.get(id(expr)) == "variable_scope" and len(expr.args) == 1
                and not expr.keywords and isinstance(expr.args[0], ast.Constant)
                and isinstance(expr.args[0].value, str)):
            return None
        return expr.args[0].value

    def class_text(self, cell, func: ast.FunctionDef, model: ModelFunction) -> str:
        if model.keras:
            return layered.class_text(cell, func, model, self.tf)
        init = [f"class {model.class_name}({self.tf}.Module):",
                f'{INDENT}"""TF1\'s `{func.name}` as a module: its variables are made once, here."""',
                "",
                f"{INDENT}def __init__(self, {signature(model.init_params, model.defaults)}name=None):",
                f"{INDENT * 2}super().__init__(name=name)",
                f"{INDENT * 2}with self.name_scope:"]
        for stmt in model.setup:
            init.append(textwrap.indent(statement_text(cell, stmt), INDENT * 3))
        for stmt in model.own:
            if cell.api.get(id(stmt.value)) == "get_variable":
                text, _ = self.get_variable_text(cell, stmt.value, module=True)
                init.append(f"{INDENT * 3}self.{stmt.targets[0].id} = {text}")
            else:  # made as the function made it, kept on the module
                init.append(textwrap.indent("self." + statement_text(cell, stmt), INDENT * 3))
        for call, attribute in model.in_creation_order():
            callee = self.names[call.func.id].module
            arguments = argument_texts(call, callee, callee.init_params, cell.segment)
            init.append(f"{INDENT * 3}self.{attribute} = {construction(callee.class_name, arguments, attribute)}")
        body = self.call_body(cell, func, model)
        call = [f"{INDENT}def __call__(self, {signature(model.call_params, model.defaults)}".rstrip(", ") + "):",
                textwrap.indent(body, INDENT * 2)]
        return "\n".join(init) + "\n\n" + "\n".join(call)

    def call_body(self, cell, func: ast.FunctionDef, model: ModelFunction) -> str:
        """The function's body without its variables and scope blocks, reading the module's attributes."""
        lines = cell.text.splitlines(keepends=True)[model.body[0].lineno - 1:func.end_lineno]
        text = textwrap.dedent("".join(lines))
        tree = ast.parse(text)
        source = Source(text)
        plan = CellPlan()
        own_names = {stmt.targets[0].id for stmt in model.own}
        attribute_of = {}
        for original, copy in zip(ast.walk(ast.Module(body=model.body, type_ignores=[])), ast.walk(tree)):
            if type(original) is not type(copy):
                raise NotLiftable(f"`{func.name}` could not be read back", cell.index, func)
            if isinstance(original, ast.Call) and id(original) in model.calls:
                attribute_of[id(copy)] = (model.calls[id(original)][1], self.names[original.func.id].module)
            if isinstance(original, ast.With) and original in model.body \
                    and self.variable_scope_name(cell, original) is not None:
                plan.unwrap.add(id(copy))  # the scope names the sub-module instead
        setup = {id(stmt) for stmt in model.setup}
        for original, stmt in zip(model.body, tree.body):
            if id(original) in setup or isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
                    and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id in own_names:
                plan.delete.add(id(stmt))  # it runs in `__init__`
        calls = [n for n in ast.walk(tree) if id(n) in attribute_of]
        deleted = [stmt for stmt in tree.body if id(stmt) in plan.delete]
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in own_names and isinstance(node.ctx, ast.Load) \
                    and not any(_inside(source, node, c) for c in [*calls, *deleted]):
                start, end = source.span(node)
                plan.edits.append((start, end, f"self.{node.id}"))
        for call in calls:
            attribute, callee = attribute_of[id(call)]
            _, call_args = split_arguments(call, callee)
            if any(isinstance(n, ast.Name) and n.id in own_names for a in call_args.values() for n in ast.walk(a)):
                raise NotLiftable(f"`{func.name}` passes its own variables to a layer function", cell.index, func)
            arguments = ", ".join(argument_texts(call, callee, callee.call_params, source.segment))
            start, end = source.span(call)
            plan.edits.append((start, end, f"self.{attribute}({arguments})"))
        if strings_across_lines(text):
            raise NotLiftable(f"`{func.name}` has a multi-line string, which cannot be re-indented safely",
                              cell.index, func)
        return Layout(text, source, tree, plan, cell.index).render([]).rstrip("\n") + "\n"

    # -- the notebook's calls -------------------------------------------------------------------------------
    def module_instance(self, cell, call: ast.Call, stmt: ast.stmt) -> str | None:
        """The instance a module-level call of a model function runs (made here when its scope has none), and
        the line that makes it, or None when it reuses one."""
        model = self.names[call.func.id].module
        if model.fresh:
            return self.fresh_instance(cell, call, stmt, model)
        scopes = [scope for api, scope in self.scopes if api == "variable_scope"]
        if len(scopes) > 1 or None in scopes or scopes and model.scope is not None:
            raise NotLiftable(f"`{call.func.id}` is called under nested or computed variable scopes",
                              cell.index, call)
        scope = self.scope_argument(cell, call, model) or (scopes[0] if scopes else call.func.id)
        known = self.module_instances.get(scope)
        init_args, _ = split_arguments(call, model)
        texts = tuple(argument_texts(call, model, model.init_params, cell.segment))
        if self.reusing or self.reuse_argument(cell, call, model):
            if model.keras and known is not None and self.module_init_texts.get(scope) != texts:
                raise NotLiftable(f"`{call.func.id}` is called again with other arguments for its layers, which "
                                  "TF1 would have used in the layers without variables", cell.index, call)
            if known is None or known[1] is not model:
                raise NotLiftable(f"`{call.func.id}` is called with `reuse=True` under a scope where it made no "
                                  "variables", cell.index, call)
            return known[0], None
        if known is not None:
            raise NotLiftable(f"`{call.func.id}` is called twice under the scope `{scope}` without reuse, which "
                              "TF1 refused", cell.index, call)
        if not scope.isidentifier():
            raise NotLiftable(f"the variable scope `{scope}` is not a Python name, which a module's name must be",
                              cell.index, call)
        # A function with its own scope has one instance, named after the function (its scope names a class); so
        # has a Keras layer called under no scope.
        named_after_function = model.scope is not None or model.keras and not scopes
        instance = self.fresh(f"{model.name}_layer" if named_after_function else scope)
        self.module_instances[scope] = (instance, model)
        self.module_init_texts[scope] = texts
        for node in init_args.values():
            self.check_plain(cell, node)
        members = self.bind_instance(cell, stmt, instance, model)
        for (attribute, name, _), member in zip(model.variables, members):
            self.register_variable_name(f"{scope}/{name}", member)
        for attribute, layer_call, read in model.layers:
            if read.keras_class in layers.VARIABLE_FREE:
                continue
            # tf.layers named a layer as Keras names the attribute (`dense_1`); contrib's defaults differ.
            layer_name = layers.literal_name(read.api, layer_call,
                                             attribute if read.api.startswith("layers.") else None)
            self.unnamed_layers += layer_name is None
            for tf1_name, keras_attribute in layers.variable_names(read.api, layer_name):
                self.register_variable_name(f"{scope}/{tf1_name}", f"{instance}.{attribute}.{keras_attribute}")
        if any(read.regularized for _, _, read in model.layers):
            self.regularized.append(instance)  # its `losses` are its layers' penalties
        # Its batch normalization layers' update ops were named under the scope.
        self.batch_norm_layers += [(f"{instance}.{attribute}", scope) for attribute, _, read in model.layers
                                   if read.helper is not None]
        line = f"{instance} = {construction(model.class_name, texts, scope)}"
        self.note(cell, "TFM230", call, f"`{instance}`, a `{model.class_name}`, makes the variables of "
                                        f"`{call.func.id}` once; calls under its scope call it")
        return instance, line

    def bind_instance(self, cell, stmt: ast.stmt, instance: str, model: ModelFunction) -> tuple[str, ...]:
        """Binds ``instance``, a module of ``model``'s class; its variables' expressions, in TF1's order."""
        members = tuple(f"{instance}.{attribute}" for attribute, _, _ in model.variables)
        self.names[instance] = GraphName(instance, Kind.MODULE, cell.index, stmt, variables=members, module=model)
        return members

    def fresh_instance(self, cell, call: ast.Call, stmt: ast.stmt, model: ModelFunction) -> tuple[str, str]:
        """The instance one call of a function of ``tf.Variable``s makes: TF1 made new variables at every call,
        under any scope and whatever its reuse flag."""
        init_args, _ = split_arguments(call, model)
        for node in init_args.values():
            self.check_plain(cell, node)
        self.fresh_calls[model.name] = self.fresh_calls.get(model.name, 0) + 1
        instance = self.fresh(f"{model.name}_{self.fresh_calls[model.name]}")
        self.bind_instance(cell, stmt, instance, model)
        for _, name, _ in model.variables:
            if name is not None:
                self.variable_names[name] = None  # TF1 made it unique per call (`biases_1`): not looked up by name
        arguments = argument_texts(call, model, model.init_params, cell.segment)
        self.note(cell, "TFM230", call, f"`{instance}`, a `{model.class_name}`, makes the variables of this call "
                                        f"of `{call.func.id}`, as TF1 made new ones at every call")
        return instance, f"{instance} = {construction(model.class_name, arguments, instance)}"

    def unpacked_module_call(self, cell, stmt: ast.stmt) -> bool:
        """``layer_conv1, weights_conv1 = new_conv_layer(x_image, ...)``: the instance is made, a variable the
        function returns is read from it, and a computed item becomes a function returning its item of the call."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], (ast.Tuple, ast.List)) and isinstance(stmt.value, ast.Call)
                and isinstance(stmt.value.func, ast.Name) and self.kind(stmt.value.func.id) is Kind.MODEL_FUNCTION):
            return False
        call, targets = stmt.value, stmt.targets[0].elts
        model = self.names[call.func.id].module
        if model.returns is None or len(model.returns) != len(targets) \
                or not all(isinstance(t, ast.Name) for t in targets):
            raise NotLiftable(f"the result of `{call.func.id}` is unpacked, but it does not end by returning that "
                              "many items with its variables among them", cell.index, stmt)
        instance, line = self.module_instance(cell, call, stmt)
        self.module_call_instances[id(call)] = instance
        lines = [line] if line else []
        deps, body, _, direct = self.written(cell, call)
        params = self.ordered({p for d in deps for p in self.names[d].params})
        for index, (target, attribute) in enumerate(zip(targets, model.returns)):
            if target.id == "_" and not self.is_read("_"):
                continue  # an item the notebook leaves unread
            if attribute is not None:
                self.bind(GraphName(target.id, Kind.VARIABLE, cell.index, stmt, alias=True), cell, stmt)
                lines.append(f"{target.id} = {instance}.{attribute}")
            else:
                lines.append(self.item_function(cell, stmt, target.id, index, body, deps, params, direct))
        self.plans[cell.index].replace[id(stmt)] = "\n".join(lines)
        self.note(cell, "TFM100", stmt, f"the items `{call.func.id}` returns become functions of "
                                        f"{', '.join(params) or 'nothing'}, and its variables are read from "
                                        f"`{instance}`")
        stmt._lift_done = True
        return True

    def scope_argument(self, cell, call: ast.Call, model: ModelFunction) -> str | None:
        """The variable scope a function that opens its own makes its variables under: its literal name, or the
        literal given to (or defaulted for) its scope parameter."""
        if model.scope_param is None:
            return model.scope
        value = given_arguments(call, model)[model.scope_param]
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.isidentifier()):
            raise NotLiftable(f"`{call.func.id}` is given a `{model.scope_param}` that is not a literal name",
                              cell.index, call)
        return value.value

    def reuse_argument(self, cell, call: ast.Call, model: ModelFunction) -> bool:
        """The ``reuse`` flag a call gives a function that opens its own variable scope: a literal, or its
        default."""
        if model.reuse_param is None:
            return False
        value = given_arguments(call, model).get(model.reuse_param)
        if not (isinstance(value, ast.Constant) and value.value in (True, False, None)):
            raise NotLiftable(f"`{call.func.id}` is given `{model.reuse_param}` that is not a literal True or False",
                              cell.index, call)
        return bool(value.value)

    def module_call_edits(self, cell, call: ast.Call, edits: list) -> str:
        """``convnet(x, keep_prob)`` -> ``model(x, keep_prob)``: the edit of the call, taking the edits made inside
        its arguments along."""
        instance = self.module_call_instances.get(id(call))
        if instance is None:
            raise NotLiftable(f"`{call.func.id}` makes variables and is called where the lifting cannot give it "
                              "one module instance", cell.index, call)
        model = self.names[call.func.id].module
        split_arguments(call, model)  # called with exactly its parameters

        def segment(node: ast.expr) -> str:  # with the edits made inside the argument
            start, end = cell.span(node)
            inner = [e for e in edits if start <= e[0] and e[1] <= end]
            for e in inner:
                edits.remove(e)
            return emit.relative(cell.segment(node), start, inner)

        texts = argument_texts(call, model, model.call_params, segment, keras=model.keras)
        texts += [f"{feed}={feed}" for feed in model.feeds]
        start, end = cell.span(call)
        edits.append((start, end, f"{instance}({', '.join(texts)})"))
        return instance


def construction(class_name: str, arguments, name: str) -> str:
    """``Dense(4, 3, name="hidden")``: a module made with the arguments its ``__init__`` takes, and its name."""
    return f"{class_name}({''.join(a + ', ' for a in arguments)}name=\"{name}\")"


def statement_text(cell, stmt: ast.stmt) -> str:
    """A statement of a function body as its own text, without the body's indentation."""
    lines = cell.text.splitlines(keepends=True)[stmt.lineno - 1:stmt.end_lineno]
    indent = lines[0][:stmt.col_offset]
    rest = lines[-1].encode()[stmt.end_col_offset:].decode(errors="replace").strip()  # offsets count UTF-8 bytes
    if indent.strip() or rest and not rest.startswith("#") or strings_across_lines("".join(lines)) \
            or not all(line.startswith(indent) or not line.strip() for line in lines):
        raise NotLiftable("a statement that makes or shapes variables shares its line or is indented unevenly",
                          cell.index, stmt)
    return "".join(line[len(indent):] for line in lines).rstrip("\n")


def layered_function(cell, func: ast.FunctionDef, body: list[ast.stmt], tf: str,
                     factories: set[str] = frozenset()) -> ModelFunction | str:
    """A function of ``tf.layers`` calls and RNN runs, perhaps under its own variable scope with a ``reuse``
    parameter. ``factories`` are the notebook's cell factories its cells may be made with."""
    args = func.args
    if func.decorator_list or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        return f"`{func.name}` takes decorators, * or ** arguments"
    params = tuple(a.arg for a in args.args)
    defaults = dict(zip(params[len(params) - len(args.defaults):], args.defaults))
    if not all(isinstance(d, ast.Constant) for d in defaults.values()):
        return f"`{func.name}` has a default that is not a literal"
    if not body or body[0].lineno == func.lineno:
        return f"`{func.name}` has its body on the `def` line"
    scope = scope_block = reuse_param = scope_param = None
    scoped = variable_scope_blocks(cell, func)
    if scoped:
        block = scoped[0]
        expr = block.items[0].context_expr
        name = expr.args[0] if len(expr.args) == 1 else None
        reuse = next((k.value for k in expr.keywords if k.arg == "reuse"), None)
        if isinstance(name, ast.Name) and name.id in defaults:
            scope_param, name = name.id, defaults[name.id]  # named by a parameter: its default, or a call's literal
        if len(scoped) > 1 or block is not body[0] or len(block.items) != 1 or block.items[0].optional_vars \
                or not (isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.isidentifier()) \
                or any(k.arg != "reuse" for k in expr.keywords) or body[1:] and not (
                    len(body) == 2 and isinstance(body[1], ast.Return)):
            return f"`{func.name}` opens a variable scope that is not its whole body under a literal name"
        if isinstance(reuse, ast.Name) and reuse.id in params:
            reuse_param = reuse.id
        elif not (reuse is None or isinstance(reuse, ast.Constant) and reuse.value in (None, False)):
            return f"`{func.name}` reuses variables under a flag that is not one of its parameters"
        scope, scope_block = name.value, block
    found = layered.read_layers(cell, func, body, tf)
    if isinstance(found, str):
        return found
    recurrent = recurrent_functions.read(cell, func, scope_block.body if scope_block else body, factories)
    if isinstance(recurrent, str):
        return recurrent
    made = [call for _, call, _ in found] + [run.call for run in recurrent.runs] + recurrent.cells
    if scope_block is not None and not all(id(node) in {id(n) for n in ast.walk(scope_block)} for node in made):
        return f"`{func.name}` opens a variable scope that is not its whole body under a literal name"
    constructor = [n for _, call, read in found for a in layers.constructor_arguments(read, call)
                   for n in ast.walk(a)] + [n for stmt in recurrent.cells for n in ast.walk(stmt.value)]
    cells = recurrent.cell_names
    reads = {n.id for n in constructor if isinstance(n, ast.Name)} - cells
    computed = {n.id for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Store)} - cells
    if reads & computed:
        return f"`{func.name}` shapes its layers from values it computes"
    init_params = tuple(p for p in params if p in reads and p not in (reuse_param, scope_param))
    constructor_nodes = {id(n) for n in constructor}
    scope_expr = scope_block.items[0].context_expr if scope_block else None
    reuse_node = {id(n) for k in (scope_expr.keywords if scope_expr else ()) for n in ast.walk(k.value)}
    # A parameter that shapes the layers and also computes is given to both `__init__` and `call`.
    computing = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in init_params and id(node) not in constructor_nodes:
                computing.add(node.id)
            if node.id == reuse_param and id(node) not in reuse_node:
                return f"`{func.name}` uses its `{reuse_param}` flag for more than its variable scope"
            if node.id == scope_param and node is not scope_expr.args[0]:
                return f"`{func.name}` uses its `{scope_param}` parameter for more than its variable scope"
    model = ModelFunction(func.name, class_name(func.name, "Layer"), params, init_params,
                          tuple(p for p in params if (p not in init_params or p in computing)
                                and p not in (reuse_param, scope_param)),
                          body, [], {}, layers=found, scope=scope, scope_block=scope_block, reuse_param=reuse_param,
                          scope_param=scope_param,
                          defaults=defaults, recurrent=recurrent)
    return model


def _reads(node: ast.AST) -> set[str]:
    """The names an expression reads, without those it binds itself (a comprehension's variables)."""
    names = [n for n in ast.walk(node) if isinstance(n, ast.Name)]
    return {n.id for n in names if isinstance(n.ctx, ast.Load)} - {n.id for n in names if isinstance(n.ctx, ast.Store)}


def _setup_statements(body: list[ast.stmt], shaping: list[ast.expr], own: set[str]) -> list[ast.stmt] | str:
    """The statements that work out what shapes the variables (``shape = [size, size, n_in, n_out]``), in body
    order: each the only assignment of a name the shaping reads, at the top of the body, reading no variable."""
    stores = Counter(n.id for stmt in body for n in ast.walk(stmt)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    assignments = {stmt.targets[0].id: stmt for stmt in body if isinstance(stmt, ast.Assign)
                   and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)}
    setup: dict[str, ast.Assign] = {}
    pending = [name for expr in shaping for name in _reads(expr)]
    while pending:
        name = pending.pop()
        if name in setup or name not in stores:
            continue  # a parameter or a global
        stmt = assignments.get(name)
        if stmt is None or stores[name] != 1 or name in own or _reads(stmt.value) & own:
            return "shapes its variables from values it computes"
        setup[name] = stmt
        pending += _reads(stmt.value)
    return sorted(setup.values(), key=lambda stmt: stmt.lineno)


def _returned_variables(func: ast.FunctionDef, body: list[ast.stmt], own: set[str]) -> tuple | None | str:
    """For ``return layer, weights``: per item, the variable it is, or None. None when no tuple returned holds a
    variable."""
    returns = [n for n in ast.walk(func) if isinstance(n, ast.Return)]
    if not any(isinstance(r.value, ast.Tuple) and any(isinstance(e, ast.Name) and e.id in own for e in r.value.elts)
               for r in returns):
        return None
    if len(returns) != 1 or returns[0] is not body[-1]:
        return "returns its variables other than as items of one final tuple"
    return tuple(e.id if isinstance(e, ast.Name) and e.id in own else None for e in returns[0].value.elts)


def split_arguments(call: ast.Call, model: ModelFunction) -> tuple[dict[str, ast.expr], dict[str, ast.expr]]:
    """A call's arguments by parameter: (those that shape variables, those it computes with)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise NotLiftable(f"`{model.name}` is called with * or ** arguments", node=call)
    given = given_arguments(call, model)
    given.pop(model.reuse_param, None)
    given.pop(model.scope_param, None)
    expected = set(model.params) - {model.reuse_param, model.scope_param}
    if len(call.args) > len(model.params) or set(given) != expected:
        raise NotLiftable(f"`{model.name}` is not called with exactly its parameters", node=call)
    return ({p: given[p] for p in model.init_params}, {p: given[p] for p in model.call_params})


def given_arguments(call: ast.Call, model: ModelFunction) -> dict[str, ast.expr]:
    """A call's arguments by parameter, the defaults of those it leaves out included."""
    return {**model.defaults, **by_parameter(call, model.params)}


def variable_scope_blocks(cell, func: ast.FunctionDef) -> list[ast.With]:
    """The ``with tf.variable_scope(...)`` blocks anywhere in a function."""
    return [n for n in ast.walk(func) if isinstance(n, ast.With) and any(
        isinstance(i.context_expr, ast.Call) and cell.api.get(id(i.context_expr)) == "variable_scope"
        for i in n.items)]


def _inside(source: Source, node: ast.AST, container: ast.AST) -> bool:
    start, end = source.span(container)
    node_start, node_end = source.span(node)
    return start <= node_start and node_end <= end
