"""Lesson 2 (gradient descent in one variable): its figures and its descent explorer.

Every figure that walks downhill uses the learner's own `gradient_descent` (Exercise 1)
and, for the several-starts figure, their `best_of_starts` (Exercise 5); while those
are unfinished the figure draws the curve and prints the "🔒 Finish Exercise N" note.

Decisions (for whoever edits lesson 2 next):
- A path is `gradient_descent(df, x0, learning_rate, steps)`: steps + 1 positions that
  start at x0. `descent_path` insists on exactly that and explains anything else.
- η moves in steps of 0.005 (not a log slider) so that the lesson's suggested values,
  0.125, 0.25, 1.9, 2, 2.1, are all reachable exactly.
- The explorer asks the learner's function for the whole `MAX_STEPS`-step path at every
  redraw and shows its first `step` steps; the step slider is driven by an ipywidgets
  Play through `jslink` (front end only), so the kernel sees ordinary slider changes.
  The readout judges the whole path (settled / crawling / zigzagging / diverges).
- Grading keeps exercises independent (tests/test_grading.py demands it): the reference
  `classify_stationary_point` writes the second difference itself instead of calling
  Exercise 2, and check_best_of_starts swaps in a known-good `gradient_descent` inside
  its HIDDEN TESTS (restored at the end of the cell), so a wrong Exercise 1 costs only
  Exercise 1's points at autograde. In the student version the visible checks run the
  learner's own descent, and the last hint says to fix Exercise 1 first.
- Diverging paths overflow on purpose (η too large): everything here runs under
  `np.errstate(all="ignore")`, so no warning ever reaches stderr (nbgrader and the
  blank-lesson test count stderr against a cell).
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from course.learner import Unfinished, as_floats, attempt, pair
from course.style import COLORS, CURVE, POINT, SECANT, TANGENT
from course.widgets import redrawing, show, slider

MAX_STEPS = 30  # the explorer's longest walk
HILLSIDE_X = np.linspace(-4, 1.5, 200)  # the x axes of the figures
CAP_X = np.linspace(-1.25, 3.25, 200)
WAVES_X = np.linspace(-4, 4.5, 400)
OUTPUTS = np.linspace(-1.5, 3.5, 200)
HILL_X, HILL_Y = "position x (100 m east of the road)", "height f(x) (m above the road)"
VALLEY_COLORS = [COLORS["green"], COLORS["purple"], COLORS["orange"], COLORS["vermillion"],
                 COLORS["sky"]]  # valley k (from the global one at k = 0) gets colour k


def descent_path(gradient_descent, df, x0, learning_rate, steps) -> np.ndarray:
    """The learner's path as a float array of steps + 1 positions, or `Unfinished`."""
    result = attempt(gradient_descent, df, x0, learning_rate, steps)
    return as_floats(gradient_descent, result, (steps + 1,), not_finite=None,  # may diverge
                     unreadable=lambda: f"should return an array of positions, not {result!r}.",
                     wrong_shape=lambda shape: f"returned shape {shape} for {steps} steps; "
                     f"it should return {steps + 1} positions (x0, then one per step).")


