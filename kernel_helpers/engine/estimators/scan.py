"""Read a notebook's canned-estimator code across cells and plan its Keras rewrite.

Definitions come first, in execution order: feature columns, ``numpy_input_fn``/``pandas_input_fn``
datasets, ``RunConfig``s and the estimators themselves (``name = tf.estimator.DNNClassifier(...)`` at the
top level of a cell). Then every use of an estimator (``train``, ``evaluate``, ``predict``,
``get_variable_names``, ``get_variable_value``) is rewritten. Any other use of a name the rewrite changes,
and any ``tf.estimator``/``tf.feature_column`` reference it did not consume, refuses the whole rewrite.
"""

from __future__ import annotations

import ast

from ..context import NotebookContext
from ..edits import apply_edits, overlaps
from ..index import build_index
from ..masking import mask_magics, parse_masked
from ..source import Source
from . import custom, emit
from ..lift import layered
from ..lift.syntax import is_none
from .columns import Columns, arguments
from .inputs import (
    INPUT_FNS,
    dataset_from_input_fn,
    describe,
    required_parameters,
    returns_iterator,
)
from .model import Cell, ColumnList, Estimator, Refused

NAMESPACES = ("v1", "compat.v1", "v2")
TRACKED_FAMILIES = ("estimator.", "feature_column.")

CONSTRUCTORS = {
    "estimator.LinearRegressor": ("feature_columns", "model_dir", "label_dimension", "weight_column", "optimizer",
                                  "config", "partitioner", "warm_start_from", "loss_reduction", "sparse_combiner"),
    "estimator.LinearClassifier": ("feature_columns", "model_dir", "n_classes", "weight_column", "label_vocabulary",
                                   "optimizer", "config", "partitioner", "warm_start_from", "loss_reduction",
                                   "sparse_combiner"),
    "estimator.DNNClassifier": ("hidden_units", "feature_columns", "model_dir", "n_classes", "weight_column",
                                "label_vocabulary", "optimizer", "activation_fn", "dropout",
                                "input_layer_partitioner", "config", "warm_start_from", "loss_reduction",
                                "batch_norm"),
    "estimator.DNNRegressor": ("hidden_units", "feature_columns", "model_dir", "label_dimension", "weight_column",
                               "optimizer", "activation_fn", "dropout", "input_layer_partitioner", "config",
                               "warm_start_from", "loss_reduction", "batch_norm"),
}
#: constructor arguments that must be left out (or None): what TF1 did with them has no rewrite here
UNSUPPORTED_ARGUMENTS = {
    "weight_column": "a weight column weights each example's loss and metrics",
    "label_vocabulary": "string labels need a lookup the rewrite does not add",
    "warm_start_from": "warm-starting reads TF1 checkpoint variables by name",
    "partitioner": "variable partitioning has no Keras equivalent",
    "input_layer_partitioner": "variable partitioning has no Keras equivalent",
}
RUN_CONFIG = "estimator.RunConfig"
LOGGING_HOOK = "train.LoggingTensorHook"
RUN_CONFIG_PARAMS = ("model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
                     "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
                     "keep_checkpoint_every_n_hours", "log_step_count_steps", "train_distribute", "device_fn",
                     "protocol", "eval_distribute", "experimental_distribute",
                     "experimental_max_worker_delay_secs", "session_creation_timeout_secs")
#: RunConfig arguments about checkpoints and logging only: the Keras model does not need them
RUN_CONFIG_DROPPED = {"model_dir", "save_summary_steps", "save_checkpoints_steps", "save_checkpoints_secs",
                      "keep_checkpoint_max", "keep_checkpoint_every_n_hours", "log_step_count_steps"}

CONSTRUCTORS[custom.CUSTOM] = custom.CONSTRUCTOR_PARAMS

METHODS = {
    "train": ("input_fn", "hooks", "steps", "max_steps", "saving_listeners"),
    "evaluate": ("input_fn", "steps", "hooks", "checkpoint_path", "name"),
    "predict": ("input_fn", "predict_keys", "hooks", "checkpoint_path", "yield_single_examples"),
    "get_variable_names": (),
    "get_variable_value": ("name",),
}

