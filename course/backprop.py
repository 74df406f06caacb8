"""Lesson 6 (backpropagation): its figures, its network widget and its gradient-check demo.

Every function takes the learner's own functions and calls them only through
`course.learner.attempt`, so a blank lesson shows "🔒 Finish Exercise N" instead of a
traceback.

Decisions worth knowing (for the next author):
- The widget and the demos never use the learner's `init_params`: they draw their own
  weights uniformly from [−1, 1] (a simple classic choice, fixed seed), so what they
  show depends only on `forward` and `backward`, and deep networks visibly pass smaller
  gradients back to their first layers.
- The network's data are the first points of `datasets/circles.csv` (lesson 7's set).
- The loss readouts use the lesson's own (given) `binary_cross_entropy`, passed in like
  the learner's functions: no reference answer to lesson 5 lives in `course/`, where a
  learner could import it.
- In the widget, edge width is |W| (grey, before the backward pass reaches a layer) or
  |dW| (coloured by sign, once it has), scaled by the largest |dW| in the whole network,
  so small early-layer gradients look small; a unit's colour is the sign of its db (the
  mean error term δ over the examples).
- The lesson's checks of `forward`/`backward` do not call `dense_forward`/`dense_backward`
  (the reference forward and backward are self-contained), so each exercise is graded
  on its own; a learner's forward may still call their dense_forward.
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from course import gradcheck
from course.data import load_circles
from course.learner import Unfinished, attempt, number
from course.style import COLORS
from course.widgets import redrawing, show, slider

NETWORKS = {
    "2-3-3-1": ([2, 3, 3, 1], ["relu", "relu", "sigmoid"]),
    "2-4-1": ([2, 4, 1], ["relu", "sigmoid"]),
    "2-4-6-6-4-1": ([2, 4, 6, 6, 4, 1], ["relu", "relu", "relu", "relu", "sigmoid"]),
}
POSITIVE, NEGATIVE, NEUTRAL = COLORS["vermillion"], COLORS["blue"], "#BBBBBB"


def demo_params(layer_sizes, seed: int = 3) -> dict:
    """Weights uniform on [−1, 1] (a simple classic recipe), biases 0.1."""
    rng = np.random.default_rng(seed)
    params = {}
    for k in range(1, len(layer_sizes)):
        params[f"W{k}"] = rng.uniform(-1, 1, (layer_sizes[k], layer_sizes[k - 1]))
        params[f"b{k}"] = np.full((layer_sizes[k], 1), 0.1)
    return params


def demo_data(m: int = 16):
    """The first m training points of the two circles: X (2, m), Y (1, m)."""
    X, Y = load_circles("train")
    return X[:, :m], Y[:, :m]


def _run(forward, backward, X, Y, params, activations):
    """(AL, grads, notes): the learner's forward and backward; None where unfinished."""
    notes, AL, grads = [], None, None
    try:
        AL, caches = attempt(forward, X, params, activations)
        AL = np.asarray(AL, dtype=float)
        if AL.shape != Y.shape:
            raise Unfinished(f"⚠ forward returned AL of shape {AL.shape}; expected {Y.shape}.")
    except Unfinished as unfinished:
        return None, None, [str(unfinished)]
    except (TypeError, ValueError):
        return None, None, ["⚠ forward should return the pair (AL, caches)."]
    try:
        grads = attempt(backward, AL, Y, caches, activations)
        missing = [f"d{k}" for k in params if f"d{k}" not in grads
                   or np.shape(grads[f"d{k}"]) != params[k].shape]
        if missing:
            raise Unfinished(f"⚠ backward's result lacks, or has the wrong shape for: "
                             f"{', '.join(missing)}.")
    except Unfinished as unfinished:
        notes.append(str(unfinished))
        grads = None
    except TypeError:
        notes.append("⚠ backward should return a dict like {'dW1': ..., 'db1': ...}.")
        grads = None
    return AL, grads, notes


def _positions(layer_sizes):
    return [np.linspace(-(n - 1) / 2, (n - 1) / 2, n) if n > 1 else np.zeros(1)
            for n in layer_sizes]


