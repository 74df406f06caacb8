"""Load the course's datasets.

The CSV files live in the repository's datasets/ folder and are installed as the
package `course.datasets`, so `load_dataset` works from any working directory,
including a lesson folder that nbgrader's exchange copied somewhere else.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np


def dataset_path(name: str) -> Path:
    """The installed path of `datasets/<name>.csv`."""
    path = Path(str(files("course.datasets") / f"{name}.csv"))
    if not path.is_file():
        known = sorted(p.stem for p in path.parent.glob("*.csv"))
        raise FileNotFoundError(f"No dataset called {name!r}. Known datasets: {known}.")
    return path


def load_dataset(name: str) -> dict[str, np.ndarray]:
    """Read `datasets/<name>.csv` into {column name: NumPy array}.

    Whole-number columns come back as integer arrays, the rest as floats.
    """
    table = np.genfromtxt(dataset_path(name), delimiter=",", names=True, dtype=None,
                          encoding="utf-8")
    return {column: np.asarray(table[column]) for column in table.dtype.names}


def two_circles(rng: np.random.Generator, n: int, noise: float):
    """Two noisy concentric circles: X (2, n) and labels (n,), alternating 0, 1, ...

    Label 0 lies on the circle of radius 1, label 1 on the circle of radius 0.5; each
    point's angle is uniform and both coordinates get normal noise of standard deviation
    `noise`. datasets/make_datasets.py makes circles.csv with it, lesson 7's playground
    fresh sets (same draws from `rng`, in the same order, so the file stays the same).
    """
    labels = np.arange(n) % 2
    angles = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(labels == 1, 0.5, 1.0)
    X = np.vstack([radius * np.cos(angles) + rng.normal(0, noise, n),
                   radius * np.sin(angles) + rng.normal(0, noise, n)])
    return X, labels


def circles_split(table: dict, split: str = "train"):
    """One split ("train" or "test") of the circles table: X (2, m), Y (1, m), floats."""
    keep = table["split"] == split
    X = np.vstack([table["x1"][keep], table["x2"][keep]]).astype(float)
    return X, table["label"][keep].reshape(1, -1).astype(float)


def load_circles(split: str = "train"):
    """One split of datasets/circles.csv: X (2, m), Y (1, m) (Y = 1: the inner circle)."""
    return circles_split(load_dataset("circles"), split)
