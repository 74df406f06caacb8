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
