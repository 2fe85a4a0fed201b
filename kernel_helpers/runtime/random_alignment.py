"""Deterministic random alignment: the k-th random draw yields the same values on both sides.

This is our implementation of the TF2 migration guide's "validate correctness" method (its own
tool, ``DeterministicRandomTestTool``, needs tf_keras and only patches TensorFlow's op seeds).
Here every random op and random initializer that runs while alignment is active is replaced by a
draw from a numpy generator keyed by ``(ROOT_SEED, epoch, k)``, where ``k`` counts the draws since
:func:`begin`.  The draw has the distribution, bounds, shape and dtype that the call asked for,
so TF1 graph code (reference kernel) and TF2 eager code (user's kernel) get identical numbers
as long as they request random values in the same order.

Covered entry points:

* TensorFlow ops, on both sides: ``tf.random.normal/uniform/truncated_normal/shuffle`` and their
  TF1 names (``tf.random_normal``, ``tf.compat.v1.random_uniform``, ...), which also covers the
  TF1 initializers (``init_ops``: ``glorot_uniform_initializer``, ``variance_scaling``, ...) and
  everything else that calls ``random_ops`` through its module; ``tf.nn.dropout`` (both forms),
  whose graph mask is drawn after the values it drops, and graph while loops, which run one
  iteration at a time so that an RNN's per-step masks are drawn in step order;
* TF2 core initializers (``tf.random_normal_initializer``, ``init_ops_v2``), seeded or not;
* tf_keras' ``RandomGenerator`` (TF1 side) and Keras 3's ``keras.random.normal/uniform/
  truncated_normal/dropout`` (TF2 side), which the Keras initializers (``GlorotUniform``, the
  Dense/Conv default) and the Dropout layers use.

Limitations (documented for users in the Compare README section):

* In a TF1 graph a random op is created once and evaluated on every ``sess.run``; with alignment
  it yields the same values every run (like the guide's "constant" mode), which is what variable
  initializers need.  Dropout masks are the exception: they draw when the op runs, with the key of
  that moment, so the n-th training step's mask matches eager code's n-th.  Other random ops that
  re-run every step (noise added in the graph) agree on the first step only.
* Draws are matched by order, not by name: both sides must create their random values in the
  same order (layers built in the same order).  ``draws()`` on each side tells whether they
  made the same number of draws.
* A Keras layer class the notebook defines draws its weights with the key of the cell that made
  it (:func:`_layer_replacements`), after that cell's own draws: when that cell drew more after
  making the layer, the order differs from TF1 graph code that built the layer's variables at once.
* Not covered: ``tf.random.Generator``, stateless ops (already deterministic given their seed),
  ``categorical``/``gamma``/``poisson``, Keras 3 ``SeedGenerator`` users other than dropout
  (e.g. ``RandomFlip``), and code that kept a reference to an original function before alignment
  was installed.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ROOT_SEED", "aligned", "begin", "draws", "install", "installed", "is_active", "sample",
           "uninstall"]

ROOT_SEED = 0x7F2_316  # any fixed number: both sides only need the same one

_lock = threading.RLock()
_state = {"epoch": 0, "k": 0, "active": False,
          # draws of the epochs that ended, by epoch; the epoch and count a resumed block draws with
          "counts": {}, "resumed": None}


# --------------------------------------------------------------------------------------------
# The deterministic source


def sample(kind: str, shape: tuple[int, ...], epoch: int, k: int, **params: Any) -> np.ndarray:
    """The values of draw ``k`` in ``epoch``: float64 standard variates, or integers.

    ``kind`` is ``"normal"``, ``"truncated_normal"`` (standard normal re-drawn outside two
    standard deviations, as TensorFlow does), ``"uniform"`` ([0, 1)), ``"integers"`` (``low`` <=
    x < ``high``) or ``"permutation"`` (of ``n``).
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([ROOT_SEED, epoch, k])))
    shape = tuple(int(d) for d in shape)
    if kind == "normal":
        return rng.standard_normal(shape)
    if kind == "truncated_normal":
        values = rng.standard_normal(shape)
        outside = np.abs(values) > 2.0
        while outside.any():
            values[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(values) > 2.0
        return values
    if kind == "uniform":
        return rng.random(shape)
    if kind == "integers":
        return rng.integers(params["low"], params["high"], size=shape)
    if kind == "permutation":
        return rng.permutation(int(params["n"]))
    raise ValueError(f"unknown kind of draw {kind!r}")


def begin(epoch: int = 0) -> None:
    """Start counting draws from zero for ``epoch`` (one epoch per Compare call)."""
    with _lock:
        _state["counts"][_state["epoch"]] = _state["k"]
        _state["epoch"] = int(epoch)
        _state["k"] = 0


@contextlib.contextmanager
def resumed(epoch: int | None) -> Iterator[None]:
    """Draw inside the block as if ``epoch`` were still running: its key, its count going on from where it ended.

    A Keras layer that the notebook made in one cell and first called in a later one draws its weights there; TF1
    graph code drew them in the cell that built the graph. See :func:`_layer_replacements`."""
    with _lock:
        resume = epoch is not None and _state["active"] and _state["resumed"] is None and epoch != _state["epoch"]
        if resume:
            _state["resumed"] = [epoch, _state["counts"].get(epoch, 0)]
    try:
        yield
    finally:
        if resume:
            with _lock:
                epoch, k = _state["resumed"]
                _state["counts"][epoch] = k
                _state["resumed"] = None


def draws() -> int:
    """How many random draws were made since :func:`begin`."""
    return _state["k"]


def is_active() -> bool:
    return bool(_state["active"])


def _next_key() -> tuple[int, int]:
    with _lock:
        resumed_key = _state["resumed"]
        if resumed_key is not None:
            resumed_key[1] += 1
            return resumed_key[0], resumed_key[1] - 1
        key = (_state["epoch"], _state["k"])
        _state["k"] += 1
        return key


def _current_epoch() -> int:
    resumed_key = _state["resumed"]
    return resumed_key[0] if resumed_key is not None else _state["epoch"]


# --------------------------------------------------------------------------------------------
# Turning draws into tensors


def _tf():
    import tensorflow as tf  # imported lazily: the engine and the server never need it

    return tf


def _static_shape(shape: Any) -> tuple[int, ...] | None:
    """``shape`` as a tuple of ints when known before running, else None."""
    tf = _tf()
    if isinstance(shape, tf.TensorShape):
        return tuple(shape.as_list()) if shape.is_fully_defined() else None
    try:
        value = tf.get_static_value(shape)
    except (TypeError, ValueError):
        value = None
    if value is None and isinstance(shape, (list, tuple)):
        dims = []
        for dim in shape:
            if isinstance(dim, (int, np.integer)):
                dims.append(int(dim))
                continue
            static = tf.get_static_value(dim)
            if static is None:
                return None
            dims.append(int(static))
        return tuple(dims)
    if value is None:
        return None
    return tuple(int(d) for d in np.atleast_1d(value)) if np.ndim(value) else (int(value),)


def _static_number(value: Any) -> Any:
    """A Python/numpy number for ``value`` when it is known before running, else None."""
    if isinstance(value, (int, float, np.number, bool)):
        return value
    try:
        static = _tf().get_static_value(value)
    except (TypeError, ValueError):
        return None
    return static


def _make_tensor(kind: str, shape: Any, dtype: Any, name: Any, scale: Callable[[np.ndarray], np.ndarray] | None,
                 tf_scale: Callable[[Any], Any] | None, **params: Any):
    """The tensor for the next draw: a constant when the shape is static, else a py function.

    ``scale`` maps the standard draw to the requested distribution in numpy (float64, exact on
    both sides); ``tf_scale`` does it with TensorFlow ops when the parameters are tensors.
    """
    tf = _tf()
    epoch, k = _next_key()
    dtype = tf.as_dtype(dtype)
    static = _static_shape(shape)
    if static is not None:
        values = sample(kind, static, epoch, k, **params)
        if scale is not None:
            return tf.constant(scale(values).astype(dtype.as_numpy_dtype), dtype=dtype, name=name)
        return tf_scale(tf.constant(values.astype(np.float64 if dtype.is_floating else dtype.as_numpy_dtype)))

    def draw(runtime_shape: np.ndarray) -> np.ndarray:
        values = sample(kind, tuple(np.atleast_1d(runtime_shape)), epoch, k, **params)
        return (scale(values) if scale is not None else values).astype(
            dtype.as_numpy_dtype if scale is not None else np.float64)

    out_dtype = dtype if scale is not None else tf.float64
    values = tf.numpy_function(draw, [tf.cast(shape, tf.int64)], out_dtype, stateful=False)
    _keep_known_dimensions(values, shape)
    return values if scale is not None else tf_scale(values)


def _keep_known_dimensions(values, shape) -> None:
    """A py function's output has no static shape; give it the dimensions the requested shape does know
    (``tf.shape(x)`` of a ``[None, 4]`` tensor is ``(?, 4)``), as the random op it replaces had. Without them a
    graph built on the draw (``tf.layers.dropout`` followed by a dense layer) fails to build."""
    tf = _tf()
    if tf.executing_eagerly():
        return
    try:
        from tensorflow.python.framework import tensor_util

        values.set_shape(tensor_util.constant_value_as_shape(tf.convert_to_tensor(shape)))
    except (TypeError, ValueError):
        return


def _location_scale(kind: str, shape, loc, spread, dtype, name):
    """mean + stddev * z, in numpy when both are static, else in TensorFlow."""
    tf = _tf()
    static_loc, static_spread = _static_number(loc), _static_number(spread)
    if static_loc is not None and static_spread is not None:
        return _make_tensor(kind, shape, dtype, name,
                            lambda z: np.asarray(static_spread, np.float64) * z + np.asarray(static_loc, np.float64),
                            None)
    dtype = tf.as_dtype(dtype)
    return _make_tensor(kind, shape, dtype, name, None,
                        lambda z: tf.cast(z, dtype) * tf.cast(spread, dtype) + tf.cast(loc, dtype))


def _uniform(shape, minval, maxval, dtype, name):
    tf = _tf()
    dtype = tf.as_dtype(dtype or tf.float32)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    if dtype.is_integer:
        low, high = _static_number(minval), _static_number(maxval)
        if low is None or high is None:
            raise ValueError("aligned random integers need static minval and maxval")
        return _make_tensor("integers", shape, dtype, name, lambda x: x, None, low=int(low), high=int(high))
    low, high = _static_number(minval), _static_number(maxval)
    if low is not None and high is not None:
        low64, high64 = np.asarray(low, np.float64), np.asarray(high, np.float64)
        return _make_tensor("uniform", shape, dtype, name, lambda u: low64 + (high64 - low64) * u, None)
    return _make_tensor("uniform", shape, dtype, name, None,
                        lambda u: tf.cast(minval, dtype) + (tf.cast(maxval, dtype) - tf.cast(minval, dtype))
                        * tf.cast(u, dtype))


def _uniform_at_run_time(shape, dtype, after=None):
    """A graph-mode uniform [0, 1) draw taken each time the op runs, with the key of that moment.

    A dropout mask is drawn again at every step; eager code does that by calling dropout again. In a TF1
    graph the op is built once, so its values must come from the key current when ``sess.run`` executes
    it: then the n-th step's mask is the n-th draw on both sides."""
    tf = _tf()
    dtype = tf.as_dtype(dtype)

    def draw(runtime_shape: np.ndarray) -> np.ndarray:
        epoch, k = _next_key()
        return sample("uniform", tuple(np.atleast_1d(runtime_shape)), epoch, k).astype(dtype.as_numpy_dtype)

    # A control edge from ``after`` (the values the mask drops): a static shape would be folded into a constant,
    # and the draw could then run before them, out of the order eager code draws in.
    with tf.control_dependencies([after] if after is not None else []):
        values = tf.numpy_function(draw, [tf.cast(shape, tf.int64)], dtype, stateful=True)
    _keep_known_dimensions(values, shape)
    return values


def _in_dropout_scope() -> bool:
    """Whether a graph op is being built by ``tf.nn.dropout`` (its ops live in a ``dropout`` name scope)."""
    tf = _tf()
    if tf.executing_eagerly():
        return False
    scope = tf.compat.v1.get_default_graph().get_name_scope()
    return bool(scope) and scope.rsplit("/", 1)[-1].startswith("dropout")


def _shuffle(value, name=None):
    tf = _tf()
    value = tf.convert_to_tensor(value)
    first = value.shape[0] if value.shape.rank else None
    if first is None:
        epoch, k = _next_key()
        permutation = tf.numpy_function(
            lambda n: sample("permutation", (), epoch, k, n=int(n)).astype(np.int64),
            [tf.shape(value, out_type=tf.int64)[0]], tf.int64, stateful=False)
    else:
        epoch, k = _next_key()
        permutation = tf.constant(sample("permutation", (), epoch, k, n=int(first)), dtype=tf.int64)
    return tf.gather(value, permutation, name=name)


def _dropout(inputs, rate, noise_shape=None):
    """Dropout the way ``tf.nn.dropout`` computes it, with an aligned uniform draw for the mask."""
    tf = _tf()
    inputs = tf.convert_to_tensor(inputs)
    # Only a Python number is known before running, as in ``tf.nn.dropout``: a tensor rate (a fed keep
    # probability) draws a mask even at 0, in a graph and eagerly alike, and divides at run time.
    static_rate = rate if isinstance(rate, (int, float, np.number)) else None
    if static_rate is not None and float(static_rate) == 0.0:
        return inputs
    if noise_shape is None:
        noise_shape = tf.shape(inputs) if not inputs.shape.is_fully_defined() else inputs.shape
    else:
        noise_shape = [tf.shape(inputs)[i] if d is None else d for i, d in enumerate(noise_shape)]
    scaled = inputs * tf.cast(1.0 / (1.0 - float(static_rate)), inputs.dtype) if static_rate is not None \
        else inputs / (tf.cast(1.0, inputs.dtype) - tf.cast(rate, inputs.dtype))
    # In a graph the draw runs after the inputs: the masks of one step (an RNN's layers) come in eager code's order.
    draw = _uniform(noise_shape, 0.0, 1.0, inputs.dtype, None) if tf.executing_eagerly() \
        else _uniform_at_run_time(noise_shape, inputs.dtype, after=inputs)
    mask = draw >= tf.cast(rate, inputs.dtype)
    return tf.where(mask, scaled, tf.zeros_like(scaled))


# --------------------------------------------------------------------------------------------
# Replacements for each library's entry points


def _random_ops_replacements(random_ops) -> dict[Callable, Callable]:
    def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
        return _location_scale("normal", shape, mean, stddev, dtype or _tf().float32, name)

    def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
        return _location_scale("truncated_normal", shape, mean, stddev, dtype or _tf().float32, name)

    def random_uniform(shape, minval=0, maxval=None, dtype=None, seed=None, name=None):
        if _in_dropout_scope() and minval == 0 and maxval in (None, 1, 1.0):
            return _uniform_at_run_time(shape, dtype or _tf().float32)
        return _uniform(shape, minval, maxval, dtype, name)

    def random_shuffle(value, seed=None, name=None):
        return _shuffle(value, name)

    return {
        random_ops.random_normal: random_normal,
        random_ops.truncated_normal: truncated_normal,
        random_ops.random_uniform: random_uniform,
        random_ops.random_shuffle: random_shuffle,
    }


def _init_ops_v2_replacements(generator_class) -> dict[Callable, Callable]:
    # TF2's core initializers use stateless ops when seeded: align those too.
    def random_normal(self, shape, mean=0.0, stddev=1, dtype=None):
        return _location_scale("normal", shape, mean, stddev, dtype or _tf().float32, None)

    def random_uniform(self, shape, minval, maxval, dtype):
        return _uniform(shape, minval, maxval, dtype, None)

    def truncated_normal(self, shape, mean, stddev, dtype):
        return _location_scale("truncated_normal", shape, mean, stddev, dtype or _tf().float32, None)

    return {
        generator_class.random_normal: random_normal,
        generator_class.random_uniform: random_uniform,
        generator_class.truncated_normal: truncated_normal,
    }


def _tf_keras_replacements(generator_class, floatx: Callable[[], str]) -> dict[Callable, Callable]:
    def random_normal(self, shape, mean=0.0, stddev=1.0, dtype=None, nonce=None):
        return _location_scale("normal", shape, mean, stddev, dtype or floatx(), None)

    def random_uniform(self, shape, minval=0.0, maxval=None, dtype=None, nonce=None):
        return _uniform(shape, minval, maxval, dtype or floatx(), None)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=None, nonce=None):
        return _location_scale("truncated_normal", shape, mean, stddev, dtype or floatx(), None)

    def dropout(self, inputs, rate, noise_shape=None):
        return _dropout(inputs, rate, noise_shape)

    return {
        generator_class.random_normal: random_normal,
        generator_class.random_uniform: random_uniform,
        generator_class.truncated_normal: truncated_normal,
        generator_class.dropout: dropout,
    }


