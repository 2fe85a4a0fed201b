"""Write the small CSV files that the TF1 tutorial notebooks read.

The data is synthetic, so it can be shipped and regenerated anywhere without downloads.
``numpy.random.RandomState`` is used on purpose: its streams are frozen by NumPy's
compatibility policy, so the same seed gives the same bytes on every NumPy version.

    python notebooks/data/make_data.py            # rewrite the files next to this script
    python notebooks/data/make_data.py --out DIR  # write them somewhere else (the tests do)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

HOUSING_COLUMNS = ("rooms", "age", "distance", "price")
FLOWER_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")

# One row of mean measurements per species; the classes overlap a little so that accuracy is not trivially 1.
_FLOWER_MEANS = np.array(
    [
        [5.0, 3.4, 1.5, 0.3],
        [5.9, 2.8, 4.2, 1.3],
        [6.6, 3.0, 5.5, 2.0],
    ]
)
_FLOWER_SPREAD = np.array([0.35, 0.3, 0.45, 0.25])


def housing_rows(count: int, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    rooms = rng.uniform(2.0, 8.0, count)
    age = rng.uniform(1.0, 90.0, count)
    distance = rng.uniform(0.5, 12.0, count)
    noise = rng.normal(0.0, 2.0, count)
    price = 8.0 + 5.5 * rooms - 0.08 * age - 1.2 * distance + noise
    return np.column_stack([rooms, age, distance, price])


def flower_rows(per_class: int, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    blocks = []
    for species, mean in enumerate(_FLOWER_MEANS):
        measurements = mean + _FLOWER_SPREAD * rng.normal(size=(per_class, len(mean)))
        labels = np.full((per_class, 1), species)
        blocks.append(np.hstack([measurements, labels]))
    rows = np.vstack(blocks)
    return rows[rng.permutation(len(rows))]


def _write_csv(path: Path, columns: tuple[str, ...], rows: np.ndarray, integer_last: bool) -> None:
    lines = [",".join(columns)]
    for row in rows:
        cells = ["%.3f" % value for value in row[:-1]]
        cells.append("%d" % row[-1] if integer_last else "%.3f" % row[-1])
        lines.append(",".join(cells))
    # "\n" endings whatever the platform, so regenerated files compare byte for byte.
    path.write_bytes(("\n".join(lines) + "\n").encode("ascii"))


def write_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "housing.csv": (HOUSING_COLUMNS, housing_rows(240, seed=7), False),
        "flowers_train.csv": (FLOWER_COLUMNS, flower_rows(40, seed=11), True),
        "flowers_test.csv": (FLOWER_COLUMNS, flower_rows(10, seed=12), True),
    }
    written = []
    for name, (columns, rows, integer_last) in files.items():
        path = out_dir / name
        _write_csv(path, columns, rows, integer_last)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    write_all(args.out)


if __name__ == "__main__":
    main()
