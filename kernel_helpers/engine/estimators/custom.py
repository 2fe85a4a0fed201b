"""A custom ``model_fn`` estimator as a Keras model with its own train, test and predict steps (TFM603).

TF1's ``tf.estimator.Estimator(model_fn, params=...)`` called ``model_fn(features, labels, mode, params)`` to
build a fresh graph for each ``train``, ``evaluate`` and ``predict``, restoring the variables from its last
checkpoint. The function becomes a ``tf.keras.Model`` subclass that keeps the body as a method:

- ``__init__`` makes, once, the layers the body's ``tf.layers`` calls made (and an instance of each network
  function of ``tf.layers`` calls that it calls, as ``lift/layered.py`` writes them), and a Keras metric for each
  ``tf.metrics`` call;
- the method is the body as written, except that layer calls call those layers, ``ModeKeys`` become TF1's mode
  strings, a ``tf.metrics`` call calls its Keras metric (which updates it and returns its value, as TF1's value
  tensor was read after the updates), the optimizer and ``minimize`` statements go, and ``EstimatorSpec(...)``
  becomes a dict of its ``predictions`` and ``loss``;
- ``train_step`` runs it in TRAIN mode under a ``GradientTape`` and applies the loss's gradients to the trainable
  variables with the compiled optimizer (TF1's, with its defaults written out); ``test_step`` runs it in EVAL
  mode and reports the mean loss over batches and each metric under its ``eval_metric_ops`` key, as
  ``evaluate`` did; ``call`` (and so ``predict``) runs it in PREDICT mode.

It is an unsafe fix: the shapes it recognises are checked, but a ``model_fn`` is a whole program, and what else
its graph did (name-based checkpoint restores, hooks, collections it never read) is not proven to match.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field

from ..edits import apply_edits
from ..lift import layered, layers
from ..lift.metrics import EXTRAS as METRIC_EXTRAS, METRICS
from ..lift.model import NotLiftable
from ..lift.modules import class_name, given_arguments, layered_function, split_arguments
from ..lift.optimizers import is_optimizer, keras_optimizer, subclass_definition
from ..lift.syntax import is_none, repeated, strings_across_lines
from .columns import arguments, quote
from .model import Cell, Refused

CUSTOM = "estimator.Estimator"
CONSTRUCTOR_PARAMS = ("model_fn", "model_dir", "config", "params", "warm_start_from")
#: the parameters TF1 passed to a model_fn, by name, in the order the method takes them
MODEL_FN_PARAMS = ("features", "labels", "mode", "params")
MODES = {"estimator.ModeKeys.TRAIN": '"train"', "estimator.ModeKeys.EVAL": '"eval"',
         "estimator.ModeKeys.PREDICT": '"infer"'}
SPEC = "estimator.EstimatorSpec"
SPEC_PARAMS = ("mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
               "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks")
GLOBAL_STEPS = {"train.get_global_step", "train.get_or_create_global_step"}
#: summaries a model_fn wrote to the estimator's event files
SUMMARIES = {"summary.scalar", "summary.histogram", "summary.image", "summary.text", "summary.audio"}
INPUT_LAYER = "feature_column.input_layer"
#: APIs that make variables or graph state a Keras model must own itself
STATEFUL = {"Variable", "get_variable", "placeholder", "variable_scope", "Session", "layers.batch_normalization"}
#: attributes a Keras model has already
RESERVED = {"layers", "optimizer", "loss", "metrics", "name", "weights", "variables", "trainable", "dtype",
            "input", "output", "params", "mean_loss", "losses", "built", "call", "fit", "evaluate", "predict"}
DELETED = "\x00"


@dataclass
class CustomModel:
    """What a custom estimator's ``model_fn`` becomes."""

    function: ast.FunctionDef
    cell: Cell
    class_name: str
    takes: tuple[str, ...]
    optimizer: str = ""
    #: (the call that made the variables, or None for a metric; its ``self.<attribute> = ...`` line of ``__init__``)
    init: list[tuple[ast.Call | None, str]] = field(default_factory=list)
    #: eval_metric_ops key -> metric attribute
    metrics: dict[str, str] = field(default_factory=dict)
    body: str = ""
    #: the body reads ``tf.feature_column.input_layer``, which the class defines as a method
    input_layer: bool = False
    #: what else the rewrite dropped, for the finding
    notes: list[str] = field(default_factory=list)

    @property
    def eval_keys(self) -> set[str]:
        return {*self.metrics, "loss", "global_step"}

    def arguments(self, features: str, labels: str, mode: str) -> str:
        given = {"features": features, "labels": labels, "mode": mode, "params": "self.params"}
        return ", ".join(given[p] for p in self.takes)