WHY_MANUAL = {
    "estimator.Estimator": "a custom `model_fn` is rewritten when the estimator is assigned at the top level of a "
                           "cell from a `model_fn` defined at the top level of one",
    "estimator.EstimatorSpec": "an `EstimatorSpec` is rewritten only inside the `model_fn` of an estimator the "
                               "rewrite reads",
    "estimator.ModeKeys": "`ModeKeys` are rewritten only inside the `model_fn` of an estimator the rewrite reads",
    "estimator.train_and_evaluate": "`train_and_evaluate` interleaves training and evaluation by checkpoints; "
                                    "use `fit(validation_data=...)`",
    "estimator.TrainSpec": "`train_and_evaluate` specs have no Keras equivalent; use `fit(validation_data=...)`",
    "estimator.EvalSpec": "`train_and_evaluate` specs have no Keras equivalent; use `fit(validation_data=...)`",
    "estimator.DNNLinearCombinedClassifier": "wide & deep models are not rewritten yet",
    "estimator.DNNLinearCombinedRegressor": "wide & deep models are not rewritten yet",
    "estimator.BoostedTreesClassifier": "boosted trees have no Keras equivalent (see TensorFlow Decision Forests)",
    "estimator.BoostedTreesRegressor": "boosted trees have no Keras equivalent (see TensorFlow Decision Forests)",
}


def read_cells(texts: list[str], context: NotebookContext) -> list[Cell]:
    cells = []
    for i, text in enumerate(texts):
        masked, tree = parse_masked(text)
        cell = Cell(i, text, Source(masked.text), tree, None, masked.spans)
        if tree is not None:
            cell.refs = build_index(cell.source, tree, context)
            for ref in cell.refs.refs:
                if ref.namespace in NAMESPACES:
                    cell.api[id(ref.node)] = ref.api
                    if ref.call is not None and ref.call.func is ref.node:
                        cell.api[id(ref.call)] = ref.api
            for parent in ast.walk(tree):
                for child in ast.iter_child_nodes(parent):
                    cell.parents[id(child)] = parent
        cells.append(cell)
    return cells


def triggers(cells: list[Cell]) -> bool:
    return any(ref.namespace in NAMESPACES and ref.api.startswith("estimator.")
               for cell in cells if cell.refs is not None for ref in cell.refs.refs)


