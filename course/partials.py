"""Lesson 3 (partial derivatives): its figures and its two explorers of an error surface.

Each figure takes the learner's functions where it uses them and shows a "finish
exercise N" note instead of failing while they are unfinished.

Decisions (for whoever edits the lesson next):
- The farm is the story's y = 5x₁² + 8x₂ + 35x₃ + 30 (x₁ years, x₂ hundreds of m²,
  x₃ employees). The curves of `farm_slices` use that formula itself; only the tangent
  slopes come from the learner's `partial_derivative`, so the figure teaches even
  before Exercise 1 is done.
- The error surfaces are the round bowl E = ½(1 − O₁)² + ½(1 − O₂)² and a
  stretched bowl ½(1 − O₁)² + 2(1 − O₂)² (curvature 4 across, so learning rates above
  0.5 diverge there: the lesson's Hessian section explains why).
- `descent_map` draws the gradient arrows with the learner's `numerical_gradient`
  (Exercise 4) and the path with the learner's `gradient_descent_nd` (Exercise 5), fed
  with the exact gradient, so each part unlocks on its own.
- `fit_progress` calls the learner's `fit_farm` once per step count (it returns only
  the final coefficients), which costs a few milliseconds in total.
- Three controls per widget, so the round and the stretched bowl are two map cells
  rather than one map with a surface menu. Executing a widget cell under nbclient
  0.11 / jupyter_client 8.10 sometimes never receives the execute_reply (the kernel is
  idle, the client waits forever; compare jupyter/nbclient#312 and
  jupyter/nbconvert#2029, both open). On this machine, in test notebooks of 12 widget
  cells, four or five controls hung 1 run in 3 or more, two or three controls never in
  6 runs; the lesson with three-control widgets still hung about 1 run in 6, in any of
  its widget cells. nbgrader's 30 s cell timeout turns such a hang into an error in the
  widget cell only; `jupyter nbconvert --execute` without a timeout waits forever.
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from course.learner import Unfinished, as_floats, attempt, exercise_label, number, pair
from course.style import COLORS, CURVE, POINT, SECANT, TANGENT
from course.widgets import figure_of_the_learners_work, redrawing, show, slider

# --- the farm -------------------------------------------------------------------------
FARM_INPUTS = [("year", "time x₁ (years)"), ("area", "area x₂ (hundreds of m²)"),
               ("employees", "employees x₃ (people)")]
PIGS = "pigs sold y (pigs per year)"


def story_farm(x):
    """The story's farm, y = 5x₁² + 8x₂ + 35x₃ + 30, for x of shape (3,) or (m, 3)."""
    x = np.asarray(x, dtype=float)
    return 5 * x[..., 0] ** 2 + 8 * x[..., 1] + 35 * x[..., 2] + 30


def _floats(function, result, shape: tuple, wanted: str) -> np.ndarray:
    """The learner's result as a finite float array of `shape`, or Unfinished saying why."""
    return as_floats(function, result, shape, unreadable=lambda: f"should return {wanted}, not {result!r}.",
                     wrong_shape=lambda got: f"should return {wanted}, not shape {got}.",
                     not_finite="returned values that are not finite (inf or NaN).")


def farm_records(farm):
    """Pigs sold against each input separately: every panel is noisy, because the
    other two inputs change from record to record."""
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
    for ax, (column, label) in zip(axes, FARM_INPUTS, strict=True):
        ax.plot(farm[column], farm["pigs_sold"], "o", ms=4, color=CURVE, alpha=0.7)
        ax.set(xlabel=label)
        ax.grid(alpha=0.3)
    axes[0].set(ylabel=PIGS)
    fig.suptitle("Wang Xiaoer's 60 records: pigs sold against each input")
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.88, wspace=0.08)
    show()