class CustomReader:
    """Reads one ``model_fn`` (and the network functions it calls) into a :class:`CustomModel`."""

    def __init__(self, rewriter, cell: Cell, func: ast.FunctionDef, estimator: str):
        self.rewriter = rewriter
        self.tf = rewriter.tf
        self.cell = cell
        self.func = func
        self.estimator = estimator
        #: id(node) -> (node, how its replacement text is made)
        self.replaced: dict[int, tuple[ast.AST, object]] = {}
        self.attributes: set[str] = set()
        #: the name minimize's op is bound to, the loss it minimizes, the eval_metric_ops the specs give
        self.train_op = self.minimized = ""
        self.metric_sources: list[ast.expr] = []
        self.locals = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        self.locals |= {"features", "labels", "mode"}
        #: ids of the nodes in statements the rewrite deletes
        self.deleted: set[int] = set()
        #: the ``params`` keys the body reads feature columns from (``input_layer(features, params["columns"])``)
        self.column_keys: set[str] = set()

    def refuse(self, reason: str, node: ast.AST | None = None):
        raise Refused(f"the custom `model_fn` `{self.func.name}` {reason}", self.cell.index, node or self.func)

    # -- entry ------------------------------------------------------------------------------------------
    def read(self) -> CustomModel:
        func = self.func
        args = func.args
        takes = tuple(a.arg for a in args.args)
        if func.decorator_list or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults \
                or "features" not in takes or [p for p in MODEL_FN_PARAMS if p in takes] != list(takes):
            self.refuse("takes parameters other than TF1's `features, labels, mode, params`, in that order")
        if func.col_offset:
            self.refuse("is not defined at the top level of a cell")
        for node in ast.walk(func):
            if node is not func and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                                      ast.ClassDef)):
                self.refuse("defines a function or class inside it", node)
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                self.refuse("assigns global names", node)
        model = CustomModel(func, self.cell, class_name(func.name, "Model"), takes)
        body = func.body[1:] if _docstring(func) else func.body
        if not body:
            self.refuse("has no body")
        self.read_references(model)
        self.read_layers(model, body)
        self.read_networks(model)
        self.read_training(model)
        self.read_specs()
        self.read_metrics(model)
        model.body = self.render_body()
        return model

    # -- TF references ----------------------------------------------------------------------------------
    def read_references(self, model: CustomModel) -> None:
        from ..lift.scan import unsupported  # the lifting's list of what eager code cannot follow

        summaries = 0
        for ref in self.cell.refs.refs:
            if not self.inside(ref.node):
                continue
            api = ref.api
            if api in SUMMARIES and self.summary_statement(ref):
                summaries += 1
            elif api == INPUT_LAYER and ref.call is not None and ref.call.func is ref.node:
                self.read_input_layer(model, ref.call)
            elif api in MODES:
                self.rewriter.consume(self.cell, ref.node)
                self.replaced[id(ref.node)] = (ref.node, MODES[api])
            elif api == SPEC and ref.call is not None and ref.call.func is ref.node:
                self.rewriter.consume(self.cell, ref.node)
            elif api.startswith("estimator.") or api in STATEFUL:
                self.refuse(f"uses `{self.tf}.{api}`, which the Keras model cannot follow", ref.node)
            elif api in METRICS or api in layers.LAYERS or is_optimizer(api) or api in GLOBAL_STEPS:
                if ref.call is None or ref.call.func is not ref.node:
                    self.refuse(f"refers to `{self.tf}.{api}` without calling it", ref.node)
            elif api.startswith("metrics."):
                self.refuse(f"computes `{self.tf}.{api}`, which has no Keras metric the rewrite knows to be the "
                            "same", ref.node)
            else:
                why = unsupported(api)
                if why is not None:
                    self.refuse(f"uses {why}", ref.node)
        if summaries:
            model.notes.append(f"its {summaries} `tf.summary` line(s) go: the estimator wrote them to `model_dir`, "
                               "a Keras model logs with a `tf.keras.callbacks.TensorBoard` callback")

    def summary_statement(self, ref) -> bool:
        """``tf.summary.scalar(...)`` as a statement of its own: it only wrote to the estimator's event files, so it
        goes."""
        statement = self.statement(ref.node)
        if ref.call is None or ref.call.func is not ref.node or not isinstance(statement, ast.Expr) \
                or statement.value is not ref.call:
            return False
        self.rewriter.consume(self.cell, ref.node)
        self.delete(statement)
        return True

    def read_input_layer(self, model: CustomModel, call: ast.Call) -> None:
        """``tf.feature_column.input_layer(features, params["key"])`` on numeric columns: the model's method that
        reshapes each feature to rows and concatenates them in the columns' name order, as TF1 did."""
        given = arguments(self.cell, call, ("features", "feature_columns", "weight_collections", "trainable",
                                             "cols_to_vars", "cols_to_output_tensors"))
        features, columns = given.get("features"), given.get("feature_columns")
        if any(key not in ("features", "feature_columns") for key in given) \
                or not (isinstance(features, ast.Name) and features.id == "features"):
            self.refuse("calls `input_layer` with other than the `features` it is given and its columns", call)
        key = columns.slice if isinstance(columns, ast.Subscript) and isinstance(columns.value, ast.Name) \
            and columns.value.id == "params" and "params" in self.locals_free() else None
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            self.refuse("gives `input_layer` columns that are not `params[...]` with a literal key", call)
        self.column_keys.add(key.value)
        self.rewriter.consume(self.cell, call.func)
        model.input_layer = True
        self.replaced[id(call)] = (call, lambda c=columns: f"self.input_layer(features, {self.text(c)})")

    def locals_free(self) -> set[str]:
        """The function's parameters that it never binds again."""
        return {a.arg for a in self.func.args.args} - self.locals

    # -- layers -----------------------------------------------------------------------------------------
    def read_layers(self, model: CustomModel, body: list[ast.stmt]) -> None:
        looped = self.read_layer_loops(model, body)
        found = layered.read_layers(self.cell, self.func, body, self.tf, frozenset(looped))
        if isinstance(found, str):
            self.refuse(found.split("` ", 1)[-1] if found.startswith(f"`{self.func.name}`") else found)
        for attribute, call, read in found:
            self.check_outer(layers.constructor_arguments(read, call), "shapes a layer from")
            self.attribute(attribute, call)
            model.init.append((call, f"self.{attribute} = {layers.constructor(self.tf, read)}"))
            self.replaced[id(call)] = (call, lambda c=call, a=attribute, r=read: self.layer_call(c, a, r))

    def read_layer_loops(self, model: CustomModel, body: list[ast.stmt]) -> set[int]:
        """``for units in params["hidden_units"]: net = tf.layers.dense(net, units)`` made one layer per item: a list
        of layers made in ``__init__`` from the same items, and the loop runs over it. Returns the calls handled."""
        handled = set()
        nested = repeated(body)
        for loop in (n for stmt in body for n in ast.walk(stmt) if isinstance(n, (ast.For, ast.AsyncFor))):
            calls = [n for n in ast.walk(loop) if isinstance(n, ast.Call) and self.api(n) in layers.LAYERS]
            if not calls:
                continue
            target = loop.target
            if isinstance(loop, ast.AsyncFor) or loop.orelse or not isinstance(target, ast.Name) \
                    or id(loop) in nested or len(calls) > 1 or id(calls[0]) in repeated(loop.body):
                self.refuse("calls layers in a loop other than one layer per item of a `for` loop", loop)
            call = calls[0]
            read = layers.read_call(self.api(call), call, self.cell.segment, self.tf)
            if isinstance(read, str):
                self.refuse(read.split("` ", 1)[-1], call)
            arguments = layers.constructor_arguments(read, call)
            given = {id(n) for a in arguments for n in ast.walk(a)}
            for node in ast.walk(self.func):
                if isinstance(node, ast.Name) and node.id == target.id and node is not target \
                        and id(node) not in given:
                    self.refuse(f"uses the loop's `{target.id}` for more than the layer it makes", node)
            self.check_outer([loop.iter], "loops over")
            self.check_outer(arguments, "shapes a layer from", allowed={target.id})
            base = layered.attribute_base(read.keras_class)
            attribute, element = f"{base}_layers", base
            if any(isinstance(n, ast.Name) and n.id == element for n in ast.walk(self.func)):
                self.refuse(f"already reads a `{element}`, the name the loop over its layers would take", loop)
            self.attribute(attribute, call)
            made = f"{layers.constructor(self.tf, read)} for {target.id} in {self.cell.segment(loop.iter)}"
            model.init.append((call, f"self.{attribute} = [{made}]"))
            self.replaced[id(target)] = (target, element)
            self.replaced[id(loop.iter)] = (loop.iter, f"self.{attribute}")
            self.replaced[id(call)] = (call, lambda c=call, e=element, r=read: self.layer_call(c, e, r, ""))
            handled.add(id(call))
        return handled

    def layer_call(self, call: ast.Call, attribute: str, read, owner: str = "self.") -> str:
        keywords = "".join(f", {name}={self.text(node) if node is not None else default}"
                           for name, node, default in read.call_keywords)
        return f"{owner}{attribute}({self.text(read.inputs)}{keywords})"

    def read_networks(self, model: CustomModel) -> None:
        """Calls of top-level functions made of ``tf.layers`` calls: one instance each, made in ``__init__``."""
        calls: dict[str, list[ast.Call]] = {}
        for node in ast.walk(self.func):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in self.rewriter.functions and node.func.id != self.func.name:
                function, cell = self.rewriter.functions[node.func.id], self.rewriter.function_cells[node.func.id]
                if any(isinstance(n, ast.Call) and cell.api.get(id(n)) in layers.LAYERS for n in ast.walk(function)):
                    calls.setdefault(node.func.id, []).append(node)
        for name, found in calls.items():
            function, cell = self.rewriter.functions[name], self.rewriter.function_cells[name]
            documented = _docstring(function)
            network = layered_function(cell, function, function.body[1:] if documented else function.body, self.tf)
            if isinstance(network, str):
                self.refuse(f"calls {network}", found[0])
            self.check_network_uses(name, found)
            found.sort(key=lambda n: (n.lineno, n.col_offset))
            first_init = None
            for index, call in enumerate(found):
                try:
                    init_args, _ = split_arguments(call, network)
                except NotLiftable as error:
                    self.refuse(f"calls {error.reason}", call)
                texts = tuple(self.cell.segment(init_args[p]) for p in network.init_params)
                reuse = given_arguments(call, network).get(network.reuse_param) if network.reuse_param else None
                reusing = isinstance(reuse, ast.Constant) and reuse.value is True
                if network.reuse_param and not (isinstance(reuse, ast.Constant) and reuse.value in (True, False, None)):
                    self.refuse(f"gives `{name}` a `{network.reuse_param}` that is not a literal", call)
                if index == 0:
                    if reusing:
                        self.refuse(f"calls `{name}` with `reuse=True` before it made its variables", call)
                    self.check_outer(list(init_args.values()), "shapes the layers of")
                    first_init = texts
                elif not reusing or texts != first_init:
                    self.refuse(f"calls `{name}` again without `reuse=True` or with other layer arguments, which "
                                "made other variables in TF1", call)
                self.replaced[id(call)] = (call, lambda c=call, n=network: self.network_call(c, n))
            self.attribute(name, found[0])
            model.init.append((found[0], f"self.{name} = {network.class_name}({', '.join(first_init)})"))
            self.rewriter.network_classes.append((cell, function, network))

    def network_call(self, call: ast.Call, network) -> str:
        _, call_args = split_arguments(call, network)
        texts = [self.text(call_args[p]) if not i else f"{p}={self.text(call_args[p])}"
                 for i, p in enumerate(network.call_params)]  # Keras layers take only tensors by position
        return f"self.{call.func.id}({', '.join(texts)})"

    def check_network_uses(self, name: str, calls: list[ast.Call]) -> None:
        funcs = {id(c.func) for c in calls}
        for cell in self.rewriter.cells:
            for node in ast.walk(cell.tree) if cell.tree is not None else ():
                if isinstance(node, ast.Name) and node.id == name and id(node) not in funcs:
                    raise Refused(f"`{name}` becomes a Keras layer of the custom model, but it is also used outside "
                                  f"`{self.func.name}`", cell.index, node)
        for cell in self.rewriter.cells:
            if any(re.search(rf"\b{re.escape(name)}\b", cell.text[s:e]) for s, e in cell.masked_spans):
                raise Refused(f"`{name}` is used inside IPython syntax", cell.index)

    # -- optimizer and train op ---------------------------------------------------------------------------
    def read_training(self, model: CustomModel) -> None:
        optimizers = [n for n in ast.walk(self.func) if isinstance(n, ast.Call) and is_optimizer(self.api(n) or "")]
        minimizes = [n for n in ast.walk(self.func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and n.func.attr == "minimize"]
        if len(optimizers) != 1 or len(minimizes) != 1:
            self.refuse("does not make exactly one TF1 optimizer and call its `minimize` once")
        optimizer, minimize = optimizers[0], minimizes[0]
        statement = self.statement(minimize)
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.value is minimize):
            self.refuse("does not assign `minimize`'s op to a name", minimize)
        self.train_op = statement.targets[0].id
        self.delete(statement)
        if minimize.func.value is not optimizer:  # `optimizer = tf.train.X(...)`, then `optimizer.minimize(...)`
            made = self.statement(optimizer)
            if not (isinstance(minimize.func.value, ast.Name) and isinstance(made, ast.Assign)
                    and len(made.targets) == 1 and isinstance(made.targets[0], ast.Name)
                    and made.targets[0].id == minimize.func.value.id and made.value is optimizer):
                self.refuse("calls `minimize` on something other than the optimizer it made", minimize)
            self.delete(made)
            self.only_used_by(made.targets[0].id, {id(minimize.func.value)})
        given = arguments(self.cell, minimize, ("loss", "global_step", "var_list", "gate_gradients",
                                                "aggregation_method", "colocate_gradients_with_ops", "name",
                                                "grad_loss"))
        for key, value in given.items():
            if key not in ("loss", "global_step", "name") and not is_none(value):
                self.refuse(f"passes `minimize({key}=...)`, which the Keras train step does not follow", minimize)
        step = given.get("global_step")
        if step is not None and not (isinstance(step, ast.Call) and self.api(step) in GLOBAL_STEPS and not step.args):
            self.refuse("passes `minimize` a global step other than the estimator's", minimize)
        if step is None:
            self.refuse("does not give `minimize` the global step, so the estimator would never stop training",
                        minimize)
        loss = given.get("loss")
        if not isinstance(loss, ast.Name):
            self.refuse("minimizes an expression, not a loss bound to a name", minimize)
        self.minimized = loss.id
        self.check_outer(optimizer.args + [k.value for k in optimizer.keywords], "makes its optimizer from")
        try:
            model.optimizer = keras_optimizer(self.api(optimizer), optimizer, self.outer_text, self.tf,
                                              self.cell.index)
        except NotLiftable as error:
            raise Refused(error.reason, self.cell.index, optimizer) from None
        if subclass_definition(model.optimizer, self.tf) is not None:
            self.refuse(f"uses `tf.{self.api(optimizer)}`, which needs a Keras subclass the estimator rewrite does "
                        "not define", optimizer)
        for global_step in (n for n in ast.walk(self.func) if isinstance(n, ast.Call)
                            and self.api(n) in GLOBAL_STEPS and n is not step):
            self.refuse("reads the global step for more than `minimize`", global_step)

    def outer_text(self, node: ast.expr) -> str:
        """An optimizer argument as the estimator's cell writes it: ``params`` is the model's."""
        start, _ = self.cell.span(node)
        edits = [(s - start, e - start, f"{self.estimator}.params") for n in ast.walk(node)
                 if isinstance(n, ast.Name) and n.id == "params" for s, e in [self.cell.span(n)]]
        return apply_edits(self.cell.segment(node), edits)

    # -- EstimatorSpec ----------------------------------------------------------------------------------
    def read_specs(self) -> None:
        specs = [n for n in ast.walk(self.func) if isinstance(n, ast.Call) and self.api(n) == SPEC]
        if not specs:
            self.refuse("makes no `EstimatorSpec`")
        trains = 0
        for spec in specs:
            given = arguments(self.cell, spec, SPEC_PARAMS)
            for key, value in given.items():
                if key not in ("mode", "predictions", "loss", "train_op", "eval_metric_ops") and not is_none(value):
                    self.refuse(f"gives `EstimatorSpec` `{key}`, which the Keras model does not follow", spec)
            train_op = given.get("train_op")
            if not is_none(train_op):
                trains += 1
                if not (isinstance(train_op, ast.Name) and train_op.id == self.train_op):
                    self.refuse("returns a `train_op` other than `minimize`'s", spec)
                loss = given.get("loss")
                if not (isinstance(loss, ast.Name) and loss.id == self.minimized):
                    self.refuse("minimizes a loss other than the one its `EstimatorSpec` reports", spec)
            if not is_none(given.get("eval_metric_ops")):
                self.metric_sources.append(given["eval_metric_ops"])
            kept = [k for k in ("predictions", "loss") if not is_none(given.get(k))]
            self.replaced[id(spec)] = (spec, lambda g=given, k=kept: "dict(" + ", ".join(
                f"{key}={self.text(g[key])}" for key in k) + ")")
        if not trains:
            self.refuse("returns no `train_op`, so it cannot be trained")
        self.only_used_by(self.train_op, {id(n) for s in specs for k in s.keywords if k.arg == "train_op"
                                          for n in ast.walk(k.value)})

    # -- metrics ----------------------------------------------------------------------------------------
    def read_metrics(self, model: CustomModel) -> None:
        calls = [n for n in ast.walk(self.func) if isinstance(n, ast.Call) and self.api(n) in METRICS]
        keys: dict[int, str] = {}
        allowed: set[int] = set()
        for source in self.metric_sources:
            for key, value, container in self.metric_items(source):
                allowed |= {id(n) for n in ast.walk(container)}
                call = self.metric_call(value)
                if call is None:
                    self.refuse(f"reports the metric {key!r}, which is not a `tf.metrics` call the rewrite knows",
                                value)
                if keys.get(id(call), key) != key:
                    self.refuse("reports one metric under two keys", value)
                keys[id(call)] = key
        for call in calls:
            if id(call) not in keys:
                self.refuse("computes a metric that no `eval_metric_ops` reports", call)
            key = keys[id(call)]
            attribute = re.sub(r"\W", "_", key) + "_metric"
            if not attribute.isidentifier() or key in model.metrics:
                self.refuse(f"reports the metric {key!r} twice or under a key that cannot name an attribute", call)
            self.attribute(attribute, call)
            keras_class, params = METRICS[self.api(call)]
            given = arguments(self.cell, call, params + METRIC_EXTRAS)
            if any(not is_none(given.get(p)) for p in ("metrics_collections", "updates_collections")):
                self.refuse("puts a metric in graph collections", call)
            if any(p not in given for p in params[:-1]):
                self.refuse(f"calls `tf.{self.api(call)}` without `{', '.join(params[:-1])}`", call)
            model.init.append((None, f"self.{attribute} = {self.tf}.keras.metrics.{keras_class}("
                                     f"name={quote(key)})"))
            model.metrics[key] = attribute
            self.replaced[id(call)] = (call, lambda a=attribute, g=given, p=params: self.metric_update(a, g, p))
            bound = self.statement(call)
            if isinstance(bound, ast.Assign) and bound.value is call and len(bound.targets) == 1 \
                    and isinstance(bound.targets[0], ast.Name):
                self.only_used_by(bound.targets[0].id, allowed)

    def metric_update(self, attribute: str, given: dict, params: tuple[str, ...]) -> str:
        """``self.<metric>(labels, predictions[, sample_weight=weights])``: a Keras metric called updates itself and
        returns its value, which is what TF1's value tensor read once the update had run."""
        *values, weights = params
        arguments = [self.text(given[name]) for name in values]
        if not is_none(given.get(weights)):
            arguments.append(f"sample_weight={self.text(given[weights])}")
        return f"self.{attribute}({', '.join(arguments)})"

    def metric_items(self, source: ast.expr):
        """(key, value, node the item is read from) of an ``eval_metric_ops`` dict, given or bound to a name."""
        node = source
        if isinstance(source, ast.Name):
            bindings = self.bindings(source.id)
            if len(bindings) != 1 or not isinstance(bindings[0].value, ast.Dict):
                self.refuse(f"builds its `eval_metric_ops` `{source.id}` in a way the rewrite does not follow", source)
            node = bindings[0].value
            self.only_used_by(source.id, {id(source)} | {id(t) for t in bindings[0].targets})
        if not isinstance(node, ast.Dict) or any(k is None or not (isinstance(k, ast.Constant) and isinstance(
                k.value, str)) for k in node.keys):
            self.refuse("gives `eval_metric_ops` that are not a dict with literal keys", source)
        return [(k.value, v, node) for k, v in zip(node.keys, node.values)]

    def metric_call(self, value: ast.expr) -> ast.Call | None:
        if isinstance(value, ast.Call) and self.api(value) in METRICS:
            return value
        if isinstance(value, ast.Name):
            bindings = self.bindings(value.id)
            if len(bindings) == 1 and isinstance(bindings[0].value, ast.Call) \
                    and self.api(bindings[0].value) in METRICS:
                return bindings[0].value
        return None

    # -- helpers ----------------------------------------------------------------------------------------
    def api(self, node: ast.AST) -> str | None:
        return self.cell.api_of(node)

    def inside(self, node: ast.AST) -> bool:
        start, end = self.cell.span(self.func)
        node_start, node_end = self.cell.span(node)
        return start <= node_start and node_end <= end

    def statement(self, node: ast.AST) -> ast.stmt | None:
        while node is not None and not isinstance(node, ast.stmt):
            node = self.cell.parents.get(id(node))
        return node

    def bindings(self, name: str) -> list[ast.Assign]:
        return [n for n in ast.walk(self.func) if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]

    def only_used_by(self, name: str, allowed: set[int]) -> None:
        for node in ast.walk(self.func):
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load) \
                    and id(node) not in allowed and id(node) not in self.deleted:
                self.refuse(f"reads `{name}`, which the Keras model replaces, in a way the rewrite does not follow",
                            node)

    def check_outer(self, nodes: list[ast.expr], what: str, allowed: set[str] = frozenset()) -> None:
        """Constructor arguments run in ``__init__``: they may read ``params`` and module names (and ``allowed``, a
        loop's variable that ``__init__`` loops over too), not the body's."""
        for expr in nodes:
            for node in ast.walk(expr):
                if isinstance(node, ast.Name) and node.id in self.locals and node.id not in allowed:
                    self.refuse(f"{what} `{node.id}`, a value it computes; the Keras model makes them once, "
                                "before any data is seen", node)

    def attribute(self, attribute: str, node: ast.AST) -> None:
        if attribute in self.attributes or attribute in RESERVED:
            self.refuse(f"would give the Keras model two attributes `{attribute}` or one Keras uses", node)
        self.attributes.add(attribute)

    def delete(self, statement: ast.stmt) -> None:
        self.replaced[id(statement)] = (statement, DELETED)
        self.deleted |= {id(node) for node in ast.walk(statement)}

    def text(self, node: ast.AST) -> str:
        """``node``'s source with every replacement inside it applied."""
        return self.text_between(*self.cell.span(node), node)

    def text_between(self, start: int, end: int, node: ast.AST | None = None) -> str:
        """The cell's text from ``start`` to ``end`` with the outermost replacements in it (but ``node``'s own)
        applied."""
        edits = []
        for inner, make in sorted(((n, m) for n, m in self.replaced.values() if n is not node),
                                  key=lambda item: self.cell.span(item[0])):
            s, e = self.cell.span(inner)
            if start <= s and e <= end and not any(s >= a and e <= b for a, b, _ in edits):
                edits.append((s, e, make if isinstance(make, str) else make()))
        return apply_edits(self.cell.text[start:end], [(s - start, e - start, r) for s, e, r in edits])

    def render_body(self) -> str:
        """The method's body: the function's lines from its first statement, edited, without deleted statements."""
        # From the line after the `def` header, so the comments above the first statement come along.
        header = max([self.func.lineno] + [a.end_lineno for a in self.func.args.args])
        if self.func.body[0].lineno <= header:
            self.refuse("has its body on the `def` line")
        start = self.cell.source.offset(header + 1, 0)
        text = self.text_between(start, self.cell.span(self.func)[1])
        lines = [line for line in text.splitlines() if line.strip() != DELETED]
        if any(DELETED in line for line in lines):
            self.refuse("deletes an optimizer statement that shares its line with other code")
        while lines and not lines[0].strip():
            lines.pop(0)
        text = textwrap.dedent("\n".join(lines))
        try:
            ast.parse(text)
        except SyntaxError:
            self.refuse("would leave a block empty once its optimizer and summary statements go")
        if any(line != 1 or not _docstring(self.func) for line in strings_across_lines(text)):
            self.refuse("has a multi-line string, which cannot be re-indented safely")
        return text


