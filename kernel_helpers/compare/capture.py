"""Capture the values a cell bound, on either side of a Compare, as numpy arrays.

The same conversion runs in the reference kernel (TF1 graph mode, values read through the TF1
runtime's live session) and in the user's kernel (eager tensors, ``tf.Variable``, Keras 3
variables).  Values travel from the reference kernel as an ``.npz`` file plus a JSON sidecar, so
nothing is pickled and a broken value on one name never loses the others.

Shared interface (also used by the magics, the widgets and ``tf2-migrate --verify``):

* :func:`bound_names` - the top-level names a cell assigns, in order;
* :func:`capture_code` - Python source that writes those names' values from inside a kernel;
* :func:`load_capture` - read what that code wrote;
* :func:`numbers_in` - the numbers printed in a cell's output.

Nothing here imports TensorFlow at module level: the conversion recognises TensorFlow objects by
their methods and imports the TF1 runtime's session helpers only for graph values.
"""

from __future__ import annotations

import ast
import json
import numbers
import os
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.masking import mask_magics

__all__ = [
    "Captured",
    "bound_names",
    "capture_code",
    "capture_values",
    "load_capture",
    "load_meta",
    "numbers_in",
    "write_capture",
]

# Kinds recorded for each name; "skipped" and "error" carry no value.
NUMBER = "number"
ARRAY = "array"
TENSOR = "tensor"
VARIABLE = "variable"
GRAPH_TENSOR = "graph_tensor"
GRAPH_VARIABLE = "graph_variable"
# A TF1 graph tensor that reads variables, evaluated after the cell: after training steps it is
# not the value the cell last computed (the eager side keeps that one).
RECOMPUTED = "recomputed"
SEQUENCE = "sequence"
SKIPPED = "skipped"
MISSING = "missing"
ERROR = "error"

# Reserved key of the JSON sidecar for data about the run itself (timing, random draws, device).
META_KEY = "__meta__"

# Nested lists/tuples/dicts are expanded into "name[0]", "name['a']" entries down to this depth;
# sess.run([a, b]) and sess.run({"a": a}) return such structures.
_MAX_DEPTH = 2
_MAX_ITEMS = 64


@dataclass(frozen=True)
class Captured:
    """One captured name: ``value`` is a numpy array (0-d for numbers) or None when skipped."""

    name: str
    value: np.ndarray | None
    kind: str
    note: str = ""

    @property
    def has_value(self) -> bool:
        return self.value is not None


# --------------------------------------------------------------------------------------------
# Names a cell binds


def bound_names(source: str) -> list[str]:
    """Top-level names that ``source`` assigns, first binding first.

    Assignments inside module-level ``if``/``for``/``while``/``with``/``try`` blocks count, because
    they bind module-level names too; function and class bodies do not.  Imports, ``def`` and
    ``class`` are left out, as are private names (leading underscore).  IPython syntax is masked
    first; a cell that is not Python (``%%bash``) or does not parse binds nothing.
    """
    masked = mask_magics(source)
    if masked.skip_reason is not None:
        return []
    try:
        tree = ast.parse(masked.text)
    except (SyntaxError, ValueError):
        return []
    collector = _BindingCollector()
    for statement in tree.body:
        collector.visit(statement)
    seen: dict[str, None] = {}
    for name in collector.names:
        if not name.startswith("_") and name not in collector.excluded:
            seen.setdefault(name, None)
    return list(seen)


