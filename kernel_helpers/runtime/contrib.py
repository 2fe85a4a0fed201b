"""``tf.contrib`` for the TF1 reference runtime, built from maintained successors.

``tf.contrib`` was removed in TF 2.0.  Where its code lives on, the shim forwards to it:
``tf_slim`` is the fork of ``contrib.slim``/``layers``/``framework``/``losses``/``metrics``/
``training``, the RNN cells are in ``tf.compat.v1.nn.rnn_cell`` (tf_keras' legacy cells), and
several modules moved into core TensorFlow.  Everything else raises
:class:`ContribUnavailableError` naming the missing symbol and what the curated table says about
it (``kernel_helpers/api/curated.json``).

Forwarding prefers the forks (tf_slim) over the TF2 successors that the migration rules propose,
because the reference runtime must behave like TF1 did: ``contrib.losses.mean_squared_error`` keeps
its ``(predictions, labels)`` order here, while ``tf.compat.v1.losses`` swapped it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SUBMODULES", "ContribFinder", "ContribUnavailableError", "build_contrib"]


class ContribUnavailableError(ImportError):
    """A ``tf.contrib`` symbol that the reference runtime cannot provide.

    An ``ImportError`` (and not an ``AttributeError``) so that ``from tensorflow.contrib import
    crf`` reports this message instead of Python's generic "cannot import name".
    """


@dataclass(frozen=True)
class Submodule:
    """Where the members of one ``tf.contrib.<name>`` come from.

    ``sources`` are searched in order; each is a dotted path whose first part is ``tf`` (the v1
    API), ``tf2`` (``tf.compat.v2``), or an importable package (``tf_slim``).  ``renames`` map a
    member to a dotted path in the same notation; ``children`` are nested submodules.
    """

    sources: tuple[str, ...] = ()
    renames: dict[str, str] = field(default_factory=dict)
    children: dict[str, Submodule] = field(default_factory=dict)


SUBMODULES: dict[str, Submodule] = {
    "layers": Submodule(("tf_slim.layers", "tf_slim"), {
        # contrib.layers' own initializers and regularizers are kept in tf_slim's top level.
        "xavier_initializer": "tf_slim.xavier_initializer",
        "xavier_initializer_conv2d": "tf_slim.xavier_initializer_conv2d",
        "variance_scaling_initializer": "tf_slim.variance_scaling_initializer",
        "l1_regularizer": "tf_slim.l1_regularizer",
        "l2_regularizer": "tf_slim.l2_regularizer",
        "l1_l2_regularizer": "tf_slim.l1_l2_regularizer",
        "sum_regularizer": "tf_slim.sum_regularizer",
        "apply_regularization": "tf_slim.apply_regularization",
        "optimize_loss": "tf_slim.optimize_loss",
        "recompute_grad": "tf.recompute_grad",
        "safe_embedding_lookup_sparse": "tf.nn.safe_embedding_lookup_sparse",
    }),
    "slim": Submodule(("tf_slim",)),
    "framework": Submodule(("tf_slim", "tf_slim.ops.variables", "tf_slim.ops.arg_scope"), {
        "get_or_create_global_step": "tf.train.get_or_create_global_step",
        "get_global_step": "tf.train.get_global_step",
        "is_tensor": "tf.is_tensor",
        "nest": "tf.nest",
        "sort": "tf.sort",
        "argsort": "tf.argsort",
        "list_variables": "tf.train.list_variables",
        "load_variable": "tf.train.load_variable",
        "CriticalSection": "tf.CriticalSection",
    }),
    "losses": Submodule(("tf_slim.losses",)),
    "metrics": Submodule(("tf_slim.metrics",)),
    "training": Submodule(("tf_slim.training", "tf_slim.learning")),
    "rnn": Submodule(("tf.nn.rnn_cell",), {
        "static_rnn": "tf.nn.static_rnn",
        "static_bidirectional_rnn": "tf.nn.static_bidirectional_rnn",
        "static_state_saving_rnn": "tf.nn.static_state_saving_rnn",
    }),
    "keras": Submodule(("tf.keras",), children={"api": Submodule((), children={"keras": Submodule(("tf.keras",))})}),
    "data": Submodule(("tf.data.experimental", "tf.data"), {
        "Iterator": "tf.data.Iterator",
    }),
    "lookup": Submodule(("tf.lookup", "tf.lookup.experimental"), {
        "HashTable": "tf.lookup.StaticHashTable",
    }),
    "signal": Submodule(("tf.signal",)),
    "summary": Submodule(("tf2.summary",)),
    "cluster_resolver": Submodule(("tf.distribute.cluster_resolver",)),
    "util": Submodule((), {
        "constant_value": "tf.get_static_value",
        "make_ndarray": "tf.make_ndarray",
        "make_tensor_proto": "tf.make_tensor_proto",
    }),
    "stateless": Submodule((), {
        "stateless_random_normal": "tf.random.stateless_normal",
        "stateless_random_uniform": "tf.random.stateless_uniform",
        "stateless_truncated_normal": "tf.random.stateless_truncated_normal",
        "stateless_multinomial": "tf.random.stateless_categorical",
    }),
    "learn": Submodule((), children={
        "datasets": Submodule((), children={
            "mnist": Submodule((), {
                "read_data_sets": "kernel_helpers.runtime.datasets.read_data_sets",
            }),
        }),
    }),
}

def build_contrib(tf_v1: types.ModuleType, tf_v2: types.ModuleType) -> types.ModuleType:
    """The ``tensorflow.contrib`` module object (registered in ``sys.modules`` by the caller)."""
    roots = {"tf": tf_v1, "tf2": tf_v2}
    return ContribModule("tensorflow.contrib", "contrib", Submodule(), roots, top_level=True)


class ContribModule(types.ModuleType):
    """A lazily resolved ``tf.contrib`` (sub)module."""

    def __init__(self, module_name: str, contrib_path: str, spec: Submodule, roots: dict[str, Any],
                 *, top_level: bool = False) -> None:
        super().__init__(module_name, f"Reference-runtime shim for tf.{contrib_path}.")
        self.__dict__["_contrib_path"] = contrib_path
        self.__dict__["_spec"] = spec
        self.__dict__["_roots"] = roots
        self.__dict__["_top_level"] = top_level
        # A package path lets "import tensorflow.contrib.x.y" find registered children.
        self.__dict__["__path__"] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = self._resolve(name)
        setattr(self, name, value)
        if isinstance(value, ContribModule):
            sys.modules[value.__name__] = value
        return value

    def __dir__(self) -> list[str]:
        names = set(super().__dir__())
        spec: Submodule = self._spec
        names.update(spec.renames, spec.children)
        if self._top_level:
            names.update(SUBMODULES)
        for source in spec.sources:
            try:
                names.update(n for n in dir(_follow(source, self._roots)) if not n.startswith("_"))
            except (ImportError, AttributeError):
                continue
        return sorted(names)

    def _resolve(self, name: str) -> Any:
        path = f"{self._contrib_path}.{name}"
        spec: Submodule = self._spec
        if self._top_level:
            child = SUBMODULES.get(name)
            if child is not None:
                return self._child(name, child)
            raise _unavailable(path)
        if name in spec.children:
            return self._child(name, spec.children[name])
        if name in spec.renames:
            return _follow(spec.renames[name], self._roots)
        for source in spec.sources:
            try:
                module = _follow(source, self._roots)
            except (ImportError, AttributeError):
                continue
            if name.startswith("_"):
                continue
            try:
                return getattr(module, name)
            except AttributeError:
                continue
        raise _unavailable(path)

    def _child(self, name: str, spec: Submodule) -> ContribModule:
        return ContribModule(f"{self.__name__}.{name}", f"{self._contrib_path}.{name}", spec, self._roots)


def _follow(dotted: str, roots: dict[str, Any]) -> Any:
    """Resolve ``tf.x.y`` / ``tf2.x`` against the runtime's roots, anything else by import."""
    head, _, rest = dotted.partition(".")
    if head in roots:
        value = roots[head]
        for part in rest.split(".") if rest else ():
            value = getattr(value, part)
        return value
    module_name, _, attribute = dotted.rpartition(".")
    try:
        return importlib.import_module(dotted)
    except ImportError:
        module = importlib.import_module(module_name)
        return getattr(module, attribute)