def model_vs_records(farm, pig_farm_model):
    """Recorded pigs against the learner's model's prediction for the same inputs."""
    X = np.column_stack([farm["year"], farm["area"], farm["employees"]]).astype(float)
    y = farm["pigs_sold"]
    with figure_of_the_learners_work((4.8, 4.2), xlabel="predicted by the model (pigs per year)",
                                     ylabel="recorded (pigs per year)") as ax:
        ax.plot([y.min(), y.max()], [y.min(), y.max()], "--", color=COLORS["black"],
                alpha=0.5, label="prediction = record")
        predicted = _floats(pig_farm_model, attempt(pig_farm_model, X), (len(y),),
                            f"one number per row: an array of shape ({len(y)},)")
        ax.plot(predicted, y, "o", ms=4, color=CURVE, label="your pig_farm_model(X)")
        gap = np.sqrt(np.mean((predicted - y) ** 2))
        ax.set(title=f"typical gap: {gap:.1f} pigs")


def farm_slices(partial_derivative, point=(3.0, 10.0, 4.0)):
    """Three slices of the farm through `point`: vary one input, hold the other two.

    The tangent to each slice has the slope of the learner's `partial_derivative`.
    """
    point = np.asarray(point, dtype=float)
    spans = [np.linspace(0, 6, 61), np.linspace(5, 20, 61), np.linspace(1, 8, 61)]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), sharey=True)
    notes = []
    for i, (ax, span, (_, label)) in enumerate(zip(axes, spans, FARM_INPUTS, strict=True)):
        inputs = np.repeat(point[None, :], len(span), axis=0)
        inputs[:, i] = span
        ax.plot(span, story_farm(inputs), color=CURVE, lw=2, label="slice of y")
        ax.plot(point[i], story_farm(point), "o", color=POINT)
        held = ", ".join(f"x{'₁₂₃'[j]} = {point[j]:g}" for j in range(3) if j != i)
        try:
            slope = number(partial_derivative, story_farm, point.copy(), i)
            ax.plot(span, story_farm(point) + slope * (span - point[i]), "--", color=TANGENT,
                    label=f"slope {slope:.4g} (your partial_derivative)")
        except Unfinished as unfinished:
            if not notes:
                notes.append(str(unfinished))
        ax.set(xlabel=label, title=f"held: {held}")
        ax.legend(fontsize=7, loc="upper left")
        ax.grid(alpha=0.3)
    axes[0].set(ylabel=PIGS)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.9, wspace=0.08)
    show()
    for note in notes:
        print(note)


def gradient_table(numerical_gradient, pig_farm_gradient, points):
    """Print the learner's analytic gradient next to their numerical one at each point."""
    print(f"{'point (x₁, x₂, x₃)':<22}{'pig_farm_gradient':<28}numerical_gradient")
    for point in points:
        point = np.asarray(point, dtype=float)
        cells = []
        for function, args in [(pig_farm_gradient, (point.copy(),)),
                               (numerical_gradient, (story_farm, point.copy()))]:
            try:
                values = _floats(function, attempt(function, *args), (3,), "3 numbers")
                cells.append("(" + ", ".join(f"{v:.4f}" for v in values) + ")")
            except Unfinished as unfinished:
                cells.append(str(unfinished))
        print(f"{str(tuple(float(v) for v in point)):<22}{cells[0]:<28}{cells[1]}")


# --- the error surfaces -----------------------------------------------------------------
def round_bowl(o):
    """The error of two outputs with targets 1: E = ½(1 − O₁)² + ½(1 − O₂)²."""
    o = np.asarray(o, dtype=float)
    return 0.5 * (1 - o[..., 0]) ** 2 + 0.5 * (1 - o[..., 1]) ** 2


def stretched_bowl(o):
    """A bowl four times as steep across: E = ½(1 − O₁)² + 2(1 − O₂)²."""
    o = np.asarray(o, dtype=float)
    return 0.5 * (1 - o[..., 0]) ** 2 + 2 * (1 - o[..., 1]) ** 2


SURFACES = {
    "round bowl  ½(1 − O₁)² + ½(1 − O₂)²":
        (round_bowl, lambda o: np.array([o[0] - 1, o[1] - 1], dtype=float)),
    "stretched bowl  ½(1 − O₁)² + 2(1 − O₂)²":
        (stretched_bowl, lambda o: np.array([o[0] - 1, 4 * (o[1] - 1)], dtype=float)),
}
LIMITS = (-1.0, 3.0)  # both axes of the error maps
O1_LABEL, O2_LABEL, E_LABEL = "output O₁ (no unit)", "output O₂ (no unit)", "error E (no unit)"


