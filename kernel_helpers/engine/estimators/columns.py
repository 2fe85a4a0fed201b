"""TF1 feature columns as Keras inputs (where they are defined) and preprocessing layers (in the model).

A column's definition becomes the ``tf.keras.Input`` of the raw feature it reads, named by its key, so a
list of columns becomes a list of inputs and the model takes ``{input.name: input}``. How a column encodes
its feature (one-hot of a vocabulary, buckets) is emitted where the model is built, in the order TF1
concatenated dense columns: sorted by column name (``feature_column.input_layer`` and ``linear_model`` sort
their columns by ``column.name``; an indicator column is named ``<key>_indicator``, a bucketized one
``<key>_bucketized``).
"""

from __future__ import annotations

import ast

from ..lift.syntax import is_none
from .model import Cell, Column, ColumnList, Refused

NUMERIC = "feature_column.numeric_column"
VOCABULARY = "feature_column.categorical_column_with_vocabulary_list"
IDENTITY = "feature_column.categorical_column_with_identity"
INDICATOR = "feature_column.indicator_column"
BUCKETIZED = "feature_column.bucketized_column"
SUPPORTED = {NUMERIC, VOCABULARY, IDENTITY, INDICATOR, BUCKETIZED}

PARAMS = {
    NUMERIC: ("key", "shape", "default_value", "dtype", "normalizer_fn"),
    VOCABULARY: ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"),
    IDENTITY: ("key", "num_buckets", "default_value"),
    INDICATOR: ("categorical_column",),
    BUCKETIZED: ("source_column", "boundaries"),
}

WHY_NOT = {
    "feature_column.embedding_column": "an embedding column needs a Keras `Embedding` whose initializer "
                                       "(truncated normal, stddev 1/sqrt(dimension)) and combiner must be chosen",
    "feature_column.crossed_column": "a crossed column hashes feature crosses with TF1's fingerprint, which "
                                     "Keras' `HashedCrossing` does not reproduce",
    "feature_column.categorical_column_with_hash_bucket": "TF1 hashes with its own fingerprint; Keras' "
                                                          "`Hashing` layer puts values in other buckets",
    "feature_column.weighted_categorical_column": "weighted categorical columns have no Keras layer",
    "feature_column.categorical_column_with_vocabulary_file": "the vocabulary file's format and OOV handling "
                                                              "need checking by hand",
}


def arguments(cell: Cell, call: ast.Call, params: tuple[str, ...]) -> dict[str, ast.expr]:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise Refused("the call unpacks its arguments with * or **", cell.index, call)
    if len(call.args) > len(params):
        raise Refused("the call has more positional arguments than TF1 accepted", cell.index, call)
    given = dict(zip(params, call.args))
    for keyword in call.keywords:
        if keyword.arg not in params:
            raise Refused(f"the `{keyword.arg}` argument is not one the rewrite knows", cell.index, call)
        given[keyword.arg] = keyword.value
    return given