def draw_network(ax, layer_sizes, params, grads=None, reached=0, title=""):
    """Units as circles, weights as lines; layers L, L−1, … down to L − reached + 1
    show their gradients (width |dW|, colour its sign), the rest their weights |W|."""
    L = len(layer_sizes) - 1
    ys = _positions(layer_sizes)
    top = max((float(np.abs(grads[f"dW{k}"]).max()) for k in range(1, L + 1)),
              default=1.0) if grads else 1.0
    top = top or 1.0
    for k in range(1, L + 1):
        W = params[f"W{k}"]
        done = grads is not None and k > L - reached
        for j in range(layer_sizes[k]):
            for i in range(layer_sizes[k - 1]):
                if done:
                    g = float(grads[f"dW{k}"][j, i])
                    width, color = 0.3 + 6 * abs(g) / top, POSITIVE if g > 0 else NEGATIVE
                else:
                    width, color = 0.3 + 2.5 * abs(float(W[j, i])), NEUTRAL
                ax.plot([k - 1, k], [ys[k - 1][i], ys[k][j]], color=color, lw=width,
                        alpha=0.85, zorder=1)
    for k, n in enumerate(layer_sizes):
        face = ["white"] * n
        if grads is not None and k >= 1 and k > L - reached:
            db = grads[f"db{k}"].ravel()
            face = [POSITIVE if d > 0 else NEGATIVE if d < 0 else "white" for d in db]
        ax.scatter(np.full(n, k), ys[k], s=380, c=face, edgecolors=COLORS["black"],
                   zorder=3)
    if grads is not None and 1 <= reached <= L:
        ax.axvspan(L - reached + 0.02, L - reached + 0.98, color=COLORS["yellow"], alpha=0.25,
                   zorder=0)
    ax.set_xticks(range(L + 1), ["X"] + [f"layer {k}" for k in range(1, L + 1)])
    ax.set_yticks([])
    ax.set(xlabel="layer (input X on the left, output on the right)",
           ylabel="the units of each layer", title=title,
           xlim=(-0.4, L + 0.4), ylim=(-max(layer_sizes) / 2 - 0.3, max(layer_sizes) / 2 + 0.3))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def backward_readout(layer_sizes, activations, loss, Y, grads, step) -> list[str]:
    """What the widget says at `step` (0 = forward only; k = k layers of backward done);
    `loss` is the forward pass's cross-entropy J."""
    L = len(layer_sizes) - 1
    lines = [f"forward pass: loss J = <b>{loss:.4f}</b> on {Y.shape[1]} examples"]
    if grads is None:
        return lines
    if step == 0:
        lines.append("move the slider: step 1 is the output layer, then one layer back per step")
        return lines
    k = L - step + 1
    if k == L:
        rule = "δ<sup>L</sup> = A<sup>L</sup> − Y (sigmoid output with cross-entropy)"
    else:
        rule = (f"δ<sup>{k}</sup> = (W<sup>{k + 1}</sup>)ᵀ δ<sup>{k + 1}</sup> ⊙ "
                f"{activations[k - 1]}′(Z<sup>{k}</sup>)")
    dW = grads[f"dW{k}"]
    j, i = np.unravel_index(int(np.argmax(np.abs(dW))), dW.shape)
    lines += [f"step {step} of {L}: layer {k} ({activations[k - 1]}): {rule}",
              f"dW<sup>{k}</sup> = δ<sup>{k}</sup> (A<sup>{k - 1}</sup>)ᵀ / m has shape "
              f"{dW.shape}, like W<sup>{k}</sup>; its largest entry is "
              f"<b>{dW[j, i]:+.4f}</b> (unit {j + 1} ← unit {i + 1})",
              f"mean |dW<sup>{k}</sup>| = <b>{np.abs(dW).mean():.2e}</b>   ·   red: dW &gt; 0, "
              "gradient descent lowers that weight; blue: dW &lt; 0, it raises it"]
    return lines


def backward_pass(forward, backward, binary_cross_entropy, network="2-3-3-1", step=0):
    """Step through one backward pass, output layer first, on a drawn network.

    Uses the learner's `forward` (Exercise 3) and `backward` (Exercise 5) on 16 points
    of the two circles with weights from `demo_params`; the loss readout is the given
    `binary_cross_entropy` of forward's output.
    """
    X, Y = demo_data()
    controls = [
        slider(ipywidgets.Dropdown, "network", "network", options=list(NETWORKS), value=network),
        slider(ipywidgets.IntSlider, "step", "backward step", value=step, min=0, max=5),
    ]

    def draw(ax, values):
        layer_sizes, activations = NETWORKS[values["network"]]
        L = len(layer_sizes) - 1
        step = min(values["step"], L)
        params = demo_params(layer_sizes)
        AL, grads, notes = _run(forward, backward, X, Y, params, activations)
        draw_network(ax, layer_sizes, params, grads, step,
                     title=f"network {values['network']}: backward step {step} of {L}")
        if AL is None:
            return notes
        try:
            loss = number(binary_cross_entropy, AL, Y)
        except Unfinished as unfinished:
            return [str(unfinished), *notes]
        return backward_readout(layer_sizes, activations, loss, Y, grads, step) + notes

    return redrawing(controls, draw, figsize=(8, 4.2))