def _keras3_replacements(keras_random, floatx: Callable[[], str]) -> dict[Callable, Callable]:
    def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        return _location_scale("normal", shape, mean, stddev, dtype or floatx(), None)

    def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
        return _uniform(shape, minval, maxval, dtype or floatx(), None)

    def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        return _location_scale("truncated_normal", shape, mean, stddev, dtype or floatx(), None)

    def dropout(inputs, rate, noise_shape=None, seed=None):
        return _dropout(inputs, rate, noise_shape)

    return {
        keras_random.normal: normal,
        keras_random.uniform: uniform,
        keras_random.truncated_normal: truncated_normal,
        keras_random.dropout: dropout,
    }


def _nn_replacements(nn_ops) -> dict[Callable, Callable]:
    """``tf.nn.dropout`` (TF1's ``keep_prob`` form calls it too) as :func:`_dropout`: in a graph its mask is then
    drawn after the values it drops, which a static mask shape would not ensure."""
    def dropout_v2(x, rate, noise_shape=None, seed=None, name=None):
        return _dropout(x, rate, noise_shape)

    return {nn_ops.dropout_v2: dropout_v2}


def _sequential_while_loop(while_loop) -> dict[Callable, Callable]:
    """A graph while loop runs one iteration at a time: run-time draws inside it (an RNN cell's dropout masks at
    each step, in ``dynamic_rnn``) are then taken in step order, as eager code takes them. TF1's default of 10 or
    32 iterations in flight would hand out the keys in whatever order the iterations ran."""
    original = while_loop.while_loop

    def sequential(*args, **kwargs):
        if len(args) > 4:
            args = (*args[:4], 1, *args[5:])  # parallel_iterations is the fifth parameter
        else:
            kwargs["parallel_iterations"] = 1
        return original(*args, **kwargs)

    return {original: sequential}


