"""Lesson 4 (the chain rule and activation functions): its figures and its activation
explorer.

Each takes the learner's functions where it uses them and shows a "finish exercise N"
note instead of failing while they are unfinished.

Decisions the later lessons rely on:
- The activations are learner-written in lesson 4 under the names `sigmoid`,
  `sigmoid_derivative`, `relu`, `relu_derivative`, `leaky_relu(z, slope=0.01)` and
  `leaky_relu_derivative(z, slope=0.01)`. They work element by element on scalars and on
  arrays of any shape. `relu_derivative(0) == 0` and `leaky_relu_derivative(0) == slope`
  (the derivative at the kink is a convention: the left-hand slope).
- The lesson-4 reference sigmoid is the stable form
  `e = np.exp(-np.abs(z)); np.where(z >= 0, 1 / (1 + e), e / (1 + e))`; its check
  rejects a sigmoid that raises an overflow RuntimeWarning for z = ±1000 (nbgrader zeroes
  a cell that writes to stderr, so later lessons need a quiet one).
- `neuron_gradients(x, t, w, b)` is one neuron, one example, E = ½(t − σ(wx + b))²;
  lesson 5 has the batch version under another name.
- `collapse_linear(W1, b1, W2, b2)` uses the course's column convention:
  W1 (n1, n0), b1 (n1, 1), W2 (n2, n1), b2 (n2, 1) -> W = W2 W1, b = W2 b1 + b2.
- The reference answers of later exercises do not call the learner's earlier
  functions (the grading tests change one exercise at a time), except
  `sigmoid_derivative`, which calls `sigmoid`: every wrong sigmoid in the catalogue
  still gives the right σ(1 − σ) (a flipped sign turns σ into 1 − σ, which is symmetric).
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

from course.learner import Unfinished, as_floats, attempt, exercise_label, number
from course.style import COLORS, CURVE, POINT, SECANT, TANGENT
from course.widgets import redrawing, show, slider

NUMERIC_STEP = 1e-5  # the central-difference step h that lesson 1 recommends
Z_AXIS = np.linspace(-6, 6, 241)


def _curve(function, zs, **kwargs) -> np.ndarray:
    """The learner's function on the array `zs`, checked to be finite numbers of zs's shape."""
    result = attempt(function, zs, **kwargs)
    wanted = f"should return an array of shape {zs.shape}, like its input z, not " \
             f"{type(result).__name__}"
    return as_floats(function, result, zs.shape, unreadable=f"{wanted}.",
                     wrong_shape=lambda shape: f"{wanted} of shape {shape}.")


def _numeric(numeric, function, zs, **kwargs):
    """Central difference of the learner's function (which is known to work on zs)."""
    with np.errstate(all="ignore"):
        return np.asarray(numeric(lambda z: np.asarray(function(z, **kwargs), dtype=float),
                                  zs, NUMERIC_STEP), dtype=float)


# --- 1. checking an analytic derivative against the central difference --------------
def derivative_table(f, df, numeric, points, **kwargs):
    """Print analytic and numeric (central difference) derivatives side by side."""
    points = np.asarray(points, dtype=float)
    try:
        _curve(f, points, **kwargs)
        analytic = _curve(df, points, **kwargs)
    except Unfinished as unfinished:
        print(unfinished)
        return
    estimate = _numeric(numeric, f, points, **kwargs)
    print(f"{'z':>8} {'analytic':>12} {'numeric':>12} {'gap':>10}")
    for z, exact, approx in zip(points, analytic, estimate, strict=True):
        print(f"{z:8.3g} {exact:12.6f} {approx:12.6f} {abs(exact - approx):10.1e}")


# --- 2. the activation explorer (the lesson's widget) ------------------------------
ACTIVATIONS = ["sigmoid", "tanh", "ReLU", "leaky ReLU"]


