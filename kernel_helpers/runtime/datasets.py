"""The tutorial dataset loaders that TensorFlow removed or that need the network, made offline.

* ``tensorflow.examples.tutorials.mnist.input_data.read_data_sets`` (removed in TF 2.0), also
  reachable as ``tf.contrib.learn.datasets.mnist.read_data_sets``;
* ``tf.keras.datasets.{mnist,fashion_mnist,cifar10,cifar100,imdb,reuters,boston_housing}
  .load_data`` (and ``tf.contrib.keras.datasets``), which download on first use.

Every loader reads, in this order, and never touches the network:

1. the directory the caller named (``read_data_sets(train_dir)``: the four MNIST ``*-idx?-ubyte.gz``
   files that the TF1 tutorials download there);
2. ``$TF2_MIGRATE_DATA_DIR``, then Keras' cache (``$KERAS_HOME/datasets`` or
   ``~/.keras/datasets``), in the file layout that Keras downloads;
3. the small synthetic sample shipped with tf2-migrate (:mod:`kernel_helpers.runtime.samples`).

Each load emits a :class:`DataSourceNotice` warning that says which of these it used, and the
returned object records it (``Datasets.source``; ``last_source()`` for the Keras loaders).
Both sides of a Compare use these loaders, so they see the same data.
"""

from __future__ import annotations

import collections
import gzip
import os
import pickle
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import samples

__all__ = [
    "KERAS_LOADERS",
    "DataSet",
    "DataSourceNotice",
    "Datasets",
    "last_source",
    "load_data",
    "patch_keras_datasets",
    "read_data_sets",
]


class DataSourceNotice(UserWarning):
    """Which data a loader used: local files or the bundled synthetic sample."""


# Shown every time: a tutorial that silently trained on synthetic data would be misleading.
warnings.simplefilter("always", DataSourceNotice)

_MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
_last = {"source": None}


def last_source() -> str | None:
    """What the last load used, in the words of its notice."""
    return _last["source"]


def _announce(dataset: str, source: str) -> str:
    message = f"tf2-migrate: {dataset} loaded from {source} (no download)."
    _last["source"] = message
    warnings.warn(message, DataSourceNotice, stacklevel=3)
    return message


def _search_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("TF2_MIGRATE_DATA_DIR"):
        dirs.append(Path(os.environ["TF2_MIGRATE_DATA_DIR"]).expanduser())
    keras_home = os.environ.get("KERAS_HOME")
    dirs.append(Path(keras_home).expanduser() / "datasets" if keras_home else Path.home() / ".keras" / "datasets")
    return dirs


def _bundled(name: str) -> tuple[dict[str, np.ndarray], str]:
    arrays = samples.load_sample(name)
    train, test = len(arrays["x_train"]), len(arrays["x_test"])
    return arrays, (f"the bundled synthetic {name} sample ({train} train + {test} test examples made by "
                    f"kernel_helpers.runtime.samples; NOT the real {name})")


# --------------------------------------------------------------------------------------------
# Reading the formats Keras and the TF1 tutorials download


def _read_idx(path: Path) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    magic = int.from_bytes(data[:4], "big")
    if magic >> 8 != 0x08:  # only unsigned-byte idx files exist for these datasets
        raise ValueError(f"{path} is not an idx file of unsigned bytes (magic {magic:#x})")
    dims = magic & 0xFF
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def _mnist_idx_dir(directory: Path) -> dict[str, np.ndarray] | None:
    paths = {key: directory / name for key, name in _MNIST_FILES.items()}
    if not all(p.exists() or p.with_suffix("").exists() for p in paths.values()):
        return None
    read = {key: _read_idx(p if p.exists() else p.with_suffix("")) for key, p in paths.items()}
    return {"x_train": read["train_images"], "y_train": read["train_labels"],
            "x_test": read["test_images"], "y_test": read["test_labels"]}