def _grid(n):
    side = np.linspace(*LIMITS, n)
    o1, o2 = np.meshgrid(side, side)
    return o1, o2, np.stack([o1, o2], axis=-1)


def _descent_path(gradient_descent_nd, grad, start, learning_rate, steps) -> np.ndarray:
    result = attempt(gradient_descent_nd, grad, np.array(start, dtype=float), learning_rate,
                     steps)
    try:
        path = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        path = None
    if path is None or path.shape != (steps + 1, 2):
        got = f"shape {path.shape}" if path is not None else repr(result)
        raise Unfinished(f"⚠ {exercise_label(gradient_descent_nd)} should return the path, "
                         f"an array of shape (steps + 1, 2) = ({steps + 1}, 2), not {got}.")
    return path


def _describe_end(E, path) -> str:
    with np.errstate(all="ignore"):
        end, error = path[-1], float(E(path[-1]))
        start_gap, end_gap = (float(np.hypot(*(p - 1))) for p in (path[0], end))
    if not np.isfinite(end).all() or not np.isfinite(error) or end_gap > start_gap * (1 + 1e-9):
        return (f"after {len(path) - 1} steps: <b>diverging</b>, farther from the minimum than "
                "the start (the steps grow; lower the learning rate)")
    return (f"after {len(path) - 1} steps: O = ({end[0]:.4f}, {end[1]:.4f}), "
            f"E = <b>{error:.3g}</b> (the minimum is E = 0 at (1, 1))")


def _error_map(ax, surface, numerical_gradient) -> str | None:
    """The contours, the minimum and the learner's gradient arrows, drawn once on `ax`
    (they do not depend on the sliders); later calls only remove the lines drawn over
    them. Returns the note on the arrows if numerical_gradient is unfinished."""
    if getattr(ax, "error_map", None) == surface:
        for line in ax.lines[1:]:  # all but the minimum's star
            line.remove()
        return ax.arrows_note
    E, _ = SURFACES[surface]
    o1, o2, points = _grid(61)
    contours = ax.contour(o1, o2, E(points), levels=[0.05, 0.2, 0.5, 1, 2, 3, 4.5, 6, 8],
                          colors=CURVE, linewidths=1, alpha=0.6)
    ax.clabel(contours, fontsize=7, fmt="%g")
    ax.plot(1, 1, "*", ms=12, color=COLORS["green"], label="minimum (1, 1)")
    ax.error_map, ax.arrows_note = surface, None
    try:
        a1, a2, arrow_points = _grid(9)
        arrows = np.array([pair(numerical_gradient, E, p.copy())
                           for p in arrow_points.reshape(-1, 2)])
        ax.quiver(a1, a2, arrows[:, 0], arrows[:, 1], color=SECANT, angles="xy",
                  scale_units="xy", scale=8, width=0.004,
                  label="∇E from your numerical_gradient (uphill)")
    except Unfinished as unfinished:
        ax.arrows_note = f"{unfinished} (the gradient arrows)"
    return ax.arrows_note