def explore(ax, pairs: dict, numeric, name: str, z0: float, slope: float,
            zs=Z_AXIS) -> list[str]:
    """Draw f, its analytic and numeric derivatives and the point z0; return readout lines."""
    f, df = pairs[name]
    kwargs = {"slope": slope} if name == "leaky ReLU" else {}
    z0 = round(float(z0), 4)
    title = name + (f" (slope {slope:g})" if kwargs else "")
    ax.axhline(0, color=COLORS["black"], lw=0.5)
    ax.axvline(z0, color=POINT, lw=0.8, ls=":")
    ax.set(xlabel="input z (unitless)", ylabel="f(z) and f′(z) (unitless)", title=title)
    ax.grid(alpha=0.3)
    try:
        values = _curve(f, zs, **kwargs)
        at_z0 = number(f, z0, **kwargs)
    except Unfinished as unfinished:
        return [f"{unfinished} (the curve of {name})"]
    ax.plot(zs, values, color=CURVE, lw=2, label=f"f(z) = {name}")
    ax.plot([z0], [at_z0], "o", color=CURVE)
    estimate = _numeric(numeric, f, zs, **kwargs)
    slope_z0 = float(_numeric(numeric, f, np.array([z0]), **kwargs)[0])
    ax.plot(zs[::6], estimate[::6], "o", ms=4, color=COLORS["green"], zorder=3,
            label="f′ numeric (central difference)")
    lines = [f"f({z0:g}) = <b>{at_z0:.6g}</b>",
             f"numeric f′({z0:g}) = <b>{slope_z0:.6g}</b> (central difference, h = {NUMERIC_STEP:g})"]
    try:
        exact = _curve(df, zs, **kwargs)
        exact_z0 = number(df, z0, **kwargs)
        ax.plot(zs, exact, color=SECANT, lw=2, label="f′ analytic (your formula)")
        ax.plot([z0], [exact_z0], "s", color=TANGENT)
        lines.insert(1, f"analytic f′({z0:g}) = <b>{exact_z0:.6g}</b>")
        lines.append(f"gap between them: <b>{abs(exact_z0 - slope_z0):.2g}</b>"
                     + (" (at the kink the two one-sided slopes differ, so the central "
                        "difference lands halfway)" if name in ("ReLU", "leaky ReLU")
                        and abs(z0) < NUMERIC_STEP else ""))
    except Unfinished as unfinished:
        lines.append(f"{unfinished} (the analytic f′)")
    ax.legend(loc="upper left", fontsize=8)
    return lines


def explorer(sigmoid, tanh, relu, leaky_relu, numeric, start="sigmoid", z0=1.0):
    """Pick an activation and a point z0: f, the analytic f′ and the numeric f′ overlaid.

    `sigmoid`, `tanh`, `relu`, `leaky_relu` are pairs (f, f′) of the learner's functions
    (tanh's come from the lesson's worked example); `numeric` is the central difference
    of lesson 1, `numeric(f, z, h)`.
    """
    pairs = {"sigmoid": sigmoid, "tanh": tanh, "ReLU": relu, "leaky ReLU": leaky_relu}
    choice = ipywidgets.Dropdown(options=ACTIVATIONS, value=start, description="activation")
    choice.description_name = "name"
    controls = [
        choice,
        slider(ipywidgets.FloatSlider, "z0", "z₀", value=z0, min=-5, max=5, step=0.1),
        slider(ipywidgets.FloatSlider, "slope", "leaky slope", value=0.01, min=0.01, max=0.3,
               step=0.01),
    ]
    return redrawing(controls, lambda ax, v: explore(
        ax, pairs, numeric, v["name"], v["z0"], v["slope"]))


# --- 3. the computation graph of one neuron -------------------------------------------
def _box(ax, xy, text, color):
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - 0.72, y - 0.28), 1.44, 0.56,
                                boxstyle="round,pad=0.05", fc="white", ec=color, lw=2))
    ax.text(x, y, text, ha="center", va="center", fontsize=10)


def _arrow(ax, start, end, below):
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "->", "color": COLORS["black"], "lw": 1.2})
    if below:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 0.12, below, ha="center",
                va="top", fontsize=9, color=TANGENT)


