"""Lesson 0 (NumPy arrays): its figures and its threshold widget.

The widget uses the learner's `good_years` and shows a "finish exercise N" note
instead of failing while it is unfinished.
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from course.learner import Unfinished, attempt
from course.style import COLORS, CURVE, SECANT
from course.widgets import redrawing, slider


def exp_and_log(xs):
    """np.exp and np.log applied to a whole array of x values at once."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    left.plot(xs, np.exp(xs), color=CURVE)
    left.set(xlabel="x (no unit)", ylabel="np.exp(x) (no unit)", title="eˣ: always above 0")
    positive = xs[xs > 0]
    right.plot(positive, np.log(positive), color=SECANT)
    right.axhline(0, color=COLORS["black"], lw=0.8)
    right.set(xlabel="x (no unit)", ylabel="np.log(x) (no unit)", title="ln x: only for x > 0")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()


def good_years_bars(ax, years, pigs, good_years, threshold) -> list[str]:
    """Bars of pigs sold per year, the threshold line, and the learner's selection."""
    ax.bar(years, pigs, color=COLORS["sky"], label="pigs sold")
    ax.axhline(threshold, color=COLORS["vermillion"], ls="--", label=f"threshold {threshold:g} pigs")
    ax.set(xlabel="year (years since the farm opened)", ylabel="pigs sold (pigs)",
           xlim=(years.min() - 0.7, years.max() + 0.7), ylim=(0, 1.08 * THRESHOLD_MAX))
    ax.grid(alpha=0.3, axis="y")
    try:
        chosen = np.asarray(attempt(good_years, years.copy(), pigs.copy(), threshold))
        picked = np.isin(years, chosen)
        ax.bar(years[picked], pigs[picked], color=CURVE, label="your good_years")
        listed = ", ".join(f"{y:g}" for y in chosen.ravel()) or "none"
        lines = [f"years with more than {threshold:g} pigs sold: <b>{listed}</b> "
                 f"({chosen.size} of {years.size})"]
    except Unfinished as unfinished:
        lines = [str(unfinished)]
    ax.legend(loc="upper left", fontsize=8)
    return lines


THRESHOLD_MAX = 550  # pigs: the slider's top, above the farm's best year (532)


def good_years_explorer(years, pigs, good_years, threshold=100):
    """Slide the threshold: the learner's `good_years` picks the years above it."""
    controls = [slider(ipywidgets.IntSlider, "threshold", "threshold (pigs)", value=threshold,
                       min=0, max=THRESHOLD_MAX, step=10)]
    return redrawing(controls, lambda ax, v: good_years_bars(
        ax, np.asarray(years), np.asarray(pigs), good_years, v["threshold"]))