def _replacements() -> dict[Callable, Callable]:
    """Original callable -> aligned replacement, for every library that is loaded."""
    from tensorflow.python.ops import init_ops_v2, nn_ops, random_ops, while_loop

    table = _random_ops_replacements(random_ops)
    table.update(_nn_replacements(nn_ops))
    table.update(_sequential_while_loop(while_loop))
    table.update(_init_ops_v2_replacements(init_ops_v2._RandomGenerator))
    if "tf_keras" in sys.modules or "tf_keras.src" in sys.modules:
        from tf_keras.src import backend as tf_keras_backend

        table.update(_tf_keras_replacements(tf_keras_backend.RandomGenerator, tf_keras_backend.floatx))
        from tf_keras.src.engine import base_layer, base_layer_v1

        # With v2 behaviour off (the TF1 runtime) tf_keras puts its v1 layer class first in a layer's bases.
        table.update(_layer_replacements(base_layer.Layer))
        table.update(_layer_replacements(base_layer_v1.Layer))
    keras = sys.modules.get("keras")
    if keras is not None and _keras3_on_tensorflow():
        from keras.src import backend as keras_backend
        from keras.src.backend import random as keras_backend_random
        from keras.src.random import random as keras_random

        # keras.random.* for user code, the backend's functions for the initializers and layers.
        table.update(_keras3_replacements(keras_random, keras_backend.floatx))
        table.update(_keras3_replacements(keras_backend_random, keras_backend.floatx))
        from keras.src.layers.layer import Layer

        table.update(_layer_replacements(Layer))
    return table