def descent_on_map(ax, surface, numerical_gradient, gradient_descent_nd, start,
                   learning_rate, steps) -> list[str]:
    """Contours of the surface, the learner's gradient arrows and descent path. On the
    same axes again (`redrawing(keep=True)`), only the path and the start are redrawn."""
    E, grad = SURFACES[surface]
    arrows_note = _error_map(ax, surface, numerical_gradient)
    lines = []
    try:
        if arrows_note:
            raise Unfinished(arrows_note)
        g = pair(numerical_gradient, E, np.array(start, dtype=float))
        lines.append(f"∇E at the start ({start[0]:.2f}, {start[1]:.2f}) = "
                     f"<b>({g[0]:.4f}, {g[1]:.4f})</b> from your numerical_gradient; "
                     "a step goes the opposite way")
    except Unfinished as unfinished:
        lines.append(arrows_note or f"{unfinished} (the gradient arrows)")
    try:
        path = _descent_path(gradient_descent_nd, grad, start, learning_rate, steps)
        with np.errstate(all="ignore"):
            shown = path[np.isfinite(path).all(axis=1) & (np.abs(path) < 1e3).all(axis=1)]
        ax.plot(shown[:, 0], shown[:, 1], "o-", ms=4, color=TANGENT,
                label=f"your gradient_descent_nd, η = {learning_rate:g}")
        lines.append(_describe_end(E, path))
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the descent path)")
    ax.plot(*start, "o", ms=8, color=POINT, label="start")
    ax.set(xlabel=O1_LABEL, ylabel=O2_LABEL, xlim=LIMITS, ylim=LIMITS, aspect="equal")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    ax.figure.subplots_adjust(left=0.1, right=0.97, top=0.98, bottom=0.2)
    return lines


def descent_map(numerical_gradient, gradient_descent_nd, surface="round", start=(-0.5, 2.5),
                learning_rate=0.3, steps=20):
    """Contour map of an error surface with gradient arrows and the descent path.

    `surface` is "round" or "stretched"; sliders move the start (O₁, O₂) and the
    learning rate; `steps` is fixed. Uses the learner's `numerical_gradient` (arrows)
    and `gradient_descent_nd` (path). (Three controls: see the module docstring.)
    """
    name = next(key for key in SURFACES if key.startswith(surface))
    controls = [
        slider(ipywidgets.FloatSlider, "o1", "start O₁", value=start[0], min=-1, max=3,
               step=0.1),
        slider(ipywidgets.FloatSlider, "o2", "start O₂", value=start[1], min=-1, max=3,
               step=0.1),
        slider(ipywidgets.FloatSlider, "eta", "learning rate η", value=learning_rate,
               min=0.05, max=2.1, step=0.05),
    ]
    return redrawing(controls, lambda ax, v: descent_on_map(
        ax, name, numerical_gradient, gradient_descent_nd, (v["o1"], v["o2"]), v["eta"],
        steps), figsize=(6, 6.4), keep=True)


def _bowl_axes(ax):
    """3-D axes with the round bowl's surface: made in place of `ax` the first time;
    later `ax` itself, without the lines drawn last time (the surface stays: building it
    again was a third of a redraw)."""
    if ax.name == "3d":
        for line in list(ax.lines):
            line.remove()
        ax.xy_dataLim.set(ax.bowl_limits[0])  # the limits of the surface alone, so that a
        ax.zz_dataLim.set(ax.bowl_limits[1])  # diverging path last time does not stay in
        return ax
    fig = ax.figure
    ax.remove()
    ax = fig.add_subplot(projection="3d")
    E, _ = next(iter(SURFACES.values()))
    o1, o2, points = _grid(41)
    ax.plot_surface(o1, o2, E(points), color=COLORS["sky"], alpha=0.35, linewidth=0)
    ax.plot_wireframe(o1, o2, E(points), rstride=5, cstride=5, color=CURVE, alpha=0.3,
                      linewidth=0.6)
    ax.bowl_limits = (ax.xy_dataLim.frozen(), ax.zz_dataLim.frozen())
    return ax