def _docstring(func: ast.FunctionDef) -> bool:
    return bool(func.body) and isinstance(func.body[0], ast.Expr) and isinstance(func.body[0].value, ast.Constant) \
        and isinstance(func.body[0].value.value, str)


def class_text(tf: str, model: CustomModel) -> str:
    """The Keras model class that replaces the ``model_fn`` definition."""
    name = model.function.name
    takes_params = "params" in model.takes
    lines = [f"class {model.class_name}({tf}.keras.Model):",
             f'    """TF1\'s `{name}` as a Keras model: `train_step`, `test_step` and `call` run it in the TRAIN, EVAL',
             '    and PREDICT modes of the estimator\'s `train`, `evaluate` and `predict`."""',
             "",
             f"    def __init__(self{', params' if takes_params else ''}):",
             "        super().__init__()"]
    if takes_params:
        lines.append("        self.params = params")
    ordered = sorted((item for item in model.init if item[0] is not None),
                     key=lambda item: (item[0].end_lineno, item[0].end_col_offset))
    lines += [f"        {line}" for _, line in ordered]
    lines += [f"        {line}" for node, line in model.init if node is None]
    lines.append(f'        self.mean_loss = {tf}.keras.metrics.Mean(name="loss")')
    lines += ["", f"    def {name}(self, {', '.join(p for p in model.takes if p != 'params')}"
                  f"{', params' if takes_params else ''}):",
              textwrap.indent(model.body, " " * 8).rstrip("\n"), ""]
    if model.input_layer:
        lines += ["    def input_layer(self, features, columns):",
                  '        """TF1\'s `tf.feature_column.input_layer` for numeric columns: each feature as float32 rows, '
                  'concatenated',
                  '        in the order of the columns\' names."""',
                  f"        values = [{tf}.cast(features[column.name], {tf}.float32) for column in "
                  "sorted(columns, key=lambda column: column.name)]",
                  f"        return {tf}.concat([{tf}.reshape(value, (-1, value.shape[1:].num_elements())) for value in "
                  "values], axis=1)",
                  ""]
    lines += ["    def call(self, features):",
              f'        return self.{name}({model.arguments("features", "None", chr(34) + "infer" + chr(34))})'
              '["predictions"]',
              "",
              "    def train_step(self, data):",
              "        features, labels = data",
              f"        with {tf}.GradientTape() as tape:",
              f'            loss = self.{name}({model.arguments("features", "labels", chr(34) + "train" + chr(34))})'
              '["loss"]',
              "        gradients = tape.gradient(loss, self.trainable_variables)",
              "        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))",
              '        return {"loss": loss}',
              "",
              "    def test_step(self, data):",
              "        features, labels = data",
              f'        self.mean_loss.update_state(self.{name}('
              f'{model.arguments("features", "labels", chr(34) + "eval" + chr(34))})["loss"])',
              "        return {" + "".join(f"{quote(key)}: self.{attribute}.result(), " for key, attribute
                                         in model.metrics.items()) + '"loss": self.mean_loss.result()}']
    return "\n".join(lines)


def construction_text(tf: str, name: str, model: CustomModel, params: str | None, seed: str | None,
                      uses_predict: bool) -> str:
    """What ``name = tf.estimator.Estimator(model_fn, ...)`` becomes."""
    lines = []
    if seed is not None:
        lines.append(f"{tf}.keras.utils.set_random_seed({seed})  # RunConfig(tf_random_seed={seed})")
    lines.append(f"{name} = {model.class_name}({params if 'params' in model.takes else ''})")
    lines.append(f"{name}.compile(optimizer={model.optimizer})")
    if uses_predict:
        lines += ["",
                  f"def {name}_predict(dataset):",
                  '    """One prediction per example, as `Estimator.predict` yielded them."""',
                  f"    predictions = {name}.predict(dataset, verbose=0)",
                  "    if not isinstance(predictions, dict):",
                  "        yield from predictions",
                  "        return",
                  "    for i in range(len(next(iter(predictions.values())))):",
                  "        yield {key: values[i] for key, values in predictions.items()}"]
    return "\n".join(lines)