def _finite(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def _plot_curve(ax, f, xs, label="f(x)", color=CURVE):
    with np.errstate(all="ignore"):
        ax.plot(xs, f(xs), color=color, lw=2, label=label)


def _plot_path(ax, f, path, color=SECANT, label=None, size=5):
    """Dots on the curve joined in order, so a zigzag shows as a zigzag."""
    with np.errstate(all="ignore"):
        heights = f(path)
    ax.plot(path, heights, "-", color=color, lw=1, alpha=0.7)
    ax.plot(path, heights, "o", color=color, ms=size, label=label)
    ax.plot(path[:1], heights[:1], "o", mfc="white", mec=color, ms=size + 3, mew=2)


def which_way_is_down(f, df, points=(-3.0, -2.0, 0.0, 1.0), xs=HILLSIDE_X):
    """The curve with short tangents at a few points and an arrow to the downhill side."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    _plot_curve(ax, f, xs, "f(x) = 4x² + 10x + 6")
    for x in points:
        slope, y = float(df(x)), float(f(x))
        run = np.array([-0.45, 0.45])
        ax.plot(x + run, y + slope * run, color=TANGENT, lw=2)
        direction = -np.sign(slope)
        ax.annotate("", xy=(x + 0.7 * direction, y), xytext=(x, y),
                    arrowprops={"arrowstyle": "->", "color": COLORS["green"], "lw": 2})
        side = "west" if direction < 0 else "east"
        ax.annotate(f"f′ = {slope:g}\ndownhill: {side}", (x, y), textcoords="offset points",
                    xytext=(8 if direction > 0 else -70, 10), fontsize=8)
        ax.plot([x], [y], "o", color=POINT)
    ax.set(xlabel=HILL_X, ylabel=HILL_Y, title="Downhill is opposite to the sign of the slope")
    ax.grid(alpha=0.3)
    show()


def learning_rates(gradient_descent, f, df, x0=1.0, steps=15,
                   rates=((0.01, "too small: crawls"), (0.1, "good"),
                          (0.2, "large: zigzags, then settles"),
                          (0.26, "too large: zigzags outward")),
                   xs=HILLSIDE_X):
    """One panel per learning rate (two panels a row): the learner's path on one curve."""
    rows = (len(rates) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(10, 3.4 * rows), squeeze=False)
    notes = []
    for ax, (rate, caption) in zip(axes.flat, rates, strict=False):
        ax.set(xlabel=HILL_X, ylabel=HILL_Y, title=f"η = {rate:g}: {caption}")
        ax.grid(alpha=0.3)
        try:
            path = descent_path(gradient_descent, df, x0, rate, steps)
        except Unfinished as unfinished:
            _plot_curve(ax, f, xs)
            notes.append(str(unfinished))
            continue
        finite = _finite(path)
        lo, hi = min(xs[0], finite.min() - 0.3), max(xs[-1], finite.max() + 0.3)
        _plot_curve(ax, f, np.linspace(lo, hi, 300))
        _plot_path(ax, f, path)
        with np.errstate(all="ignore"):
            height = float(f(path[-1]))
        notes.append(f"η = {rate:<5g} after {steps} steps: x = {path[-1]:.6g}, f(x) = {height:.6g}")
    for ax in axes.flat[len(rates):]:
        ax.set_visible(False)
    fig.subplots_adjust(wspace=0.3, hspace=0.45)
    show()
    for note in dict.fromkeys(notes):
        print(note)


def ball_in_bowl(gradient_descent, error, d_error, starts=(3.0, -1.0), learning_rate=0.5,
                 steps=6, outputs=OUTPUTS):
    """The error E(O) = ½(1 − O)² with two balls rolling to O = 1; prints their paths."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    _plot_curve(ax, error, outputs, "E(O) = ½(1 − O)²")
    lines = []
    for start, color in zip(starts, [SECANT, COLORS["green"]], strict=False):
        try:
            path = descent_path(gradient_descent, d_error, start, learning_rate, steps)
        except Unfinished as unfinished:
            lines = [str(unfinished)]
            break
        _plot_path(ax, error, path, color=color, label=f"start O = {start:g}")
        lines.append(f"from O = {start:g}: " + " → ".join(f"{o:.4g}" for o in path))
    ax.axvline(1, color=POINT, ls=":", lw=1)
    ax.set(xlabel="output O (no unit; the target is 1)", ylabel="error E (no unit)",
           title=f"A ball in a bowl, η = {learning_rate:g}")
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    ax.grid(alpha=0.3)
    show()
    for line in lines:
        print(line)


def convex_and_concave(f, q):
    """A bowl (convex, f″ > 0) next to a cap (concave, f″ < 0), vertices marked."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    _plot_curve(left, f, np.linspace(-3.5, 1, 200), "f(x) = 4x² + 10x + 6")
    left.plot([-1.25], [-0.25], "o", color=TANGENT, label="minimum (−5/4, −1/4)")
    left.set(title="convex: f″(x) = 8 > 0, a bowl", xlabel=HILL_X, ylabel=HILL_Y)
    _plot_curve(right, q, CAP_X, "q(x) = −x² + 2x + 3",
                color=COLORS["purple"])
    right.plot([1], [4], "o", color=TANGENT, label="maximum (1, 4)")
    right.set(title="concave: q″(x) = −2 < 0, a cap", xlabel=HILL_X, ylabel="height q(x) (m)")
    for ax in (left, right):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.subplots_adjust(wspace=0.3)
    show()


def climb(gradient_descent, q, dq, x0=-2.0, learning_rate=0.2, steps=12,
          xs=CAP_X):
    """Gradient ascent on q, done by the learner's descent on −q (slope −q′)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    _plot_curve(ax, q, xs, "q(x) = −x² + 2x + 3", color=COLORS["purple"])
    note = None
    try:
        path = descent_path(gradient_descent, lambda x: -dq(x), x0, learning_rate, steps)
        _plot_path(ax, q, path, color=COLORS["green"], label=f"ascent from x = {x0:g}")
        note = (f"after {steps} steps of ascent: x = {path[-1]:.6g}, "
                f"q(x) = {float(q(path[-1])):.6g}  (the top is at x = 1, q = 4)")
        ax.legend()
    except Unfinished as unfinished:
        note = str(unfinished)
    ax.set(xlabel=HILL_X, ylabel="height q(x) (m)", title=f"Gradient ascent, η = {learning_rate:g}")
    ax.grid(alpha=0.3)
    show()
    print(note)


def several_starts(gradient_descent, best_of_starts, f, df, starts, learning_rate=0.05,
                   steps=100, xs=WAVES_X):
    """Each start's walk, coloured by the valley it ends in; the best end starred."""
    fig, ax = plt.subplots(figsize=(8, 4))
    _plot_curve(ax, f, xs, "g(x) = sin(3x) + 0.1x²")
    notes = []
    try:
        ends = []
        for start in starts:
            path = descent_path(gradient_descent, df, start, learning_rate, steps)
            valley = int(np.round((path[-1] + 0.5) / (2 * np.pi / 3)))  # minima ≈ 2π/3 apart
            color = VALLEY_COLORS[valley % len(VALLEY_COLORS)]
            _plot_path(ax, f, path[:20], color=color, size=3)
            ends.append(path[-1])
        ax.plot(ends, f(np.array(ends)), "v", color=POINT, ms=8, label="where the walks end")
    except Unfinished as unfinished:
        notes.append(str(unfinished))
    try:
        best_x, best_f = pair(best_of_starts, f, df, starts, learning_rate, steps)
        ax.plot([best_x], [best_f], "*", color=TANGENT, ms=18, label="best_of_starts")
        notes.append(f"best of {len(starts)} starts: x = {best_x:.6g}, f(x) = {best_f:.6g}")
    except Unfinished as unfinished:
        notes.append(str(unfinished))
    ax.set(xlabel=HILL_X, ylabel="height g(x) (m above the road)",
           title=f"{len(starts)} starts (hollow), the first 20 steps of each")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="upper center")
    ax.grid(alpha=0.3)
    show()
    for note in notes:
        print(note)


