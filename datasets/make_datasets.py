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

from course.data import two_circles


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


def _csv(header: str, rows) -> str:
    return header + "\n" + "\n".join(",".join(row) for row in rows) + "\n"


def pig_farm(seed: int = 2025, n: int = 60) -> str:
    """60 records of the grown farm at irregular times: pigs ≈ 5x₁² + 8x₂ + 35x₃ + 30.

    x₁ = years since opening (0–10), x₂ = area in hundreds of m² (5–20), x₃ = employees
    (1–8), drawn independently so each coefficient can be recovered; noise normal
    with a standard deviation of 5 pigs.
    """
    rng = np.random.default_rng(seed)
    years = np.round(np.sort(rng.uniform(0, 10, n)), 2)
    area = np.round(rng.uniform(5, 20, n), 1)
    employees = rng.integers(1, 9, n)
    pigs = 5 * years**2 + 8 * area + 35 * employees + 30 + rng.normal(0, 5, n)
    rows = ((f"{t:.2f}", f"{a:.1f}", f"{e:d}", f"{p:.0f}")
            for t, a, e, p in zip(years, area, employees, pigs, strict=True))
    return _csv("year,area,employees,pigs_sold", rows)


def exam_results(seed: int = 2026, n: int = 100) -> str:
    """Lesson 5's two classes: hours studied and exercises done → passed (1) or not (0).

    Linearly separable by construction: a student passes when
    0.9·hours + 0.6·exercises > 10, and points within 0.8 of that line are redrawn, so
    a single logistic neuron can classify every row correctly.
    """
    rng = np.random.default_rng(seed)
    rows = []
    while len(rows) < n:
        hours, exercises = rng.uniform(0, 12), rng.integers(0, 16)
        score = 0.9 * hours + 0.6 * exercises - 10
        if abs(score) >= 0.8:
            rows.append((f"{hours:.1f}", f"{exercises:d}", f"{int(score > 0):d}"))
    return _csv("hours_studied,exercises_done,passed", rows)


def circles(seed: int = 2027, n: int = 1000, test_share: float = 0.2) -> str:
    """Lesson 7's two noisy concentric circles: radius 1 (label 0) and 0.5 (label 1).

    Each point's angle is uniform; both coordinates get normal noise with a standard
    deviation of 0.05. A random 20 % of the rows are marked `test`, the rest `train`.
    """
    rng = np.random.default_rng(seed)
    (x1, x2), labels = two_circles(rng, n, 0.05)  # lesson 7's playground makes its sets alike
    split = np.where(rng.permutation(n) < int(test_share * n), "test", "train")
    rows = ((f"{a:.5f}", f"{b:.5f}", f"{y:d}", s)
            for a, b, y, s in zip(x1, x2, labels, split, strict=True))
    return _csv("x1,x2,label,split", rows)


DATASETS = {
    "pig_sales.csv": pig_sales,
    "pig_farm.csv": pig_farm,
    "exam_results.csv": exam_results,
    "circles.csv": circles,
}


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