def computation_graph(x=2.0, t=1.0, w=0.5, b=-1.0):
    """The graph of E = ½(t − σ(wx + b))²: forward values in the boxes (blue), local
    derivatives on the links (vermillion), products carried backwards above the nodes (orange)."""
    z = w * x + b
    a = float(np.exp(-np.logaddexp(0.0, -z)))  # σ(z), without overflow
    error = 0.5 * (t - a) ** 2
    dE_da, da_dz = -(t - a), a * (1 - a)
    dE_dz = dE_da * da_dz
    fig, ax = plt.subplots(figsize=(10, 3.4))
    nodes = {"w": (0, 2.3), "x": (0, 1), "b": (0, -0.3), "z": (3.2, 1), "a": (6.2, 1),
             "E": (9.2, 1), "t": (9.2, -0.3)}
    for name, value in [("w", w), ("x", x), ("b", b), ("t", t)]:
        _box(ax, nodes[name], f"{name} = {value:g}", COLORS["sky"])
    _box(ax, nodes["z"], f"z = wx + b\n= {z:.4g}", CURVE)
    _box(ax, nodes["a"], f"a = σ(z)\n= {a:.4g}", CURVE)
    _box(ax, nodes["E"], f"E = ½(t − a)²\n= {error:.4g}", CURVE)
    _arrow(ax, (0.77, 2.3), (2.43, 1.2), None)
    _arrow(ax, (0.77, 1), (2.43, 1), None)
    _arrow(ax, (0.77, -0.3), (2.43, 0.8), None)
    _arrow(ax, (3.97, 1), (5.43, 1), f"∂a/∂z = a(1 − a)\n= {da_dz:.4g}")
    _arrow(ax, (6.97, 1), (8.43, 1), f"∂E/∂a = −(t − a)\n= {dE_da:.4g}")
    _arrow(ax, (9.2, -0.02), (9.2, 0.72), None)
    red = {"fontsize": 9, "color": TANGENT}
    ax.text(1.65, 1.85, f"∂z/∂w = x = {x:g}", ha="left", va="bottom", **red)
    ax.text(1.65, 0.3, "∂z/∂b = 1", ha="left", va="top", **red)
    orange = {"fontsize": 9.5, "color": SECANT, "fontweight": "bold"}
    for name, text in [("E", "∂E/∂E = 1"), ("a", f"∂E/∂a = {dE_da:.4g}"),
                       ("z", f"∂E/∂z = {dE_da:.4g} × {da_dz:.4g} = {dE_dz:.4g}")]:
        ax.text(nodes[name][0] + (0.45 if name == "z" else 0), 1.42, text, ha="center",
                va="bottom", **orange)
    ax.text(-0.72, 2.68, f"∂E/∂w = {dE_dz:.4g} × {x:g} = {dE_dz * x:.4g}", ha="left",
            va="bottom", **orange)
    ax.text(-0.72, -0.68, f"∂E/∂b = {dE_dz:.4g} × 1 = {dE_dz:.4g}", ha="left", va="top",
            **orange)
    ax.text(4.6, -1.2, "forward: values left to right (boxes)   ·   backward: multiply the local "
            "derivatives (vermillion) from E back to w and b (orange)", ha="center", fontsize=9)
    ax.set(xlim=(-0.8, 10.0), ylim=(-1.3, 3.0))
    fig.tight_layout()
    ax.axis("off")
    show()


# --- 4. gradient check of the learner's neuron_gradients --------------------------
GRADIENT_CASES = [(2.0, 1.0, 0.5, -1.0), (-1.0, 0.0, 2.0, 1.0), (0.7, 1.0, -1.5, 0.3),
                  (3.0, 0.0, 0.4, -2.0)]


def gradient_check(neuron_gradients, numeric, cases=GRADIENT_CASES):
    """Your (dE/dw, dE/db) next to central differences of E, for a few neurons."""
    def error(x, t, w, b):
        return 0.5 * (t - np.exp(-np.logaddexp(0.0, -(w * x + b)))) ** 2

    rows = []
    for x, t, w, b in cases:
        try:
            result = attempt(neuron_gradients, x, t, w, b)
            dw, db = (float(v) for v in as_floats(
                neuron_gradients, result, (2,), reshape=True, not_finite=None,
                unreadable=lambda result=result: f"should return two numbers (dE/dw, dE/db), "
                f"not {result!r}."))
        except Unfinished as unfinished:
            print(unfinished)
            return
        num_w = numeric(lambda v, x=x, t=t, b=b: error(x, t, v, b), w, NUMERIC_STEP)
        num_b = numeric(lambda v, x=x, t=t, w=w: error(x, t, w, v), b, NUMERIC_STEP)
        rows.append(f"{x:5g} {t:4g} {w:5g} {b:5g} | {dw:12.6f} {num_w:10.6f} | "
                    f"{db:12.6f} {num_b:10.6f}")
    print(f"{'x':>5} {'t':>4} {'w':>5} {'b':>5} | {'dE/dw yours':>12} {'numeric':>10} | "
          f"{'dE/db yours':>12} {'numeric':>10}")
    print("\n".join(rows))


# --- 5. why activations matter: stacked linear layers ------------------------------
LAYER_1 = (np.array([[1.0], [-1.0], [2.0]]), np.array([[0.5], [0.5], [-2.0]]))
LAYER_2 = (np.array([[1.0, 1.5, -1.0]]), np.array([[-0.5]]))


