"""Make every data file in this folder, reproducibly (fixed seeds, fixed formatting).

    python datasets/make_datasets.py            rewrite the files next to this script
    python datasets/make_datasets.py --out DIR  write them into DIR instead

A test runs this into a temporary folder and compares the files byte for byte, so
the committed CSVs are exactly what this script makes. Each dataset is described in
README.md beside this script.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def pig_sales(seed: int = 2024) -> str:
    """Wang Xiaoer's farm, years 0–10: about 5x² + 30 pigs in year x, rounded, with noise.

    The noise is a whole number of pigs, normal with a standard deviation of 3, so the
    yearly growth is visibly close to, but not exactly, 10x − 5.
    """
    rng = np.random.default_rng(seed)
    years = np.arange(11)
    pigs = np.rint(5 * years**2 + 30 + rng.normal(0, 3, years.size)).astype(int)
    rows = [f"{year},{count}" for year, count in zip(years, pigs, strict=True)]
    return "year,pigs_sold\n" + "\n".join(rows) + "\n"


DATASETS = {"pig_sales.csv": pig_sales}


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in DATASETS.items():
        path = out / name
        path.write_text(make(), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    for path in write_all(parser.parse_args(argv).out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