class Columns:
    """Reads feature column expressions; ``variables`` are the names bound to columns or lists of them."""

    def __init__(self, tf: str, consume):
        self.tf = tf
        self.consume = consume
        #: name -> Column (a single column) or ColumnList
        self.variables: dict[str, Column | ColumnList] = {}

    # -- recognising --------------------------------------------------------------------------------------
    def is_column_expr(self, cell: Cell, node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            return (cell.api_of(node) or "").startswith("feature_column.")
        if isinstance(node, ast.Name):
            return node.id in self.variables
        if isinstance(node, (ast.List, ast.Tuple)):
            return bool(node.elts) and all(self.is_column_expr(cell, e) for e in node.elts)
        if isinstance(node, ast.ListComp):
            return self.is_column_expr(cell, node.elt)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.is_column_expr(cell, node.left) and self.is_column_expr(cell, node.right)
        return False

    # -- one column -----------------------------------------------------------------------------------
    def column(self, cell: Cell, node: ast.expr, in_comprehension: bool = False) -> Column:
        if isinstance(node, ast.Name):
            bound = self.variables.get(node.id)
            if not isinstance(bound, Column):
                raise Refused(f"`{node.id}` is not a feature column the rewrite read", cell.index, node)
            self.consume(cell, node)
            return Column(bound.kind, bound.key_text, bound.key, node.id, bound.inner, bound.values, bound.dtype,
                          bound.oov)
        api = cell.api_of(node) if isinstance(node, ast.Call) else None
        if api is None or not api.startswith("feature_column."):
            raise Refused("this feature column is not built by a `tf.feature_column` call the rewrite follows",
                          cell.index, node)
        if api not in SUPPORTED:
            reason = WHY_NOT.get(api, "it has no one-to-one Keras preprocessing layer")
            raise Refused(f"`tf.{api}` is not rewritten: {reason}", cell.index, node)
        self.consume(cell, node.func)
        given = arguments(cell, node, PARAMS[api])
        if api == NUMERIC:
            return self.numeric(cell, node, given)
        if api in (VOCABULARY, IDENTITY):
            return self.categorical(cell, node, api, given)
        if api == INDICATOR:
            inner = self.column(cell, _required(cell, node, given, "categorical_column"), in_comprehension)
            if inner.kind not in ("vocabulary", "identity"):
                raise Refused("`indicator_column` wraps a column that is not categorical", cell.index, node)
            return Column("indicator", inner.key_text, inner.key, inner.text, inner)
        inner = self.column(cell, _required(cell, node, given, "source_column"), in_comprehension)
        if inner.kind != "numeric" or inner.values != "(1,)":
            raise Refused("`bucketized_column` is rewritten only for a scalar `numeric_column`", cell.index, node)
        boundaries = _required(cell, node, given, "boundaries")
        return Column("bucketized", inner.key_text, inner.key, inner.text, inner, cell.segment(boundaries))

    def numeric(self, cell: Cell, node: ast.Call, given: dict) -> Column:
        key = _required(cell, node, given, "key")
        if not is_none(given.get("normalizer_fn")):
            raise Refused("`numeric_column(normalizer_fn=...)` runs arbitrary code on the feature; move it into "
                          "the input pipeline by hand", cell.index, node)
        shape = "(1,)"
        if "shape" in given:
            shape = _shape(cell, given["shape"])
        parts = [f"shape={shape}", f"name={cell.segment(key)}"]
        if "dtype" in given:
            parts.append(f"dtype={cell.segment(given['dtype'])}")
        text = f"{self.tf}.keras.Input({', '.join(parts)})"
        return Column("numeric", cell.segment(key), _literal_key(key), text, values=shape)

    def categorical(self, cell: Cell, node: ast.Call, api: str, given: dict) -> Column:
        key = _required(cell, node, given, "key")
        if api == IDENTITY:
            if not is_none(given.get("default_value")):
                raise Refused("`categorical_column_with_identity(default_value=...)` has no Keras equivalent",
                              cell.index, node)
            count = _required(cell, node, given, "num_buckets")
            text = f'{self.tf}.keras.Input(shape=(1,), name={cell.segment(key)}, dtype="int64")'
            return Column("identity", cell.segment(key), _literal_key(key), text, values=cell.segment(count),
                          dtype="int64")
        vocabulary = _required(cell, node, given, "vocabulary_list")
        default = given.get("default_value")
        if default is not None and not (isinstance(default, ast.UnaryOp) and isinstance(default.op, ast.USub)
                                        and isinstance(default.operand, ast.Constant) and default.operand.value == 1):
            raise Refused("a vocabulary column with a `default_value` has no Keras equivalent", cell.index, node)
        oov = 1
        if "num_oov_buckets" in given:
            buckets = given["num_oov_buckets"]
            if not (isinstance(buckets, ast.Constant) and isinstance(buckets.value, int)):
                raise Refused("`num_oov_buckets` is not an integer literal", cell.index, node)
            oov = max(1, buckets.value)
        dtype = _vocabulary_dtype(cell, vocabulary, given.get("dtype"))
        if dtype is None:
            raise Refused("the vocabulary's type (strings or integers) cannot be read from the code; give the "
                          "column a `dtype`", cell.index, node)
        text = f'{self.tf}.keras.Input(shape=(1,), name={cell.segment(key)}, dtype="{dtype}")'
        return Column("vocabulary", cell.segment(key), _literal_key(key), text, values=cell.segment(vocabulary),
                      dtype=dtype, oov=oov)

    # -- lists ------------------------------------------------------------------------------------------
    def column_list(self, cell: Cell, node: ast.expr) -> ColumnList:
        """The columns of a list expression; records the definition-site edits."""
        if isinstance(node, ast.Name):
            bound = self.variables.get(node.id)
            if bound is None:
                raise Refused(f"`{node.id}` is not a list of feature columns the rewrite read", cell.index, node)
            self.consume(cell, node)
            return bound if isinstance(bound, ColumnList) else ColumnList([bound])
        if isinstance(node, (ast.List, ast.Tuple)):
            out = ColumnList([])
            for element in node.elts:
                if isinstance(element, ast.Name) and isinstance(self.variables.get(element.id), ColumnList):
                    part = self.column_list(cell, element)
                    out.columns += part.columns
                    out.dynamic |= part.dynamic
                    continue
                out.columns.append(self.top_column(cell, element))
            return out
        if isinstance(node, ast.ListComp):
            column = self.top_column(cell, node.elt, in_comprehension=True)
            if not column.numeric:
                raise Refused("a comprehension builds columns that are not numeric: their vocabularies or "
                              "boundaries are only known when the notebook runs", cell.index, node)
            return ColumnList([column], dynamic=True)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.column_list(cell, node.left), self.column_list(cell, node.right)
            return ColumnList(left.columns + right.columns, left.dynamic or right.dynamic)
        raise Refused("the feature columns are not a list the rewrite can read", cell.index, node)

    def top_column(self, cell: Cell, node: ast.expr, in_comprehension: bool = False) -> Column:
        column = self.column(cell, node, in_comprehension)
        if isinstance(node, ast.Call):
            start, end = cell.span(node)
            cell.edits.append((start, end, column.text))
        return column

    def define(self, cell: Cell, name: str, value: ast.expr) -> None:
        """``name = <columns>`` at the top level of a cell."""
        if isinstance(value, ast.Call):
            column = self.top_column(cell, value)
            self.variables[name] = column
            what = f"the `{column.kind}` column" if column.kind != "numeric" else "the numeric column"
            cell.notes.append(("TFM602", *cell.span(value),
                               f"{what} becomes the Keras input of feature {column.key_text}; the model encodes it"))
        else:
            columns = self.column_list(cell, value)
            self.variables[name] = columns
            cell.notes.append(("TFM602", *cell.span(value),
                               f"`{name}` becomes a list of `tf.keras.Input`s, one per feature; "
                               "the Keras model built from it encodes and concatenates them as TF1 did"))


def encodings(tf: str, columns: ColumnList, inputs: str) -> list[tuple[str, str, list[str], str]]:
    """(TF1 column name, layer constructor, its arguments, the input it is called on), sorted as TF1 sorted
    them; a numeric column has no layer (empty constructor)."""
    out = {}
    for column in columns.columns:
        name = column.tf1_name
        if name is None:
            raise Refused("a categorical or bucketized column's key is not a string literal")
        base = column.inner if column.kind in ("indicator", "bucketized") else column
        read = f"{inputs}[{quote(base.key)}]"
        if column.kind == "numeric":
            out[name] = ("", [], read)
        elif column.kind == "bucketized":
            out[name] = (f"{tf}.keras.layers.Discretization", [f"bin_boundaries={column.values}",
                                                                 'output_mode="one_hot"'], read)
        elif base.kind == "identity":
            out[name] = (f"{tf}.keras.layers.CategoryEncoding", [f"num_tokens={base.values}",
                                                                 'output_mode="one_hot"'], read)
        else:
            layer = "StringLookup" if base.dtype == "string" else "IntegerLookup"
            out[name] = (f"{tf}.keras.layers.{layer}", [f"vocabulary={base.values}", f"num_oov_indices={base.oov}",
                                                        'output_mode="one_hot"'], read)
    return [(name, *out[name]) for name in sorted(out)]


def quote(text: str) -> str:
    """A double-quoted Python string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if text.isprintable() else repr(text)


def _required(cell: Cell, call: ast.Call, given: dict, name: str) -> ast.expr:
    if name not in given:
        raise Refused(f"the call is missing `{name}`", cell.index, call)
    return given[name]


def _literal_key(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _shape(cell: Cell, node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return f"({node.value},)"
    if isinstance(node, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Constant) and isinstance(e.value, int)
                                                      for e in node.elts):
        values = [str(e.value) for e in node.elts]
        return "(" + ", ".join(values) + ("," if len(values) == 1 else "") + ")"
    raise Refused("`numeric_column(shape=...)` is not a literal", cell.index, node)


def _vocabulary_dtype(cell: Cell, vocabulary: ast.expr, dtype: ast.expr | None) -> str | None:
    if dtype is not None and not is_none(dtype):
        api = cell.api_of(dtype) or ""
        if api == "string":
            return "string"
        if api in ("int64", "int32", "int16", "int8"):
            return "int64"
        return None
    if isinstance(vocabulary, (ast.List, ast.Tuple)) and vocabulary.elts \
            and all(isinstance(e, ast.Constant) for e in vocabulary.elts):
        values = [e.value for e in vocabulary.elts]
        if all(isinstance(v, str) for v in values):
            return "string"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return "int64"
    return None
