"""Read a notebook's TF1 graph code across cells and plan how to lift it into eager TF2.

Two phases. The first reads the module-level definitions in execution order: placeholders, variables,
tensors, optimizers, train ops, initializers and sessions. The second reads everything else, rewrites the
places where the graph is run (``sess.run``, ``.eval``, ``.run``) and refuses, with a reason, any use of a
graph name it cannot rewrite: a tensor put in a list, a feed dict built elsewhere, a lookup by name.
Refusing is the point: a lifting that is not proven safe is not made.

The ``Lifter`` is split by concern into mixins: ``runs.py`` (graph runs become calls), ``iterators.py``
(tf.data), ``recurrent.py`` (RNN cells) and ``modules.py`` (model functions become ``tf.Module`` classes).
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

from ..context import NotebookContext
from ..index import CellIndex, build_index, argument_names, function_locals
from ..source import Source
from . import arg_scopes, checkpoints, emit, layers, queues, rnn, shapes, summaries, variables
from .batch_norm import BatchNormLifting
from .loss_collections import GETTERS as LOSS_GETTERS, LossCollectionLifting, is_loss_function
from .functions import GraphFunctionLifting
from .gradients import GradientLifting
from .iterators import IteratorLifting, is_dataset_source
from .metrics import MetricLifting
from .queues import QueueLifting
from .model import REWRITTEN, CellPlan, GraphName, Kind, NotLiftable
from .modules import ModelFunction, ModuleLifting
from .optimizers import is_optimizer, keras_optimizer, subclass_definition
from .closures import ClosureLifting
from .passed_values import PassedValueLifting
from .static_values import StaticValueLifting
from .traced_steps import TracedSteps
from .lookups import LookupFunctions
from .slot_variables import SlotVariables
from .recurrent import RecurrentLifting
from .runs import GraphRuns
from .syntax import argument as _argument, contains_fetch_site as _contains_fetch_site, \
    store_names as _store_names, walk_loads as _walk_loads

PLACEHOLDER = {"placeholder"}
VARIABLE = {"Variable"}
SESSIONS = {"Session", "InteractiveSession"}
INITIALIZERS = {"global_variables_initializer", "initialize_all_variables", "variables_initializer",
                "local_variables_initializer", "initialize_local_variables", "initialize_variables"}
LOCAL_INITIALIZERS = {"local_variables_initializer", "initialize_local_variables"}
#: calls that only configured the TF1 runtime; eager TF2 has nothing to do for them
#: calls with no eager TF2 meaning (TF2's variables are always resource variables)
DROPPED_CALLS = {"reset_default_graph", "disable_v2_behavior", "disable_eager_execution", "enable_resource_variables"}
#: what makes a notebook a candidate for lifting at all
TRIGGERS = PLACEHOLDER | SESSIONS | INITIALIZERS | {"reset_default_graph", "placeholder_with_default",
                                                    "get_default_session", "Session"}
#: contrib functions that only make an initializer or a regularizer object (the per-cell passes move them)
PURE_CONTRIB = {"contrib.layers.xavier_initializer", "contrib.layers.xavier_initializer_conv2d",
                "contrib.layers.variance_scaling_initializer", "contrib.layers.l1_regularizer",
                "contrib.layers.l2_regularizer", "contrib.layers.l1_l2_regularizer"}
#: TF1's global step, created on demand
GLOBAL_STEP = {"train.get_or_create_global_step", "train.create_global_step"}
#: TF1 learning-rate decays: plain functions of the step (TFM330 writes them as Keras schedules)
DECAYS = {"train.exponential_decay", "train.inverse_time_decay", "train.polynomial_decay",
          "train.piecewise_constant", "train.piecewise_constant_decay", "train.cosine_decay",
          "train.cosine_decay_restarts", "train.natural_exp_decay"}
#: lists of the graph's variables
#: slim's lookups of variables by name, and where they live
VARIABLE_LOOKUPS = {prefix + name for prefix in ("contrib.slim.", "contrib.framework.")
                    for name in ("get_variables_by_name", "get_variables")}
VARIABLE_LISTS = {"trainable_variables", "global_variables", "all_variables", *VARIABLE_LOOKUPS}
#: blocks that only name the graph operations built in them
SCOPES = {"name_scope", "variable_scope", "device"}
#: the dtype TF gives a Python literal (the default of a placeholder_with_default)
LITERAL_DTYPES = {bool: "bool", int: "int32", float: "float32"}
#: the protocol buffers of TFRecord files: plain Python objects in TF1 and TF2 alike
PROTOS = {"train." + name for name in ("Example", "SequenceExample", "Features", "Feature", "FeatureList",
                                       "FeatureLists", "BytesList", "Int64List", "FloatList")}
#: tf.io functions with graph state or effects the lifting does not follow (its classes are refused too)
IO_STATEFUL = {"io.write_file", "io.match_filenames_once", "io.write_graph"}
#: file writers that work outside any graph
FILES = {"io.TFRecordWriter", "python_io.TFRecordWriter", "io.TFRecordOptions", "python_io.TFRecordOptions"}
#: augmented assignments a tensor can be rebound with, as the binary operators they apply
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
             ast.Pow: "**", ast.MatMult: "@"}
#: parsing specs, plain Python objects in TF1 and TF2 alike; dtypes by name
SPECS = {"FixedLenFeature", "VarLenFeature", "FixedLenSequenceFeature", "io.FixedLenFeature", "io.VarLenFeature",
         "io.FixedLenSequenceFeature"}
DTYPES = {"float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "uint16",
          "bool", "string", "complex64", "complex128"}
#: plain readers of files TF wrote, with no graph involved
READERS = {"train.summary_iterator", "train.latest_checkpoint", "train.get_checkpoint_state"}
ASSIGNS = {"assign": "assign", "assign_add": "assign_add", "assign_sub": "assign_sub"}


def unsupported(api: str) -> str | None:
    """Why a TF1 API stops the lifting, or None."""
    first = api.split(".", 1)[0]
    if api in ("get_default_graph", "Graph", "import_graph_def", "get_default_session", "reset_default_graph"):
        return f"`tf.{api}` works on the graph itself"
    if first in ("get_collection", "get_collection_ref", "add_to_collection", "add_to_collections", "graph_util") \
            or api.startswith(("losses.get_", "losses.add_loss", "losses.Reduction")):
        return f"`tf.{api}` works on graph collections"
    if api in ("get_local_variable", "local_variables", "model_variables", "no_op", "group",
               "control_dependencies", "sparse_placeholder", "tuple",
               "make_template", "while_loop", "cond", "case", "py_func", "Print"):
        return f"`tf.{api}` is not lifted automatically yet"
    if api in summaries.OPS or api in summaries.MERGE_ALL | summaries.MERGE | summaries.WRITERS:
        return f"`tf.{api}` is used where the lifting cannot follow it"
    if api in PURE_CONTRIB or is_dataset_source(api) or api in FILES | SPECS or api.startswith("io.gfile.") \
            or first == "io" and api not in IO_STATEFUL and not api.split(".")[1][:1].isupper():
        return None  # tf.io's functions (decode_csv, parse_single_example, read_file) compute, as other ops do
    # tf.losses.* are plain ops once their collection is out of the picture (TFM320 rewrites them).
    if first in ("layers", "contrib", "keras", "estimator", "summary", "saved_model", "data", "metrics",
                 "feature_column", "queue", "io", "lite", "tpu", "distribute"):
        return f"`tf.{api}` creates state or graph structure the lifting does not track"
    if api.startswith("train.") and not is_optimizer(api) and api not in DECAYS | READERS | queues.PLAIN | PROTOS:
        return f"`tf.{api}` works with sessions or graph state"
    refused = rnn.refusal(api)
    if refused:
        return refused
    if api.startswith("nn.rnn") or api.startswith("nn.dynamic_rnn") or api.startswith("nn.static_rnn"):
        return f"`tf.{api}` creates variables the lifting does not track"
    return None


def _is_random(api: str) -> bool:
    # An initializer (`tf.random_normal_initializer(...)`) is an object that draws when a variable is made.
    return ("random" in api or api in ("truncated_normal", "multinomial", "nn.dropout")) and "initializer" not in api


class Names(dict):
    """Graph names by the name their function has, and by the source name that currently means them.

    ``net = tf.layers.dense(net, 32)`` binds ``net`` again: each definition is a function of its own
    (``net_1``, ``net_2``, ... and the last one keeps ``net``), and the source name refers to the latest."""

    def __init__(self):
        super().__init__()
        self.aliases: dict[str, str] = {}
        #: source name -> (where it was bound again, what it meant until then), for names a placeholder took over;
        #: ``at``, the (cell, line) of the statement being rewritten (None while the graph is read), picks one
        self.earlier: dict[str, list[tuple[tuple[int, int], GraphName]]] = {}
        self.at: tuple[int, int] | None = None

    def _key(self, name):
        return self.aliases.get(name, name)

    def _earlier(self, name) -> GraphName | None:
        if self.at is not None and name in self.earlier:
            return next((graph for end, graph in self.earlier[name] if self.at < end), None)
        return None

    def __getitem__(self, name):
        found = self._earlier(name)
        return found if found is not None else super().__getitem__(self._key(name))

    def get(self, name, default=None):
        found = self._earlier(name)
        return found if found is not None else super().get(self._key(name), default)

    def __contains__(self, name):
        return self._earlier(name) is not None or super().__contains__(self._key(name))


@dataclass
class CellSource:
    index: int
    text: str
    source: Source
    tree: ast.Module | None
    cell: CellIndex | None
    masked_spans: tuple
    #: id(call) -> TF1 API name, for calls of TensorFlow functions
    api: dict

    def segment(self, node: ast.AST) -> str:
        return self.source.segment(node)

    def span(self, node: ast.AST) -> tuple[int, int]:
        return self.source.span(node)


def read_cells(texts: list[str], context: NotebookContext) -> list[CellSource]:
    cells = []
    for i, text in enumerate(texts):
        masked, tree = context.take_parsed(text)
        source = Source(masked.text)  # shared by the index and the lifting
        index = None
        api: dict = {}
        if tree is not None:
            index = build_index(source, tree, context)
            for ref in index.refs:
                if ref.call is not None and ref.call.func is ref.node and ref.namespace in ("v1", "compat.v1"):
                    api[id(ref.call)] = ref.api
        cells.append(CellSource(i, text, source, tree, index, masked.spans, api))
    return cells


def check_parsed(cells: list[CellSource]) -> None:
    """Refused when a cell does not parse (a cell magic's body aside)."""
    for cell in cells:
        if cell.tree is None and cell.text.strip() and not (cell.masked_spans and cell.cell is None
                                                            and cell.text.lstrip().startswith("%%")):
            raise NotLiftable("a cell does not parse, so the graph cannot be followed through it", cell.index)


def triggers(cells: list[CellSource], ignored: set[int] = frozenset()) -> bool:
    """Whether the notebook builds a TF1 graph to lift (the calls in ``ignored``, by id, do not count)."""
    return any(api in TRIGGERS for c in cells for node, api in c.api.items() if node not in ignored) or any(
        ref.api in TRIGGERS for c in cells if c.cell is not None for ref in c.cell.refs
        if ref.namespace in ("v1", "compat.v1") and id(ref.call) not in ignored)


class Lifter(GraphRuns, IteratorLifting, QueueLifting, MetricLifting, RecurrentLifting, ModuleLifting,
             GraphFunctionLifting, GradientLifting, BatchNormLifting, LossCollectionLifting, PassedValueLifting,
             StaticValueLifting, ClosureLifting, TracedSteps, LookupFunctions, SlotVariables):
    def __init__(self, cells: list[CellSource], context: NotebookContext):
        self.cells = cells
        self.context = context
        self.names = Names()
        #: source name -> how many module-level statements bind it (a tensor bound k times gets k functions)
        self.bindings: dict[str, int] = {}
        #: source name -> definitions of it read so far
        self.versions: dict[str, int] = {}
        #: rebound source name -> (cell, line) of its last definition: runtime uses must come after it
        self.last_definition: dict[str, tuple[int, int]] = {}
        self.plans = [CellPlan() for _ in cells]
        self.placeholder_order: list[str] = []
        self._taken: set[str] | None = None
        self._reads: dict | None = None
        self.fetch_helpers: dict[tuple, str] = {}
        #: placeholder_with_default: the default, as the parameter's default value
        self.defaults: dict[str, str] = {}
        #: static shapes of placeholders and tensors, where the source shows them
        self.shapes: dict[str, tuple | None] = {}
        #: the summary ops defined so far, in order (what merge_all merges)
        self.summaries: list = []
        #: summary function -> the summaries it returns
        self.summary_members: dict[str, list] = {}
        #: name of the function that writes a fetched summary (made with the first writer)
        self.summary_writing: str | None = None
        #: the helper that saves through a CheckpointManager, and each such Saver's max_to_keep (as source)
        self.checkpoint_saving: str | None = None
        self.saver_keeps: dict[str, str] = {}
        #: how many places run the variable initializer (one in a loop or a function counts as many)
        self.initializer_runs = 0
        #: depth of the loops and functions around the statement being read
        self.repeating = 0
        #: depth of the functions around the statement being read
        self.functions_around = 0
        #: (function, local name) -> the placeholders the feed dict bound to that name feeds
        self.local_feeds: dict[tuple[str | None, str], tuple[str, ...]] = {}
        #: variable containers -> how their variables are listed ("values()" for dicts, "" for lists)
        self.containers: dict[str, str] = {}
        #: module-level functions by name: a tensor calling one depends on the graph names its body reads
        self.functions: dict[str, ast.FunctionDef] = {}
        #: functions that look a variable up by name (lookups.py)
        self.lookups: dict = {}
        self.function_cells: dict[str, CellSource] = {}
        #: the functions around the statement being read, innermost last
        self.function_names: list[str] = []
        #: (helper, parameter) -> the graph values its calls pass it to run; the ids of those arguments
        self.passed_values: dict[tuple[str, str], list[GraphName]] = {}
        self.passed_arguments: set[int] = set()
        #: functions that read the notebook's tensors -> (the placeholders they are given, the graph names they
        #: read); the ids of their calls' names that tensor definitions rewrote, and of the tensors they read
        self.closures: dict[str, tuple[tuple[str, ...], set[str]]] = {}
        self.closure_calls: set[int] = set()
        self.closure_reads: set[int] = set()
        #: placeholder -> its shape as the source writes it (what a static value is traced with)
        self.placeholder_shapes: dict[str, str] = {}
        #: notebook functions that make placeholders (a graph builder whose results the notebook runs)
        self.placeholder_makers: set[str] = set()
        #: layers built where they are defined (their variables exist from there on)
        self.built_layers: set[str] = set()
        #: optimizers built where TF1 made their slots (slot_variables.py)
        self.built_optimizers: set[str] = set()
        #: (scope API, literal name or None) of the scope blocks around the definition being read
        self.scopes: list[tuple[str, str | None]] = []
        #: TF1 variable name ("hidden1/kernel") -> the lifted code's expression for it (None: ambiguous)
        self.variable_names: dict[str, str | None] = {}
        #: ids of ``with tf.name_scope(...)`` blocks whose body takes their place
        self.scope_blocks: set[int] = set()
        self.iterator_reads = Counter()
        #: classes and helpers the lifted code defines once (an optimizer subclass, the RNN cells)
        self.defined_classes: set[str] = set()
        #: savers of every variable (made without a ``var_list``)
        self.full_savers: set[str] = set()
        #: the losses in TF1's LOSSES collection so far (and the calls that made them); the Keras layers made with a
        #: regularizer (what REGULARIZATION_LOSSES held); the global step variable
        self.collected_losses: list[str] = []
        self.collected_calls: set[int] = set()
        self.regularized: list[str] = []
        self.global_step_variable: str | None = None
        #: layers whose TF1 names are not known (a lookup of variables by name could miss theirs)
        self.unnamed_layers = 0
        #: batch normalization layers made so far: (expression, the TF1 name scope of their ops or None)
        self.batch_norm_layers: list[tuple[str, str | None]] = []
        #: the update ops a ``tf.control_dependencies`` block being read gives its train steps
        self.update_ops_entered: str | None = None
        #: RNN cells made so far, and the Keras RNN layer made for each one's run
        self.rnn_cells: set[str] = set()
        #: notebook functions that return new RNN cells (``def lstm_cell(): ...``)
        self.cell_factories: set[str] = set()
        self.rnn_layers: dict[str, str] = {}
        #: depth of the ``variable_scope(..., reuse=True)`` blocks around the definition being read
        self.reusing = 0
        #: variable scope -> (module instance made for it, the model function it runs)
        self.module_instances: dict[str, tuple[str, ModelFunction]] = {}
        #: variable scope -> the arguments its instance was made with (a reuse call must give the same)
        self.module_init_texts: dict[str, tuple[str, ...]] = {}
        #: model function calls at module level -> the instance they call
        self.module_call_instances: dict[int, str] = {}
        #: how many instances each function of `tf.Variable`s has made (one per call)
        self.fresh_calls: dict[str, int] = {}
        #: model functions that could not become classes -> why; how many became classes
        self.module_refusals: dict[str, str] = {}
        self.model_classes = 0
        #: gradient pipelines (compute_gradients ... apply_gradients), in order
        self.pipelines: list = []
        self._constants: dict[str, int] | None = None
        #: RNN cell name -> the units of each of its layers (None where the source does not show them); RNN state
        #: name -> the same for the cell it came from
        self.cell_units: dict[str, list[int | None]] = {}
        #: RNN cell or cell factory -> the placeholders its cells read (DropoutWrapper keep probabilities); such a
        #: placeholder -> the variable each run sets to what it fed
        self.cell_feeds: dict[str, set[str]] = {}
        self.fed_variables: dict[str, str] = {}
        #: RNN cells and cell factories with a DropoutWrapper in them
        self.dropout_cells: set[str] = set()
        #: queue readers -> (class, arguments); a reader's record names -> (records dataset, its iterator, the
        #: dataset's definition), until a batch maps them
        self.queue_readers: dict[str, tuple] = {}
        #: Keras metrics made for tf.metrics pairs: (name, cell, line)
        self.metric_objects: list[tuple[str, int, int]] = []
        #: initializer name -> for each initializer it runs (a `tf.group` runs several), whether it is the local one
        self.initializer_parts: dict[str, list[bool]] = {}
        self.record_datasets: dict[tuple[str, ...], tuple[str, str, str]] = {}
        #: RNN cells and cell factories whose state is a tuple (an LSTM's, a MultiRNNCell's), not one tensor
        self.tuple_state_cells: set[str] = set()
        self.state_units: dict[str, list[int | None]] = {}
        self.tf = "tf"

    @property
    def constants(self) -> dict[str, int]:
        """The notebook's int constants (``N_HIDDEN = 24``), read at the first shape that may need one."""
        if self._constants is None:
            self._constants = shapes.int_constants([c.tree for c in self.cells if c.tree is not None])
        return self._constants

    @property
    def taken(self) -> set[str]:
        """The names the notebook uses, which new names avoid; read at the first new name (a notebook the lifting
        refuses often needs none, and walking every tree is a good part of the route's time)."""
        if self._taken is None:
            self._taken = set().union(*(_module_names(c.tree) for c in self.cells if c.tree is not None))
        return self._taken

    # -- entry ------------------------------------------------------------------------------------------
    def run(self) -> list[CellPlan]:
        return self.run_cells(self.cells)

    def run_cells(self, cells: list[CellSource]) -> list[CellPlan]:
        check_parsed(cells)
        self.tf = self._root_alias()
        self.reuses_variables = any(_reuses_variables(cell) for cell in cells if cell.tree is not None)
        self.reads_checkpoint_state = any(api in ("train.latest_checkpoint", "train.get_checkpoint_state")
                                          for cell in cells for api in cell.api.values())
        for cell in cells:
            if cell.tree is not None:
                for name in _module_assignments(cell.tree.body):
                    self.bindings[name] = self.bindings.get(name, 0) + 1
        self.repeated = self.repeated_definitions(cells)
        for cell in cells:
            if cell.tree is not None:
                for stmt in cell.tree.body:
                    self.define(cell, stmt)
        for pipeline in self.pipelines:
            if pipeline.step is None:
                raise NotLiftable(f"gradients of `{pipeline.loss}` are computed but not applied with "
                                  "`apply_gradients`")
        self.check_closure_calls()
        self.read_passed_values()
        for cell in cells:
            if cell.tree is not None:
                for stmt in cell.tree.body:
                    self.names.at = (cell.index, stmt.lineno)
                    self.check_not_before_rebinding(cell, stmt)
                    self.runtime_stmt(cell, stmt)
        self.names.at = None
        return self.plans

    def displays_graph_name(self, stmt: ast.stmt, shadow: frozenset[str] = frozenset()) -> bool:
        """A statement that only shows a tensor or placeholder (a notebook's ``layer_conv1`` cell)."""
        return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Name) and stmt.value.id not in shadow \
            and self.kind(stmt.value.id) in (Kind.TENSOR, Kind.PLACEHOLDER)

    def only_prints(self, func: ast.FunctionDef | None) -> bool:
        """A notebook function whose every statement prints (a docstring aside): ``print_tf(x)``."""
        return func is not None and bool(func.body) and all(
            isinstance(stmt, ast.Expr) and (isinstance(stmt.value, ast.Constant) or isinstance(stmt.value, ast.Call)
                                            and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id == "print")
            for stmt in func.body)

    def repeated_definitions(self, cells: list[CellSource]) -> set[int]:
        """The statements that bind a name again to the very expression it was last bound to, reading names bound
        once (``accuracy = tf.reduce_mean(...)`` written again in a second session block): TF1 built the same ops
        twice; the lifting keeps the first function and drops the repeat, which then does not count as a binding."""
        repeated, last = set(), {}
        for cell in cells:
            for stmt in _module_statements(cell.tree.body) if cell.tree is not None else ():
                if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                        and isinstance(stmt.targets[0], ast.Name)):
                    continue
                name = stmt.targets[0].id
                if self.bindings.get(name, 0) < 2:
                    continue  # bound once: nothing to repeat (and no need to spell the expression out)
                text = cell.segment(stmt.value)  # written the same way: read the same way
                reads = {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
                if last.get(name) == text and name not in reads and all(self.bindings.get(n, 0) <= 1 for n in reads):
                    repeated.add(id(stmt))
                    self.bindings[name] -= 1
                last[name] = text
        return repeated

    def check_not_before_rebinding(self, cell: CellSource, stmt: ast.stmt) -> None:
        """A graph run before a tensor's last definition would see the earlier one, not the latest."""
        if getattr(stmt, "_lift_done", False) or not self.last_definition or self.displays_graph_name(stmt):
            return
        if id(stmt) in self.scope_blocks or isinstance(stmt, ast.With) and self.is_session_block(cell, stmt):
            for child in stmt.body:  # the block unwraps: its statements are the cell's
                self.check_not_before_rebinding(cell, child)
            return
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and node.id in self.last_definition \
                    and (cell.index, stmt.lineno) < self.last_definition[node.id]:
                raise NotLiftable(f"`{node.id}` is used between two of its definitions", cell.index, node)

    def _root_alias(self) -> str:
        alias = self.context.root_alias()
        if alias is None:
            raise NotLiftable("the notebook does not `import tensorflow` under a name the lifted code can use")
        return alias

    # -- phase 1: definitions -------------------------------------------------------------------------------
    def define(self, cell: CellSource, stmt: ast.stmt) -> None:
        plan = self.plans[cell.index]
        if id(stmt) in self.repeated and self.kind(stmt.targets[0].id) is None:
            # The first one was a run or plain Python (`acc = sess.run(accuracy, feed)` before and after training):
            # running it again may give another value, so both stay.
            self.repeated.discard(id(stmt))
            self.bindings[stmt.targets[0].id] += 1
        if id(stmt) in self.repeated:
            plan.delete.add(id(stmt))
            self.note(cell, "TFM100", stmt, f"`{stmt.targets[0].id}` was defined the same way before; that function "
                                            "serves")
            stmt._lift_done = True
            return
        if self.graph_function_definition(cell, stmt):
            return
        if isinstance(stmt, ast.FunctionDef) and any(cell.api.get(id(n)) in PLACEHOLDER for n in ast.walk(stmt)):
            self.placeholder_makers.add(stmt.name)
        if isinstance(stmt, ast.FunctionDef) and self.lookup_function(cell, stmt):
            return
        if isinstance(stmt, ast.FunctionDef) and self.creates_variables(cell, stmt):
            model = self.model_function(cell, stmt)
            if isinstance(model, ModelFunction):
                self.model_class(cell, stmt, model)
                return
            if isinstance(model, str):
                self.module_refusals[stmt.name] = model
            self.check_no_lookup(cell, stmt)
            self.bind(GraphName(stmt.name, Kind.FACTORY, cell.index, stmt), cell, stmt)
            stmt._lift_done = True
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt
            self.function_cells[stmt.name] = cell
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id in self.placeholder_makers:
            raise NotLiftable(f"`{stmt.value.func.id}` makes placeholders and returns what it builds; lift it by hand "
                              "(a function that also runs its graph in a session is lifted inside it)", cell.index,
                              stmt.value)
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and cell.api.get(id(stmt.value)) in summaries.OPS:
            self.summary_op(cell, None, stmt.value, stmt)
            stmt._lift_done = True
            return
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and cell.api.get(id(stmt.value)) in DROPPED_CALLS:
            plan.delete.add(id(stmt))
            self.note(cell, "TFM101", stmt, f"`{cell.segment(stmt.value.func)}()` has no eager TF2 equivalent")
            stmt._lift_done = True
            return
        if isinstance(stmt, ast.With) and (self.scope_block(cell, stmt) or self.control_block(cell, stmt)):
            return
        if isinstance(stmt, ast.With) and self.is_session_block(cell, stmt):
            # Graph built inside the session block: the block is unwrapped, so its top level is the cell's.
            for child in stmt.body:
                self.define(cell, child)
            return
        if self.queue_definition(cell, stmt) or self.metric_definition(cell, stmt) \
                or self.collection_definition(cell, stmt) or self.create_train_op(cell, stmt) \
                or self.data_definition(cell, stmt) \
                or self.recurrent_definition(cell, stmt) or self.gradient_definition(cell, stmt):
            return
        if self.unpacked_module_call(cell, stmt) or self.unpacked_tensors(cell, stmt) \
                or self.augmented_tensor(cell, stmt):
            return
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Name) and self.kind(stmt.value.func.id) is Kind.FACTORY:
            self.check_factory_call(cell, stmt.value)  # its results unpacked, say
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            return
        name, value = stmt.targets[0].id, stmt.value
        if self.runs_graph(value):
            return  # runs the graph: phase 2 rewrites it
        api = cell.api.get(id(value)) if isinstance(value, ast.Call) else None
        if api in PLACEHOLDER:
            dtype = _argument(value, "dtype", 0)
            if dtype is None:
                raise NotLiftable("the placeholder has no dtype", cell.index, value)
            self.check_plain(cell, dtype)
            self.bind(GraphName(name, Kind.PLACEHOLDER, cell.index, stmt, params=(name,),
                                dtype=cell.segment(dtype)), cell, stmt)
            self.placeholder_order.append(name)
            shape = _argument(value, "shape", 1)
            self.shapes[name] = shapes.literal(shape, lambda: self.constants)
            if shape is not None:
                self.placeholder_shapes[name] = cell.segment(shape)
            plan.delete.add(id(stmt))
            self.note(cell, "TFM100", stmt, f"placeholder `{name}` becomes a function parameter")
        elif api == "placeholder_with_default":
            self.placeholder_with_default(cell, name, value, stmt)
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and self.kind(value.func.id) is Kind.LOOKUP:
            self.lookup_call(cell, name, value, stmt)
        elif api in VARIABLE or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                                 and self.kind(value.func.id) is Kind.FACTORY):
            if api not in VARIABLE:
                self.check_factory_call(cell, value)
            self.check_plain(cell, value)
            trainable = _argument(value, "trainable", 1 if api in VARIABLE else None)
            flag = not (isinstance(trainable, ast.Constant) and trainable.value is False)
            if trainable is not None and not isinstance(trainable, ast.Constant):
                raise NotLiftable("the variable's `trainable` is not a literal", cell.index, value)
            self.bind(GraphName(name, Kind.VARIABLE, cell.index, stmt, trainable=flag), cell, stmt)
            if api in VARIABLE:
                self.register_variable_name(self.graph_name(_argument(value, "name", None), False), name)
        elif api == "get_variable":
            self.get_variable(cell, name, value, stmt)
        elif api in SESSIONS:
            self.session(cell, name, value, stmt)
            plan.delete.add(id(stmt))
        elif api == "Graph" and not value.args and not value.keywords:
            self.bind(GraphName(name, Kind.GRAPH, cell.index, stmt), cell, stmt)
            plan.delete.add(id(stmt))
            self.note(cell, "TFM101", stmt, "eager TF2 has no graphs to make; the graph's blocks unwrap")
        elif api == "train.Saver":
            self.saver(cell, name, value, stmt)
        elif api in summaries.OPS:
            self.summary_op(cell, name, value, stmt)
        elif api in summaries.MERGE_ALL | summaries.MERGE:
            self.merged_summary(cell, name, value, api, stmt)
        elif api in summaries.WRITERS:
            self.summary_writer(cell, name, value, stmt)
        elif api in GLOBAL_STEP and not value.args and not value.keywords:
            self.bind(GraphName(name, Kind.VARIABLE, cell.index, stmt, trainable=False), cell, stmt)
            self.global_step_variable = name
            text = f'{self.tf}.Variable(0, trainable=False, dtype={self.tf}.int64, name="global_step")'
            start, end = cell.span(value)
            plan.edits.append((start, end, text))
            self.note(cell, "TFM100", value, "the global step is a variable the train step increments")
        elif api in INITIALIZERS or api == "group" and self.initializers(cell, value) is not None:
            self.initializer_parts[name] = self.initializers(cell, value)
            self.bind(GraphName(name, Kind.INITIALIZER, cell.index, stmt), cell, stmt)
            plan.delete.add(id(stmt))
            self.note(cell, "TFM101", stmt, "variables are initialized when they are created in TF2")
        elif api is not None and is_optimizer(api):
            self.check_optimizer_arguments(cell, value)
            text = self.keras_optimizer(cell, value)
            self.bind(GraphName(name, Kind.OPTIMIZER, cell.index, stmt), cell, stmt)
            definition = self.optimizer_class(cell, text, value)
            if definition is not None:
                plan.replace[id(stmt)] = f"{definition}\n{name} = {text}"
            else:
                start, end = cell.span(value)
                plan.edits.append((start, end, text))
            self.note(cell, "TFM102", stmt, f"`tf.{api}` becomes `{text}`")
            stmt._lift_done = True
        elif _is_minimize(value):
            self.train_op(cell, name, value, stmt)
        elif (self.mentions_graph(cell, value) or self.builds_ops(value)) \
                and not self.only_lists_variables(cell, value) and not self.plain_specs(cell, value):
            self.tensor_with_modules(cell, name, value, stmt)
            if is_loss_function(api) and self.kind(name) is Kind.TENSOR:
                self.record_loss(cell, name, value)
        else:
            return
        stmt._lift_done = True

    def check_factory_call(self, cell: CellSource, call: ast.Call) -> None:
        """A function that creates variables (and could not become a class) must not be called on graph tensors."""
        if any(isinstance(n, ast.Name) and self.kind(n.id) in REWRITTEN
               for argument in call.args + [k.value for k in call.keywords] for n in ast.walk(argument)):
            why = self.module_refusals.get(call.func.id)
            raise NotLiftable(f"`{call.func.id}` creates variables and is called on graph tensors: in eager TF2 each "
                              "call would create new ones, so it needs to become a `tf.Module` or Keras model (see "
                              "the guide)" + (f"; it is not made one automatically because {why}" if why else ""),
                              cell.index, call)

    def tensor_with_modules(self, cell: CellSource, name: str, value: ast.expr, stmt: ast.stmt) -> None:
        """A tensor, made with model functions: their instances are made (or reused) first."""
        lines = []
        for node in ast.walk(value) if self.model_classes else ():
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and self.kind(node.func.id) is Kind.MODEL_FUNCTION:
                instance, line = self.module_instance(cell, node, stmt)
                self.module_call_instances[id(node)] = instance
                lines += [line] if line else []
        self.tensor(cell, name, value, stmt)
        if lines:
            plan = self.plans[cell.index]
            plan.replace[id(stmt)] = "\n".join([*lines, plan.replace[id(stmt)]])

    def claim(self, cell: CellSource, node: ast.AST, names, user: str) -> None:
        """The lifted code defines ``names`` for ``user``: refused when the notebook already uses one of them."""
        for name in names:
            if name in self.taken:
                raise NotLiftable(f"the notebook already uses the name `{name}`, which the lifted {user} needs",
                                  cell.index, node)

    def model_class(self, cell: CellSource, stmt: ast.FunctionDef, model: ModelFunction) -> None:
        self.claim(cell, stmt, [model.class_name], f"`{stmt.name}`")
        self.taken.add(model.class_name)
        self.model_classes += 1
        local = function_locals(stmt)
        feeds = self.ordered({n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and n.id not in local
                              and self.kind(n.id) is Kind.PLACEHOLDER})
        if feeds and not model.keras:
            raise NotLiftable(f"`{stmt.name}` reads the placeholder `{feeds[0]}` from the notebook", cell.index, stmt)
        model.feeds = feeds
        self.bind(GraphName(stmt.name, Kind.MODEL_FUNCTION, cell.index, stmt, module=model), cell, stmt)
        for block in arg_scopes.blocks(cell, model.body) if model.keras else ():
            self.note(cell, "TFM231", block.items[0].context_expr, "the defaults are written into the layers the "
                                                                   "block reaches, and the block unwraps")
        text = self.class_text(cell, stmt, model)
        if model.recurrent.runs:  # its cells' classes and the run helpers come first
            text = "\n\n\n".join([*(d.rstrip("\n") for d in self.rnn_definitions(cell, stmt)), text])
        if any(read.helper is not None for _, _, read in model.layers):
            text = "\n\n\n".join([*self.batch_norm_definitions(cell, stmt), text])
        self.plans[cell.index].replace[id(stmt)] = text
        what = "Keras layer that makes its layers" if model.keras else "`tf.Module` that makes its variables"
        self.note(cell, "TFM230", stmt, f"`{stmt.name}` becomes `{model.class_name}`, a {what} once")
        stmt._lift_done = True

    def plain_specs(self, cell: CellSource, value: ast.expr) -> bool:
        """A container of dtypes and parsing specs (``{"age": tf.FixedLenFeature([], tf.int64)}``,
        ``[tf.int32, tf.string]``): plain Python values in TF2 too, not graph tensors."""
        if not isinstance(value, (ast.List, ast.Tuple, ast.Dict)):
            return False
        specs = [n for n in ast.walk(value) if isinstance(n, ast.Call) and cell.api.get(id(n)) in SPECS]
        named = {id(n) for spec in specs for n in ast.walk(spec.func)}
        for node in ast.walk(value):
            if id(node) in named:
                continue
            if isinstance(node, ast.Call) and cell.api.get(id(node)) not in SPECS \
                    or isinstance(node, ast.Attribute) and not (isinstance(node.value, ast.Name)
                                                                and node.value.id == self.tf and node.attr in DTYPES) \
                    or isinstance(node, ast.Name) and self.kind(node.id) is not None:
                return False
        return True

    def only_lists_variables(self, cell: CellSource, value: ast.expr) -> bool:
        """``names = [v.name for v in tf.trainable_variables()]`` reads variables: plain code, not a tensor."""
        apis = {cell.api[id(n)] for n in ast.walk(value) if isinstance(n, ast.Call) and id(n) in cell.api}
        return bool(apis) and apis <= VARIABLE_LISTS and not any(
            isinstance(n, ast.Name) and self.kind(n.id) in REWRITTEN for n in ast.walk(value))

    def check_optimizer_arguments(self, cell: CellSource, call: ast.Call) -> None:
        """A learning rate computed in the graph (a decay of ``global_step``) is passed as the lifted function
        itself, which Keras calls at every step; one that needs a feed cannot be."""
        for argument in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(argument, ast.Name) and self.kind(argument.id) is Kind.TENSOR:
                if self.names[argument.id].params:
                    raise NotLiftable(f"the optimizer's `{argument.id}` is fed at each step, which a Keras "
                                      "optimizer cannot be", cell.index, argument)
                continue
            self.check_plain(cell, argument)

    def keras_optimizer(self, cell: CellSource, call: ast.Call) -> str:
        """The Keras optimizer a TF1 optimizer call becomes. A learning rate held in a variable is passed as a
        function reading it: Keras 3 rejects a variable, and the notebook may assign it a new rate later."""
        rate = _argument(call, "learning_rate", 0)

        def segment(node: ast.AST) -> str:
            if node is rate and isinstance(node, ast.Name) and self.kind(node.id) is Kind.VARIABLE:
                return f"lambda: {node.id}"
            return cell.segment(node)

        return keras_optimizer(cell.api[id(call)], call, segment, self.tf, cell.index)

    def optimizer_class(self, cell: CellSource, text: str, call: ast.Call) -> str | None:
        """The definition of the optimizer subclass ``text`` constructs, the first time the notebook needs it."""
        definition = subclass_definition(text, self.tf)
        name = text.split("(", 1)[0]
        if definition is None or name in self.defined_classes:
            return None
        self.claim(cell, call, [name], "optimizer")
        self.defined_classes.add(name)
        return definition

    def summary_op(self, cell: CellSource, name: str | None, call: ast.Call, stmt: ast.stmt) -> None:
        read = summaries.read_op(cell.api[id(call)], call, cell.segment,
                                 [scope for api, scope in self.scopes if api not in ("device", "Graph")])
        if isinstance(read, str):
            raise NotLiftable(read, cell.index, call)
        kind, tag, value = read
        entry = summaries.Summary(kind, tag, value, cell.index)
        self.summaries.append(entry)
        if name is None:
            self.plans[cell.index].delete.add(id(stmt))
            self.note(cell, "TFM501", call, f"the {kind} summary {tag} is written by the merged summary")
        else:
            self.summary_function(cell, name, [entry], stmt)

    def merged_summary(self, cell: CellSource, name: str, call: ast.Call, api: str, stmt: ast.stmt) -> None:
        if api in summaries.MERGE_ALL:
            if call.args or call.keywords:
                raise NotLiftable(f"`tf.{api}` is given a collection or scope", cell.index, call)
            members = list(self.summaries)
        else:
            inputs = _argument(call, "inputs", 0)
            if not isinstance(inputs, (ast.List, ast.Tuple)) or len(call.args) + len(call.keywords) != 1 or not all(
                    isinstance(e, ast.Name) and self.kind(e.id) is Kind.SUMMARY for e in inputs.elts):
                raise NotLiftable(f"`tf.{api}` is not given a literal list of summaries", cell.index, call)
            members = [m for e in inputs.elts for m in self.summary_members[self.names[e.id].name]]
        if not members:
            raise NotLiftable("the merged summary has no summaries in it", cell.index, call)
        self.summary_function(cell, name, members, stmt)

    def summary_function(self, cell: CellSource, name: str, members: list, stmt: ast.stmt) -> None:
        """``def merged(x, y): return [("scalar", "loss", loss(x, y).numpy()), ...]`` at ``stmt``."""
        deps, items, conversions = set(), [], []
        for member in members:
            member_cell = self.cells[member.cell]
            member_deps, edits, _, direct = self.expression(member_cell, member.value)
            deps |= member_deps
            start, _ = member_cell.span(member.value)
            text = emit.relative(member_cell.segment(member.value), start, edits)
            items.append(f"({member.kind!r}, {member.tag}, {self.numpy(member_cell, member.value, text)})")
            conversions += [(p, self.names[p].dtype) for p in sorted(direct) if self.names[p].dtype is not None
                            and (p, self.names[p].dtype) not in conversions]
        params = self.ordered({p for d in deps for p in self.names[d].params})
        self.bind(GraphName(name, Kind.SUMMARY, cell.index, stmt, params=params, deps=frozenset(deps)), cell, stmt)
        self.summary_members[name] = members
        body = "[" + ", ".join(items) + "]"
        conversions = [c for c in conversions if c[0] in params]
        self.plans[cell.index].replace[id(stmt)] = emit.tensor_function(name, self.signature(params), body,
                                                                        conversions, self.tf)
        self.note(cell, "TFM501", stmt, f"`{name}` becomes a function returning its summaries' values")
        stmt._lift_done = True

    def summary_writer(self, cell: CellSource, name: str, call: ast.Call, stmt: ast.stmt) -> None:
        text = summaries.writer_text(self.tf, call, cell.segment)
        if text is None:
            raise NotLiftable("the summary writer is given arguments `create_file_writer` does not take",
                              cell.index, call)
        for argument in [*call.args, *(k.value for k in call.keywords)]:
            if not self.names_the_graph(cell, argument):
                self.check_plain(cell, argument)
        self.bind(GraphName(name, Kind.WRITER, cell.index, stmt), cell, stmt)
        replacement = f"{name} = {text}"
        if self.summary_writing is None:
            self.summary_writing = self.fresh("write_summary")
            replacement += "\n" + summaries.writing_function(self.summary_writing, self.tf)
        self.plans[cell.index].replace[id(stmt)] = replacement
        self.note(cell, "TFM501", call, f"the writer becomes `{text}` (TF 2 does not write the graph this way)")

    @staticmethod
    def names_the_graph(cell: CellSource, node: ast.expr) -> bool:
        """``sess.graph``, ``tf.get_default_graph()`` or their ``.as_graph_def()``/``.graph_def``: a writer's graph,
        which TF 2's writer does not take (the argument goes)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "as_graph_def" \
                and not node.args and not node.keywords:
            node = node.func.value
        if isinstance(node, ast.Attribute):
            return node.attr in ("graph", "graph_def")
        return isinstance(node, ast.Call) and cell.api.get(id(node)) == "get_default_graph" and not node.args \
            and not node.keywords

    def writer_call(self, cell: CellSource, call: ast.Call, shadow: set[str]) -> bool:
        """``writer.add_summary(summary, step)``, ``writer.flush()`` and ``writer.close()``."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id not in shadow and self.kind(func.value.id) is Kind.WRITER):
            return False
        if func.attr in ("flush", "close") and not call.args and not call.keywords:
            return True  # the same methods in TF 2
        summary, step = _argument(call, "summary", 0), _argument(call, "global_step", 1)
        if func.attr != "add_summary" or summary is None or step is None or len(call.args) + len(call.keywords) != 2:
            raise NotLiftable(f"`{func.value.id}.{func.attr}` is called in a way the lifting does not carry over",
                              cell.index, call)
        self.runtime_expr(cell, summary, shadow)
        self.runtime_expr(cell, step, shadow)
        start, end = cell.span(call)
        summary_start, summary_end = cell.span(summary)
        step_start, step_end = cell.span(step)
        # Only the call around the arguments changes, so graph runs inside them are rewritten as usual.
        edits = [(start, summary_start, f"{self.summary_writing}({func.value.id}, "),
                 (summary_end, step_start, ", "), (step_end, end, ")")]
        self.plans[cell.index].edits.extend(edits)
        self.note(cell, "TFM501", call, "the summary is written with v2 summaries at the step")
        return True

    def saver(self, cell: CellSource, name: str, value: ast.Call, stmt: ast.stmt) -> None:
        named = checkpoints.named_arguments(value, ("var_list",))
        if named is None or any(k not in checkpoints.IGNORED | {"var_list"} for k in named):
            raise NotLiftable("the saver is given options the lifting does not carry over", cell.index, value)
        var_list = named.get("var_list")
        here = (cell.index, stmt.lineno)
        if var_list is None or isinstance(var_list, ast.Constant) and var_list.value is None:
            objects = [(o, o) for o in self.saved_objects(here)]
            self.full_savers.add(name)
        elif isinstance(var_list, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Name) and self.kind(e.id) in (Kind.VARIABLE, Kind.VARIABLES) for e in var_list.elts):
            objects = [(e.id, e.id) for e in var_list.elts]
        elif isinstance(var_list, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                                    for k in var_list.keys) and all(
                isinstance(v, ast.Name) and self.kind(v.id) is Kind.VARIABLE for v in var_list.values):
            objects = [(k.value, v.id) for k, v in zip(var_list.keys, var_list.values)]
        else:
            raise NotLiftable("the saver's `var_list` is not a literal list or dict of variables", cell.index,
                              var_list)
        if not objects:
            raise NotLiftable("the saver has no variables to save", cell.index, value)
        self.bind(GraphName(name, Kind.SAVER, cell.index, stmt), cell, stmt)
        text = checkpoints.checkpoint_text(self.tf, objects)
        start, end = cell.span(value)
        self.plans[cell.index].edits.append((start, end, text))
        self.note(cell, "TFM500", value, f"the saver becomes `{text}`")
        if self.reads_checkpoint_state:
            # TF1 kept 5 checkpoints unless told otherwise; None or 0 kept them all.
            keep = named.get("max_to_keep")
            self.saver_keeps[name] = "5" if keep is None else "None" if isinstance(keep, ast.Constant) and \
                keep.value in (None, 0) else cell.segment(keep)
            if self.checkpoint_saving is None:
                self.checkpoint_saving = self.fresh("save_checkpoint")
                helper = checkpoints.saving_function(self.checkpoint_saving, self.tf)
                # A saver made in a block (a session block, a loop) gets the helper at the top of its cell, where
                # it is defined at module level whatever the block becomes.
                self.plans[cell.index].edits.append((end, end, "\n" + helper) if not stmt.col_offset
                                                    else (0, 0, helper + "\n"))

    def saved_objects(self, here: tuple[int, int]) -> list[str]:
        """What a Saver without ``var_list`` saves: every variable, layer, module and optimizer defined before it
        (a module's variables under other names, ``weights_conv1 = new_conv_layer_1.weights``, come with it)."""
        found = []
        for graph in dict.values(self.names):
            if (graph.cell, graph.stmt.lineno) >= here:
                continue
            if graph.kind in (Kind.VARIABLE, Kind.VARIABLES, Kind.OPTIMIZER, Kind.MODULE) and not graph.alias \
                    or graph.kind is Kind.LAYER and graph.trainable:
                found.append(graph.name)
            elif graph.kind is Kind.TRAIN and graph.optimizer not in found:
                found.append(graph.optimizer)  # TF1 saved the optimizer's slots with the variables
        return found

    def saver_call(self, cell: CellSource, call: ast.Call, shadow: set[str]) -> bool:
        """``saver.save(sess, path[, global_step])`` and ``saver.restore(sess, path)``."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id not in shadow and self.kind(func.value.id) is Kind.SAVER):
            return False
        saver = func.value.id
        parameters = {"save": checkpoints.SAVE_PARAMETERS, "restore": checkpoints.RESTORE_PARAMETERS}.get(func.attr)
        named = checkpoints.named_arguments(call, parameters) if parameters else None
        if named is None or "save_path" not in named or any(
                k not in ("sess", "save_path", "global_step", "write_meta_graph") for k in named):
            raise NotLiftable(f"`{saver}.{func.attr}` is called in a way the lifting does not carry over",
                              cell.index, call)
        session = named.get("sess")
        if not (isinstance(session, ast.Name) and self.kind(session.id) is Kind.SESSION):
            raise NotLiftable("the saver is used with a session the lifting does not know", cell.index, call)
        for value in named.values():
            self.runtime_expr(cell, value, shadow) if value is not session else None
        path = cell.segment(named["save_path"])
        if func.attr == "save":
            step = named.get("global_step")
            step_text = None if step is None else cell.segment(step)
            if saver in self.saver_keeps and step_text is None:
                raise NotLiftable("the notebook finds its checkpoints with `tf.train.latest_checkpoint` or "
                                  "`get_checkpoint_state`, and saves one without a `global_step`, which a "
                                  "`CheckpointManager` cannot name as TF1 did", cell.index, call)
            text = checkpoints.save_text(saver, path, step_text) if saver not in self.saver_keeps else \
                f"{self.checkpoint_saving}({saver}, {path}, {step_text}, {self.saver_keeps[saver]})"
        else:
            text = checkpoints.restore_text(saver, path)
        start, end = cell.span(call)
        self.plans[cell.index].edits.append((start, end, text))
        self.note(cell, "TFM500", call, f"`{saver}.{func.attr}` becomes `{text}`")
        return True

    def get_variable(self, cell: CellSource, name: str, value: ast.Call, stmt: ast.stmt) -> None:
        if self.reusing and self.variable_lookup(cell, name, value, stmt):
            return
        text, named = self.get_variable_text(cell, value)
        trainable = named.get("trainable")
        self.bind(GraphName(name, Kind.VARIABLE, cell.index, stmt,
                            trainable=not (isinstance(trainable, ast.Constant) and trainable.value is False)),
                  cell, stmt)
        self.register_variable_name(self.graph_name(named["name"], True), name)
        start, end = cell.span(value)
        self.plans[cell.index].edits.append((start, end, text))
        self.note(cell, "TFM200", value, "`tf.get_variable` becomes a `tf.Variable` made from its initializer")

    def variable_lookup(self, cell: CellSource, name: str, value: ast.Call, stmt: ast.stmt) -> bool:
        """``tf.get_variable("conv1/weights")`` under ``variable_scope("model", reuse=True)``: a variable a module
        made, by its TF1 name."""
        named = self.get_variable_arguments(cell, value)
        if set(named) != {"name"}:
            return False
        found = self.variable_names.get(self.graph_name(named["name"], True))
        if found is None:
            raise NotLiftable("`tf.get_variable` reuses a variable the lifting does not know by that name",
                              cell.index, value)
        self.bind(GraphName(name, Kind.VARIABLE, cell.index, stmt, alias=True), cell, stmt)
        start, end = cell.span(value)
        self.plans[cell.index].edits.append((start, end, found))
        self.note(cell, "TFM230", value, f"the reused variable is `{found}`")
        return True

    def get_variable_arguments(self, cell: CellSource, value: ast.Call) -> dict:
        named = variables.arguments(value)
        if isinstance(named, str):
            raise NotLiftable(named, cell.index, value)
        if not (isinstance(named["name"], ast.Constant) and isinstance(named["name"].value, str)):
            raise NotLiftable("the variable's name is not a literal", cell.index, value)
        return named

    def get_variable_text(self, cell: CellSource, value: ast.Call, module: bool = False) -> tuple[str, dict]:
        """The ``tf.Variable(...)`` a ``tf.get_variable`` call becomes, and its arguments by name. In a model
        function (``module``) reuse is the module's: one instance per scope."""
        if self.reuses_variables and not module:
            raise NotLiftable("the notebook reuses variables (`reuse=`, `tf.AUTO_REUSE` or `reuse_variables()`), "
                              "which eager TF2 does with objects that own their variables", cell.index, value)
        named = self.get_variable_arguments(cell, value)
        for argument in named.values():
            self.check_plain(cell, argument)
        trainable = named.get("trainable")
        if trainable is not None and not isinstance(trainable, ast.Constant):
            raise NotLiftable("the variable's `trainable` is not a literal", cell.index, value)
        text = variables.variable_text(self.tf, named, cell.segment, _dtype_name)
        if text is None:
            raise NotLiftable("the variable's initial value is neither an initializer with a shape nor a value "
                              "(an integer variable with TF1's default initializer, say)", cell.index, value)
        return text, named

    def creates_variables(self, cell: CellSource, func: ast.FunctionDef) -> bool:
        """Whether calling ``func`` creates variables: directly, through ``tf.layers``, or through another such
        function (``convnet`` calling ``conv_relu``), so that each call would make new ones in eager TF2."""
        for node in ast.walk(func):
            if not isinstance(node, ast.Call):
                continue
            api = cell.api.get(id(node))
            if api in VARIABLE | {"get_variable"} or api in layers.LAYERS or api in rnn.RUNS:
                return True
            if isinstance(node.func, ast.Name) and self.kind(node.func.id) in (Kind.FACTORY, Kind.MODEL_FUNCTION):
                return True
        return False

    def graph_default(self, cell: CellSource, expr: ast.expr) -> bool:
        """``graph.as_default()`` of a ``tf.Graph()``: eager TF2 has one context, so the block only unwraps."""
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_default"
                and not expr.args and not expr.keywords):
            return False
        owner = expr.func.value
        return isinstance(owner, ast.Name) and self.kind(owner.id) is Kind.GRAPH or (
            isinstance(owner, ast.Call) and cell.api.get(id(owner)) == "Graph" and not owner.args
            and not owner.keywords)

    def session_items(self, cell: CellSource, stmt: ast.With) -> list[ast.withitem]:
        """The with statement's items less the graphs made default (``with graph.as_default(), tf.Session()``)."""
        return [item for item in stmt.items if not self.graph_default(cell, item.context_expr)]

    def is_session_block(self, cell: CellSource, stmt: ast.With) -> bool:
        items = self.session_items(cell, stmt)
        expr = items[0].context_expr if len(items) == 1 else None
        if not isinstance(expr, ast.Call):
            return False
        return cell.api.get(id(expr)) in SESSIONS or (
            isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_default"
            and isinstance(expr.func.value, ast.Name) and self.kind(expr.func.value.id) is Kind.SESSION)

    def scope_block(self, cell: CellSource, stmt: ast.With) -> bool:
        """``with tf.name_scope("loss"):`` around graph definitions: scopes only named graph ops, so the body
        takes the block's place (a ``variable_scope`` too, unless it reuses variables or is bound to a name)."""
        if len(stmt.items) != 1 or stmt.items[0].optional_vars is not None or stmt.body[0].lineno == stmt.lineno:
            return False
        expr = stmt.items[0].context_expr
        api = "Graph" if self.graph_default(cell, expr) else cell.api.get(id(expr)) if isinstance(expr, ast.Call) \
            else None
        reuse = api == "variable_scope" and any(k.arg == "reuse" for k in expr.keywords)
        if api not in SCOPES | {"Graph"} or any(k.arg not in ("name_or_scope", "name", "default_name", "values")
                                                and not (reuse and k.arg == "reuse" and isinstance(k.value, ast.Constant)
                                                         and k.value.value is True)
                                                for k in expr.keywords):
            return False
        if api != "Graph":
            self.check_plain(cell, expr)
        self.plans[cell.index].unwrap.add(id(stmt))
        self.scope_blocks.add(id(stmt))
        self.note(cell, "TFM100", expr, "TF2 places operations itself; the block's body stays" if api == "device"
                  else "eager TF2 has one context, so the graph's block only unwraps" if api == "Graph"
                  else f"`tf.{api}` only named graph operations; its body stays")
        scope = _argument(expr, "name_or_scope" if api == "variable_scope" else "name", 0)
        # A device block names nothing: it stands in the scope stack as an empty name.
        self.scopes.append((api, "" if api in ("device", "Graph") else scope.value if isinstance(scope, ast.Constant)
                            and isinstance(scope.value, str) else None))
        self.reusing += reuse
        try:
            for child in stmt.body:
                self.define(cell, child)
        finally:
            self.scopes.pop()
            self.reusing -= reuse
        return True

    def graph_name(self, name: ast.expr | None, variable_scopes_only: bool) -> str | None:
        """The name TF1 gave a variable created here with ``name=<literal>``, or None when it is not certain."""
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            return None
        prefix = [scope for api, scope in self.scopes
                  if api not in ("device", "Graph") and (api == "variable_scope" or not variable_scopes_only)]
        if None in prefix:
            return None
        return "/".join([*prefix, name.value])

    def register_variable_name(self, graph_name: str | None, text: str) -> None:
        # TF1 made a taken name unique (``W_1``), so a name given twice is not looked up at all.
        if graph_name is None:
            return
        if graph_name in self.variable_names:
            self.variable_names[graph_name] = None
        else:
            self.variable_names[graph_name] = text

    def placeholder_with_default(self, cell: CellSource, name: str, value: ast.Call, stmt: ast.stmt) -> None:
        default = _argument(value, "input", 0)
        literal = default.operand if isinstance(default, ast.UnaryOp) and isinstance(default.op, ast.USub) \
            else default
        if not isinstance(literal, ast.Constant) or type(literal.value) not in LITERAL_DTYPES:
            raise NotLiftable("the placeholder's default is not a number or bool literal", cell.index, value)
        self.bind(GraphName(name, Kind.PLACEHOLDER, cell.index, stmt, params=(name,),
                            dtype=f"{self.tf}.{LITERAL_DTYPES[type(literal.value)]}"), cell, stmt)
        self.placeholder_order.append(name)
        self.defaults[name] = cell.segment(default)
        self.plans[cell.index].delete.add(id(stmt))
        self.note(cell, "TFM100", stmt, f"placeholder `{name}` becomes a parameter that defaults to "
                                        f"{self.defaults[name]}")

    def session(self, cell: CellSource, name: str | None, call: ast.Call, stmt: ast.stmt) -> None:
        graph = _argument(call, "graph", 1)
        if call.args or any(k.arg == "target" for k in call.keywords) or graph is not None and not (
                isinstance(graph, ast.Name) and self.kind(graph.id) is Kind.GRAPH):
            raise NotLiftable("the session runs a graph or target of its own", cell.index, call)
        if name is not None and self.kind(name) is not Kind.SESSION:
            self.bind(GraphName(name, Kind.SESSION, cell.index, stmt), cell, stmt)
        self.note(cell, "TFM101", stmt, "eager TF2 runs operations without a session")

    def train_op(self, cell: CellSource, name: str, value: ast.Call, stmt: ast.stmt,
                 returns_loss: bool = False) -> None:
        receiver = value.func.value
        plan = self.plans[cell.index]
        loss = _argument(value, "loss", 0)
        extra = [k.arg for k in value.keywords if k.arg not in ("loss", "var_list", "global_step")]
        if len(value.args) > 2 or extra:
            raise NotLiftable(f"`minimize` is called with `{(extra or ['var_list'])[0]}`, which the lifting "
                              "does not carry over", cell.index, value)
        step = self.global_step(cell, value)
        optimizer, optimizer_text, definition = self.step_optimizer(cell, receiver, value)
        loss_text = None
        if isinstance(loss, ast.Name) and self.kind(loss.id) is Kind.TENSOR:
            loss_id = self.names[loss.id].name
        elif loss is not None and not isinstance(loss, ast.Name) and self.mentions_graph(cell, loss):
            # minimize(tf.reduce_mean(...)): the loss becomes a function of its own, written before the step.
            loss_id = self.fresh(f"{name}_loss")
            self.tensor(cell, loss_id, loss, stmt)
            loss_text = plan.replace.pop(id(stmt), None)
            if self.kind(loss_id) is not Kind.TENSOR or loss_text is None:
                raise NotLiftable("the loss given to `minimize` depends on no feed or variable", cell.index, loss)
        else:
            raise NotLiftable("`minimize` is not given a lifted loss tensor", cell.index, value)
        var_list = _argument(value, "var_list", None)
        reachable = self.reachable_variables(loss_id)
        if var_list is not None:
            variables = self.variables_given(cell, var_list)
        else:
            # A layer's variables exist once it was called: the step lists them after the forward pass.
            # A module's variable reused by name is updated with its module, not twice.
            modules = any(self.names[v].kind is Kind.MODULE for v in reachable)
            variables = tuple(self.members(self.names[v]) for v in reachable
                              if self.names[v].trainable and not (modules and self.names[v].alias))
        if not variables:
            raise NotLiftable("the loss depends on no trainable variable", cell.index, value)
        loss_name = self.names[loss_id]
        graph = GraphName(name, Kind.TRAIN, cell.index, stmt, params=loss_name.params,
                          deps=frozenset({loss_id}), loss=loss_id, optimizer=optimizer, variables=variables,
                          global_step=step.id if step is not None else None, update_ops=self.update_ops_entered,
                          returns_loss=returns_loss)
        self.bind(graph, cell, stmt)
        text = "\n".join([emit.train_step(graph, self.tf, optimizer_text, self.signature(graph.params),
                                           self.step_decorator(graph.params), self.untrainable(variables)),
                           *self.optimizer_build(graph, reachable)])
        if definition is not None:
            text = f"{definition}\n{text}"
        plan.replace[id(stmt)] = text if loss_text is None else f"{loss_text}\n{text}"
        self.note(cell, "TFM102", stmt, f"`{name}` becomes a train step with `tf.GradientTape` over "
                                        f"{', '.join(variables)}")

    def global_step(self, cell: CellSource, call: ast.Call) -> ast.Name | None:
        """The ``global_step`` a ``minimize`` or ``apply_gradients`` call increments, which must be a variable."""
        step = _argument(call, "global_step", 1)
        if step is not None and not (isinstance(step, ast.Name) and self.kind(step.id) is Kind.VARIABLE):
            raise NotLiftable("`global_step` is not a variable of the lifted graph", cell.index, step)
        return step

    def step_optimizer(self, cell: CellSource, receiver: ast.expr, call: ast.Call) -> tuple[str, str | None,
                                                                                              str | None]:
        """What a train step applies its gradients with: a lifted optimizer's name, or (for a constructor written
        in place, ``tf.train.AdamOptimizer(0.1).minimize(...)``) a new name, the Keras optimizer it is made with
        and the subclass definition that needs, if any."""
        if isinstance(receiver, ast.Name) and self.kind(receiver.id) is Kind.OPTIMIZER:
            return receiver.id, None, None
        if isinstance(receiver, ast.Call) and is_optimizer(cell.api.get(id(receiver), "")):
            self.check_optimizer_arguments(cell, receiver)
            text = self.keras_optimizer(cell, receiver)
            return self.fresh("optimizer"), text, self.optimizer_class(cell, text, receiver)
        raise NotLiftable(f"`{call.func.attr}` is called on something other than a TF1 optimizer", cell.index, call)

    def tensor(self, cell: CellSource, name: str, value: ast.expr, stmt: ast.stmt) -> None:
        if self.feed_dict(cell, name, value, stmt):
            return
        if self.variable_container(cell, name, value, stmt):
            return
        if self.static_definition(cell, name, value, stmt):
            return
        if isinstance(value, (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp,
                              ast.GeneratorExp)):
            if isinstance(value, ast.Dict) and any(isinstance(k, ast.Name) and self.kind(k.id) is Kind.PLACEHOLDER
                                                   for k in value.keys):
                raise NotLiftable("the feed dict is built dynamically, so which placeholder gets which value "
                                  "cannot be proven", cell.index, stmt)
            raise NotLiftable(f"`{name}` stores tensors in a container, which is used outside graph "
                              "construction", cell.index, stmt)
        constructors: list[str] = []
        deps, edits, random, direct = self.expression(cell, value, owner=name, constructors=constructors)
        random = random or self.builds_ops(value, random=True)  # a notebook function that draws: drawn at each run
        shape = self.shape_of(cell, value)
        dynamic = any(self.names[d].kind in (Kind.PLACEHOLDER, Kind.TENSOR, Kind.VARIABLE, Kind.LAYER, Kind.VARIABLES,
                                             Kind.MODULE) for d in deps) \
            or random and not self.only_initial_value(name)
        if not dynamic:
            self.bind(GraphName(name, Kind.STATIC, cell.index, stmt, deps=frozenset(deps)), cell, stmt)
            self.plans[cell.index].edits.extend(edits)  # an eager value, made with what TF 2 has (an empty sum)
            return
        source, name = name, self.version(name, cell, stmt)
        params = self.ordered({p for d in deps for p in self.names[d].params})
        graph = GraphName(name, Kind.TENSOR, cell.index, stmt, params=params, deps=frozenset(deps), definition=value)
        self.bind(graph, cell, stmt, source)
        start, _ = cell.span(value)
        body = emit.relative(cell.segment(value), start, edits)
        self.shapes[name] = shape
        function = emit.tensor_function(name, self.signature(params), body, self.conversions(params, direct), self.tf)
        self.plans[cell.index].replace[id(stmt)] = "\n".join([*constructors, function])
        self.note(cell, "TFM100", stmt, f"`{name}` becomes a function of {', '.join(params) or 'nothing'}")

    def augmented_tensor(self, cell: CellSource, stmt: ast.stmt) -> bool:
        """``loss += beta * tf.nn.l2_loss(w)``: a new definition of the tensor, reading the one before."""
        if not (isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name)
                and self.kind(stmt.target.id) is Kind.TENSOR and type(stmt.op) in OPERATORS):
            return False
        name = stmt.target.id
        before = ast.copy_location(ast.Name(id=name, ctx=ast.Load()), stmt.target)
        before.end_lineno, before.end_col_offset = stmt.target.end_lineno, stmt.target.end_col_offset
        parts, deps, direct = [], set(), set()
        for node in (before, stmt.value):
            node_deps, text, random, node_direct = self.written(cell, node)
            if random:
                raise NotLiftable("random values are added to a tensor in place", cell.index, node)
            deps |= node_deps
            direct |= node_direct
            parts.append(text)
        version = self.version(name, cell, stmt)
        params = self.ordered({p for d in deps for p in self.names[d].params})
        self.bind(GraphName(version, Kind.TENSOR, cell.index, stmt, params=params, deps=frozenset(deps)), cell, stmt,
                  name)
        body = f"{parts[0]} {OPERATORS[type(stmt.op)]} ({parts[1]})"
        self.plans[cell.index].replace[id(stmt)] = emit.tensor_function(
            version, self.signature(params), body, self.conversions(params, direct), self.tf)
        self.note(cell, "TFM100", stmt, f"`{name}` becomes a function of {', '.join(params) or 'nothing'}, adding "
                                        "to the one before")
        stmt._lift_done = True
        return True

    def unpacked_tensors(self, cell: CellSource, stmt: ast.stmt) -> bool:
        """``a, b = tf.split(x, 2, 1)``: each name becomes a function returning its item of the expression."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], (ast.Tuple, ast.List))
                and all(isinstance(e, ast.Name) for e in stmt.targets[0].elts)
                and isinstance(stmt.value, ast.Call) and stmt.value.func is not None
                and (cell.api.get(id(stmt.value)) is not None or self.user_function(stmt.value))
                and not self.runs_graph(stmt.value) and self.mentions_graph(cell, stmt.value)):
            return False
        value = stmt.value
        deps, body, random, direct = self.written(cell, value)
        if random:
            raise NotLiftable("random values are unpacked into several names, which each call would draw anew",
                              cell.index, value)
        params = self.ordered({p for d in deps for p in self.names[d].params})
        # A notebook function may return static shapes with its tensors (`flatten_layer`'s `num_features`).
        static = self.static_items(value.func.id) if self.user_function(value) else set()
        functions = []
        for index, element in enumerate(stmt.targets[0].elts):
            if element.id == "_" and not self.is_read("_"):
                continue  # an item the notebook leaves unread
            line = self.static_value_line(cell, element.id, deps, f"{body}[{index}]", stmt) if index in static else None
            if line is not None:
                functions.append(line)
                continue
            functions.append(self.item_function(cell, stmt, element.id, index, body, deps, params, direct))
        self.plans[cell.index].replace[id(stmt)] = "\n".join(functions)
        names = ", ".join(f"`{e.id}`" for e in stmt.targets[0].elts)
        self.note(cell, "TFM100", stmt, f"{names} become functions of {', '.join(params) or 'nothing'}, each "
                                        "returning its item")
        stmt._lift_done = True
        return True

    def item_function(self, cell: CellSource, stmt: ast.stmt, source: str, index: int, body: str, deps: set[str],
                      params: tuple[str, ...], direct: set[str]) -> str:
        """``def a(x): return <body>[index]``: the function of one name an unpacking binds (``source``)."""
        name = self.version(source, cell, stmt)
        self.bind(GraphName(name, Kind.TENSOR, cell.index, stmt, params=params, deps=frozenset(deps)), cell, stmt,
                  source)
        return emit.tensor_function(name, self.signature(params), f"{body}[{index}]",
                                    self.conversions(params, direct), self.tf)

    def runs_graph(self, value: ast.expr) -> bool:
        """Whether ``value`` runs the graph: itself, or through a notebook function that does."""
        return _contains_fetch_site(value) or any(
            isinstance(n, ast.Call) and self.user_function(n) and _contains_fetch_site(self.functions[n.func.id])
            for n in ast.walk(value))

    def user_function(self, call: ast.Call) -> bool:
        """A call of one of the notebook's own functions (not one that makes variables)."""
        return isinstance(call.func, ast.Name) and call.func.id in self.functions and self.kind(call.func.id) is None

    @property
    def reads(self) -> dict[str, list[int]]:
        """The ids of every ``Name`` load in the notebook, by name, and under ``None`` the initial values given to
        ``tf.Variable``; walked once, at the first question."""
        if self._reads is None:
            self._reads = {None: []}
            for cell in self.cells:
                for node in ast.walk(cell.tree) if cell.tree is not None else ():
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                        self._reads.setdefault(node.id, []).append(id(node))
                    elif isinstance(node, ast.Call) and cell.api.get(id(node)) in VARIABLE:
                        self._reads[None].append(id(_argument(node, "initial_value", 0)))
        return self._reads

    def is_read(self, name: str) -> bool:
        """Whether any cell reads ``name``."""
        return bool(self.reads.get(name))

    def only_initial_value(self, name: str) -> bool:
        """Whether every read of ``name`` (bound once) is the initial value of a ``tf.Variable``: TF1 evaluated such
        a random tensor once, when the initializer ran, and an eager value is the same."""
        reads = self.reads.get(name)
        return self.bindings.get(name) == 1 and bool(reads) and set(reads) <= set(self.reads[None])

    def variable_container(self, cell: CellSource, name: str, value: ast.expr, stmt: ast.stmt) -> bool:
        """``weights = {"h1": tf.Variable(...), ...}`` (or a list): variables created once, eagerly, as in TF1."""
        if isinstance(value, ast.Dict):
            if not value.keys or any(k is None or not isinstance(k, ast.Constant) for k in value.keys):
                return False
            elements = value.values
        elif isinstance(value, (ast.List, ast.Tuple)) and value.elts:
            elements = value.elts
        else:
            return False
        if isinstance(value, (ast.List, ast.Tuple)) and all(self.variable_text(e) for e in elements):
            # ``gen_vars = [weights["h1"], b1]``: another name for variables made before, listed where they were
            self.bind(GraphName(name, Kind.VARIABLES, cell.index, stmt, alias=True), cell, stmt)
            self.containers[name] = ""
            stmt._lift_done = True
            return True
        for element in elements:
            api = cell.api.get(id(element)) if isinstance(element, ast.Call) else None
            factory = isinstance(element, ast.Call) and isinstance(element.func, ast.Name) \
                and self.kind(element.func.id) is Kind.FACTORY
            if api not in VARIABLE | {"get_variable"} and not factory:
                return False
        for element in elements:
            api = cell.api.get(id(element))
            trainable = _argument(element, "trainable", {"Variable": 1, "get_variable": 5}.get(api))
            if trainable is not None:
                raise NotLiftable("a variable in a container sets `trainable`", cell.index, element)
            if api == "get_variable":
                text, _ = self.get_variable_text(cell, element)
                start, end = cell.span(element)
                self.plans[cell.index].edits.append((start, end, text))
                self.note(cell, "TFM200", element, "`tf.get_variable` becomes a `tf.Variable` made from its "
                                                   "initializer")
            else:
                self.check_plain(cell, element)
        self.bind(GraphName(name, Kind.VARIABLES, cell.index, stmt), cell, stmt)
        self.containers[name] = "values()" if isinstance(value, ast.Dict) else ""
        stmt._lift_done = True
        return True

    def variable_text(self, node: ast.expr) -> str | None:
        """``w`` or ``weights["h1"]`` naming a variable made before (a container's member by a literal key)."""
        if isinstance(node, ast.Name) and self.kind(node.id) is Kind.VARIABLE:
            return node.id
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and self.kind(node.value.id) is Kind.VARIABLES and isinstance(node.slice, ast.Constant):
            return f"{node.value.id}[{node.slice.value!r}]"
        return None

    def variables_given(self, cell: CellSource, node: ast.expr) -> tuple[str, ...]:
        """A ``var_list``: a literal list of variables, a container of them, or a dict's ``.values()``."""
        if isinstance(node, (ast.List, ast.Tuple)) and all(self.variable_text(e) for e in node.elts):
            return tuple(self.variable_text(e) for e in node.elts)
        if isinstance(node, ast.Name) and self.kind(node.id) is Kind.VARIABLES:
            return (self.members(self.names[node.id]),)
        if isinstance(node, ast.Name) and self.kind(node.id) is Kind.SCOPE_VARIABLES:
            return self.names[node.id].variables
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "values" \
                and not node.args and isinstance(node.func.value, ast.Name) \
                and self.containers.get(node.func.value.id) == "values()":
            return (self.members(self.names[node.func.value.id]),)
        raise NotLiftable("`var_list` is not a list or container of the graph's variables", cell.index, node)

    def members(self, graph: GraphName, trainable_only: bool = True) -> str:
        """How a variable, a container of them or a layer is spelled in a list of variables."""
        if graph.kind is Kind.VARIABLE:
            return graph.name
        if graph.kind is Kind.VARIABLES:
            suffix = self.containers[graph.name]
            return f"*{graph.name}.{suffix}" if suffix else f"*{graph.name}"
        return f"*{graph.name}.{'trainable_variables' if trainable_only else 'variables'}"

    def function_reads(self, name: str, seen: set[str] | None = None) -> set[str]:
        """Graph names a module-level function reads from the notebook, through the functions it calls."""
        seen = set() if seen is None else seen
        if name in seen or name not in self.functions:
            return set()
        seen.add(name)
        function = self.functions[name]
        local = function_locals(function)
        found = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
                if node.id in self.functions:
                    found |= self.function_reads(node.id, seen)
                elif node.id in self.names:
                    found.add(node.id)
        return found

    def user_function_deps(self, cell: CellSource, call: ast.Call, edits: list) -> set[str]:
        """A call of a notebook function: the variables its body reads are the tensor's too (a train step must
        update them); a placeholder or tensor it reads from the notebook makes it a closure (``closures.py``)."""
        deps = set()
        reads = sorted(self.function_reads(call.func.id))  # sorted: the same reason at every run
        if any(self.kind(read) in (Kind.TENSOR, Kind.PLACEHOLDER) for read in reads):
            deps |= self.closure_call(cell, call, edits)
        for read in reads:
            graph = self.names[read]
            if graph.kind in (Kind.VARIABLE, Kind.VARIABLES, Kind.STATIC, Kind.LAYER):
                deps.add(graph.name)
            elif graph.kind not in (Kind.FACTORY, Kind.TENSOR, Kind.PLACEHOLDER):
                raise NotLiftable(f"`{call.func.id}` reads `{read}` ({graph.kind.value}) from the notebook, which is "
                                  "a function's parameter after lifting", cell.index, call)
        return deps

    def feed_dict(self, cell: CellSource, name: str, value: ast.expr, stmt: ast.stmt,
                  local: tuple[str | None, str] | None = None) -> bool:
        """``feed = {x: data, y: labels}``: the same dict keyed by parameter name, read by the graph runs it feeds.
        ``local``: (function, name) of a function's local name."""
        if not isinstance(value, ast.Dict) or not value.keys or not all(
                isinstance(k, ast.Name) and self.kind(k.id) is Kind.PLACEHOLDER for k in value.keys):
            return False
        keys = tuple(k.id for k in value.keys)
        if len(set(keys)) != len(keys):
            raise NotLiftable("a placeholder is fed twice in one feed dict", cell.index, value)
        known = self.names.get(name) if local is None else self.local_feeds.get(local)
        if isinstance(known, tuple) and set(known) != set(keys):
            raise NotLiftable(f"`{name}` feeds other placeholders in another place of the same function", cell.index,
                              stmt)
        if isinstance(known, GraphName) and not (known.kind is Kind.FEED and set(known.feeds) == set(keys)):
            raise NotLiftable(f"`{name}` is bound again after it was defined as a {known.kind.value}", cell.index, stmt)
        for element in value.values:
            self.runtime_expr(cell, element, set())
            if _contains_fetch_site(element):
                raise NotLiftable("a feed value runs the graph itself", cell.index, element)
        if local is not None:
            self.local_feeds[local] = keys
        elif known is None:
            self.bind(GraphName(name, Kind.FEED, cell.index, stmt, feeds=keys), cell, stmt)
        plan = self.plans[cell.index]
        for key in value.keys:
            start, end = cell.span(key)
            plan.edits.append((start, end, repr(key.id)))
        self.note(cell, "TFM100", value, f"the feed dict `{name}` is keyed by parameter name")
        stmt._lift_done = True
        return True

    def written(self, cell: CellSource, node: ast.expr) -> tuple[set[str], str, bool, set[str]]:
        """:meth:`expression` of ``node``, with its text made eager: (graph names read, text, whether it draws
        random numbers, placeholders read directly)."""
        deps, edits, random, direct = self.expression(cell, node)
        start, _ = cell.span(node)
        return deps, emit.relative(cell.segment(node), start, edits), random, direct

    def conversions(self, params: tuple[str, ...], direct: set[str]) -> list[tuple[str, str]]:
        """(parameter, dtype) for each placeholder a function reads directly: the session converted its feed."""
        return [(p, self.names[p].dtype) for p in params if p in direct and self.names[p].dtype is not None]

    def expression(self, cell: CellSource, value: ast.expr, inline_feeds: dict[str, str] | None = None,
                   owner: str | None = None, constructors: list[str] | None = None):
        """(graph names read, edits that make the text eager, whether it draws random numbers, placeholders
        read directly) for a tensor expression. With ``inline_feeds`` (a graph run's fetch written in place),
        a placeholder read directly becomes its fed value and a tensor becomes a call with the run's feeds.
        ``owner`` is the tensor being defined: its ``tf.layers`` calls become layer objects named after it, whose
        construction is appended to ``constructors``."""
        deps: set[str] = set()
        edits: list[tuple[int, int, str]] = []
        random = False
        direct: set[str] = set()
        module_calls = [n for n, local in _walk_loads(value) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                        and not local(n.func.id) and self.kind(n.func.id) is Kind.MODEL_FUNCTION] \
            if self.model_classes else []
        skipped = {id(n.func) for n in module_calls}
        for node, local in _walk_loads(value):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Call):
                api = cell.api.get(id(node))
                if api is None:
                    if isinstance(node.func, ast.Name) and not local(node.func.id) \
                            and self.kind(node.func.id) is Kind.FACTORY:
                        self.check_factory_call(cell, node)  # called on graph tensors: why it is not a class
                        raise NotLiftable("a variable is created inside a tensor expression", cell.index, node)
                    if isinstance(node.func, ast.Name) and not local(node.func.id):
                        read = self.user_function_deps(cell, node, edits)
                        deps |= read
                        # A placeholder a function reads is converted as the session converted its feed.
                        direct |= {d for d in read if self.kind(d) is Kind.PLACEHOLDER}
                    continue
                if api in layers.LAYERS:
                    if owner is None:
                        raise NotLiftable(f"`tf.{api}` is called where a graph is run", cell.index, node)
                    layer_name, layer_edits = self.layer(cell, api, node, owner, constructors)
                    deps.add(layer_name)
                    edits.extend(layer_edits)
                    continue
                listed = self.variable_list_api(cell, node)
                if listed in VARIABLE_LISTS:
                    start, end = cell.span(node)
                    edits.append((start, end, self.variables_list(cell, node, listed)))
                    continue
                if api in LOSS_GETTERS:
                    text, getter_deps = self.collection_sum(cell, node, inline_feeds)
                    start, end = cell.span(node)
                    edits.append((start, end, text))
                    deps |= getter_deps
                    continue
                reason = unsupported(api)
                if reason:
                    raise NotLiftable(reason, cell.index, node)
                if api in PLACEHOLDER | SESSIONS | INITIALIZERS | VARIABLE | {"placeholder_with_default",
                                                                            "get_variable"} \
                        or is_optimizer(api):
                    raise NotLiftable(f"`tf.{api}` is nested in an expression", cell.index, node)
                if _is_random(api):
                    random = True
                if api in ASSIGNS:
                    edits.extend(self.assign_edits(cell, node))
                if api == "nn.softmax_cross_entropy_with_logits_v2":
                    edits.extend(self.softmax_v2_edits(cell, node))
                continue
            if not isinstance(node, ast.Name) or local(node.id):
                continue
            kind = self.kind(node.id)
            if kind is None:
                continue
            if kind in (Kind.PLACEHOLDER, Kind.TENSOR, Kind.VARIABLE, Kind.STATIC, Kind.VARIABLES, Kind.DATASET):
                deps.add(self.names[node.id].name)
                if kind is Kind.PLACEHOLDER:
                    direct.add(node.id)
                start, end = cell.span(node)
                if kind is Kind.TENSOR:
                    arguments = None if inline_feeds is None else self.arguments(cell, self.names[node.id],
                                                                                 inline_feeds, node)
                    edits.append((start, end, emit.call(self.names[node.id], arguments)))
                elif kind is Kind.PLACEHOLDER and inline_feeds is not None:
                    edits.append((start, end, self.fed_value(cell, node, inline_feeds)))
            else:
                raise NotLiftable(f"`{node.id}` ({kind.value}) is used inside a tensor expression",
                                  cell.index, node)
        for node in ast.walk(value):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.attr in ("name", "op", "graph", "consumers") \
                    and self.kind(node.value.id) in (Kind.TENSOR, Kind.PLACEHOLDER):
                raise NotLiftable(f"`.{node.attr}` of a graph tensor has no eager meaning", cell.index, node)
        for call in module_calls:
            deps.add(self.module_call_edits(cell, call, edits))
            feeds = self.names[call.func.id].module.feeds
            deps |= {self.names[feed].name for feed in feeds}
            direct |= set(feeds)
        return deps, edits, random, direct

    def layer(self, cell: CellSource, api: str, call: ast.Call, owner: str, lines: list[str]) -> tuple[str, list]:
        """A ``tf.layers`` call in ``owner``'s definition: a layer object created once, called in its place."""
        read = layers.read_call(api, call, cell.segment, self.tf)
        if isinstance(read, str):
            raise NotLiftable(read, cell.index, call)
        for argument in layers.constructor_arguments(read, call):
            self.check_plain(cell, argument)
        for keyword, value, _ in read.call_keywords:
            if value is not None and not (isinstance(value, ast.Constant) or isinstance(value, ast.Name) and (
                    self.kind(value.id) in (Kind.PLACEHOLDER, None))):
                raise NotLiftable(f"`{keyword}=` of `tf.{api}` is computed in the graph", cell.index, value)
        name = self.fresh(f"{owner}_{read.keras_class.lower()}")  # hidden1_dense
        self.names[name] = GraphName(name, Kind.LAYER, cell.index, call,
                                     trainable=read.keras_class not in layers.VARIABLE_FREE)
        name_node = layers.arguments_by_name(api, call).get("name")
        if read.keras_class not in layers.VARIABLE_FREE:
            layer_name = self.graph_name(name_node, True)
            self.unnamed_layers += layer_name is None
            for tf1_name, attribute in layers.variable_names(api, layer_name):
                self.register_variable_name(tf1_name, f"{name}.{attribute}")
        if read.regularized:
            self.regularized.append(name)
        if read.helper is not None:
            lines += self.batch_norm_definitions(cell, call)
            self.batch_norm_layers.append((name, self.graph_name(name_node, False)))
            self.note(cell, "TFM240", call, f"`tf.{api}` becomes `{name}`, a layer with TF1's numbers whose averages "
                                            "move in the train steps that ran its update ops")
        lines.append(f"{name} = {layers.constructor(self.tf, read)}")
        input_shape = self.shape_of(cell, read.inputs)
        if read.keras_class not in layers.VARIABLE_FREE and input_shape and input_shape[-1] is not None:
            # Built here, its variables are drawn where TF1 drew them (see shapes.py).
            lines.append(f"{name}.build({shapes.text(input_shape)})")
            self.built_layers.add(name)
        elif read.keras_class not in layers.VARIABLE_FREE:
            # The source does not show the input's shape; tracing finds the one TF1 knew (static_values.py).
            traced = self.traced_shape(cell, read.inputs)
            if traced is not None:
                lines.append(f"{traced[0]}{name}.build({traced[1]})")
                self.built_layers.add(name)
        call_start, call_end = cell.span(call)
        inputs_start, inputs_end = cell.span(read.inputs)
        tail = "".join(f", {k}={cell.segment(v) if v is not None else text}"
                       for k, v, text in read.call_keywords) + ")"
        return name, [(call_start, inputs_start, f"{name}("), (inputs_end, call_end, tail)]

    def shape_of(self, cell: CellSource, node: ast.expr) -> tuple | None:
        if isinstance(node, ast.Name):
            graph = self.names.get(node.id)
            return self.shapes.get(graph.name if graph is not None else node.id)
        state = self.state_shape(node)
        if state is not None:
            return state
        if isinstance(node, ast.BinOp) and isinstance(node.right, ast.Constant):
            return self.shape_of(cell, node.left)
        if not isinstance(node, ast.Call):
            return None
        api = cell.api.get(id(node))
        if api in shapes.ELEMENTWISE and node.args:
            return self.shape_of(cell, node.args[0])
        if api in layers.LAYERS:
            read = layers.read_call(api, node, cell.segment, self.tf)
            if isinstance(read, str):
                return None
            return shapes.layer_output(read.keras_class, layers.arguments_by_name(api, node),
                                       self.shape_of(cell, read.inputs))
        return None

    def softmax_v2_edits(self, cell: CellSource, call: ast.Call) -> list[tuple[int, int, str]]:
        """``softmax_cross_entropy_with_logits_v2(labels=y_, ...)`` with fed labels: TF 2's namesake.

        The engine reads ``tf.nn.softmax_cross_entropy_with_logits`` as TF1's function, which stopped the labels'
        gradient; fed labels have no gradient to stop, so ``tf.stop_gradient`` around them changes nothing and
        keeps the text a fixed point (TFM012 would add it on the next migration)."""
        labels = _argument(call, "labels", None)
        if call.args or not (isinstance(labels, ast.Name) and self.kind(labels.id) is Kind.PLACEHOLDER):
            return []
        func_start, func_end = cell.span(call.func)
        start, end = cell.span(labels)
        return [(func_start, func_end, f"{self.tf}.nn.softmax_cross_entropy_with_logits"),
                (start, start, f"{self.tf}.stop_gradient("), (end, end, ")")]

    def assign_edits(self, cell: CellSource, call: ast.Call) -> list[tuple[int, int, str]]:
        api = cell.api[id(call)]
        if len(call.args) != 2 or call.keywords or not isinstance(call.args[0], ast.Name) \
                or self.kind(call.args[0].id) is not Kind.VARIABLE:
            raise NotLiftable(f"`tf.{api}` is not `tf.{api}(variable, value)`", cell.index, call)
        target, value = call.args
        call_start, _ = cell.span(call)
        target_start, target_end = cell.span(target)
        value_start, _ = cell.span(value)
        return [(call_start, target_start, ""), (target_end, value_start, f".{ASSIGNS[api]}(")]

    # -- phase 2: where the graph runs --------------------------------------------------------------------
    def runtime_stmt(self, cell: CellSource, stmt: ast.stmt, shadow: frozenset[str] = frozenset()) -> None:
        if getattr(stmt, "_lift_done", False):
            return  # a definition, checked when it was read
        plan = self.plans[cell.index]
        if id(stmt) in self.scope_blocks:
            for child in stmt.body:
                self.runtime_stmt(cell, child, shadow)
            return
        if self.displays_graph_name(stmt, shadow):
            name = stmt.value.id
            what = "a placeholder of the TF1 graph, now a parameter of the functions that read it" \
                if self.kind(name) is Kind.PLACEHOLDER else \
                "a symbolic tensor of the TF1 graph: eager TF2 computes its values when its function is called"
            plan.replace[id(stmt)] = f"# `{name}` was {what}"
            self.note(cell, "TFM100", stmt, f"TF1 displayed the symbolic `{name}`; there is none to display in TF2")
            return
        if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Constant) and not stmt.test.value:
            for child in stmt.orelse:  # `if False:` keeps code that never runs (another library's version of a cell)
                self.runtime_stmt(cell, child, shadow)
            return
        if isinstance(stmt, ast.With) and not shadow:
            self.with_stmt(cell, stmt)
            return
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            dropped = self.drops(cell, stmt.value, shadow)
            if isinstance(dropped, str):
                plan.replace[id(stmt)] = dropped
                return
            if dropped:
                plan.delete.add(id(stmt))
                return
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and self.iterator_start(cell, stmt.value, shadow):
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            # A function's own feed dict is its own: another function may feed other placeholders under that name.
            target = stmt.targets[0].id
            local = (self.function_names[-1] if self.function_names else None, target) if target in shadow else None
            if self.feed_dict(cell, target, stmt.value, stmt, local):
                return
        for target in _targets(stmt) - shadow:
            # Setting an attribute or item of a plain value (`data.test.cls = ...`) changes the object, not the name.
            if target in self.names and not (self.kind(target) is Kind.STATIC and target not in _rebound(stmt)) \
                    and not self.retired(cell, target, stmt):
                raise NotLiftable(f"`{target}` is bound again after it was defined as a "
                                  f"{self.names[target].kind.value}", cell.index, stmt)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for expr in [*stmt.decorator_list, *stmt.args.defaults, *(d for d in stmt.args.kw_defaults if d)]:
                self.runtime_expr(cell, expr, shadow)
            inner = shadow | function_locals(stmt)
            self.repeating += 1  # a function may be called many times
            self.functions_around += 1
            self.function_names.append(stmt.name)
            for child in stmt.body:
                self.runtime_stmt(cell, child, inner)
            self.function_names.pop()
            self.repeating -= 1
            self.functions_around -= 1
            return
        if isinstance(stmt, ast.ClassDef):
            # Plain Python (a toy data generator) stays as it is; a class that touches TensorFlow or the graph
            # may hold graph state the lifting cannot follow.
            if any(isinstance(n, ast.Call) and id(n) in cell.api
                   or isinstance(n, ast.Name) and (n.id in self.names or n.id == self.tf) for n in ast.walk(stmt)):
                raise NotLiftable("a class that uses TensorFlow is defined in a notebook that builds a graph; lift "
                                  "it by hand", cell.index, stmt)
            return
        loop = isinstance(stmt, (ast.For, ast.AsyncFor, ast.While))
        self.repeating += loop
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.expr):
                self.runtime_expr(cell, child, set(shadow))
            elif isinstance(child, ast.stmt):
                self.runtime_stmt(cell, child, shadow)
            elif isinstance(child, ast.ExceptHandler):
                if child.type is not None:
                    self.runtime_expr(cell, child.type, set(shadow))
                for grandchild in child.body:
                    self.runtime_stmt(cell, grandchild, shadow)
            elif isinstance(child, ast.withitem):
                self.runtime_expr(cell, child.context_expr, set(shadow))
            elif isinstance(child, ast.AST):
                for grandchild in ast.iter_child_nodes(child):
                    if isinstance(grandchild, ast.expr):
                        self.runtime_expr(cell, grandchild, set(shadow))
                    elif isinstance(grandchild, ast.stmt):
                        self.runtime_stmt(cell, grandchild, shadow)
        self.repeating -= loop

    def retired(self, cell: CellSource, name: str, stmt: ast.stmt) -> bool:
        """``d = requests.get(url)`` after ``d`` was a tensor or placeholder that nothing else is built on: from here
        on the name is a plain value, and no lifted function reads it by name. Not in a loop, whose next round
        would read the graph name again."""
        graph = self.names[name]
        if not (isinstance(stmt, ast.Assign) and self.repeating == 0 and not self.functions_around
                and graph.kind in (Kind.TENSOR, Kind.PLACEHOLDER, Kind.STATIC)
                and not self.mentions_graph(cell, stmt.value)
                and not any(graph.name in other.deps for other in dict.values(self.names))):
            return False
        self.runtime_expr(cell, stmt.value, set())
        aliases = [source for source, key in self.names.aliases.items() if key == graph.name]
        for source in [graph.name, *aliases]:
            self.names.aliases.pop(source, None)
        dict.pop(self.names, graph.name)
        return True

    def with_stmt(self, cell: CellSource, stmt: ast.With) -> None:
        plan = self.plans[cell.index]
        items = self.session_items(cell, stmt)
        item = items[0] if len(items) == 1 else None
        expr = item.context_expr if item is not None else None
        api = cell.api.get(id(expr)) if isinstance(expr, ast.Call) else None
        is_session = api in SESSIONS
        as_default = (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
                      and expr.func.attr == "as_default" and isinstance(expr.func.value, ast.Name)
                      and self.kind(expr.func.value.id) is Kind.SESSION and not expr.args)
        if is_session or as_default:
            if is_session:
                target = item.optional_vars
                if target is not None and not isinstance(target, ast.Name):
                    raise NotLiftable("the session is bound to something other than a name", cell.index, stmt)
                if target is not None and target.id in self.names \
                        and self.names[target.id].kind is not Kind.SESSION:
                    raise NotLiftable(f"`{target.id}` is bound again as a session", cell.index, stmt)
                self.session(cell, target.id if target is not None else None, expr, stmt)
            if stmt.body[0].lineno == stmt.lineno:
                raise NotLiftable("the session block's body is on the `with` line", cell.index, stmt)
            plan.unwrap.add(id(stmt))
            for child in stmt.body:
                if isinstance(child, ast.Assign) and not getattr(child, "_lift_done", False) \
                        and self.mentions_graph(cell, child.value, only_definitions=True):
                    raise NotLiftable("the graph is built inside the session block", cell.index, child)
                self.runtime_stmt(cell, child)
            return
        for item in stmt.items:
            self.runtime_expr(cell, item.context_expr, shadow=set())
            if isinstance(item.context_expr, ast.Call):
                api = cell.api.get(id(item.context_expr))
                if api in SCOPES:
                    raise NotLiftable(f"`tf.{api}` is bound to a name, reuses variables or is not at the top "
                                      "level of a cell", cell.index, stmt)
                if api is not None and (unsupported(api) or api in SESSIONS):
                    raise NotLiftable(unsupported(api) or "nested sessions", cell.index, stmt)
        for child in stmt.body:
            self.runtime_stmt(cell, child)

    def drops(self, cell: CellSource, call: ast.Call, shadow: frozenset[str] = frozenset()) -> bool | str:
        """Statements that only ran an initializer, closed a session or configured the graph runtime: True, or
        what replaces them (the local variables' initializer resets the metrics)."""
        func = call.func
        api = cell.api.get(id(call))
        if api in DROPPED_CALLS:
            self.note(cell, "TFM101", call, f"`{cell.segment(func)}()` has no eager TF2 equivalent")
            return True
        symbolic = [isinstance(a, ast.Name) and a.id not in shadow
                    and self.kind(a.id) in (Kind.TENSOR, Kind.PLACEHOLDER, Kind.SUMMARY) for a in call.args]
        # `print(x)`, or `print_tf(x)` of a notebook function that only prints, with a label or two.
        printer = isinstance(func, ast.Name) and func.id not in shadow and (
            func.id == "print" and "print" not in self.functions or self.only_prints(self.functions.get(func.id)))
        if printer and any(symbolic) and not call.keywords \
                and all(s or isinstance(a, ast.Constant) for s, a in zip(symbolic, call.args)):
            self.note(cell, "TFM101", call, "TF1 printed the graph tensor's description; a lifted tensor is a "
                                            "function, with no value until it is called")
            return True
        if not isinstance(func, ast.Attribute):
            return False
        owner = func.value
        owner_kind = self.kind(owner.id) if isinstance(owner, ast.Name) and owner.id not in shadow else None
        owner_api = cell.api.get(id(owner)) if isinstance(owner, ast.Call) else None
        if func.attr == "close" and owner_kind is Kind.SESSION and not call.args:
            self.note(cell, "TFM101", call, "there is no session to close")
            return True
        if func.attr == "run" and (owner_kind is Kind.INITIALIZER or owner_api in INITIALIZERS):
            if owner_api is not None:
                self.check_plain(cell, owner)
            return self.run_initializers(cell, call, self.initializers(cell, owner) or [False])
        if func.attr == "run" and owner_kind is Kind.SESSION:
            fetches = _argument(call, "fetches", 0)
            parts = self.initializers(cell, fetches)
            if parts is not None:
                return self.run_initializers(cell, call, parts)
        return False

    def run_initializers(self, cell: CellSource, call: ast.Call, parts: list[bool]) -> str | bool:
        """A run of initializers (``parts``: whether each is the local variables' one): the metric resets that
        replace it, or True when it just goes."""
        resets = [self.initializer_run(cell, call, local) for local in parts]
        return "\n".join(r for r in resets if r) or True

    def initializers(self, cell: CellSource, node: ast.expr) -> list[bool] | None:
        """For each initializer ``node`` runs (a name bound to one, one made in place, a list or a `tf.group` of
        them), whether it is the local variables' one; None when ``node`` runs something else too."""
        if isinstance(node, ast.Name) and self.kind(node.id) is Kind.INITIALIZER:
            return self.initializer_parts.get(node.id, [False])
        if isinstance(node, ast.Call) and cell.api.get(id(node)) in INITIALIZERS:
            self.check_plain(cell, node)
            return [cell.api[id(node)] in LOCAL_INITIALIZERS]
        group = node.elts if isinstance(node, (ast.List, ast.Tuple)) else node.args \
            if isinstance(node, ast.Call) and cell.api.get(id(node)) == "group" and not node.keywords else None
        parts = [self.initializers(cell, member) for member in group or ()]
        return None if not parts or None in parts else [local for part in parts for local in part]

    def initializer_run(self, cell: CellSource, call: ast.Call, local: bool) -> str | None:
        """Running the initializer goes away; running it twice reset the variables in TF1 (a new session, or
        training again from the start), which eager variables created once cannot do. The local variables'
        initializer is not counted: TF1 made local variables for input epochs, which tf.data counts itself, and
        for tf.metrics, whose Keras metrics it resets (the text returned)."""
        if local:
            resets = self.metric_resets(cell, call)
            self.note(cell, "TFM340" if resets else "TFM101", call, "the metrics start again" if resets else
                      "there are no local variables to initialize in TF2")
            return resets
        self.initializer_runs += 1 + bool(self.repeating)
        here = (cell.index, call.lineno)
        trained = any(g.kind is Kind.TRAIN and (g.cell, g.stmt.lineno) < here for g in dict.values(self.names))
        # Refused after training, where a reset changes what follows. Without a train step the reset only undoes
        # assigns, which differ only if the variable is read again afterwards: a gap the closing notes record.
        if self.initializer_runs > 1 and trained and self.restored_right_after(cell, call):
            self.note(cell, "TFM101", call, "the next statement restores every variable, so initializing them again "
                                            "first changes nothing")
            return None
        if self.initializer_runs > 1 and trained:
            raise NotLiftable("the variables are initialized a second time (a new session, or a fresh start), "
                              "which resets them in TF1", cell.index, call)
        self.note(cell, "TFM101", call, "variables are initialized when they are created in TF2")

    def restored_right_after(self, cell: CellSource, call: ast.Call) -> bool:
        """Whether the statement after the one that runs the initializer (``sess.run(init)``) restores, with a saver
        of every variable, every variable the initializer made: TF1's "initialize, then restore" in a new session."""
        for node in ast.walk(cell.tree):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if not isinstance(block, list):
                    continue
                for stmt, after in zip(block, block[1:]):
                    if not (isinstance(stmt, ast.Expr) and stmt.value is call):
                        continue
                    restore = after.value if isinstance(after, (ast.Expr, ast.Assign)) else None
                    if not (isinstance(restore, ast.Call) and isinstance(restore.func, ast.Attribute)
                            and restore.func.attr == "restore" and isinstance(restore.func.value, ast.Name)
                            and restore.func.value.id in self.full_savers):
                        return False
                    saver = self.names[restore.func.value.id]
                    made = (saver.cell, saver.stmt.lineno)
                    # A variable made after the saver was initialized again but is not in the checkpoint.
                    return not any((g.cell, g.stmt.lineno) > made for g in dict.values(self.names)
                                   if g.kind in (Kind.VARIABLE, Kind.VARIABLES, Kind.LAYER, Kind.OPTIMIZER,
                                                 Kind.MODULE, Kind.TRAIN))
        return False

    def runtime_expr(self, cell: CellSource, node: ast.expr, shadow: set[str]) -> None:
        """Rewrite the graph runs in ``node``; refuse any other use of a rewritten graph name."""
        if isinstance(node, ast.Call):
            site = self.fetch_site(cell, node, shadow)
            if site:
                return
            api = self.variable_list_api(cell, node)
            if api in VARIABLE_LISTS:
                start, end = cell.span(node)
                self.plans[cell.index].edits.append((start, end, self.variables_list(cell, node, api)))
                self.note(cell, "TFM100", node, f"`tf.{api}` lists the variables the lifted notebook made")
                return
            if api is not None:
                reason = unsupported(api)
                if reason:
                    raise NotLiftable(reason, cell.index, node)
                if api in PLACEHOLDER | SESSIONS | INITIALIZERS | {"get_variable"} or is_optimizer(api) \
                        or api in TRIGGERS:
                    raise NotLiftable(f"`tf.{api}` is used where the lifting cannot follow it", cell.index, node)
        if isinstance(node, ast.Name) and node.id not in shadow and isinstance(node.ctx, ast.Load):
            kind = self.kind(node.id)
            # A tensor given to a helper that runs it, or read by a function that gets its placeholders.
            if kind in REWRITTEN and id(node) not in self.passed_arguments | self.closure_reads:
                raise NotLiftable(f"`{node.id}` ({kind.value}) is used outside graph construction and "
                                  "`Session.run`, e.g. stored or passed along", cell.index, node)
            return
        if isinstance(node, ast.Lambda):
            inner = shadow | argument_names(node.args)
            self.runtime_expr(cell, node.body, inner)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            inner = set(shadow)
            for generator in node.generators:
                inner |= _store_names(generator.target)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.runtime_expr(cell, child, inner)
                elif isinstance(child, ast.comprehension):
                    for part in (child.iter, *child.ifs):
                        self.runtime_expr(cell, part, inner)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.runtime_expr(cell, child, shadow)
            elif isinstance(child, ast.keyword):
                self.runtime_expr(cell, child.value, shadow)
            elif isinstance(child, ast.comprehension):
                self.runtime_expr(cell, child.iter, shadow)


    # -- helpers -----------------------------------------------------------------------------------------------
    def bind(self, graph: GraphName, cell: CellSource, stmt: ast.stmt, source: str | None = None) -> None:
        if source is not None and source != graph.name:
            self.names.aliases[source] = graph.name
        elif graph.name in self.names and not self.taken_over(graph, cell, stmt):
            raise NotLiftable(f"`{graph.name}` is bound twice in the graph; the lifting needs one definition "
                              "per name", cell.index, stmt)
        dict.__setitem__(self.names, graph.name, graph)

    def taken_over(self, graph: GraphName, cell: CellSource, stmt: ast.stmt) -> bool:
        """``a = tf.placeholder(tf.int16)`` after ``a = tf.constant(2)`` was run (the TF1 examples' first notebook):
        the placeholder becomes a parameter and its statement goes, so the Python name keeps the earlier value,
        which the runs before the placeholder read. Only when nothing was built on the earlier value."""
        earlier = self.names[graph.name]
        if graph.kind is not Kind.PLACEHOLDER or earlier.kind not in (Kind.STATIC, Kind.TENSOR) \
                or any(earlier.name in other.deps for other in dict.values(self.names)):
            return False
        self.names.earlier.setdefault(graph.name, []).append(((cell.index, stmt.lineno), earlier))
        dict.pop(self.names, earlier.name)
        self.names.aliases.pop(graph.name, None)
        return True

    def version(self, name: str, cell: CellSource, stmt: ast.stmt) -> str:
        """The function name of this definition of tensor ``name``: ``name_1``, ``name_2``, ..., then ``name``."""
        count = self.bindings.get(name, 1)
        if count == 1:
            return name
        known = self.names.get(name)
        if known is not None and known.kind is not Kind.TENSOR:
            raise NotLiftable(f"`{name}` is bound again after it was defined as a {known.kind.value}", cell.index,
                              stmt)
        self.versions[name] = self.versions.get(name, 0) + 1
        self.last_definition[name] = (cell.index, stmt.lineno)
        if self.versions[name] == count:
            self.names.aliases.pop(name, None)
            return name
        return self.fresh(f"{name}_{self.versions[name]}")

    def kind(self, name: str) -> Kind | None:
        graph = self.names.get(name)
        return graph.kind if graph is not None else None

    def ordered(self, params: set[str]) -> tuple[str, ...]:
        """Parameters in the order their placeholders were defined, those with a default last (Python's rule)."""
        params = self.with_whole_groups(params)
        return tuple(sorted((p for p in self.placeholder_order if p in params), key=lambda p: p in self.defaults))

    def signature(self, params: tuple[str, ...]) -> str:
        return ", ".join(f"{p}={self.defaults[p]}" if p in self.defaults else p for p in params)

    def untrainable(self, names) -> list[str]:
        """The variables made with ``trainable=False`` among ``names``, once each, in order: a step that
        differentiates them must have its tape watch them."""
        return [n for n in dict.fromkeys(names) if self.kind(n) is Kind.VARIABLE and not self.names[n].trainable]

    def reachable_variables(self, name: str) -> list[str]:
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self.names[current].deps)
        return [n for n, g in self.names.items() if g.kind in (Kind.VARIABLE, Kind.VARIABLES, Kind.LAYER, Kind.MODULE)
                and n in seen]

    def mentions_graph(self, cell: CellSource, value: ast.expr, only_definitions: bool = False) -> bool:
        for node, local in _walk_loads(value):
            if isinstance(node, ast.Call) and id(node) in cell.api and not cell.api[id(node)].startswith("python."):
                if not only_definitions:
                    return True
                api = cell.api[id(node)]
                if api in PLACEHOLDER | VARIABLE or is_optimizer(api):
                    return True
            if isinstance(node, ast.Name) and not local(node.id) and self.kind(node.id) in (
                    Kind.PLACEHOLDER, Kind.TENSOR) and not only_definitions:
                return True
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and not local(node.value.id) \
                    and self.kind(node.value.id) is Kind.VARIABLES and not only_definitions:
                return True
            # Arithmetic on graph constants and variables (``c = a * b + 1.0``) builds graph tensors too.
            if isinstance(node, (ast.BinOp, ast.UnaryOp)) and not only_definitions and any(
                    isinstance(operand, ast.Name) and not local(operand.id)
                    and self.kind(operand.id) in (Kind.STATIC, Kind.VARIABLE)
                    for operand in ast.iter_child_nodes(node)):
                return True
        if cell.cell is not None and not only_definitions:
            # TensorFlow's public API builds graph ops; its private modules (an event-file reader) do not.
            start, end = cell.span(value)
            return any(start <= ref.start < end for ref in cell.cell.refs
                       if ref.namespace in ("v1", "compat.v1") and not ref.api.startswith("python."))
        return False

    def check_plain(self, cell: CellSource, node: ast.expr) -> None:
        """Arguments evaluated once, eagerly: they may read variables and constants, not feeds or tensors."""
        for child, local in _walk_loads(node):
            if isinstance(child, ast.Name) and not local(child.id) and self.kind(child.id) in REWRITTEN:
                raise NotLiftable(f"`{child.id}` is used where it would be evaluated only once", cell.index, child)
            if isinstance(child, ast.Call):
                api = cell.api.get(id(child))
                if api is not None and unsupported(api):
                    raise NotLiftable(unsupported(api), cell.index, child)

    def fresh(self, base: str) -> str:
        name, n = base, 1
        while name in self.taken or name in self.names:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name

    def note(self, cell: CellSource, code: str, node: ast.AST, message: str) -> None:
        start, end = cell.span(node)
        self.plans[cell.index].notes.append((code, start, end, message))