def _layer_replacements(layer_class: type) -> dict[Callable, Callable]:
    """A Keras layer class the notebook defines (its module is ``__main__``), and every layer made while one is being
    made, draw their weights with the key of the cell that made them.

    The lifting turns TF1 model functions into such classes (``engine/lift/layered.py``): the instance is made where
    TF1 built the graph and drew the variables, but Keras builds its layers at the first call, often in the training
    cell. The same rule holds on both sides, so a Keras layer subclass in an original notebook (tf_keras) keeps
    matching its migration (Keras 3)."""
    original_init, original_add_weight = layer_class.__init__, layer_class.add_weight

    def notebook_layer(layer) -> bool:
        return isinstance(layer, layer_class) and type(layer).__module__ == "__main__"

    def made_by_notebook_layer() -> bool:
        """Whether the ``__init__`` of a notebook-defined layer is running (its sub-layers are made there)."""
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_name == "__init__" and notebook_layer(frame.f_locals.get("self")):
                return True
            frame = frame.f_back
        return False

    def __init__(self, *args, **kwargs):
        owned = notebook_layer(self) or made_by_notebook_layer()
        epoch = _current_epoch()
        original_init(self, *args, **kwargs)
        if owned:
            object.__setattr__(self, "_tf2m_epoch", epoch)  # not a tracked attribute

    def add_weight(self, *args, **kwargs):
        with resumed(getattr(self, "_tf2m_epoch", None)):
            return original_add_weight(self, *args, **kwargs)

    return {original_init: __init__, original_add_weight: add_weight}