class _BindingCollector(ast.NodeVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []
        # Names last bound to a module, function or class are not values worth comparing.
        self.excluded: set[str] = set()

    def _bind(self, name: str) -> None:
        self.names.append(name)
        self.excluded.discard(name)

    def _targets(self, target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._targets(element)
        elif isinstance(target, ast.Starred):
            self._targets(target.value)
        # Attribute and subscript targets mutate an object; they bind no new name.

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._targets(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self._targets(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self._targets(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._targets(node.target)

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self._targets(node.target)
        for statement in node.body + node.orelse:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._targets(item.optional_vars)
        for statement in node.body:
            self.visit(statement)

    visit_AsyncWith = visit_With

    def _exclude(self, name: str) -> None:
        self.excluded.add(name)
        self.names = [n for n in self.names if n != name]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._exclude(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self._exclude(alias.asname or alias.name)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        # Decorators and defaults run at module level, the body does not.
        self._exclude(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._exclude(node.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return  # its arguments are local

    def _comprehension(self, node: ast.AST) -> None:
        # Comprehension variables are local; only a walrus inside binds at module level.
        for child in ast.walk(node):
            if isinstance(child, ast.NamedExpr):
                self._targets(child.target)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


# --------------------------------------------------------------------------------------------
# Converting values


def capture_values(namespace: Mapping[str, Any], names: list[str]) -> dict[str, Captured]:
    """Convert ``namespace[name]`` for each name to numpy.  Never raises."""
    captured: dict[str, Captured] = {}
    for name in names:
        if name not in namespace:
            captured[name] = Captured(name, None, MISSING, "not bound")
            continue
        try:
            _convert_into(captured, name, namespace[name], depth=0)
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            captured[name] = Captured(name, None, ERROR, _describe_error(error))
    return captured


def _convert_into(out: dict[str, Captured], name: str, value: Any, depth: int) -> None:
    kind, array, note = _to_numpy(value)
    if kind != SEQUENCE:
        out[name] = Captured(name, array, kind, note)
        return
    items = list(value.items()) if isinstance(value, Mapping) else list(enumerate(value))
    described = f"{type(value).__name__} of {len(items)} items"
    if depth >= _MAX_DEPTH or len(items) > _MAX_ITEMS or not items:
        out[name] = Captured(name, None, SKIPPED, described)
        return
    expanded: dict[str, Captured] = {}
    for key, item in items:
        _convert_into(expanded, f"{name}[{key!r}]", item, depth + 1)
    if any(entry.value is not None for entry in expanded.values()):
        out.update(expanded)
    else:
        # Nothing numeric inside (a namedtuple of datasets, a list of layers): one entry is enough.
        out[name] = Captured(name, None, SKIPPED, described)


def _to_numpy(value: Any) -> tuple[str, np.ndarray | None, str]:
    """(kind, array or None, note) for one value; SEQUENCE means "expand the items"."""
    if value is None:
        return SKIPPED, None, "None"
    if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
                          types.MethodType, type)):
        return SKIPPED, None, type(value).__name__
    if isinstance(value, (bool, np.bool_)):
        return NUMBER, np.asarray(value), ""
    if isinstance(value, numbers.Number) and not isinstance(value, np.ndarray):
        return NUMBER, np.asarray(value), ""
    if isinstance(value, np.ndarray):
        return _numeric_array(value, ARRAY)
    if isinstance(value, (str, bytes)):
        return SKIPPED, None, "text"
    if _is_tensorflow_object(value):
        return _tensorflow_value(value)
    if _is_keras_variable(value):
        return _numeric_array(np.asarray(value.numpy()), VARIABLE)
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            array = None
        if array is not None and array.dtype.kind in "biufc" and array.size > 0:
            return ARRAY, array, ""
        return SEQUENCE, None, ""
    if isinstance(value, dict):
        return SEQUENCE, None, ""
    return SKIPPED, None, _type_name(value)


def _numeric_array(array: np.ndarray, kind: str) -> tuple[str, np.ndarray | None, str]:
    if array.dtype.kind not in "biufc":
        return SKIPPED, None, f"array of dtype {array.dtype}"
    return kind, array, ""


def _type_name(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_tensorflow_object(value: Any) -> bool:
    module = type(value).__module__ or ""
    return module.startswith(("tensorflow.", "tf_keras.", "keras.")) and (
        hasattr(value, "dtype") and hasattr(value, "shape")
    )


def _is_keras_variable(value: Any) -> bool:
    return hasattr(value, "numpy") and hasattr(value, "assign") and hasattr(value, "dtype")


def _tensorflow_value(value: Any) -> tuple[str, np.ndarray | None, str]:
    cls_names = {cls.__name__ for cls in type(value).__mro__}
    if "KerasTensor" in cls_names:
        return SKIPPED, None, "symbolic Keras tensor"
    is_variable = bool(cls_names & {"Variable", "BaseResourceVariable", "RefVariable", "KerasVariable"})
    numpy = getattr(value, "numpy", None)
    if numpy is not None:
        # Eager tensors and variables answer; graph ones raise (numpy() needs eager execution).
        try:
            array = np.asarray(numpy())
        except Exception:  # noqa: BLE001
            array = None
        if array is not None:
            return _numeric_array(array, VARIABLE if is_variable else TENSOR)
    if hasattr(value, "graph"):
        # A TF1 graph tensor or variable: only the reference runtime's sessions can read it.
        from ..runtime import sessions

        array, note = sessions.evaluate(value)
        if array is None:
            return SKIPPED, None, note
        kind = GRAPH_VARIABLE if is_variable else GRAPH_TENSOR
        if note == sessions.RECOMPUTED_NOTE:
            kind = RECOMPUTED
        kind, array, conversion_note = _numeric_array(np.asarray(array), kind)
        return kind, array, note or conversion_note
    return SKIPPED, None, _type_name(value)


def _describe_error(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(error).__name__}: {first}"[:300]


# --------------------------------------------------------------------------------------------
# Writing and reading a capture file


def write_capture(namespace: Mapping[str, Any], names: list[str], out_path: str,
                  meta: Mapping[str, Any] | None = None) -> None:
    """Write the values of ``names`` to ``out_path`` (.npz) and ``out_path + ".json"``.

    Never raises: a failure to convert one name is recorded for that name, and a failure to
    write the arrays is recorded in the sidecar's meta entry.
    """
    try:
        captured = capture_values(namespace, names)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        captured = {}
        meta = {**(meta or {}), "error": _describe_error(error)}
    sidecar: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    for index, item in enumerate(captured.values()):
        entry: dict[str, Any] = {"kind": item.kind, "note": item.note}
        if item.value is not None:
            key = f"v{index}"
            arrays[key] = item.value
            entry.update(key=key, dtype=str(item.value.dtype), shape=list(item.value.shape))
        sidecar[item.name] = entry
    sidecar[META_KEY] = dict(meta or {})
    try:
        with open(out_path, "wb") as handle:
            np.savez(handle, **arrays)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        sidecar[META_KEY]["error"] = _describe_error(error)
    try:
        with open(out_path + ".json", "w", encoding="utf-8") as handle:
            json.dump(sidecar, handle, default=str)
    except BaseException:  # noqa: BLE001 - nothing left to record it in; load_capture reports it
        pass


def capture_code(names: list[str], out_path: str) -> str:
    """Python source that, run inside a kernel, writes the values of ``names`` to ``out_path``.

    The code binds no name in the kernel's namespace and never raises.  On the TF1 side graph
    tensors and variables are evaluated through the reference runtime's live session.  It is one
    expression statement, so ``capture_code(...).strip()`` also works as a Jupyter user expression
    (evaluated right after the cell, in the same execute request).
    """
    return (
        "__import__('kernel_helpers.compare.capture', fromlist=['write_capture'])"
        f".write_capture(globals(), {list(names)!r}, {out_path!r}, "
        "__import__('kernel_helpers.compare.capture', fromlist=['run_meta']).run_meta())\n"
    )


def run_meta() -> dict[str, Any]:
    """Facts about the run recorded next to the values: last cell's wall time, random draws."""
    meta: dict[str, Any] = {}
    try:
        from ..runtime import cell_hooks, random_alignment

        meta["elapsed"] = cell_hooks.last_elapsed()
        meta["random_draws"] = random_alignment.draws()
    except Exception:  # noqa: BLE001 - meta is best effort
        pass
    return meta


def load_capture(out_path: str) -> dict[str, Captured]:
    """Read what :func:`capture_code` wrote.  A missing or unreadable file gives an empty dict."""
    sidecar = _read_sidecar(out_path)
    arrays: Mapping[str, np.ndarray] = {}
    if os.path.exists(out_path):
        try:
            with np.load(out_path, allow_pickle=False) as archive:
                arrays = {key: archive[key] for key in archive.files}
        except (OSError, ValueError):
            arrays = {}
    result: dict[str, Captured] = {}
    for name, entry in sidecar.items():
        if name == META_KEY:
            continue
        key = entry.get("key")
        value = arrays.get(key) if key else None
        kind = entry.get("kind", ERROR)
        note = entry.get("note", "")
        if key and value is None:
            kind, note = ERROR, "value lost while writing the capture file"
        result[name] = Captured(name, value, kind, note)
    return result


def load_meta(out_path: str) -> dict[str, Any]:
    """The run facts stored with a capture (``elapsed``, ``random_draws``, ``error``)."""
    return dict(_read_sidecar(out_path).get(META_KEY, {}))


def _read_sidecar(out_path: str) -> dict[str, Any]:
    try:
        with open(out_path + ".json", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --------------------------------------------------------------------------------------------
# Printed numbers

# Parts of printed TensorFlow objects that are metadata, not values: "shape=(2, 3)",
# "dtype=float32", tensor names like "Add:0" / 'Variable:0', quoted or printed bare (TF1's `variable.name`,
# "hidden1/kernel:0", which Keras 3 prints as "kernel").
_METADATA = re.compile(
    r"shape=\([^)]*\)|shape=<unknown>|dtype=[\w.]+|"
    r"""(["'])[\w/.\-]*:\d+\1|(?<![\w/.\-])[A-Za-z_][\w/.\-]*:\d+(?![\w.])|"""
    r"(?<![\w.])(?:device|name)=(['\"])[^'\"\n]*\2"
)
# A number that is not part of a word ("float32", "conv2d_1", "x2") or of a dotted name.
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?![\w])"
    r"|(?<![\w.])[-+]?(?:nan|inf)(?![\w])",
    re.IGNORECASE,
)


def numbers_in(text: str) -> list[float]:
    """The numbers printed in ``text``, in order, as floats (``nan``/``inf`` included).

    TensorFlow metadata in printed tensors (shapes, dtypes, tensor names) is ignored, so that
    ``print(sess.run(y))`` and ``print(y)`` on an eager tensor give the same numbers.
    """
    cleaned = _METADATA.sub(" ", text)
    found: list[float] = []
    for match in _NUMBER.finditer(cleaned):
        token = match.group()
        try:
            found.append(float(token))
        except ValueError:
            continue
    return found
