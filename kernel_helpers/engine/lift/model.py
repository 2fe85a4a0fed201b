"""What the lifting knows about a notebook's TF1 graph: the names it binds and what each one is."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import Enum


class Kind(Enum):
    PLACEHOLDER = "placeholder"   # becomes a function parameter
    VARIABLE = "variable"         # created once, eagerly; stays as it is
    TENSOR = "tensor"             # depends on a feed, a variable or randomness: becomes a function
    STATIC = "static"             # a constant computation: stays an eager value
    OPTIMIZER = "optimizer"       # becomes a Keras optimizer
    TRAIN = "train"               # ``opt.minimize(loss)``: becomes a train-step function
    INITIALIZER = "initializer"   # goes away
    SESSION = "session"           # goes away
    FACTORY = "factory"           # a user function that creates variables (``weight_variable(shape)``)
    VARIABLES = "variables"       # ``{"h1": tf.Variable(...), ...}`` or a list of them: created once, stays
    LAYER = "layer"               # a Keras layer object made from a ``tf.layers.*`` call, created once
    SUMMARY = "summary"           # a (merged) summary op: a function returning (kind, tag, value) triples
    WRITER = "summary writer"     # ``tf.summary.FileWriter``: ``tf.summary.create_file_writer``
    GRAPH = "graph"               # ``tf.Graph()``: there is one eager context; its ``as_default`` blocks unwrap
    SAVER = "saver"               # ``tf.train.Saver``: becomes a ``tf.train.Checkpoint`` of the lifted state
    FEED = "feed dict"            # ``{x: data, y: labels}`` bound to a name: keyed by parameter name instead
    DATASET = "dataset"           # a ``tf.data`` pipeline that reads no feed: an eager dataset, kept as it is
    ITERATOR = "iterator"         # a dataset iterator: ``iter(dataset)``, started where TF1 initialized it
    ITERATOR_START = "iterator initializer"  # ``iterator.make_initializer(dataset)``: running it starts the iterator
    MODEL_FUNCTION = "model function"  # makes variables with ``tf.get_variable``: becomes a ``tf.Module`` class
    MODULE = "module"             # the instance of a model function's class made for one variable scope
    GRADIENTS = "gradient value"  # computed from a loss's gradients before they are applied: inside the train step
    READER = "queue reader"       # ``tf.TextLineReader()`` and the like: its ``read`` becomes a dataset of records
    UPDATE_OPS = "update ops"     # ``tf.get_collection(UPDATE_OPS)``: batch normalization layers a train step updates
    SCOPE_VARIABLES = "variables of a scope"  # ``tf.get_collection(TRAINABLE_VARIABLES, scope)``: read in the step
    LOOKUP = "variable lookup"    # returns ``get_variable(name)`` under ``variable_scope(param, reuse=True)``: each
                                  # call becomes the variable


#: kinds whose name means something else after lifting, so every use of it must be one the lifting rewrites
REWRITTEN = frozenset({Kind.PLACEHOLDER, Kind.TENSOR, Kind.OPTIMIZER, Kind.TRAIN, Kind.INITIALIZER,
                       Kind.SESSION, Kind.FEED, Kind.SAVER, Kind.SUMMARY, Kind.WRITER, Kind.GRAPH,
                       Kind.ITERATOR, Kind.ITERATOR_START, Kind.MODEL_FUNCTION, Kind.GRADIENTS,
                       Kind.READER, Kind.UPDATE_OPS, Kind.SCOPE_VARIABLES, Kind.LOOKUP})


@dataclass
class GraphName:
    name: str
    kind: Kind
    cell: int
    stmt: ast.stmt
    #: placeholders this name depends on, in the order they were defined (the function's parameters)
    params: tuple[str, ...] = ()
    #: graph names the definition reads directly
    deps: frozenset[str] = frozenset()
    #: placeholder dtype, as the source spells it
    dtype: str | None = None
    trainable: bool = True
    #: for TRAIN: the loss tensor's name, the optimizer's name, the variables the step updates (for a MODULE:
    #: its variables, in the order TF1 made them)
    loss: str | None = None
    optimizer: str | None = None
    variables: tuple[str, ...] = ()
    #: for TENSOR: the expression that defines it; for ITERATOR and ITERATOR_START: the dataset
    definition: ast.expr | None = None
    #: for FEED: the placeholders it feeds, in the order its keys are written; for an iterator's element: all the
    #: elements of its ``get_next()``, in order
    feeds: tuple[str, ...] = ()
    #: for an iterator's element (a PLACEHOLDER) and an ITERATOR_START: the iterator's name
    iterator: str | None = None
    #: for a TENSOR: it is a dataset made from feeds
    dataset: bool = False
    #: for a TENSOR: its value is a structure of tensors (an RNN's state, ``static_rnn``'s list of outputs), which a
    #: run returns as the same structure of arrays
    structured: bool = False
    #: for a MODEL_FUNCTION and a MODULE: what ``modules.py`` read of the function
    module: object = None
    #: for a VARIABLE: another name for a module's variable (listed with its module, not again)
    alias: bool = False
    #: for GRADIENTS and the TRAIN step that applies them: what ``gradients.py`` read of the pipeline
    pipeline: object = None
    #: for TRAIN: the global step it increments and the update ops it enters (``batch_norm.py``), if any
    global_step: str | None = None
    update_ops: str | None = None
    #: for TRAIN: a run of it returns the loss (slim's ``create_train_op``), not None
    returns_loss: bool = False


class NotLiftable(Exception):
    """The lifting cannot be proven safe; ``node`` in cell ``cell`` is why."""

    def __init__(self, reason: str, cell: int | None = None, node: ast.AST | None = None):
        super().__init__(reason)
        self.reason = reason
        self.cell = cell
        self.node = node


@dataclass
class CellPlan:
    """Edits the lifting makes to one cell, before layout turns them into text."""

    #: top-level statements replaced by new text
    replace: dict[int, str] = field(default_factory=dict)
    #: statements (any depth) that go away, by id
    delete: set[int] = field(default_factory=set)
    #: ``with tf.Session() as sess:`` statements whose body takes their place, by id
    unwrap: set[int] = field(default_factory=set)
    #: (start, end, replacement) edits of expressions inside kept statements
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    #: (code, start, end, message) of what was lifted, for findings
    notes: list[tuple[str, int, int, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.replace or self.delete or self.unwrap or self.edits)