def parameter_table(init_params, layer_sizes):
    """Print the shape and size of every array the learner's init_params makes."""
    try:
        params = attempt(init_params, layer_sizes)
        rows = [(key, np.shape(value), np.size(value)) for key, value in params.items()]
    except Unfinished as unfinished:
        print(unfinished)
        return
    except (TypeError, AttributeError):
        print("⚠ init_params should return a dict like {'W1': ..., 'b1': ...}.")
        return
    print(f"layer sizes {layer_sizes}")
    for key, shape, size in rows:
        print(f"  {key:<4} shape {str(shape):<8} {size:>4} numbers")
    total = sum(size for _, _, size in rows)
    print(f"  {total} parameters in all")


def forward_shapes(forward, network="2-4-6-6-4-1"):
    """Print the shape of every array the learner's forward produces (and caches)."""
    layer_sizes, activations = NETWORKS[network]
    X, Y = demo_data(5)
    try:
        AL, caches = attempt(forward, X, demo_params(layer_sizes), activations)
    except Unfinished as unfinished:
        print(unfinished)
        return
    print(f"X: {X.shape}   (n_x = 2 features, m = 5 examples)")
    for k, cache in enumerate(caches, start=1):
        shapes = ", ".join(str(np.shape(part)) for part in cache)
        print(f"layer {k} ({activations[k - 1]:>7}): cache (A_prev, W, b, Z) shapes {shapes}")
    print(f"AL: {np.shape(AL)}   one probability per example")


def check_your_backprop(forward, backward, binary_cross_entropy, network="2-3-3-1",
                        spoil=None):
    """Run the course's gradient check (course.gradcheck) on the learner's backprop.

    The loss is their own forward followed by the given binary_cross_entropy; `spoil`
    = ("dW2", (0, 1)) multiplies that one entry of their gradient by 1.5 to show that
    the report points at it. Returns the report (None while unfinished).
    """
    layer_sizes, activations = NETWORKS[network]
    X, Y = demo_data(8)
    params = demo_params(layer_sizes)
    try:
        AL, caches = attempt(forward, X, params, activations)
        grads = attempt(backward, AL, Y, caches, activations)
        attempt(binary_cross_entropy, AL, Y)
    except Unfinished as unfinished:
        print(unfinished)
        return None
    except (TypeError, ValueError):
        print("⚠ forward should return the pair (AL, caches).")
        return None
    grads = dict(grads)
    if spoil is not None:
        key, index = spoil
        grads[key] = np.array(grads[key], dtype=float)
        grads[key][index] *= 1.5

    def loss(p):
        return binary_cross_entropy(forward(X, p, activations)[0], Y)

    try:
        report = gradcheck.compare(loss, params, grads)
    except Exception as error:  # the learner's forward fails on a nudged copy
        print(f"⚠ the gradient check could not run your forward: {error}")
        return None
    title = f"Gradient check of your backward on network {network}"
    if spoil is not None:
        title += f" (with {spoil[0]}{list(spoil[1])} spoiled on purpose)"
    print(report.text(title))
    return report


def training_curve(forward, backward, update, binary_cross_entropy, network="2-4-1",
                   steps=300, learning_rate=0.5, m=200):
    """A few hundred full-batch steps with the learner's forward, backward and update:
    the loss (the given binary_cross_entropy) should fall. Plots it against the step."""
    layer_sizes, activations = NETWORKS[network]
    X, Y = demo_data(m)
    params, losses, note = demo_params(layer_sizes), [], None
    try:
        for _ in range(steps):
            AL, caches = attempt(forward, X, params, activations)
            losses.append(number(binary_cross_entropy, AL, Y))
            grads = attempt(backward, AL, Y, caches, activations)
            params = attempt(update, params, grads, learning_rate)
    except Unfinished as unfinished:
        note = str(unfinished)
    except (TypeError, ValueError, KeyError) as error:
        note = f"⚠ the training loop failed: {type(error).__name__}: {error}"
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    if losses:
        ax.plot(np.arange(len(losses)), losses, color=COLORS["blue"])
    ax.set(xlabel="gradient-descent step", ylabel="cross-entropy loss J (no unit)",
           title=f"network {network} on {m} points of the two circles, η = {learning_rate}")
    ax.grid(alpha=0.3)
    show()
    if note:
        print(note)
    elif losses:
        print(f"loss: {losses[0]:.4f} at step 0 → {losses[-1]:.4f} after {steps} steps")