def _keras3_on_tensorflow() -> bool:
    try:
        from keras.src import backend as keras_backend
    except ImportError:
        return False
    return keras_backend.backend() == "tensorflow"


# --------------------------------------------------------------------------------------------
# Installing the replacements wherever the originals are bound


@dataclass
class _Site:
    owner: Any  # a module or a class
    attribute: str
    original: Callable
    replacement: Callable


_SCANNED_PREFIXES = ("tensorflow", "tf_keras", "keras", "tf_slim")
_sites: list[_Site] = []
_scanned: set[str] = set()
_known: dict[int, tuple[Callable, Callable]] = {}
_installed = {"flag": False}


def _guarded(original: Callable, replacement: Callable) -> Callable:
    """Calls ``replacement`` while alignment is active and ``original`` otherwise.

    A module that imported a replacement while it was installed keeps it after uninstall; the
    guard makes that copy behave like the original.
    """
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        if _state["active"]:
            return replacement(*args, **kwargs)
        return original(*args, **kwargs)

    wrapper.__tf2m_original__ = original
    return wrapper


def _find_sites() -> None:
    for original, replacement in _replacements().items():
        if id(original) not in _known:
            _known[id(original)] = (original, _guarded(original, replacement))
            # Class methods are bound on their class only.
            owner = _owner_class(original)
            if owner is not None:
                _sites.append(_Site(owner, original.__name__, original, _known[id(original)][1]))
    for name, module in list(sys.modules.items()):
        if name in _scanned or module is None or not name.startswith(_SCANNED_PREFIXES):
            continue
        _scanned.add(name)
        try:
            namespace = vars(module)
        except TypeError:
            continue
        for attribute, value in list(namespace.items()):
            entry = _known.get(id(value))
            if entry is not None and entry[0] is value:
                _sites.append(_Site(module, attribute, value, entry[1]))


