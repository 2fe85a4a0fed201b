"""Enumerate the public names of TensorFlow's generated API modules.

Used only by the generator (it imports TensorFlow's helpers lazily through the objects it is given).
A *name* is a dotted path relative to the API root: ``"log"``, ``"nn.dropout"``, ``"train.AdamOptimizer"``.
"""

from __future__ import annotations

import inspect
import os
import sys
import types
import warnings
from dataclasses import dataclass, field

MODULE = "module"
CLASS = "class"
FUNCTION = "function"
CONSTANT = "constant"

# The generated API tree is shallow; anything deeper is a cycle through some foreign module.
_MAX_DEPTH = 8


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: str
    obj: object = field(compare=False, repr=False)


@dataclass
class WalkResult:
    symbols: dict[str, Symbol] = field(default_factory=dict)
    # Names whose ``getattr`` or ``dir()`` raised (Keras 3 lazy loaders): the legacy walk retries them.
    unreadable: list[str] = field(default_factory=list)


def join(prefix: str, attr: str) -> str:
    return f"{prefix}.{attr}" if prefix else attr


def unwrap(obj):
    """The innermost callable under TensorFlow's decorators (export metadata lives there)."""
    # Objects decorated by TensorFlow exist only once TensorFlow is imported; without it (unit tests
    # on plain functions) the standard __wrapped__ chain is the same thing.
    tf_decorator = sys.modules.get("tensorflow.python.util.tf_decorator")
    try:
        return tf_decorator.unwrap(obj)[1] if tf_decorator else inspect.unwrap(obj)
    except Exception:  # exotic objects whose attribute access raises
        return obj


def kind_of(obj) -> str:
    if isinstance(obj, types.ModuleType):
        return MODULE
    if inspect.isclass(obj):
        return CLASS
    if inspect.isroutine(unwrap(obj)):
        return FUNCTION
    return CONSTANT


def _quiet_getattr(module, attr):
    # Deprecated-module wrappers warn on first access; the walk touches every name once.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(module, attr)


def _public_names(module) -> list[str]:
    return sorted(name for name in dir(module) if not name.startswith("_"))


def _module_name(module) -> str:
    try:
        return getattr(module, "__name__", None) or ""
    except Exception:
        return ""


def _is_keras_backed(module) -> bool:
    if type(module).__name__ == "KerasLazyLoader":
        return True
    return _module_name(module).split(".")[0] in ("keras", "tf_keras")


class ApiWalker:
    """Walks one API root (``tf`` or ``tf.compat.v1``).

    Modules are followed when they are TensorFlow's generated API modules (files under
    ``tensorflow/_api``) or Keras modules re-exported by TensorFlow (``tf.losses`` is Keras 3).
    A foreign module that the API exports on purpose (``tf.compat.v1.flags`` is absl's flags
    wrapper) contributes its direct non-module members only. A real subpackage that Python attached
    to ``tensorflow`` because something imported it (``tensorflow.dtensor``, ``tensorflow.tools``)
    is not API and is skipped.
    """

    def __init__(self, api_dir: str, *, skip=(), opaque=(), opaque_with_children=()):
        self._api_dir = os.path.realpath(api_dir) + os.sep
        self._skip = frozenset(skip)
        self._opaque = frozenset(opaque) | frozenset(opaque_with_children)
        self._opaque_with_children = frozenset(opaque_with_children)

    def walk(self, root, prefix: str = "") -> WalkResult:
        result = WalkResult()
        stack = [(root, prefix, "api", frozenset({id(root)}))]
        while stack:
            module, path, mode, ancestors = stack.pop()
            try:
                names = _public_names(module)
            except Exception:
                result.unreadable.append(path)
                continue
            for attr in names:
                name = join(path, attr)
                if name in self._skip:
                    continue
                try:
                    obj = _quiet_getattr(module, attr)
                except Exception:
                    result.unreadable.append(name)
                    continue
                if not isinstance(obj, types.ModuleType):
                    result.symbols[name] = Symbol(name, kind_of(obj), obj)
                    continue
                child_mode = self._child_mode(module, attr, obj, mode)
                if child_mode is None:
                    continue
                result.symbols[name] = Symbol(name, MODULE, obj)
                if name in self._opaque:
                    if name in self._opaque_with_children:
                        self._record_child_modules(obj, name, result)
                    continue
                # Re-exported foreign packages can point back up the tree; the API itself never does.
                if id(obj) not in ancestors and len(ancestors) < _MAX_DEPTH:
                    stack.append((obj, name, child_mode, ancestors | {id(obj)}))
        result.unreadable.sort()
        return result

    def _child_mode(self, parent, attr, obj, parent_mode):
        if parent_mode == "foreign":
            return None
        if _is_keras_backed(obj):
            return "keras"
        if parent_mode == "keras":
            return None
        path = getattr(obj, "__file__", None) or ""
        if os.path.realpath(path).startswith(self._api_dir):
            return "api"
        if _module_name(obj) == f"{_module_name(parent)}.{attr}":
            return None  # an implementation subpackage leaked onto the package object
        return "foreign"

    def _record_child_modules(self, module, path, result):
        try:
            names = _public_names(module)
        except Exception:
            result.unreadable.append(path)
            return
        for attr in names:
            try:
                obj = _quiet_getattr(module, attr)
            except Exception:
                continue
            if isinstance(obj, types.ModuleType):
                name = join(path, attr)
                result.symbols[name] = Symbol(name, MODULE, obj)