def stacked_layers(collapse_linear, relu):
    """One input, a hidden layer of 3, one output: without an activation the two layers
    draw a straight line (the collapsed W x + b lies on it); with ReLU they bend."""
    (W1, b1), (W2, b2) = LAYER_1, LAYER_2
    xs = np.linspace(-3, 3, 121).reshape(1, -1)  # 121 examples as columns
    linear = W2 @ (W1 @ xs + b1) + b2
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    notes = []
    left.plot(xs[0], linear[0], color=CURVE, lw=3, label="W2 (W1 x + b1) + b2")
    try:
        W, b = attempt(collapse_linear, W1, b1, W2, b2)
        one = np.asarray(W, dtype=float) @ xs + np.asarray(b, dtype=float)
        if one.shape != linear.shape:
            raise ValueError(f"W x + b came out with shape {one.shape}")
        left.plot(xs[0], one[0], "--", color=SECANT, lw=2,
                  label="W x + b from your collapse_linear")
    except Unfinished as unfinished:
        notes.append(str(unfinished))
    except (TypeError, ValueError) as error:
        notes.append(f"⚠ {exercise_label(collapse_linear)} should return (W, b) with W of "
                     f"shape (1, 1) and b of shape (1, 1) here ({error}).")
    left.set(title="two linear layers, no activation", xlabel="input x (unitless)",
             ylabel="network output (unitless)")
    try:
        hidden = W1 @ xs + b1
        bent = W2 @ _curve(relu, hidden) + b2
        right.plot(xs[0], bent[0], color=TANGENT, lw=3, label="W2 relu(W1 x + b1) + b2")
    except Unfinished as unfinished:
        notes.append(str(unfinished))
    right.set(title="the same layers with ReLU between them", xlabel="input x (unitless)")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", fontsize=8)
    show()
    for note in notes:
        print(note)


# --- 6. one value, two paths: the revenue graph --------------------------------------
def revenue_graph(x=3.0):
    """The graph of R = n·p with n = 5x² + 30 (pigs) and p = 2x + 10 (100 yuan per pig):
    x feeds both n and p, so two paths lead from x to R. Forward values in the boxes,
    local derivatives on the links (vermillion), each path's product and their sum
    (orange)."""
    n, p = 5 * x**2 + 30, 2 * x + 10
    dn_dx, dp_dx = 10 * x, 2.0
    via_n, via_p = p * dn_dx, n * dp_dx
    fig, ax = plt.subplots(figsize=(10, 3.6))
    nodes = {"x": (0, 1), "n": (4, 2.1), "p": (4, -0.1), "R": (8, 1)}
    _box(ax, nodes["x"], f"year x = {x:g}", COLORS["sky"])
    _box(ax, nodes["n"], f"n = 5x² + 30\n= {n:g} pigs", CURVE)
    _box(ax, nodes["p"], f"p = 2x + 10\n= {p:g}", CURVE)
    _box(ax, nodes["R"], f"R = n · p\n= {n * p:g}", CURVE)
    _arrow(ax, (0.77, 1.2), (3.23, 2.0), None)
    _arrow(ax, (0.77, 0.8), (3.23, 0.0), None)
    _arrow(ax, (4.77, 2.0), (7.23, 1.2), None)
    _arrow(ax, (4.77, 0.0), (7.23, 0.8), None)
    red = {"fontsize": 9, "color": TANGENT}
    ax.text(2.3, 1.75, f"dn/dx = 10x = {dn_dx:g}", ha="right", va="bottom", **red)
    ax.text(2.3, 0.25, f"dp/dx = {dp_dx:g}", ha="right", va="top", **red)
    ax.text(5.5, 1.75, f"∂R/∂n = p = {p:g}", ha="left", va="bottom", **red)
    ax.text(5.5, 0.25, f"∂R/∂p = n = {n:g}", ha="left", va="top", **red)
    orange = {"fontsize": 9.5, "color": SECANT, "fontweight": "bold", "ha": "center"}
    ax.text(4, 2.55, f"path through n: {p:g} × {dn_dx:g} = {via_n:g}", va="bottom", **orange)
    ax.text(4, -0.55, f"path through p: {n:g} × {dp_dx:g} = {via_p:g}", va="top", **orange)
    ax.text(8, 1.42, f"dR/dx = {via_n:g} + {via_p:g}\n= {via_n + via_p:g}", va="bottom",
            **orange)
    ax.text(4, -1.25, "n in pigs, p in 100 yuan per pig, R in 100 yuan   ·   multiply along "
            "each path, then add the paths", ha="center", fontsize=9)
    ax.set(xlim=(-0.8, 9.2), ylim=(-1.35, 3.0))
    fig.tight_layout()
    ax.axis("off")
    show()