def walk(ax, gradient_descent, curve, x0, learning_rate, step, steps=MAX_STEPS) -> list[str]:
    """Draw the first `step` steps of the learner's walk on a curve; return readout lines.

    `curve` is (f, df, xs, xlabel, ylabel): the function, its slope, the x grid to draw
    and the axis labels.
    """
    f, df, xs, xlabel, ylabel = curve
    if not xs[0] <= x0 <= xs[-1]:  # widen the picture so that the start is always in it
        margin = 0.05 * (xs[-1] - xs[0])
        xs = np.linspace(min(xs[0], x0 - margin), max(xs[-1], x0 + margin), len(xs))
    _plot_curve(ax, f, xs)
    with np.errstate(all="ignore"):
        heights = f(xs)
    span = float(heights.max() - heights.min())
    ax.set(xlabel=xlabel, ylabel=ylabel, xlim=(xs[0], xs[-1]),
           ylim=(float(heights.min()) - 0.1 * span, float(heights.max()) + 0.1 * span))
    ax.grid(alpha=0.3)
    try:
        path = descent_path(gradient_descent, df, x0, learning_rate, steps)
    except Unfinished as unfinished:
        ax.plot([x0], [f(x0)], "o", mfc="white", mec=SECANT, ms=9, mew=2)
        return [str(unfinished)]
    shown = path[:step + 1]
    with np.errstate(all="ignore"):
        _plot_path(ax, f, shown)
        x = shown[-1]
        lines = [f"step <b>{step}</b> of {steps}: x = <b>{x:.5g}</b>, f(x) = {float(f(x)):.5g}"]
        if np.isfinite(x) and abs(x) < 1e6:
            slope = float(df(x))
            ax.plot([x], [f(x)], "o", color=TANGENT, ms=9)
            run = np.array([-0.4, 0.4]) * (xs[-1] - xs[0]) / 5
            ax.plot(x + run, f(x) + slope * run, color=TANGENT, lw=2)
            lines.append(f"slope f′(x) = {slope:.4g}, so the next step is "
                         f"−η·f′(x) = <b>{-learning_rate * slope:.4g}</b>")
        if not (xs[0] <= x <= xs[-1]):
            lines.append("The walker has left the picture.")
        tail = path[-3:]
        if not np.isfinite(path).all() or abs(path[-1] - path[0]) > 1e3:
            lines.append(f"After {steps} steps: <b>diverges</b>, η = {learning_rate:.3g} is too large.")
        elif abs(tail[-1] - tail[-2]) < 1e-4:
            moves = np.abs(np.diff(path))
            settled = int(np.argmax(moves < 1e-4)) + 1
            lines.append(f"After {steps} steps: <b>settled</b> at x = {path[-1]:.5g} "
                         f"(steps shorter than 0.0001 from step {settled} on).")
        elif (tail[-1] - tail[-2]) * (tail[-2] - tail[0]) < 0:
            lines.append(f"After {steps} steps: still <b>zigzagging</b> across the bottom.")
        else:
            lines.append(f"After {steps} steps: still <b>crawling</b>, η = {learning_rate:.3g} is small.")
    return lines


