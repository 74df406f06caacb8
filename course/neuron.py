"""Lesson 5 (one neuron learns): its figures and its neuron playground.

Every function that uses a learner's code (`neuron_forward`, `mean_squared_error`,
`binary_cross_entropy`, `train_neuron`, `accuracy`) calls it through
`course.learner.attempt` / `number`, so a blank lesson shows "🔒 Finish Exercise N"
instead of a traceback, and a wrong return (None, a wrong shape, NaN) is explained.

Decisions (the network API shared by lessons 5, 6 and 7):
- Examples are columns: X has shape (n_x, m), Y and A shape (1, m), w (n_x, 1),
  b a float. The exam data are used in their own units (hours, exercises), not
  normalised: the playground's sliders then read as "points per hour" and the
  boundary is the dataset's rule 0.9·hours + 0.6·exercises = 10 (w = (0.9, 0.6),
  b = −10) up to scale. Learning rate 0.08 for 1000 steps reaches 100 % accuracy with a
  loss that falls at every step (from 0.1 on, the first steps zigzag: the learning-rate
  figure shows 0.3 doing so).
- `train_neuron` records losses[k] = cross-entropy of the parameters *before* step k,
  so losses[0] = ln 2 for the zero start.
- The reference `train_neuron` in the notebook computes forward, loss and gradients
  inline instead of calling the learner's exercises 1, 3 and 4: the grading tests
  require a wrong answer in one exercise to cost that exercise's points only. The
  learner may call their own functions (tests/answers/l05_one_neuron.py has that as
  a correct alternative).
- The two-circles demonstration uses the training split of datasets/circles.csv.
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from mpl_toolkits.axes_grid1 import make_axes_locatable

from course.data import load_circles, load_dataset
from course.learner import Unfinished, as_floats, attempt, exercise_label, number
from course.style import COLORS
from course.widgets import redrawing, show, slider

PASSED, FAILED = COLORS["blue"], COLORS["vermillion"]
BOUNDARY = COLORS["black"]
HOURS = (0.0, 12.5)  # the plots' ranges for the exam data: hours studied
EXERCISES = (0.0, 15.5)  # and exercises done


def exam_data() -> tuple[np.ndarray, np.ndarray]:
    """X of shape (2, 100) (hours studied, exercises done) and Y of shape (1, 100)."""
    table = load_dataset("exam_results")
    X = np.vstack([table["hours_studied"], table["exercises_done"]]).astype(float)
    return X, table["passed"].reshape(1, -1).astype(float)


# --- small helpers ---------------------------------------------------------------------
def _row(function, result, m: int) -> np.ndarray:
    """The learner's activations as a finite float array of shape (1, m), or Unfinished."""
    return as_floats(function, result, (1, m), unreadable=f"should return a NumPy array of "
                     f"shape (1, {m}), not {type(result).__name__}.",
                     wrong_shape=lambda shape: f"returned an array of shape {shape}; it should "
                     f"have shape (1, {m}): one row, one column per example.")


def activations(neuron_forward, X, w, b) -> np.ndarray:
    """The learner's neuron_forward(X, w, b), checked to be a finite (1, m) array."""
    return _row(neuron_forward, attempt(neuron_forward, X, w, b), X.shape[1])