def surface_in_3d(ax, gradient_descent_nd, start, elevation, azimuth, learning_rate,
                  steps=12) -> list[str]:
    """The round bowl in 3-D, its two slices through the start and the descent path."""
    ax = _bowl_axes(ax)
    E, grad = next(iter(SURFACES.values()))
    side = np.linspace(*LIMITS, 81)
    s1, s2 = start
    ax.plot(side, np.full_like(side, s2), E(np.stack([side, np.full_like(side, s2)], -1)),
            color=SECANT, lw=2.5, label=f"slice O₂ = {s2:.1f}: slope ∂E/∂O₁ = {s1 - 1:.2f}")
    ax.plot(np.full_like(side, s1), side, E(np.stack([np.full_like(side, s1), side], -1)),
            color=COLORS["purple"], lw=2.5,
            label=f"slice O₁ = {s1:.1f}: slope ∂E/∂O₂ = {s2 - 1:.2f}")
    lines = [f"view: elevation {elevation:g}°, azimuth {azimuth:g}°; "
             f"the two slices through ({s1:.1f}, {s2:.1f}) are what the partial derivatives "
             "measure"]
    try:
        path = _descent_path(gradient_descent_nd, grad, start, learning_rate, steps)
        ax.plot(path[:, 0], path[:, 1], E(path), "o-", ms=4, color=TANGENT, zorder=10,
                label=f"your gradient_descent_nd, η = {learning_rate:g}")
        lines.append(_describe_end(E, path))
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the descent path)")
    ax.plot([s1], [s2], [float(E(np.array(start)))], "o", ms=7, color=POINT)
    ax.view_init(elev=elevation, azim=azimuth)
    ax.set(xlabel=O1_LABEL, ylabel=O2_LABEL, zlabel=E_LABEL)
    ax.legend(fontsize=7, loc="upper left")
    return lines


def surface_view(gradient_descent_nd, start=(-0.5, 2.5), learning_rate=0.25):
    """The round bowl in 3-D: turn it with the elevation and azimuth sliders and change
    the learning rate; the path from `start` comes from the learner's
    `gradient_descent_nd`."""
    controls = [
        slider(ipywidgets.IntSlider, "elev", "elevation (°)", value=30, min=0, max=90, step=5),
        slider(ipywidgets.IntSlider, "azim", "azimuth (°)", value=-60, min=-180, max=180,
               step=10),
        slider(ipywidgets.FloatSlider, "eta", "learning rate η", value=learning_rate,
               min=0.05, max=2.1, step=0.05),
    ]
    return redrawing(controls, lambda ax, v: surface_in_3d(
        ax, gradient_descent_nd, start, v["elev"], v["azim"], v["eta"]), figsize=(7.5, 5.5),
        keep=True)


# --- fitting the farm ---------------------------------------------------------------------
def fit_progress(fit_farm, X, y, learning_rate=0.1,
                 step_counts=(0, 2, 4, 6, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100)):
    """The learner's `fit_farm` stopped after more and more steps: each coefficient over
    its value in the story, and the typical miss √MSE (linear axes: a log axis doubled
    the cell's time)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    features = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2], np.ones(len(y))])
    story = np.array([5.0, 8.0, 35.0, 30.0])
    try:
        fits = np.array([_floats(fit_farm, attempt(fit_farm, X.copy(), y.copy(), learning_rate,
                                                   steps), (4,), "4 numbers (a, b, c, d)")
                         for steps in step_counts])
    except Unfinished as unfinished:
        print(unfinished)
        return
    with np.errstate(all="ignore"):
        mse = np.mean((fits @ features.T - y) ** 2, axis=1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    for k, (name, color) in enumerate(zip("abcd", [CURVE, SECANT, COLORS["green"], TANGENT],
                                          strict=True)):
        left.plot(step_counts, fits[:, k] / story[k], "o-", ms=3, color=color,
                  label=f"{name} / {story[k]:g}")
    left.axhline(1, color=COLORS["black"], alpha=0.4, ls=":")
    left.set(xlabel="steps of gradient descent", ylabel="coefficient / story's value (ratio)",
             title=f"your fit_farm, learning rate {learning_rate:g}")
    left.legend(fontsize=8)
    right.plot(step_counts, np.sqrt(mse), "o-", ms=3, color=CURVE)
    right.set(xlabel="steps of gradient descent", ylabel="typical miss √MSE (pigs per year)",
              title="the miss falls to the noise level")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    show()
    a, b, c, d = fits[-1]
    print(f"after {step_counts[-1]} steps: y ≈ {a:.2f}·x₁² + {b:.2f}·x₂ + {c:.2f}·x₃ + {d:.2f}"
          f"   (typical miss {np.sqrt(mse[-1]):.1f} pigs per year)")