def explorer(gradient_descent, curves, x0=1.0, learning_rate=0.1):
    """Pick a curve, a start x₀ and a learning rate η; play the learner's walk step by step.

    `curves` maps a name to (f, df, xs, xlabel, ylabel), as `walk` takes them.
    """
    names = list(curves)
    step = slider(ipywidgets.IntSlider, "step", "step", value=0, min=0, max=MAX_STEPS)
    curve = ipywidgets.Dropdown(description="curve", options=names, value=names[0])
    curve.description_name = "curve"  # (slider() would pass continuous_update: a warning)
    controls = [
        curve,
        slider(ipywidgets.FloatSlider, "x0", "start x₀", value=x0, min=-4, max=4, step=0.1),
        slider(ipywidgets.FloatSlider, "rate", "learning rate η", value=learning_rate,
               min=0.005, max=2.2, step=0.005, readout_format=".3f"),
        step,
    ]

    def draw(ax, v):
        return walk(ax, gradient_descent, curves[v["curve"]], v["x0"], v["rate"], v["step"])

    box = redrawing(controls, draw)
    play = ipywidgets.Play(value=0, min=0, max=MAX_STEPS, interval=600, description="play")
    ipywidgets.jslink((play, "value"), (step, "value"))
    box.children = (ipywidgets.HBox([play, *controls[:3]]), ipywidgets.HBox([step]),
                    *box.children[1:])
    box.controls = {c.description_name: c for c in controls}
    box.play = play
    return box
