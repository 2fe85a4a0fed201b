"""Small synthetic stand-ins for the tutorial datasets, made by a deterministic generator.

They are NOT the real datasets: the reference runtime never downloads, and tutorials still need
data of the right shape and dtype that a model can learn from.  Each sample is generated from a
fixed seed with numpy only, saved under ``kernel_helpers/runtime/data/`` (a few hundred kB in
all) and regenerated bit for bit by :func:`generate` (a test checks the shipped files).

* ``mnist``: 28x28 uint8 digits drawn as jittered seven-segment strokes, labels 0-9;
* ``fashion_mnist``: 28x28 uint8 filled silhouettes of ten garment-like shapes;
* ``cifar10``: 32x32x3 uint8 images of a class-coloured shape on a textured background,
  labels of shape (n, 1) like Keras';
* ``boston_housing``: 13 float64 features and a price from a fixed noisy linear model.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

__all__ = ["DATA_DIR", "SAMPLES", "generate", "load_sample", "write_samples"]

DATA_DIR = Path(__file__).with_name("data")

# name -> (train size, test size)
SAMPLES = {
    "mnist": (500, 100),
    "fashion_mnist": (500, 100),
    "cifar10": (200, 50),
    "boston_housing": (404, 102),
}

_SEEDS = {"mnist": 1998, "fashion_mnist": 2017, "cifar10": 2009, "boston_housing": 1978}

_GRID = np.stack(np.meshgrid(np.arange(28) + 0.5, np.arange(28) + 0.5, indexing="xy"), axis=-1)

# Seven-segment strokes in a unit box (x right, y down): a top, b top-right, c bottom-right,
# d bottom, e bottom-left, f top-left, g middle.
_SEGMENTS = {
    "a": ((0, 0), (1, 0)), "b": ((1, 0), (1, 0.5)), "c": ((1, 0.5), (1, 1)), "d": ((0, 1), (1, 1)),
    "e": ((0, 0.5), (0, 1)), "f": ((0, 0), (0, 0.5)), "g": ((0, 0.5), (1, 0.5)),
}
_DIGITS = ["abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"]

# Garment-like polygons in a unit box, one per fashion class.
_SHAPES = [
    [(0.2, 0), (0.8, 0), (1, 0.3), (0.8, 0.35), (0.8, 1), (0.2, 1), (0.2, 0.35), (0, 0.3)],  # t-shirt
    [(0.25, 0), (0.75, 0), (0.8, 1), (0.55, 1), (0.5, 0.3), (0.45, 1), (0.2, 1)],  # trouser
    [(0.2, 0), (0.8, 0), (1, 1), (0.85, 1), (0.8, 0.3), (0.8, 1), (0.2, 1), (0.2, 0.3), (0.15, 1), (0, 1)],  # pullover
    [(0.35, 0), (0.65, 0), (0.7, 0.3), (0.9, 1), (0.1, 1), (0.3, 0.3)],  # dress
    [(0.15, 0), (0.85, 0), (1, 1), (0.55, 1), (0.5, 0.1), (0.45, 1), (0, 1)],  # coat
    [(0, 0.6), (1, 0.75), (1, 0.85), (0, 0.85)],  # sandal
    [(0.2, 0), (0.8, 0), (0.95, 0.9), (0.8, 0.9), (0.8, 1), (0.2, 1), (0.2, 0.9), (0.05, 0.9)],  # shirt
    [(0, 0.55), (0.45, 0.5), (1, 0.75), (1, 0.95), (0, 0.95)],  # sneaker
    [(0.1, 0.3), (0.35, 0.3), (0.35, 0.1), (0.65, 0.1), (0.65, 0.3), (0.9, 0.3), (0.9, 1), (0.1, 1)],  # bag
    [(0.3, 0), (0.7, 0), (0.7, 0.6), (1, 0.75), (1, 1), (0.3, 1)],  # ankle boot
]


def _segment_distance(points: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    direction = end - start
    length = float(direction @ direction) or 1e-9
    t = np.clip(((points - start) @ direction) / length, 0.0, 1.0)
    nearest = start + t[..., None] * direction
    return np.linalg.norm(points - nearest, axis=-1)


def _transform(rng: np.random.Generator, size: float) -> tuple[float, np.ndarray, np.ndarray]:
    """A random slant, scale and shift for one image."""
    slant = rng.uniform(-0.25, 0.25)
    scale = np.array([size * rng.uniform(0.55, 0.75), size * rng.uniform(0.9, 1.05)])
    shift = np.array([14.0, 14.0]) + rng.uniform(-2, 2, size=2)
    return slant, scale, shift


def _place(unit: np.ndarray, transform: tuple[float, np.ndarray, np.ndarray]) -> np.ndarray:
    """Map unit-box points into the 28x28 canvas."""
    slant, scale, shift = transform
    centred = (unit - 0.5) * scale
    centred[..., 0] += slant * -centred[..., 1]
    return centred + shift


def _digit(rng: np.random.Generator, label: int) -> np.ndarray:
    thickness = rng.uniform(1.2, 2.2)
    transform = _transform(rng, 18.0)
    distance = np.full((28, 28), np.inf)
    for name in _DIGITS[label]:
        start, end = (np.asarray(p, dtype=float) + rng.uniform(-0.06, 0.06, size=2) for p in _SEGMENTS[name])
        distance = np.minimum(distance, _segment_distance(_GRID, _place(start, transform), _place(end, transform)))
    return np.clip(1.0 - (distance - thickness / 2.0), 0.0, 1.0)


def _inside(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd point-in-polygon test for every point."""
    x, y = points[..., 0], points[..., 1]
    inside = np.zeros(points.shape[:-1], dtype=bool)
    for (x0, y0), (x1, y1) in zip(polygon, np.roll(polygon, -1, axis=0)):
        crosses = (y0 > y) != (y1 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = (x1 - x0) * (y - y0) / (y1 - y0) + x0
        inside ^= crosses & (x < at)
    return inside


def _garment(rng: np.random.Generator, label: int) -> np.ndarray:
    polygon = np.asarray(_SHAPES[label], dtype=float) + rng.uniform(-0.03, 0.03, size=(len(_SHAPES[label]), 2))
    placed = _place(polygon, _transform(rng, 24.0))
    mask = _inside(_GRID, placed).astype(float)
    texture = 0.55 + 0.35 * rng.random() + 0.1 * rng.standard_normal((28, 28))
    return np.clip(mask * texture, 0.0, 1.0)


def _colour_image(rng: np.random.Generator, label: int) -> np.ndarray:
    grid = np.stack(np.meshgrid(np.arange(32) + 0.5, np.arange(32) + 0.5, indexing="xy"), axis=-1)
    hue = label / 10.0
    colour = 0.5 + 0.5 * np.cos(2 * np.pi * (hue + np.array([0.0, 1 / 3, 2 / 3])))
    background = rng.uniform(0.2, 0.8, size=3) * (0.8 + 0.2 * rng.random((32, 32, 1)))
    centre = rng.uniform(11, 21, size=2)
    radius = rng.uniform(6, 11)
    # Even classes are discs, odd ones squares: shape and colour both carry the label.
    if label % 2 == 0:
        mask = np.linalg.norm(grid - centre, axis=-1) < radius
    else:
        mask = np.max(np.abs(grid - centre), axis=-1) < radius * 0.8
    image = np.where(mask[..., None], colour * rng.uniform(0.8, 1.0), background)
    return np.clip(image + 0.03 * rng.standard_normal((32, 32, 3)), 0.0, 1.0)


def _images(name: str, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, 10, size=count).astype(np.uint8)
    draw = {"mnist": _digit, "fashion_mnist": _garment, "cifar10": _colour_image}[name]
    images = np.stack([draw(rng, int(label)) for label in labels])
    return np.round(images * 255.0).astype(np.uint8), labels


def _housing(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    scales = np.array([3.6, 11.4, 11.1, 0.07, 0.55, 6.3, 68.6, 3.8, 9.5, 408.0, 18.5, 356.0, 12.7])
    features = scales * rng.lognormal(0.0, 0.35, size=(count, 13))
    features[:, 3] = (rng.random(count) < 0.07).astype(float)  # the river dummy variable
    weights = np.array([-0.1, 0.05, 0.0, 2.7, -17.0, 3.8, 0.0, -1.5, 0.3, -0.012, -0.95, 0.009, -0.52])
    prices = np.clip(36.0 + features @ weights + rng.normal(0.0, 2.5, size=count), 5.0, 50.0)
    return np.round(features, 4), np.round(prices, 1)


def generate(name: str) -> dict[str, np.ndarray]:
    """The arrays of one sample: ``x_train, y_train, x_test, y_test``."""
    train_size, test_size = SAMPLES[name]
    rng = np.random.Generator(np.random.PCG64(_SEEDS[name]))
    if name == "boston_housing":
        x, y = _housing(train_size + test_size, rng)
        return {"x_train": x[:train_size], "y_train": y[:train_size],
                "x_test": x[train_size:], "y_test": y[train_size:]}
    x_train, y_train = _images(name, train_size, rng)
    x_test, y_test = _images(name, test_size, rng)
    if name == "cifar10":
        y_train, y_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def sample_path(name: str) -> Path:
    return DATA_DIR / f"{name}_sample.npz"


def load_sample(name: str) -> dict[str, np.ndarray]:
    """The shipped sample (generated on the fly if the file is missing from an odd install)."""
    path = sample_path(name)
    if path.exists():
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    return generate(name)


def write_samples(directory: Path = DATA_DIR) -> list[Path]:
    """Regenerate the shipped files (``python -m kernel_helpers.runtime.samples``)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SAMPLES:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **generate(name))
        path = directory / f"{name}_sample.npz"
        path.write_bytes(buffer.getvalue())
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_samples():
        print(written_path, written_path.stat().st_size)
