"""What the estimator rewrite knows: cells, refusals, feature columns and canned estimators."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..index import CellIndex
from ..lift.model import NotLiftable
from ..source import Source


class Refused(NotLiftable):
    """The notebook's estimator code cannot be proven to map onto Keras: nothing is rewritten."""


@dataclass
class Cell:
    index: int
    text: str
    source: Source
    tree: ast.Module | None
    refs: CellIndex | None
    masked_spans: tuple
    #: id(node) -> TF API name (namespace v1/compat.v1/v2), for references and for the calls they make
    api: dict = field(default_factory=dict)
    #: id(child) -> parent node
    parents: dict = field(default_factory=dict)
    #: (start, end, replacement) on the original text
    edits: list = field(default_factory=list)
    #: (code, start, end, message)
    notes: list = field(default_factory=list)

    def segment(self, node: ast.AST) -> str:
        return self.source.segment(node)

    def span(self, node: ast.AST) -> tuple[int, int]:
        return self.source.span(node)

    def api_of(self, node: ast.AST) -> str | None:
        return self.api.get(id(node))


@dataclass
class Column:
    """One TF1 feature column: the Keras input it reads and how the model site encodes it."""

    #: numeric, vocabulary, identity, indicator, bucketized
    kind: str
    #: the feature key as the source spells it, and its value when it is a string literal
    key_text: str
    key: str | None
    #: what the column expression becomes where it is defined (a ``tf.keras.Input`` or a name bound to one)
    text: str
    #: the column it wraps (indicator, bucketized)
    inner: Column | None = None
    #: vocabulary / boundaries / bucket count, as the source spells them
    values: str = ""
    #: "string" or "int64" for vocabulary columns
    dtype: str = ""
    #: out-of-vocabulary indices the Keras lookup reserves
    oov: int = 1

    @property
    def tf1_name(self) -> str | None:
        """The name TF1 sorts the column by (None when the key is not a literal)."""
        if self.kind == "indicator":
            return None if self.inner.key is None else f"{self.inner.key}_indicator"
        if self.kind == "bucketized":
            return None if self.inner.key is None else f"{self.inner.key}_bucketized"
        return self.key

    @property
    def dense(self) -> bool:
        """Whether a DNN accepts it (TF1 rejects categorical columns that are not wrapped)."""
        return self.kind in ("numeric", "indicator", "bucketized")

    @property
    def numeric(self) -> bool:
        return self.kind == "numeric"


@dataclass
class ColumnList:
    columns: list[Column]
    #: built by a comprehension, so the keys are only known when the notebook runs
    dynamic: bool = False


@dataclass
class Estimator:
    name: str
    api: str
    cell: int
    stmt: ast.Assign
    call: ast.Call
    #: feature columns as the Keras code refers to them, and what they are
    columns_text: str = ""
    columns: ColumnList | None = None
    arguments: dict = field(default_factory=dict)
    seed: str | None = None
    optimizer: str = ""
    notes: list = field(default_factory=list)
    uses_predict: bool = False
    uses_variables: bool = False
    #: a custom ``model_fn`` estimator: the Keras model it becomes (custom.CustomModel)
    custom: object = None

    @property
    def classifier(self) -> bool:
        return self.api.endswith("Classifier")

    @property
    def dnn(self) -> bool:
        return "DNN" in self.api

    @property
    def short(self) -> str:
        return self.api.rsplit(".", 1)[-1]
