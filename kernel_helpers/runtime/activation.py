"""Turn the current process into a TF1 reference runtime on today's TensorFlow.

After :func:`activate`, unmodified TF1 notebooks run: ``import tensorflow as tf`` in user code
gives the v1 API with v2 behaviour disabled (placeholders, sessions, ``tf.layers`` through
tf_keras), ``tf.contrib`` forwards to maintained successors, and the removed tutorial loaders
read local or bundled data.  The process cannot go back: TensorFlow reads
``TF_USE_LEGACY_KERAS`` once, at import.  That is why the reference kernel is its own process.
"""

from __future__ import annotations

import builtins
import importlib
import os
import sys
import time
import types
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RuntimeInfo", "activate", "info", "is_active"]


@dataclass
class RuntimeInfo:
    tensorflow: str
    tf_keras: str
    device: str
    seconds: float
    random_alignment: bool
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_info: dict[str, RuntimeInfo | None] = {"value": None}


def is_active() -> bool:
    return _info["value"] is not None


def info() -> RuntimeInfo | None:
    return _info["value"]


def activate(*, align_random: bool = False) -> RuntimeInfo:
    """Make this process a TF1 runtime (idempotent); must run before TensorFlow is imported.

    ``align_random`` routes random ops and initializers through the deterministic source of
    :mod:`kernel_helpers.runtime.random_alignment` (the reference kernel of Compare does).
    """
    if _info["value"] is not None:
        if align_random:
            _align()
            _info["value"].random_alignment = True
        return _info["value"]
    started = time.perf_counter()
    if "tensorflow" in sys.modules and os.environ.get("TF_USE_LEGACY_KERAS") != "1":
        raise RuntimeError(
            "kernel_helpers.runtime.activate() must run before TensorFlow is imported: TensorFlow "
            "reads TF_USE_LEGACY_KERAS once, at import, and this process already imported it with "
            "Keras 3. Restart the kernel and activate first.")
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    import tensorflow as tf

    from ..compare import devices

    notes = devices.enable_memory_growth(tf.config)
    _log_to_stderr(tf)
    tf.compat.v1.disable_v2_behavior()
    import tf_keras

    _repair_tf_slim_imports()
    v1, v2 = tf.compat.v1, tf.compat.v2
    _install_contrib(tf, v1, v2)
    _install_tutorial_loaders(tf, v1)
    from . import cell_hooks, sessions

    sessions.install()
    cell_hooks.install()
    _install_import_hook(v1)
    _register_colab_magic()
    if align_random:
        _align()
    _info["value"] = RuntimeInfo(
        tensorflow=tf.__version__,
        tf_keras=getattr(tf_keras, "__version__", "?"),
        device=devices.describe(tf.config),
        seconds=time.perf_counter() - started,
        random_alignment=align_random,
        notes=notes,
    )
    return _info["value"]


def _log_to_stderr(tf: types.ModuleType) -> None:
    """TensorFlow logs to stdout in interactive shells; keep its deprecation notices out of the
    cell's printed output, which Compare reads for numbers."""
    import logging

    for handler in tf.get_logger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is not sys.stderr:
            handler.setStream(sys.stderr)


def _align() -> None:
    from . import random_alignment

    random_alignment.install()
    random_alignment.activate(True)


def _repair_tf_slim_imports() -> None:
    """Names that tf_slim and TF's own layer shims look up where TF 2.21 no longer has them."""
    from tensorflow.python.framework import ops, tensor

    # tf_slim checks isinstance(x, ops.Tensor); the class moved to framework.tensor.
    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor
    # tensorflow/python/layers/normalization.py lazily imports tf_keras.legacy_tf_layers.normalization,
    # which tf_keras 2.21 keeps under tf_keras.src (slim.batch_norm with fused=False needs it).
    package = importlib.import_module("tf_keras.src.legacy_tf_layers")
    sys.modules.setdefault("tf_keras.legacy_tf_layers", package)
    for name in ("normalization", "core", "convolutional", "pooling", "base"):
        try:
            module = importlib.import_module(f"tf_keras.src.legacy_tf_layers.{name}")
        except ImportError:
            continue
        sys.modules.setdefault(f"tf_keras.legacy_tf_layers.{name}", module)


def _install_contrib(tf: types.ModuleType, v1: types.ModuleType, v2: types.ModuleType) -> None:
    from .contrib import ContribFinder, build_contrib

    contrib = build_contrib(v1, v2)
    if not any(isinstance(finder, ContribFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, ContribFinder())
    sys.modules["tensorflow.contrib"] = contrib
    for module in (tf, v1):
        module.contrib = contrib


def _install_tutorial_loaders(tf: types.ModuleType, v1: types.ModuleType) -> None:
    from . import datasets

    names = ["tensorflow.examples", "tensorflow.examples.tutorials", "tensorflow.examples.tutorials.mnist"]
    modules = {}
    for name in names:
        module = types.ModuleType(name, "Restored by tf2-migrate's reference runtime (offline).")
        module.__path__ = []
        modules[name] = module
    input_data = types.ModuleType(
        "tensorflow.examples.tutorials.mnist.input_data",
        "The TF1 tutorials' MNIST loader, restored offline by tf2-migrate (local files or a bundled sample).")
    input_data.read_data_sets = datasets.read_data_sets
    input_data.DataSet = datasets.DataSet
    input_data.Datasets = datasets.Datasets
    modules[input_data.__name__] = input_data
    modules["tensorflow.examples"].tutorials = modules["tensorflow.examples.tutorials"]
    modules["tensorflow.examples.tutorials"].mnist = modules["tensorflow.examples.tutorials.mnist"]
    modules["tensorflow.examples.tutorials.mnist"].input_data = input_data
    sys.modules.update(modules)
    for module in (tf, v1):
        module.examples = modules["tensorflow.examples"]
    datasets.patch_keras_datasets("tf_keras")


def _register_colab_magic() -> None:
    """``%tensorflow_version 1.x`` opens many Colab TF1 notebooks; here TF1 is already selected."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or "tensorflow_version" in shell.magics_manager.magics["line"]:
        return
    shell.register_magic_function(lambda line: None, "line", "tensorflow_version")


def _install_import_hook(v1: types.ModuleType) -> None:
    """``import tensorflow`` / ``from tensorflow import x`` in user code give the v1 API.

    Only code run as ``__main__`` (notebook cells) is redirected: libraries keep importing the
    real package, whose internals they need.
    """
    real_import = builtins.__import__
    if getattr(real_import, "__tf2m_hook__", False):
        return

    def tf1_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = real_import(name, globals, locals, fromlist, level)
        if name == "tensorflow" and level == 0 and globals is not None and globals.get("__name__") == "__main__":
            return v1
        return module

    tf1_import.__tf2m_hook__ = True
    builtins.__import__ = tf1_import