def _trained(train_neuron, X, Y, learning_rate, steps):
    """The learner's train_neuron, checked: w (n_x, 1) finite, b a number, losses numbers."""
    result = attempt(train_neuron, X, Y, learning_rate, steps)
    label = exercise_label(train_neuron)
    if not isinstance(result, tuple | list) or len(result) != 3:
        raise Unfinished(f"⚠ {label} should return three things: `return w, b, losses`.")
    w, b, losses = result
    try:
        w = np.asarray(w, dtype=float).reshape(X.shape[0], 1)
        b = float(np.asarray(b, dtype=float).reshape(()))
        losses = np.asarray(losses, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise Unfinished(f"⚠ {label} should return w of shape ({X.shape[0]}, 1), b a number "
                         "and losses a list of numbers.") from None
    if not (np.isfinite(w).all() and np.isfinite(b)):
        raise Unfinished(f"⚠ {label} returned NaN or infinite parameters: is the learning "
                         "rate too large, or a sign flipped?")
    return w, b, losses


def _scatter(ax, X, Y, xlabel="hours studied (hours)", ylabel="exercises done (exercises)",
             names=("passed", "failed")):
    ones = Y.ravel() == 1
    ax.scatter(X[0, ones], X[1, ones], marker="o", s=28, color=PASSED, edgecolor="white",
               linewidth=0.5, label=names[0], zorder=3)
    ax.scatter(X[0, ~ones], X[1, ~ones], marker="X", s=34, color=FAILED, edgecolor="white",
               linewidth=0.5, label=names[1], zorder=3)
    ax.set(xlabel=xlabel, ylabel=ylabel)


def _grid(xrange, yrange, n=120):
    xs, ys = np.linspace(*xrange, n), np.linspace(*yrange, n)
    gx, gy = np.meshgrid(xs, ys)
    return gx, gy, np.vstack([gx.ravel(), gy.ravel()])


def _boundary(ax, w, b, xrange, yrange, label="decision boundary (z = 0)"):
    """The line w₁x₁ + w₂x₂ + b = 0 (pure geometry; no learner code). False if w = 0."""
    w1, w2 = float(w[0, 0]), float(w[1, 0])
    if w1 == 0 and w2 == 0:
        return False
    if abs(w2) >= abs(w1):
        xs = np.array(xrange)
        ax.plot(xs, -(w1 * xs + b) / w2, color=BOUNDARY, lw=2, label=label)
    else:
        ys = np.array(yrange)
        ax.plot(-(w2 * ys + b) / w1, ys, color=BOUNDARY, lw=2, label=label)
    ax.set(xlim=xrange, ylim=yrange)
    return True


def _shade(ax, neuron_forward, w, b, xrange, yrange):
    """Colour the plane by the learner's a = σ(wᵀx + b); raise Unfinished if not ready."""
    gx, gy, grid = _grid(xrange, yrange)
    a = activations(neuron_forward, grid, w, b).reshape(gx.shape)
    filled = ax.contourf(gx, gy, a, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.35,
                         vmin=0, vmax=1)
    # The colour bar gets an axes of its own, exactly as tall as the plot beside it.
    bar = make_axes_locatable(ax).append_axes("right", size="4%", pad=0.1,
                                              label="<colorbar>")  # as colorbar(ax=ax) names it
    ax.figure.colorbar(filled, cax=bar, label="a = σ(z), the probability of class 1",
                       ticks=[0, 0.5, 1])
    return filled


# --- figures ---------------------------------------------------------------------------
def exam_scatter(X, Y):
    """The exam results: hours studied against exercises done, passed or failed."""
    fig, ax = plt.subplots(figsize=(6, 4))
    _scatter(ax, X, Y)
    ax.set(xlim=HOURS, ylim=EXERCISES, title=f"{X.shape[1]} students")
    ax.legend(loc="upper right")
    ax.grid(alpha=0.3)
    show()


def loss_curves(mean_squared_error, binary_cross_entropy):
    """Left: the learner's two losses for one example against the prediction a.
    Right: the slope dL/dz each loss sends back through the sigmoid (formulas)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    a = np.linspace(0.0, 1.0, 101)
    notes = []
    for function, name, style in [(mean_squared_error, "½(y − a)²", "-"),
                                  (binary_cross_entropy, "cross-entropy", "--")]:
        try:
            for y, color in [(1, PASSED), (0, FAILED)]:
                values = [number(function, np.array([[p]]), np.array([[float(y)]])) for p in a]
                left.plot(a, values, style, color=color, label=f"{name}, y = {y}")
        except Unfinished as unfinished:
            notes.append(str(unfinished))
    left.set(xlabel="prediction a (probability of passing)", ylabel="loss ℓ (no unit)",
             ylim=(0, 5), title="Loss of one example")
    if left.lines:  # a legend of nothing would warn on stderr
        left.legend(fontsize=8)
    left.grid(alpha=0.3)

    z = np.linspace(-8, 8, 321)
    s = 1 / (1 + np.exp(-z))
    right.plot(z, (s - 1) * s * (1 - s), color=COLORS["orange"], label="½(y − a)²:  (a − y)·a(1 − a)")
    right.plot(z, s - 1, "--", color=COLORS["green"], label="cross-entropy:  a − y")
    right.axhline(0, color="grey", lw=0.8)
    right.set(xlabel="z = wᵀx + b for a student who passed (y = 1)",
              ylabel="dL/dz (loss per unit of z)", title="Slope sent back to w and b")
    right.legend(fontsize=8, loc="lower right")
    right.grid(alpha=0.3)
    fig.tight_layout()
    show()
    for note in notes:
        print(note)


def training_run(train_neuron, X, Y, learning_rate=0.08, steps=1000):
    """Train the learner's neuron; plot its loss history and its decision boundary.

    Returns (w, b, losses), or None while `train_neuron` is unfinished.
    """
    try:
        w, b, losses = _trained(train_neuron, X, Y, learning_rate, steps)
    except Unfinished as unfinished:
        print(unfinished)
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(np.arange(len(losses)), losses, color=COLORS["blue"])
    left.set(xlabel="step", ylabel="cross-entropy loss (no unit)", yscale="log",
             title=f"Loss history (learning rate {learning_rate:g})")
    left.grid(alpha=0.3, which="both")
    _scatter(right, X, Y)
    _boundary(right, w, b, HOURS, EXERCISES)
    right.set(title="The trained neuron's boundary")
    right.legend(loc="upper right", fontsize=8)
    right.grid(alpha=0.3)
    fig.tight_layout()
    show()
    print(f"after {steps} steps: w = ({w[0, 0]:.3f}, {w[1, 0]:.3f}), b = {b:.3f}")
    if len(losses):
        print(f"loss: {losses[0]:.4f} at the start, {losses[-1]:.4f} at the last step")
    return w, b, losses


def learning_rates(train_neuron, X, Y, rates=(0.001, 0.01, 0.08, 0.3), steps=1000):
    """The same neuron trained with several learning rates (a hyper-parameter)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    colors = [COLORS["orange"], COLORS["green"], COLORS["blue"], COLORS["purple"]]
    for rate, color in zip(rates, colors, strict=False):
        try:
            _, _, losses = _trained(train_neuron, X, Y, rate, steps)
        except Unfinished as unfinished:
            print(unfinished)
            plt.close(fig)
            return
        ax.plot(np.arange(len(losses)), losses, color=color, label=f"learning rate {rate:g}")
    ax.set(xlabel="step", ylabel="cross-entropy loss (no unit)", yscale="log",
           title="One hyper-parameter, several training runs")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    show()


def trained_accuracy(train_neuron, neuron_forward, accuracy, X, Y, learning_rate=0.08,
                     steps=1000):
    """Train, then print how many examples the trained neuron classifies correctly."""
    try:
        w, b, _ = _trained(train_neuron, X, Y, learning_rate, steps)
        A = activations(neuron_forward, X, w, b)
        score = number(accuracy, A, Y)
    except Unfinished as unfinished:
        print(unfinished)
        return
    m = X.shape[1]
    print(f"the trained neuron classifies {round(score * m)} of {m} examples correctly: "
          f"accuracy {score:.2f}")


def playground_view(ax, neuron_forward, binary_cross_entropy, accuracy, X, Y, w1, w2, b):
    """Draw the exam data, the boundary of (w₁, w₂, b) and the learner's a; readout lines."""
    w = np.array([[w1], [w2]])
    lines = [f"z = {w1:.2f}·hours + {w2:.2f}·exercises {'+' if b >= 0 else '−'} {abs(b):.1f}"]
    try:
        _shade(ax, neuron_forward, w, b, HOURS, EXERCISES)
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the shading)")
    _scatter(ax, X, Y)
    if not _boundary(ax, w, b, HOURS, EXERCISES):
        lines.append("w = 0: no boundary, every student gets the same a = σ(b)")
    ax.set(xlim=HOURS, ylim=EXERCISES)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8)  # off the points
    try:
        A = activations(neuron_forward, X, w, b)
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the loss and the accuracy)")
        return lines
    try:
        lines.append(f"cross-entropy loss: <b>{number(binary_cross_entropy, A, Y):.4f}</b>")
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the loss)")
    try:
        score = number(accuracy, A, Y)
        lines.append(f"accuracy: <b>{score:.2f}</b> ({round(score * X.shape[1])} of "
                     f"{X.shape[1]} students)")
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the accuracy)")
    return lines