class Rewriter:
    def __init__(self, cells: list[Cell], context: NotebookContext):
        self.cells = cells
        self.tf = context.root_alias()
        self.consumed: set[int] = set()
        self.definitions: set[int] = set()
        self.columns = Columns(self.tf or "tf", self.consume)
        self.estimators: dict[str, Estimator] = {}
        self.configs: dict[str, str | None] = {}
        self.datasets: set[str] = set()
        self.functions: dict[str, ast.FunctionDef] = {}
        self.function_cells: dict[str, Cell] = {}
        #: (cell, function, ModelFunction) of the network functions custom models call
        self.network_classes: list = []
        self.eval_results: dict[str, Estimator] = {}
        #: names bound to a ``tf.train.LoggingTensorHook``
        self.logging_hooks: set[str] = set()
        self.custom_models: list[Estimator] = []
        #: names bound to ``[]`` at the top level of a cell, by their target (a loop may append columns to them)
        self.empty_lists: dict[str, ast.Name] = {}
        #: the functions already written out as classes
        self.emitted: set[str] = set()

    def consume(self, cell: Cell, node: ast.AST) -> None:
        self.consumed.add(id(node))

    # -- entry ------------------------------------------------------------------------------------------
    def run(self) -> None:
        if self.tf is None:
            raise Refused("the notebook does not `import tensorflow` under a name the Keras code can use")
        for cell in self.cells:
            if cell.tree is None and cell.text.strip() and not cell.masked_spans:
                raise Refused("a cell does not parse, so the estimator cannot be followed through it", cell.index)
        for cell in self.cells:
            if cell.tree is not None:
                for stmt in cell.tree.body:
                    self.define(cell, stmt)
        for cell in self.cells:
            if cell.tree is not None:
                for node in ast.walk(cell.tree):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                            and isinstance(node.func.value, ast.Name) and node.func.value.id in self.estimators:
                        self.use(cell, node)
        self.check_everything_consumed()
        self.check_magics()
        self.check_generated_names()
        for est in self.estimators.values():
            cell = self.cells[est.cell]
            start, end = cell.span(est.stmt)
            if est.custom is not None:
                self.emit_custom(est)
                continue
            text = emit.model_code(self.tf, est)
            if (est.uses_predict or est.uses_variables) and cell.text[end:].strip() \
                    and not cell.text[end:].startswith("\n\n"):
                text += "\n"  # a blank line after the helper functions
            cell.edits.append((start, end, text))
            cell.notes.append(("TFM600", *cell.span(est.stmt), self.constructor_message(est)))

    # -- definitions ------------------------------------------------------------------------------------
    def define(self, cell: Cell, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt
            self.function_cells[stmt.name] = cell
            return
        if isinstance(stmt, ast.For):
            self.appended_columns(cell, stmt)
            return
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            return
        name, value = stmt.targets[0].id, stmt.value
        if isinstance(value, ast.List) and not value.elts:
            self.empty_lists[name] = stmt.targets[0]
            return
        self.empty_lists.pop(name, None)
        api = cell.api_of(value) if isinstance(value, ast.Call) else None
        tracked = api in CONSTRUCTORS or api == RUN_CONFIG or api in INPUT_FNS or api == LOGGING_HOOK \
            or self.columns.is_column_expr(cell, value)
        if not tracked:
            return
        # An input function bound again to another one stays a dataset name (the notebooks' `input_fn = ...`).
        if self.is_tracked(name) and not (name in self.datasets and api in INPUT_FNS):
            raise Refused(f"`{name}` is bound twice", cell.index, stmt)
        self.definitions.add(id(stmt.targets[0]))
        if api in CONSTRUCTORS:
            self.estimator(cell, name, stmt, value, api)
        elif api == RUN_CONFIG:
            self.run_config(cell, name, stmt, value)
        elif api == LOGGING_HOOK:
            # It only printed tensors while training: it goes with the `hooks=` that pass it (see `use`).
            self.logging_hooks.add(name)
            start, end = cell.span(stmt)
            cell.edits.append((start, end + (cell.text[end:end + 1] == "\n"), ""))
        elif api in INPUT_FNS:
            self.consume(cell, value.func)
            start, end = cell.span(value)
            cell.edits.append((start, end, dataset_from_input_fn(cell, value, api, self.tf)))
            cell.notes.append(("TFM601", start, end, describe(api, value, cell)))
            self.datasets.add(name)
        else:
            self.columns.define(cell, name, value)

    def appended_columns(self, cell: Cell, loop: ast.For) -> None:
        """``columns = []`` and then ``for key in keys: columns.append(tf.feature_column.numeric_column(key=key))``,
        the TF guide's premade-estimator loop: numeric columns whose keys are known when the notebook runs, read as
        the comprehension that says the same."""
        append = loop.body[0].value if len(loop.body) == 1 and isinstance(loop.body[0], ast.Expr) else None
        if not (isinstance(append, ast.Call) and isinstance(append.func, ast.Attribute)
                and append.func.attr == "append" and isinstance(append.func.value, ast.Name)
                and len(append.args) == 1 and not append.keywords and isinstance(append.args[0], ast.Call)
                and self.columns.is_column_expr(cell, append.args[0])):
            return
        name, element = append.func.value.id, append.args[0]
        target = self.empty_lists.pop(name, None)
        if target is None or loop.orelse or self.is_tracked(name):
            raise Refused(f"a loop appends feature columns to `{name}`, which the rewrite reads only as a list "
                          "bound to `[]` just before and filled by that one loop", cell.index, loop)
        column = self.columns.top_column(cell, element, in_comprehension=True)
        if not column.numeric:
            raise Refused("a loop appends columns that are not numeric: their vocabularies or boundaries are only "
                          "known when the notebook runs", cell.index, element)
        self.columns.variables[name] = ColumnList([column], dynamic=True)
        self.definitions.add(id(target))
        self.consume(cell, append.func.value)
        cell.notes.append(("TFM602", *cell.span(element),
                           f"each numeric column appended to `{name}` becomes the Keras input of its feature; "
                           "the Keras model built from the list concatenates them as TF1 did"))

    def is_tracked(self, name: str) -> bool:
        return name in self.estimators or name in self.configs or name in self.datasets \
            or name in self.columns.variables or name in self.logging_hooks

    def run_config(self, cell: Cell, name: str, stmt: ast.Assign, call: ast.Call) -> None:
        seed = self.read_run_config(cell, call)
        self.configs[name] = seed
        start, end = cell.span(stmt)
        if seed is None:
            if cell.text[end:end + 1] == "\n":
                end += 1
            cell.edits.append((start, end, ""))
            cell.notes.append(("TFM600", *cell.span(stmt), "the `RunConfig` only configured checkpoints and "
                               "logging, which the Keras model does not need"))
        else:
            cell.edits.append((start, end, f"{self.tf}.keras.utils.set_random_seed({seed})"))
            cell.notes.append(("TFM600", *cell.span(stmt), "the `RunConfig`'s `tf_random_seed` seeds Keras; its "
                               "checkpoint and logging settings are not needed"))

    def read_run_config(self, cell: Cell, call: ast.Call) -> str | None:
        self.consume(cell, call.func)
        given = arguments(cell, call, RUN_CONFIG_PARAMS)
        for key, value in given.items():
            if key not in RUN_CONFIG_DROPPED and key != "tf_random_seed" and not is_none(value):
                raise Refused(f"`RunConfig({key}=...)` changes how the estimator runs; the Keras rewrite does not "
                              "follow it", cell.index, call)
        seed = given.get("tf_random_seed")
        return None if is_none(seed) else cell.segment(seed)

    def estimator(self, cell: Cell, name: str, stmt: ast.Assign, call: ast.Call, api: str) -> None:
        self.consume(cell, call.func)
        if stmt.col_offset != 0:
            raise Refused("the estimator is built inside a block", cell.index, stmt)
        given = arguments(cell, call, CONSTRUCTORS[api])
        est = Estimator(name, api, cell.index, stmt, call)
        if api == custom.CUSTOM:
            self.custom_estimator(cell, est, given)
            return
        short = est.short
        for argument, why in UNSUPPORTED_ARGUMENTS.items():
            if not is_none(given.get(argument)):
                raise Refused(f"`{short}({argument}=...)` is not rewritten: {why}", cell.index, call)
        if "feature_columns" not in given:
            raise Refused(f"`{short}` has no `feature_columns`", cell.index, call)
        features = given["feature_columns"]
        mark = len(cell.edits)
        est.columns = self.columns.column_list(cell, features)
        est.columns_text = self.rewritten(cell, features, mark)
        if est.dnn and not all(c.dense for c in est.columns.columns):
            raise Refused("a DNN takes only dense columns; TF1 rejected a bare categorical column", cell.index,
                          features)
        if est.columns.dynamic and not all(c.numeric for c in est.columns.columns):
            raise Refused("columns built by a comprehension are mixed with encoded ones; the rewrite needs every "
                          "encoded column's key as a literal", cell.index, features)
        if est.classifier:
            classes = given.get("n_classes")
            if classes is None:
                est.arguments["n_classes"] = 2
            elif isinstance(classes, ast.Constant) and isinstance(classes.value, int) and classes.value >= 2:
                est.arguments["n_classes"] = classes.value
            else:
                raise Refused("`n_classes` is not an integer literal, so the head (sigmoid for 2 classes, softmax "
                              "otherwise) cannot be chosen", cell.index, call)
        else:
            dimension = given.get("label_dimension")
            if dimension is not None and not (isinstance(dimension, ast.Constant) and dimension.value == 1):
                raise Refused("`label_dimension` other than 1: TF1 summed the squared errors of every output, "
                              "Keras' mean squared error averages them", cell.index, call)
        reduction = given.get("loss_reduction")
        if reduction is not None and cell.api_of(reduction) != "losses.Reduction.SUM":
            raise Refused("a `loss_reduction` other than TF1's default `SUM` is not rewritten", cell.index, reduction)
        if reduction is not None:
            self.consume(cell, reduction)
        if est.dnn:
            units = given.get("hidden_units")
            if units is None:
                raise Refused(f"`{short}` has no `hidden_units`", cell.index, call)
            est.arguments["hidden_units"] = ([cell.segment(e) for e in units.elts]
                                             if isinstance(units, (ast.List, ast.Tuple)) else cell.segment(units))
            activation = given.get("activation_fn")
            if activation is not None:
                known = emit.ACTIVATIONS.get(cell.api_of(activation) or "")
                est.arguments["activation"] = f'"{known}"' if known else cell.segment(activation)
            if not is_none(given.get("dropout")):
                est.arguments["dropout"] = cell.segment(given["dropout"])
            batch_norm = given.get("batch_norm")
            if batch_norm is not None:
                if not (isinstance(batch_norm, ast.Constant) and isinstance(batch_norm.value, bool)):
                    raise Refused("`batch_norm` is not `True` or `False`", cell.index, batch_norm)
                est.arguments["batch_norm"] = batch_norm.value
        est.optimizer = self.optimizer(cell, est, given, features)
        config = given.get("config")
        seed = self.config_seed(cell, config)
        if not isinstance(config, ast.Name):  # a named RunConfig's own line seeds Keras already
            est.seed = seed
        if not is_none(given.get("model_dir")):
            est.notes.append("`model_dir` is not used: add a `tf.keras.callbacks.ModelCheckpoint` to keep checkpoints")
        self.estimators[name] = est

    def custom_estimator(self, cell: Cell, est: Estimator, given: dict) -> None:
        """``tf.estimator.Estimator(model_fn, ...)``: the model_fn is read into a Keras model (an unsafe fix)."""
        function = given.get("model_fn")
        if not (isinstance(function, ast.Name) and function.id in self.functions):
            raise Refused("the `model_fn` is not a function defined at the top level of a cell", cell.index, est.call)
        if not is_none(given.get("warm_start_from")):
            raise Refused("`Estimator(warm_start_from=...)` reads TF1 checkpoint variables by name", cell.index,
                          est.call)
        self.consume(cell, function)
        est.seed = self.config_seed(cell, given.get("config"))
        params = given.get("params")
        defined = self.function_cells[function.id]
        reader = custom.CustomReader(self, defined, self.functions[function.id], est.name)
        est.custom = reader.read()
        mark = len(cell.edits)
        for key in sorted(reader.column_keys):
            self.params_columns(cell, params, key)
        est.arguments["params"] = None if is_none(params) else self.rewritten(cell, params, mark)
        if "params" in est.custom.takes and est.arguments["params"] is None:
            raise Refused("the `model_fn` takes `params` but the estimator is given none", cell.index, est.call)
        self.custom_models.append(est)
        self.estimators[est.name] = est

    def params_columns(self, cell: Cell, params: ast.expr | None, key: str) -> None:
        """The feature columns a custom ``model_fn`` reads from ``params[key]`` (in ``input_layer``): numeric ones,
        in a ``params`` dict written in place."""
        values = dict(zip((k.value if isinstance(k, ast.Constant) else None for k in params.keys), params.values)) \
            if isinstance(params, ast.Dict) else {}
        if key not in values:
            raise Refused(f"the `model_fn` reads feature columns from `params[{key!r}]`, which is not an item of a "
                          "`params` dict written in the estimator's call", cell.index, params)
        columns = self.columns.column_list(cell, values[key])
        if not all(column.numeric for column in columns.columns):
            raise Refused("the `model_fn`'s `input_layer` is given columns that are not numeric; the rewrite makes no "
                          "preprocessing layers for a custom model", cell.index, values[key])

    def emit_custom(self, est: Estimator) -> None:
        model = est.custom
        defined = model.cell
        for cell, function, network in self.network_classes:
            if function.name not in self.emitted:
                self.emitted.add(function.name)
                cell.edits.append((*cell.span(function), layered.class_text(cell, function, network, self.tf)))
                cell.notes.append(("TFM603", *cell.span(function), (
                    f"`{function.name}` becomes the Keras layer `{network.class_name}`, made once by the custom "
                    "model that calls it")))
        if model.function.name in self.emitted:
            raise Refused(f"two estimators share the `model_fn` `{model.function.name}`; the rewrite makes one "
                          "Keras model class per `model_fn`", est.cell, est.stmt)
        self.emitted.add(model.function.name)
        defined.edits.append((*defined.span(model.function), custom.class_text(self.tf, model)))
        defined.notes.append(("TFM603", *defined.span(model.function), (
            f"`{model.function.name}` becomes the Keras model `{model.class_name}`: its layers are made once, "
            "`train_step` applies the gradients of its TRAIN-mode loss with TF1's optimizer, `test_step` reports the "
            "mean loss and its `eval_metric_ops`" + "".join(f"; {note}" for note in model.notes)
            + "; a proposal to check (unsafe)")))
        cell = self.cells[est.cell]
        start, end = cell.span(est.stmt)
        cell.edits.append((start, end, custom.construction_text(self.tf, est.name, model, est.arguments["params"],
                                                                est.seed, est.uses_predict)))
        cell.notes.append(("TFM603", start, end, f"the estimator becomes a `{model.class_name}` compiled with "
                                                 "TF1's optimizer and its defaults written out"))

    def config_seed(self, cell: Cell, config: ast.expr | None) -> str | None:
        """The ``tf_random_seed`` of an estimator's ``config``: a ``RunConfig`` bound to a name or written in place."""
        if isinstance(config, ast.Name) and config.id in self.configs:
            self.consume(cell, config)
            return self.configs[config.id]
        if isinstance(config, ast.Call) and cell.api_of(config) == RUN_CONFIG:
            return self.read_run_config(cell, config)
        if not is_none(config):
            raise Refused("the estimator's `config` is not a `RunConfig` the rewrite read", cell.index, config)
        return None

    def rewritten(self, cell: Cell, node: ast.AST, mark: int) -> str:
        """The source of ``node`` with the edits recorded since ``mark`` applied (and taken back)."""
        start, end = cell.span(node)
        edits = cell.edits[mark:]
        del cell.edits[mark:]
        return apply_edits(cell.text[start:end], [(s - start, e - start, r) for s, e, r in edits])

    def optimizer(self, cell: Cell, est: Estimator, given: dict, features: ast.expr) -> str:
        from ..lift.model import NotLiftable
        from ..lift.optimizers import is_optimizer, keras_optimizer, subclass_definition

        rate = emit.DNN_LEARNING_RATE if est.dnn else emit.LINEAR_LEARNING_RATE
        node = given.get("optimizer")
        if node is None:
            return emit.string_optimizer(self.tf, "Adagrad" if est.dnn else "Ftrl", rate)
        if isinstance(node, ast.Constant) and node.value is None and not est.dnn:
            return emit.string_optimizer(self.tf, "Ftrl", f"min(0.2, len({est.columns_text}) ** -0.5)")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = emit.string_optimizer(self.tf, node.value, rate)
            if text is None:
                raise Refused(f"the optimizer {node.value!r} has no Keras optimizer known to be numerically the same",
                              cell.index, node)
            return text
        api = cell.api_of(node) if isinstance(node, ast.Call) else None
        if api == "train.FtrlOptimizer":
            return self.ftrl(cell, node)
        if api is not None and is_optimizer(api):
            try:
                text = keras_optimizer(api, node, cell.segment, self.tf, cell.index)
            except NotLiftable as refusal:
                raise Refused(str(refusal.args[0]) if refusal.args else "the optimizer is not rewritten",
                              cell.index, node) from None
            if subclass_definition(text, self.tf) is not None:
                raise Refused(f"`tf.{api}` needs a Keras subclass that the estimator rewrite does not define yet",
                              cell.index, node)
            return text
        raise Refused("the optimizer is not a TF1 optimizer constructor or name the rewrite can map to Keras",
                      cell.index, node)

    def ftrl(self, cell: Cell, call: ast.Call) -> str:
        params = ("learning_rate", "learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
                  "l2_regularization_strength", "use_locking", "name", "accum_name", "linear_name",
                  "l2_shrinkage_regularization_strength")
        given = arguments(cell, call, params)
        if "learning_rate" not in given:
            raise Refused("the optimizer is missing `learning_rate`", cell.index, call)
        given.setdefault("learning_rate_power", None)
        given.setdefault("initial_accumulator_value", None)
        parts = []
        for key in ("learning_rate", "learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
                    "l2_regularization_strength", "l2_shrinkage_regularization_strength"):
            if key in given:
                default = {"learning_rate_power": "-0.5", "initial_accumulator_value": "0.1"}.get(key)
                parts.append(f"{key}={cell.segment(given[key]) if given[key] is not None else default}")
        return f"{self.tf}.keras.optimizers.Ftrl({', '.join(parts)})"

    # -- uses -------------------------------------------------------------------------------------------
    def use(self, cell: Cell, call: ast.Call) -> None:
        m = call.func.value.id
        est = self.estimators[m]
        method = call.func.attr
        if method not in METHODS:
            raise Refused(f"`{m}.{method}` has no Keras rewrite", cell.index, call)
        self.consume(cell, call.func.value)
        given = arguments(cell, call, METHODS[method])
        parent = cell.parents.get(id(call))
        start, end = cell.span(call)
        if method in ("train", "evaluate", "predict"):
            allowed = {"input_fn", "steps"} if method != "predict" else {"input_fn"}
            for key, value in given.items():
                if key in allowed or is_none(value) or (key == "yield_single_examples" and isinstance(
                        value, ast.Constant) and value.value is True):
                    continue
                if key == "hooks" and self.only_logging(cell, value):
                    cell.notes.append(("TFM603" if est.custom is not None else "TFM600", *cell.span(value),
                                       "the `LoggingTensorHook` only printed tensors while the estimator ran; it "
                                       "goes (`verbose=1` makes Keras print the loss)"))
                    continue
                why = "`max_steps` counts from the checkpoint's global step" if key == "max_steps" else \
                    "it has no Keras equivalent the rewrite can prove"
                raise Refused(f"`{m}.{method}({key}=...)` is not rewritten: {why}", cell.index, call)
            if "input_fn" not in given:
                raise Refused(f"`{m}.{method}` has no `input_fn`", cell.index, call)
            dataset = self.dataset(cell, given["input_fn"])
            take = f".take({cell.segment(given['steps'])})" if not is_none(given.get("steps")) else ""
            if method == "train":
                if not isinstance(parent, ast.Expr):
                    raise Refused(f"the value of `{m}.train(...)` (the estimator) is used", cell.index, call)
                text = f"{m}.fit({dataset}{take}, epochs=1, verbose=0)"
                why = ("`train(steps=N)` becomes `fit` on exactly N batches (`.take(N)`, one epoch): Keras counts "
                       "epochs where the estimator counted steps, and stops early, as TF1 did, when the data ends"
                       if take else "`train` becomes `fit` over the dataset once (one epoch), as TF1 ran the "
                       "`input_fn` until it ended")
            elif method == "evaluate":
                column = cell.source.position(start)[1]
                text = (f"dict({m}.evaluate({dataset}{take}, return_dict=True, verbose=0),\n"
                        f"{' ' * (column + 5)}global_step=int({m}.optimizer.iterations))")
                why = ("`evaluate` returns the same dict keys: `loss` (the summed loss per batch, averaged), "
                       "`average_loss`, the head's metrics, and `global_step` (the optimizer's iterations)"
                       if est.custom is None else "`evaluate` returns the same dict keys: `loss` (the loss per "
                       "batch, averaged), the `eval_metric_ops`, and `global_step` (the optimizer's iterations)")
                if isinstance(parent, ast.Assign) and len(parent.targets) == 1 \
                        and isinstance(parent.targets[0], ast.Name):
                    self.eval_results[parent.targets[0].id] = est
            else:
                est.uses_predict = True
                text = f"{m}_predict({dataset})"
                what = "dicts" if est.custom is None else "predictions"
                why = f"`predict` yields the same per-example {what}, from `{m}_predict` (built with the model)"
        else:
            if est.custom is not None:
                raise Refused(f"`{m}.{method}` reads TF1's variable names, which the proposed Keras model does not "
                              "keep", cell.index, call)
            est.uses_variables = True
            if method == "get_variable_names":
                text = f"list({m}_variables())"
            else:
                if "name" not in given:
                    raise Refused(f"`{m}.get_variable_value` has no name", cell.index, call)
                text = f"{m}_variables()[{cell.segment(given['name'])}]"
            why = (f"the Keras weights under the estimator's variable names come from `{m}_variables` (model "
                   "weights and `global_step`; no optimizer slots)")
        cell.edits.append((start, end, text))
        cell.notes.append(("TFM603" if est.custom is not None else "TFM600", start, end, why))

    def only_logging(self, cell: Cell, hooks: ast.expr) -> bool:
        """Whether ``hooks=[...]`` holds only logging hooks (consumed, then, with the argument)."""
        if not isinstance(hooks, (ast.List, ast.Tuple)) or not all(
                isinstance(h, ast.Name) and h.id in self.logging_hooks
                or isinstance(h, ast.Call) and cell.api_of(h) == LOGGING_HOOK for h in hooks.elts):
            return False
        for hook in hooks.elts:
            self.consume(cell, hook)
        return True

    def dataset(self, cell: Cell, node: ast.expr) -> str:
        """The dataset an ``input_fn`` argument produced, as code."""
        if isinstance(node, ast.Name) and node.id in self.datasets:
            self.consume(cell, node)
            return node.id
        if isinstance(node, ast.Name) and node.id in self.functions:
            function = self.functions[node.id]
            if required_parameters(function):
                raise Refused(f"`{node.id}` takes parameters the estimator passed (`params`, `mode`, `config`)",
                              cell.index, node)
            self.check_input_function(cell, function, node)
            return f"{node.id}()"
        if isinstance(node, ast.Call) and cell.api_of(node) in INPUT_FNS:
            self.consume(cell, node.func)
            return dataset_from_input_fn(cell, node, cell.api_of(node), self.tf)
        if isinstance(node, ast.Lambda) and not (node.args.args or node.args.posonlyargs or node.args.kwonlyargs
                                                 or node.args.vararg or node.args.kwarg):
            body = node.body
            if isinstance(body, ast.Call) and cell.api_of(body) in INPUT_FNS:
                self.consume(cell, body.func)
                return dataset_from_input_fn(cell, body, cell.api_of(body), self.tf)
            if isinstance(body, ast.Call) and not cell.api_of(body) and not returns_iterator(body):
                if isinstance(body.func, ast.Name) and body.func.id in self.functions:
                    self.check_input_function(cell, self.functions[body.func.id], body)
                return cell.segment(body)
            if isinstance(body, ast.Name) and body.id in self.datasets:
                self.consume(cell, body)
                return body.id
        raise Refused("the `input_fn` is not a function the rewrite can turn into a `tf.data.Dataset`",
                      cell.index, node)

    def check_input_function(self, cell: Cell, function: ast.FunctionDef, node: ast.AST) -> None:
        if returns_iterator(function):
            raise Refused(f"`{function.name}` returns tensors (from an iterator), not a `tf.data.Dataset` Keras can "
                          "fit on", cell.index, node)

    # -- checks -----------------------------------------------------------------------------------------
    def check_everything_consumed(self) -> None:
        model_fns = {est.custom.function.name for est in self.custom_models}
        for cell in self.cells:
            if cell.tree is None:
                continue
            for node in ast.walk(cell.tree):
                if isinstance(node, ast.Name) and node.id in model_fns and id(node) not in self.consumed:
                    raise Refused(f"`{node.id}` becomes a Keras model class, but it is also used elsewhere",
                                  cell.index, node)
            for ref in cell.refs.refs:
                if ref.namespace not in NAMESPACES or not ref.api.startswith(TRACKED_FAMILIES) \
                        or id(ref.node) in self.consumed:
                    continue
                reason = WHY_MANUAL.get(ref.api)
                if reason is None:
                    first = ref.api.split(".")[0]
                    reason = ("it is not a canned estimator, input function or feature column assigned at the "
                              "top level of a cell, which is what the Keras rewrite follows" if first == "estimator"
                              else "only feature columns passed to canned estimators are rewritten")
                raise Refused(f"`{self.tf}.{ref.api}` is not rewritten: {reason}", cell.index, ref.node)
            for node in ast.walk(cell.tree):
                if not isinstance(node, ast.Name) or not self.is_tracked(node.id):
                    continue
                if isinstance(node.ctx, ast.Load) and id(node) not in self.consumed:
                    raise Refused(f"`{node.id}` is used in a way the Keras rewrite does not follow", cell.index, node)
                if not isinstance(node.ctx, ast.Load) and id(node) not in self.definitions:
                    raise Refused(f"`{node.id}` is bound twice", cell.index, node)
            for node in ast.walk(cell.tree):
                if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                        and node.value.id in self.eval_results and isinstance(node.slice, ast.Constant):
                    est = self.eval_results[node.value.id]
                    keys = est.custom.eval_keys if est.custom is not None else emit.EVAL_KEYS[emit.head(est)]
                    if node.slice.value not in keys:
                        raise Refused(f"the notebook reads {node.slice.value!r} from `evaluate`, which the Keras "
                                      "model does not report", cell.index, node)

    def check_magics(self) -> None:
        """IPython syntax is not parsed, so a use of a rewritten name inside it would be missed."""
        import re

        names = [*self.estimators, *self.configs, *self.datasets, *self.columns.variables]
        if not names:
            return
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
        for cell in self.cells:
            for start, end in cell.masked_spans:
                found = pattern.search(cell.text, start, end)
                if found:
                    raise Refused(f"`{found.group(1)}` is used inside IPython syntax (a magic or shell line), "
                                  "which the rewrite does not edit", cell.index)

    def check_generated_names(self) -> None:
        bound = set()
        for cell in self.cells:
            if cell.tree is None:
                continue
            for node in ast.walk(cell.tree):
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    bound.add(node.id)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    bound.add(node.name)
                elif isinstance(node, ast.arg):
                    bound.add(node.arg)
                elif isinstance(node, ast.alias):
                    bound.add(node.asname or node.name.split(".")[0])
        classes = [est.custom.class_name for est in self.custom_models]
        classes += [network.class_name for _, _, network in self.network_classes]
        for est in self.custom_models:
            for name in classes:
                if name in bound:
                    raise Refused(f"the Keras code would define the class `{name}`, a name the notebook already uses",
                                  est.cell, est.stmt)
        for est in self.estimators.values():
            for suffix in ("columns", "inputs", "hidden", "features", "logits", "predict", "variables", "layer",
                           "units"):
                if f"{est.name}_{suffix}" in bound:
                    raise Refused(f"the Keras code would bind `{est.name}_{suffix}`, which the notebook already uses",
                                  est.cell, est.stmt)

    def constructor_message(self, est: Estimator) -> str:
        if est.dnn:
            what = "hidden `Dense` layers (relu by default, glorot_uniform) and a logits layer"
        else:
            what = "one zero-initialized `Dense` layer"
        head = emit.head(est)
        loss = {"regression": "squared error", "binary": "sigmoid cross-entropy on one logit",
                "multi": "softmax cross-entropy"}[head]
        parts = [f"`{est.short}` becomes a Keras model: the feature columns concatenated in TF1's order (sorted by "
                 f"name), {what}; {loss} summed over the batch as TF1's `loss_reduction=SUM`, and TF1's "
                 "optimizer defaults written out"]
        if est.columns and any(c.kind in ("vocabulary", "indicator") for c in est.columns.columns):
            parts.append("vocabulary lookups reserve an out-of-vocabulary index where TF1 gave unknown values an "
                         "all-zero row")
        return "; ".join(parts + est.notes)


def render(cell: Cell) -> str:
    edits = sorted(set(cell.edits))
    for a, b in zip(edits, edits[1:]):
        if overlaps(a[:2], b[:2]):
            raise Refused("two rewrites of the same code overlap (a bug in the estimator rewrite)", cell.index)
    for start, end, _ in edits:
        if any(overlaps((start, end), span) for span in cell.masked_spans):
            raise Refused("the rewrite would edit an IPython magic", cell.index)
    text = apply_edits(cell.text, edits)
    masked = mask_magics(text)
    try:
        ast.parse(masked.text)
    except (SyntaxError, ValueError):
        raise Refused("the rewritten cell would not parse (a bug in the estimator rewrite)", cell.index) from None
    return text


__all__ = ["ColumnList", "Refused", "Rewriter", "read_cells", "render", "triggers"]
