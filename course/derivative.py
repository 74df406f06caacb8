"""Lesson 1 (the derivative): its figures and its secant-to-tangent widget.

Each takes the learner's functions where it uses them and shows a "finish exercise N"
note instead of failing while they are unfinished.
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from course.learner import Unfinished, attempt, number, pair
from course.style import COLORS, CURVE, POINT, SECANT, TANGENT
from course.widgets import figure_of_the_learners_work, redrawing, show, slider


def sales(years, pigs, title="Wang Xiaoer's pig sales"):
    """Pigs sold per year, as points joined by a line."""
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    ax.plot(years, pigs, "o-", color=CURVE)
    ax.set(xlabel="year x (years since the farm opened)", ylabel="pigs sold (pigs)", title=title)
    ax.grid(alpha=0.3)
    show()


def yearly_growth(years, pigs, yearly_growth):
    """Bars: the learner's yearly growth of the farm; line: 10x − 5, the story's model."""
    with figure_of_the_learners_work(xlabel="year x (years since the farm opened)",
                                     ylabel="growth (pigs/year)") as ax:
        ax.plot(years[1:], 10 * years[1:] - 5, "--", color=SECANT,
                label="10x − 5  (growth of 5x² + 30 over the year before x)")
        growth = attempt(yearly_growth, pigs)
        ax.bar(years[1:], growth, color=CURVE, alpha=0.8, label="your yearly_growth(pigs)")


YEARS = np.linspace(0, 6, 61)  # the x axis of the farm plots, in years
PLOT_X = np.linspace(-0.5, 6.5, 200)


def constant_vs_changing(constant, changing, years=YEARS):
    """The two farms of the story side by side: y = 10x + 30 and y = 5x² + 30."""
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    ax.plot(years, constant(years), color=SECANT, label="y = 10x + 30  (constant rate)")
    ax.plot(years, changing(years), color=CURVE, label="y = 5x² + 30  (changing rate)")
    ax.set(xlabel="time x (years)", ylabel="pigs sold y (pigs)")
    ax.legend()
    ax.grid(alpha=0.3)
    show()


def difference_errors(forward_difference, central_difference, f=np.exp, derivative=np.exp,
                      x=1.0):
    """Log–log plot of |numerical − true derivative| against the step h."""
    steps = np.logspace(-15, 0, 76)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    notes = []
    for method, color, name in [(forward_difference, SECANT, "forward difference"),
                                (central_difference, COLORS["green"], "central difference")]:
        try:
            errors = np.array([abs(number(method, f, x, h) - derivative(x)) for h in steps])
        except Unfinished as unfinished:
            notes.append(str(unfinished))
            continue
        ax.loglog(steps, np.maximum(errors, 1e-17), "o-", ms=3, color=color, label=name)
    ax.loglog(steps, steps, ":", color=COLORS["black"], alpha=0.5, label="slope 1 (error ∝ h)")
    ax.loglog(steps, steps**2, "--", color=COLORS["black"], alpha=0.5, label="slope 2 (error ∝ h²)")
    ax.set(xlabel="step h (no unit, log scale)",
           ylabel="absolute error (no unit, log scale)",
           ylim=(1e-17, 10), title=f"Error of the numerical derivative at x = {x:g}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    show()
    for note in notes:
        print(note)


def secant_and_tangent(ax, f, derivative, average_rate, tangent_line, x0, h,
                       xs=PLOT_X) -> list[str]:
    """Draw f, the secant over [x0, x0 + h] and the tangent at x0; return readout lines."""
    ax.plot(xs, f(xs), color=CURVE, lw=2, label="f(x)")
    ax.plot([x0, x0 + h], [f(x0), f(x0 + h)], "o", color=POINT)
    lines = []
    try:
        secant = number(average_rate, f, x0, x0 + h)
        ax.plot(xs, f(x0) + secant * (xs - x0), color=SECANT, label=f"secant, slope {secant:.4g}")
        lines.append(f"secant slope over [{x0:.2f}, {x0 + h:.4g}]: <b>{secant:.6g}</b> pigs/year")
    except Unfinished as unfinished:
        secant = None
        lines.append(f"{unfinished} (the secant)")
    try:
        slope, intercept = pair(tangent_line, f, derivative, x0)
        ax.plot(xs, slope * xs + intercept, "--", color=TANGENT, label=f"tangent, slope {slope:.4g}")
        lines.append(f"tangent slope at x₀ = {x0:.2f}: <b>{slope:.6g}</b> pigs/year")
        if secant is not None:
            lines.append(f"gap between them: <b>{abs(secant - slope):.3g}</b> — shrink h to close it")
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the tangent)")
    ax.set(xlabel="time x (years)", ylabel="pigs sold f(x) (pigs)", xlim=(xs[0], xs[-1]),
           ylim=(float(f(xs).min()) - 20, float(f(xs).max()) + 20))
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return lines


def secant_to_tangent(f, derivative, average_rate, tangent_line, x0=3.0, h=2.0):
    """Slide x₀ and h: the secant over [x₀, x₀ + h] turns into the tangent at x₀.

    Uses the learner's `average_rate` (the secant's slope) and `tangent_line`.
    """
    controls = [
        slider(ipywidgets.FloatSlider, "x0", "x₀ (year)", value=x0, min=0, max=5, step=0.1),
        slider(ipywidgets.FloatLogSlider, "h", "h (years)", value=h, base=10, min=-3, max=0.4,
                step=0.05, readout_format=".3g"),
    ]
    # The curve spans every position the sliders allow: x₀ + h reaches 5 + 10^0.4 ≈ 7.5.
    x0_slider, h_slider = controls
    xs = np.linspace(x0_slider.min - 0.5, x0_slider.max + 10 ** h_slider.max + 0.5, 200)
    return redrawing(controls, lambda ax, v: secant_and_tangent(
        ax, f, derivative, average_rate, tangent_line, v["x0"], v["h"], xs=xs))