# -- module helpers ----------------------------------------------------------------------------------------


def _is_minimize(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "minimize"


def _targets(stmt: ast.stmt) -> set[str]:
    names: set[str] = set()
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            names |= _store_names(target)
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        names |= _store_names(stmt.target)
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        names |= _store_names(stmt.target)
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(stmt.name)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        names |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
    elif isinstance(stmt, ast.With):
        for item in stmt.items:
            if item.optional_vars is not None:
                names |= _store_names(item.optional_vars)
    return names


def _rebound(stmt: ast.stmt) -> set[str]:
    """The names an assignment binds as names (``a, b = ...``), not those whose attributes or items it sets."""
    def bound(target: ast.AST) -> set[str]:
        if isinstance(target, ast.Name):
            return {target.id}
        if isinstance(target, (ast.Tuple, ast.List)):
            return {n for e in target.elts for n in bound(e)}
        return bound(target.value) if isinstance(target, ast.Starred) else set()
    if isinstance(stmt, ast.Assign):
        return {n for t in stmt.targets for n in bound(t)}
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        return bound(stmt.target)
    return _targets(stmt)


def _reuses_variables(cell: CellSource) -> bool:
    if "reuse" not in cell.text.lower():
        return False  # each form below spells it: a walk of the whole tree is not needed to know
    for node in ast.walk(cell.tree):
        if isinstance(node, ast.Call) and cell.api.get(id(node)) == "variable_scope" \
                and any(k.arg == "reuse" for k in node.keywords):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "reuse_variables":
            return True
    return cell.cell is not None and any(ref.api == "AUTO_REUSE" for ref in cell.cell.refs)


def _dtype_name(node: ast.expr) -> str | None:
    """``tf.float32`` or ``"float32"`` as a dtype's name."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _module_statements(body: list[ast.stmt]):
    """The statements at module level and in the blocks the lifting unwraps (``with``), in order."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.With):
            yield from _module_statements(stmt.body)


def _module_assignments(body: list[ast.stmt]):
    """Names bound by ``name = ...`` at module level, and in the blocks the lifting unwraps (``with``)."""
    for stmt in _module_statements(body):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            yield stmt.targets[0].id
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            yield stmt.target.id


def _module_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


