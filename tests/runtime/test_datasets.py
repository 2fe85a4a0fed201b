"""Offline tutorial loaders: local files first, then the bundled sample, never the network."""

from __future__ import annotations

import gzip
import warnings

import numpy as np
import pytest

from kernel_helpers.runtime import datasets, samples


@pytest.fixture(autouse=True)
def no_local_copies(monkeypatch, tmp_path):
    # Keep the developer's real ~/.keras out of the tests.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.delenv("TF2_MIGRATE_DATA_DIR", raising=False)


def write_idx(path, array: np.ndarray) -> None:
    header = (0x0800 | array.ndim).to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_shipped_samples_are_what_the_generator_makes() -> None:
    for name in samples.SAMPLES:
        shipped = samples.load_sample(name)
        assert samples.sample_path(name).exists(), name
        fresh = samples.generate(name)
        assert shipped.keys() == fresh.keys()
        for key in fresh:
            np.testing.assert_array_equal(shipped[key], fresh[key], err_msg=f"{name}.{key}")
    total = sum(samples.sample_path(name).stat().st_size for name in samples.SAMPLES)
    assert total < 2 * 1024 * 1024


def test_samples_have_the_real_datasets_shapes_and_every_class() -> None:
    mnist = samples.load_sample("mnist")
    assert mnist["x_train"].shape[1:] == (28, 28) and mnist["x_train"].dtype == np.uint8
    assert set(np.unique(mnist["y_train"])) == set(range(10))
    assert mnist["x_train"].max() == 255 and mnist["x_train"].mean() > 10  # strokes, not blank images
    cifar = samples.load_sample("cifar10")
    assert cifar["x_train"].shape[1:] == (32, 32, 3) and cifar["y_train"].shape[1:] == (1,)
    housing = samples.load_sample("boston_housing")
    assert housing["x_train"].shape[1] == 13 and housing["y_train"].ndim == 1


def test_read_data_sets_uses_the_bundled_sample_and_says_so(tmp_path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        data = datasets.read_data_sets(str(tmp_path / "MNIST_data"), one_hot=True)
    messages = [str(w.message) for w in caught if issubclass(w.category, datasets.DataSourceNotice)]
    assert len(messages) == 1 and "bundled synthetic mnist sample" in messages[0] and "NOT the real" in messages[0]
    assert data.source == messages[0]
    assert data.train.images.shape[1] == 784 and data.train.images.dtype == np.float32
    assert 0.0 <= data.train.images.min() and data.train.images.max() <= 1.0
    assert data.train.labels.shape[1] == 10 and np.all(data.train.labels.sum(axis=1) == 1)
    # The tutorial's 5000-of-60000 validation share, on the small sample.
    total = len(samples.load_sample("mnist")["x_train"])
    assert data.validation.num_examples == round(5000 * total / 60000)
    assert data.train.num_examples + data.validation.num_examples == total


def test_read_data_sets_prefers_local_idx_files(tmp_path) -> None:
    images = np.arange(6 * 28 * 28).reshape(6, 28, 28) % 256
    labels = np.array([0, 1, 2, 3, 4, 5])
    for key, name in datasets._MNIST_FILES.items():
        write_idx(tmp_path / name, images if "images" in key else labels)
    with warnings.catch_warnings(record=True):
        data = datasets.read_data_sets(str(tmp_path), validation_size=2, reshape=False, dtype=np.uint8)
    assert data.source.startswith(f"tf2-migrate: MNIST loaded from local files in {tmp_path}")
    assert data.train.images.shape == (4, 28, 28)
    np.testing.assert_array_equal(data.validation.images, images[:2])
    np.testing.assert_array_equal(data.test.labels, labels)


def test_next_batch_wraps_epochs_deterministically(tmp_path) -> None:
    with warnings.catch_warnings(record=True):
        first = datasets.read_data_sets(str(tmp_path)).train
        second = datasets.read_data_sets(str(tmp_path)).train
    n = first.num_examples
    seen = [first.next_batch(100)[1] for _ in range(n // 100 + 2)]
    again = [second.next_batch(100)[1] for _ in range(n // 100 + 2)]
    assert all(np.array_equal(a, b) for a, b in zip(seen, again))
    assert first.epochs_completed >= 1
    assert all(len(batch) == 100 for batch in seen)


def test_keras_loader_reads_a_local_npz(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TF2_MIGRATE_DATA_DIR", str(tmp_path))
    x = np.full((3, 28, 28), 7, np.uint8)
    np.savez(tmp_path / "mnist.npz", x_train=x, y_train=np.arange(3), x_test=x[:1], y_test=np.arange(1))
    with warnings.catch_warnings(record=True):
        (x_train, _), (x_test, _) = datasets.KERAS_LOADERS["mnist"]()
    assert x_train.shape == (3, 28, 28) and x_test.shape == (1, 28, 28)
    assert datasets.last_source().endswith(f"local files in {tmp_path} (no download).")


def test_keras_loaders_fall_back_to_samples_or_fail_clearly() -> None:
    with warnings.catch_warnings(record=True):
        (x_train, y_train), _ = datasets.KERAS_LOADERS["cifar10"]()
        assert "bundled synthetic cifar10 sample" in datasets.last_source()
        (h_train, _), (h_test, _) = datasets.KERAS_LOADERS["boston_housing"]()
    assert x_train.shape[1:] == (32, 32, 3) and y_train.shape[1:] == (1,)
    assert len(h_train) + len(h_test) == sum(samples.SAMPLES["boston_housing"])
    with pytest.raises(FileNotFoundError, match="no local copy of the imdb dataset.*never downloads"):
        datasets.KERAS_LOADERS["imdb"]()


def test_patch_keras_datasets_and_undo() -> None:
    keras = pytest.importorskip("keras")
    original = keras.datasets.mnist.load_data
    undo = datasets.patch_keras_datasets("keras")
    try:
        assert keras.datasets.mnist.load_data is datasets.KERAS_LOADERS["mnist"]
        with warnings.catch_warnings(record=True):
            (x_train, _), _ = keras.datasets.mnist.load_data()
        assert x_train.shape[1:] == (28, 28)
    finally:
        undo()
    assert keras.datasets.mnist.load_data is original