def _unavailable(path: str) -> ContribUnavailableError:
    note = _curated_note(path)
    message = (f"tf.{path} is not available in the TF1 reference runtime: TensorFlow 2 removed "
               f"tf.contrib and no maintained package provides this symbol.")
    if note:
        message += f" {note}"
    return ContribUnavailableError(message, name=f"tensorflow.{path}")


def _curated_note(path: str) -> str:
    try:
        from ..api.curated import curated

        entry = curated().contrib(path)
    except Exception:  # noqa: BLE001 - the message is still clear without the note
        return ""
    return entry.note if entry is not None else ""



class ContribFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Lets ``import tensorflow.contrib.slim as slim`` find the shim's submodules.

    The import system looks submodules up on the parent's ``__path__``; the shim has no files,
    so this finder resolves the dotted name through the shim's attributes instead (raising the
    shim's clear error for a missing symbol).
    """

    PREFIX = "tensorflow.contrib."

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(self.PREFIX):
            return None
        value: Any = sys.modules.get("tensorflow.contrib")
        if value is None:
            return None
        for part in fullname[len(self.PREFIX):].split("."):
            value = getattr(value, part)
        if not isinstance(value, types.ModuleType):
            raise ImportError(f"{fullname} is not a module", name=fullname)
        sys.modules[fullname] = value
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return sys.modules[spec.name]

    def exec_module(self, module):
        return None