def playground(neuron_forward, binary_cross_entropy, accuracy, X, Y, w1=0.5, w2=0.5, b=-5.0):
    """Sliders for w₁, w₂ and b move the boundary over the exam results; the learner's
    neuron_forward shades a, their binary_cross_entropy and accuracy are read out."""
    controls = [
        slider(ipywidgets.FloatSlider, "w1", "w₁ (per hour)", value=w1, min=-2, max=2,
               step=0.05),
        slider(ipywidgets.FloatSlider, "w2", "w₂ (per exercise)", value=w2, min=-2, max=2,
               step=0.05),
        slider(ipywidgets.FloatSlider, "b", "b", value=b, min=-25, max=10, step=0.5),
    ]
    return redrawing(controls, lambda ax, v: playground_view(
        ax, neuron_forward, binary_cross_entropy, accuracy, X, Y, v["w1"], v["w2"], v["b"]),
        figsize=(6.5, 4.5), room_below=1.0)  # for the legend under the plot


def two_circles(train_neuron, neuron_forward, accuracy, learning_rate=1.0, steps=1000):
    """Train one neuron on the two circles and show why a straight line cannot work."""
    X, Y = load_circles("train")
    box = (-1.4, 1.4)
    fig, ax = plt.subplots(figsize=(5.2, 5))
    notes = []
    try:
        w, b, losses = _trained(train_neuron, X, Y, learning_rate, steps)
        _shade(ax, neuron_forward, w, b, box, box)
        _boundary(ax, w, b, box, box)
        A = activations(neuron_forward, X, w, b)
        score = number(accuracy, A, Y)
        notes.append(f"one neuron on the two circles: loss {losses[-1]:.4f} (ln 2 = 0.6931 is "
                     f"a coin toss), accuracy {score:.2f}")
    except Unfinished as unfinished:
        notes.append(str(unfinished))
    _scatter(ax, X, Y, xlabel="x₁ (no unit)", ylabel="x₂ (no unit)",
             names=("inner circle (y = 1)", "outer circle (y = 0)"))
    ax.set(xlim=box, ylim=box, aspect="equal", title=f"{X.shape[1]} training points")
    ax.legend(loc="upper right", fontsize=8)
    show()
    for note in notes:
        print(note)