def _npz(path: Path) -> dict[str, np.ndarray] | None:
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def _cifar_dir(directory: Path, batches: list[str], label_key: bytes) -> tuple[np.ndarray, np.ndarray]:
    images, labels = [], []
    for batch in batches:
        # The user's own copy of the dataset, in the format its authors published (pickles).
        with open(directory / batch, "rb") as handle:
            content = pickle.load(handle, encoding="bytes")
        images.append(np.asarray(content[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        labels.append(np.asarray(content[label_key], dtype=np.uint8).reshape(-1, 1))
    return np.concatenate(images), np.concatenate(labels)


def _local_keras(name: str, path: str | None) -> tuple[dict[str, np.ndarray], str] | None:
    """Arrays from a local copy in the layout Keras downloads, and where it was."""
    for directory in _search_dirs():
        if name == "mnist":
            found = _npz(directory / (path or "mnist.npz"))
            if found is None:
                found = _mnist_idx_dir(directory)
        elif name == "fashion_mnist":
            found = _mnist_idx_dir(directory / "fashion-mnist")
        elif name == "boston_housing":
            raw = _npz(directory / (path or "boston_housing.npz"))
            found = None if raw is None else {"x": raw["x"], "y": raw["y"]}
        elif name == "cifar10":
            base = directory / "cifar-10-batches-py"
            found = None
            if (base / "test_batch").exists():
                x_train, y_train = _cifar_dir(base, [f"data_batch_{i}" for i in range(1, 6)], b"labels")
                x_test, y_test = _cifar_dir(base, ["test_batch"], b"labels")
                found = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
        elif name == "cifar100":
            base = directory / "cifar-100-python"
            found = None
            if (base / "test").exists():
                x_train, y_train = _cifar_dir(base, ["train"], b"fine_labels")
                x_test, y_test = _cifar_dir(base, ["test"], b"fine_labels")
                found = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
        else:
            found = _npz(directory / (path or f"{name}.npz"))
        if found is not None:
            return found, f"local files in {directory}"
    return None


# --------------------------------------------------------------------------------------------
# Keras-style loaders


def load_data(name: str, path: str | None = None, **options: Any):
    """``tf.keras.datasets.<name>.load_data()`` from local files or the bundled sample."""
    local = _local_keras(name, path)
    if local is not None:
        arrays, source = local
    elif name in samples.SAMPLES:
        arrays, source = _bundled(name)
    else:
        dirs = ", ".join(str(d) for d in _search_dirs())
        raise FileNotFoundError(
            f"tf2-migrate: no local copy of the {name} dataset in {dirs}, and no bundled sample of it; "
            f"the reference runtime never downloads. Put the files Keras downloads for {name} there.")
    _announce(name, source)
    if name == "boston_housing" and "x" in arrays:
        return _split_housing(arrays["x"], arrays["y"], options.get("test_split", 0.2), options.get("seed", 113))
    if name in ("imdb", "reuters") and "x_train" not in arrays:
        return (arrays["x"], arrays["y"]), (arrays.get("x_test"), arrays.get("y_test"))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _split_housing(x: np.ndarray, y: np.ndarray, test_split: float, seed: int):
    # The same shuffle and split as Keras' loader, so a real local copy gives Keras' arrays.
    rng = np.random.RandomState(seed)
    order = np.arange(len(x))
    rng.shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))


def _keras_loader(name: str) -> Callable:
    if name == "mnist":
        def load(path="mnist.npz"):
            return load_data("mnist", path)
    elif name == "boston_housing":
        def load(path="boston_housing.npz", test_split=0.2, seed=113):
            return load_data("boston_housing", path, test_split=test_split, seed=seed)
    elif name in ("imdb", "reuters"):
        def load(path=f"{name}.npz", **options):
            return load_data(name, path, **options)
    elif name == "cifar100":
        def load(label_mode="fine"):
            return load_data("cifar100")
    else:
        def load():
            return load_data(name)
    load.__name__ = "load_data"
    load.__qualname__ = "load_data"
    load.__doc__ = f"Offline {name}.load_data (tf2-migrate): local files or the bundled sample, never the network."
    return load


KERAS_LOADERS = {name: _keras_loader(name) for name in
                 ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing")}


def patch_keras_datasets(package: str) -> Callable[[], None]:
    """Point ``<package>.datasets.<name>.load_data`` at the offline loaders; return an undo.

    ``package`` is ``"tf_keras"`` (TF1 side) or ``"keras"`` (Keras 3, the user's side).  Every
    loaded module of that package that binds an original ``load_data`` is patched.
    """
    import importlib

    originals: dict[int, Callable] = {}
    replacements: dict[int, Callable] = {}
    for name, loader in KERAS_LOADERS.items():
        for module_name in (f"{package}.src.datasets.{name}", f"{package}.datasets.{name}"):
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            original = getattr(module, "load_data", None)
            if original is not None and not getattr(original, "__tf2m_offline__", False):
                originals[id(original)] = original
                replacements[id(original)] = loader
    changed: list[tuple[Any, str, Callable]] = []
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == package or module_name.startswith(package + ".")):
            continue
        try:
            namespace = vars(module)
        except TypeError:
            continue
        for attribute, value in list(namespace.items()):
            if id(value) in originals and originals[id(value)] is value:
                loader = replacements[id(value)]
                setattr(module, attribute, loader)
                changed.append((module, attribute, value))

    def undo() -> None:
        for module, attribute, value in changed:
            setattr(module, attribute, value)

    return undo


for _loader in KERAS_LOADERS.values():
    _loader.__tf2m_offline__ = True


# --------------------------------------------------------------------------------------------
# tensorflow.examples.tutorials.mnist.input_data


class DataSet:
    """One split of the TF1 tutorial MNIST data, with ``next_batch`` like the removed original.

    Shuffling uses its own seeded generator (default seed 0), so batches are the same in every
    run and on both sides of a Compare.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, *, one_hot: bool = False,
                 dtype: Any = np.float32, reshape: bool = True, seed: int | None = None) -> None:
        numpy_dtype = _numpy_dtype(dtype)
        if len(images) != len(labels):
            raise ValueError(f"images and labels differ in length: {len(images)} vs {len(labels)}")
        if reshape and images.ndim == 3:
            images = images.reshape(images.shape[0], -1)
        if numpy_dtype == np.float32:
            images = images.astype(np.float32) * np.float32(1.0 / 255.0)
        elif numpy_dtype != np.uint8:
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        if one_hot:
            labels = np.eye(10, dtype=np.float64)[labels.astype(np.int64)]
        self._images = images
        self._labels = labels
        self._num_examples = len(images)
        self._epochs_completed = 0
        self._index_in_epoch = 0
        self._rng = np.random.RandomState(0 if seed is None else seed)

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: self._num_examples)
    epochs_completed = property(lambda self: self._epochs_completed)

    def next_batch(self, batch_size: int, fake_data: bool = False, shuffle: bool = True):
        """The next ``batch_size`` examples; a batch that crosses an epoch end wraps around."""
        if fake_data:
            raise ValueError("fake_data is not supported by the tf2-migrate loader")
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch = start + batch_size
            return self._images[start:self._index_in_epoch], self._labels[start:self._index_in_epoch]
        self._epochs_completed += 1
        rest_images, rest_labels = self._images[start:], self._labels[start:]
        if shuffle:
            self._shuffle()
        needed = batch_size - len(rest_images)
        self._index_in_epoch = needed
        return (np.concatenate([rest_images, self._images[:needed]]),
                np.concatenate([rest_labels, self._labels[:needed]]))

    def _shuffle(self) -> None:
        order = self._rng.permutation(self._num_examples)
        self._images, self._labels = self._images[order], self._labels[order]


class Datasets(collections.namedtuple("Datasets", ["train", "validation", "test"])):
    """``(train, validation, test)``; ``source`` says where the data came from."""

    source: str = ""


def read_data_sets(train_dir: str = "MNIST_data", fake_data: bool = False, one_hot: bool = False,
                   dtype: Any = np.float32, reshape: bool = True, validation_size: int = 5000,
                   seed: int | None = None, source_url: str | None = None) -> Datasets:
    """The TF1 tutorials' MNIST loader, offline (``source_url`` is accepted and ignored)."""
    if fake_data:
        raise ValueError("fake_data is not supported by the tf2-migrate loader")
    arrays = _mnist_idx_dir(Path(train_dir)) if train_dir else None
    if arrays is not None:
        source = f"local files in {train_dir}"
    else:
        local = _local_keras("mnist", None)
        arrays, source = local if local is not None else _bundled("mnist")
    train_size = len(arrays["x_train"])
    if arrays is not None and "sample" in source and validation_size > 0:
        # Keep the tutorial's proportion (5000 of 60000) on the small sample.
        validation_size = max(1, round(validation_size * train_size / 60000))
    if not 0 <= validation_size <= train_size:
        raise ValueError(f"Validation size should be between 0 and {train_size}. Received: {validation_size}.")
    options = {"one_hot": one_hot, "dtype": dtype, "reshape": reshape, "seed": seed}
    x, y = arrays["x_train"], arrays["y_train"]
    result = Datasets(
        DataSet(x[validation_size:], y[validation_size:], **options),
        DataSet(x[:validation_size], y[:validation_size], **options),
        DataSet(arrays["x_test"], arrays["y_test"], **options),
    )
    result.source = _announce("MNIST", source)
    return result


def _numpy_dtype(dtype: Any) -> Any:
    as_numpy = getattr(dtype, "as_numpy_dtype", None)
    return np.dtype(as_numpy if as_numpy is not None else dtype).type