def _owner_class(function: Callable) -> type | None:
    qualname = getattr(function, "__qualname__", "")
    if "." not in qualname:
        return None
    module = sys.modules.get(function.__module__)
    owner = module
    for part in qualname.split(".")[:-1]:
        owner = getattr(owner, part, None)
    return owner if isinstance(owner, type) else None


def install() -> None:
    """Patch every loaded copy of the random entry points (idempotent).

    Imports Keras 3 first when TensorFlow's ``tf.keras`` is Keras 3, so that layers created later
    in the same cell are aligned too.
    """
    with _lock:
        _tf()
        import os

        if os.environ.get("TF_USE_LEGACY_KERAS") not in ("1", "true", "True"):
            try:
                import keras  # noqa: F401 - loaded so that its initializers get patched now
            except ImportError:
                pass
        _find_sites()
        for site in _sites:
            setattr(site.owner, site.attribute, site.replacement)
        _installed["flag"] = True


def uninstall() -> None:
    """Put every original back."""
    with _lock:
        for site in _sites:
            setattr(site.owner, site.attribute, site.original)
        _installed["flag"] = False
        _state["active"] = False


def installed() -> bool:
    return _installed["flag"]


def activate(on: bool = True) -> None:
    """Route random draws through the aligned source (``install()`` must have run)."""
    _state["active"] = bool(on)


@contextlib.contextmanager
def aligned(epoch: int = 0) -> Iterator[None]:
    """Align random draws inside the block; leaves the patches as it found them.

    ``draws()`` still tells after the block how many draws the block made.
    """
    was_installed, was_active = installed(), is_active()
    install()
    begin(epoch)
    activate(True)
    try:
        yield
    finally:
        activate(was_active)
        if not was_installed:
            uninstall()
