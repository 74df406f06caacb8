"""Lesson 7 (training the two-circles classifier): its data, figures and widgets.

Every function that uses a learner's exercise calls it through `course.learner.attempt`,
so a blank lesson shows "🔒 Finish Exercise N" instead of a traceback.

Decisions the next person should know:
- Lesson 7 gives lesson 6's network functions (init_params, forward, backward, update,
  ...) in a read-only cell (grade_id `given_network`), copied from lesson 6's reference
  solution (the shared API of lessons 5-7), plus lesson 5's `accuracy`. An unlocked cell
  below it lets a learner swap in their own; `check_backprop` then runs lesson 6's
  `course.gradcheck` on whichever functions are in use (skipped if it is missing). The
  figures take `forward`, `accuracy` and `binary_cross_entropy` as arguments, so
  swapped-in functions are used (and no lesson's answer lives here).
- The learner's `train` takes `callback(epoch, params, history)`, called after every
  epoch: the playground redraws from it, `run` records snapshots and test curves with it.
- `random_search` is given a `score(learning_rate, width)` function instead of data: its
  check can then use a cheap, known score, independent of the learner's `train`.
- The reference network ([2, 4, 6, 6, 4, 1], relu ×4 + sigmoid) trains with seed 9,
  rate 0.15 halved every 20 epochs, batches of 16, 60 epochs: 100 % test accuracy on
  circles.csv in about 0.4 s. Narrow ReLU networks are seed-sensitive (some seeds start
  with dead units and stay at 50 %); seed 9 reaches ≥ 99 % for every rate 0.05–0.2 and
  batch size 16–64 we tried, so it is robust to small changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.transforms import Bbox

from course.data import circles_split, two_circles
from course.learner import Unfinished, attempt
from course.style import COLORS
from course.widgets import keep_out_of_pyplot, redrawing, show, slider

OUTER, INNER = COLORS["blue"], COLORS["orange"]  # label 0 (outer circle), label 1 (inner)
TRAIN_LINE, TEST_LINE = COLORS["blue"], COLORS["vermillion"]
FEATURE_X, FEATURE_Y = "x₁ (normalised, no unit)", "x₂ (normalised, no unit)"


# --- data --------------------------------------------------------------------------------
def make_circles(n: int = 400, noise: float = 0.05, seed: int = 0):
    """A fresh two-circles set made like datasets/circles.csv: X (2, n), Y (1, n).

    Labels alternate 0, 1, ...; label 0 lies on the circle of radius 1, label 1 on the
    circle of radius 0.5; both coordinates get normal noise of standard deviation `noise`.
    """
    X, labels = two_circles(np.random.default_rng(seed), n, noise)
    return X, labels.reshape(1, -1).astype(float)


def circles_table(table: dict):
    """(X_train, Y_train, X_test, Y_test) from course.load_dataset("circles")."""
    return (*circles_split(table, "train"), *circles_split(table, "test"))


def normalise(min_max_normalise, X_train, X_test):
    """The learner's min–max scaling, fitted on the training set and applied to the test
    set; the raw coordinates (with a note) while Exercise 2 is unfinished."""
    try:
        X_train_scaled, lo, hi = attempt(min_max_normalise, X_train)
        X_test_scaled, _, _ = attempt(min_max_normalise, X_test, lo, hi)
        return np.asarray(X_train_scaled, float), np.asarray(X_test_scaled, float)
    except (Unfinished, TypeError, ValueError) as problem:
        print(f"{problem} Until then the figures use the raw coordinates.")
        return X_train, X_test


# --- static figures ---------------------------------------------------------------------
def scatter(ax, X, Y, hollow=False, label=""):
    """Points of both classes; hollow markers for a test set."""
    for value, color, name in [(0, OUTER, "outer (0)"), (1, INNER, "inner (1)")]:
        mask = Y[0] == value
        style = dict(facecolors="none", edgecolors=color) if hollow else dict(color=color)
        ax.scatter(X[0, mask], X[1, mask], s=12, lw=0.8, label=f"{label} {name}".strip(),
                   **style)


def show_data(X_train, Y_train, X_test, Y_test, title="", xlabel="x₁ (no unit)",
              ylabel="x₂ (no unit)"):
    """The training points (filled) and the test points (hollow), side by side."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.8), sharex=True, sharey=True)
    for ax, X, Y, hollow, name in [(axes[0], X_train, Y_train, False, "training set"),
                                   (axes[1], X_test, Y_test, True, "test set")]:
        scatter(ax, X, Y, hollow=hollow)
        ax.set(xlabel=xlabel, ylabel=ylabel, title=f"{name}: {X.shape[1]} points",
               aspect="equal")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="upper right")
    if title:
        fig.suptitle(title)
    show()


def schedule_lines(ax, step_decay, initial_rate, drop, every, epochs=100) -> list[str]:
    """Draw the learner's step_decay over `epochs`; return readout lines."""
    try:
        rates = [float(attempt(step_decay, initial_rate, e, drop, every)) for e in range(epochs)]
    except (Unfinished, TypeError, ValueError) as problem:
        ax.set(xlabel="epoch", ylabel="learning rate η (per step)")
        return [str(problem)]
    ax.step(range(epochs), rates, where="post", color=COLORS["blue"], lw=2)
    ax.set(xlabel="epoch", ylabel="learning rate η (per step)", ylim=(0, initial_rate * 1.1))
    ax.grid(alpha=0.3)
    shown = [0, every - 1, every, 2 * every]
    return ["step_decay: " + ", ".join(f"epoch {e} → <b>{rates[e]:.4g}</b>"
                                       for e in shown if 0 <= e < epochs)]


def schedule_explorer(step_decay):
    """Sliders for η₀, drop and every, drawing the learner's step_decay for 100 epochs."""
    controls = [
        slider(ipywidgets.FloatSlider, "initial_rate", "η₀", value=0.15, min=0.01, max=0.5,
               step=0.01),
        slider(ipywidgets.FloatSlider, "drop", "drop", value=0.5, min=0.1, max=1.0, step=0.05),
        slider(ipywidgets.IntSlider, "every", "every (epochs)", value=20, min=1, max=50),
    ]
    return redrawing(controls, lambda ax, v: schedule_lines(
        ax, step_decay, v["initial_rate"], v["drop"], v["every"]), figsize=(7, 3),
        room_below=0.5)  # for the x label


def loss_report(losses, halvings=(20, 40), spikes=3):
    """Print the training loss around each halving of the learning rate (epochs counted
    from 1, as on the curves) and the epochs where it rose the most."""
    losses = np.asarray(losses, dtype=float)
    for epoch in halvings:
        if 1 <= epoch < len(losses):
            print(f"loss after epoch {epoch}: {losses[epoch - 1]:.4f}, "
                  f"after epoch {epoch + 1} (rate halved): {losses[epoch]:.4f}")
    rises = np.diff(losses)
    worst = [int(i) for i in np.argsort(rises)[::-1][:spikes] if rises[i] > 0]
    if worst:
        print("largest rises of the loss: " + ", ".join(
            f"epoch {i + 1} → {i + 2} (+{rises[i]:.4f})" for i in sorted(worst)))
    else:
        print("the loss never rose from one epoch to the next")


def curves(history, test_history=None, title=""):
    """Loss and accuracy per epoch (training set, and the test set when given)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.3))
    epochs = np.arange(1, len(history["loss"]) + 1)
    left.plot(epochs, history["loss"], color=TRAIN_LINE, label="training set")
    right.plot(epochs, 100 * np.asarray(history["accuracy"]), color=TRAIN_LINE,
               label="training set")
    if test_history:
        left.plot(epochs, test_history["loss"], "--", color=TEST_LINE, label="test set")
        right.plot(epochs, 100 * np.asarray(test_history["accuracy"]), "--", color=TEST_LINE,
                   label="test set")
    left.set(xlabel="epoch", ylabel="binary cross-entropy (no unit)", yscale="log")
    right.set(xlabel="epoch", ylabel="accuracy (%)", ylim=(40, 101))
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    show()


def boundary(ax, forward, params, activations, X, Y, X_test=None, Y_test=None,
             limits=(-0.15, 1.15), resolution=120):
    """Shade where the network says 1 (inner) or 0 (outer); the 0.5 line is the boundary."""
    grid = np.linspace(*limits, resolution)
    g1, g2 = np.meshgrid(grid, grid)
    probability, _ = forward(np.vstack([g1.ravel(), g2.ravel()]), params, activations)
    probability = np.asarray(probability, float).reshape(g1.shape)
    ax.contourf(g1, g2, probability, levels=[0, 0.5, 1], colors=[OUTER, INNER], alpha=0.18)
    ax.contour(g1, g2, probability, levels=[0.5], colors=[COLORS["black"]], linewidths=1)
    scatter(ax, X, Y)
    if X_test is not None:
        scatter(ax, X_test, Y_test, hollow=True)
    ax.set(xlim=limits, ylim=limits, xlabel=FEATURE_X, ylabel=FEATURE_Y, aspect="equal")


# --- training runs -----------------------------------------------------------------------
def _score(forward, accuracy, binary_cross_entropy, params, activations, X, Y):
    A, _ = forward(X, params, activations)
    return float(binary_cross_entropy(A, Y)), float(accuracy(A, Y))


def _history_problem(history, epochs, callbacks) -> str:
    """Why a history returned by the learner's train cannot be plotted ('' if it can)."""
    label = "⚠ Exercise 5 (`train`)"
    if not isinstance(history, dict) or not {"loss", "accuracy"} <= set(history):
        return f'{label} should return (params, history) with history = {{"loss": [...], "accuracy": [...]}}.'
    for key in ("loss", "accuracy"):
        if len(history[key]) != epochs:
            return (f'{label} recorded {len(history[key])} values in history["{key}"] for '
                    f"{epochs} epochs: append one per epoch.")
    if callbacks != epochs:
        return (f"{label} should call callback(epoch, params, history) once after every epoch "
                f"({callbacks} calls for {epochs} epochs).")
    return ""


def run(train, forward, accuracy, binary_cross_entropy, X, Y, X_test, Y_test, layer_sizes,
        activations, learning_rate, epochs, batch_size, seed=0, drop=0.5, every=20,
        snapshots=(1, 3, 10)):
    """Train with the learner's `train`, timing it and following the test set each epoch.

    Returns {"params", "history", "test_history", "seconds", "test_accuracy",
    "snapshots": {epoch: params}} (the last epoch is always a snapshot), or None with a
    printed note while an exercise is unfinished.
    """
    test_history = {"loss": [], "accuracy": []}
    kept = {}

    def follow(epoch, params, history):
        loss, acc = _score(forward, accuracy, binary_cross_entropy, params, activations,
                           X_test, Y_test)
        test_history["loss"].append(loss)
        test_history["accuracy"].append(acc)
        if epoch + 1 in snapshots:
            kept[epoch + 1] = params

    start = time.perf_counter()
    try:
        params, history = attempt(train, X, Y, layer_sizes, activations, learning_rate, epochs,
                                  batch_size, seed=seed, drop=drop, every=every, callback=follow)
        problem = _history_problem(history, epochs, len(test_history["loss"]))
        if problem:
            raise Unfinished(problem)
    except (Unfinished, TypeError, ValueError) as unfinished:
        print(unfinished)
        return None
    seconds = time.perf_counter() - start
    kept[epochs] = params
    _, test_accuracy = _score(forward, accuracy, binary_cross_entropy, params, activations,
                              X_test, Y_test)
    return {"params": params, "history": history, "test_history": test_history,
            "seconds": seconds, "test_accuracy": test_accuracy, "snapshots": kept}


def boundaries(result, forward, activations, X, Y, title=""):
    """The decision boundary at each snapshot epoch of a `run`, left to right."""
    if result is None:
        print("🔒 The boundaries appear once the training run above works.")
        return
    epochs = sorted(result["snapshots"])
    fig, axes = plt.subplots(1, len(epochs), figsize=(3.2 * len(epochs), 3.4))
    for ax, epoch in zip(np.atleast_1d(axes), epochs, strict=True):
        boundary(ax, forward, result["snapshots"][epoch], activations, X, Y)
        ax.set_title(f"after epoch {epoch}")
    if title:
        fig.suptitle(title)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.15, top=0.9, wspace=0.35)
    show()


def fitting_demo(train, min_max_normalise, forward, accuracy, binary_cross_entropy, models,
                 n_train=30, n_test=200, noise=0.2, seed=1):
    """Under- and over-fitting: train each model on the same small noisy set.

    `models` maps a title to the keyword arguments of `run` (layer_sizes, activations,
    learning_rate, epochs, batch_size, ...). Top row: each model's boundary with the
    training points (filled) and test points (hollow); bottom row: its training and test
    loss per epoch. Returns {title: (train accuracy, test accuracy)}, or None.
    """
    X_raw, Y = make_circles(n_train, noise, seed)
    X_test_raw, Y_test = make_circles(n_test, noise, seed + 1)
    try:
        X, lo, hi = attempt(min_max_normalise, X_raw)
        X_test, _, _ = attempt(min_max_normalise, X_test_raw, lo, hi)
    except Unfinished as unfinished:
        print(unfinished)
        return None
    results = {}
    for name, hyper in models.items():
        result = run(train, forward, accuracy, binary_cross_entropy, X, Y, X_test, Y_test,
                     snapshots=(), **hyper)
        if result is None:
            return None
        results[name] = result
    fig, axes = plt.subplots(2, len(models), figsize=(3.6 * len(models), 7),
                             gridspec_kw={"height_ratios": [3, 2]})
    scores = {}
    for column, (name, result) in enumerate(results.items()):
        activations = models[name]["activations"]
        boundary(axes[0, column], forward, result["params"], activations, X, Y, X_test, Y_test)
        train_acc = float(result["history"]["accuracy"][-1])
        scores[name] = (train_acc, result["test_accuracy"])
        axes[0, column].set_title(f"{name}\ntrain {100 * train_acc:.0f} %, "
                                  f"test {100 * result['test_accuracy']:.0f} %", fontsize=9)
        epochs = np.arange(1, len(result["history"]["loss"]) + 1)
        loss_ax = axes[1, column]
        loss_ax.plot(epochs, result["history"]["loss"], color=TRAIN_LINE, label="training loss")
        loss_ax.plot(epochs, result["test_history"]["loss"], "--", color=TEST_LINE,
                     label="test loss")
        loss_ax.set(xlabel="epoch", ylabel="binary cross-entropy (no unit)", ylim=(0, 2))
        loss_ax.grid(alpha=0.3)
        loss_ax.legend(fontsize=8)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.07, top=0.94, wspace=0.35, hspace=0.3)
    show()
    return scores


def search(random_search, train, score, trials, seed, rates, widths):
    """Run the learner's random_search with `score`; plot every trial; return (best, results).

    Checks first that `train` (which `score` uses) works, so the lock names the right
    exercise.
    """
    try:
        attempt(train, np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 1.0]]), [2, 2, 1],
                ["relu", "sigmoid"], 0.1, 1, 2)
        best, results = attempt(random_search, score, trials, seed, rates=rates, widths=widths)
    except (Unfinished, TypeError, ValueError) as problem:
        print(problem)
        return None
    fig, ax = plt.subplots(figsize=(7, 3.6))
    markers = dict(zip(widths, "os^Dv<>p", strict=False))
    colours = dict(zip(widths, list(COLORS.values()), strict=False))
    for width in widths:
        mine = [r for r in results if r["width"] == width]
        ax.scatter([r["learning_rate"] for r in mine], [100 * r["score"] for r in mine],
                   marker=markers[width], color=colours[width], label=f"width {width}")
    ax.scatter([best["learning_rate"]], [100 * best["score"]], s=200, facecolors="none",
               edgecolors=COLORS["black"], label="best")
    ax.set(xscale="log", xlabel="learning rate η (log scale)", ylabel="validation accuracy (%)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="lower left")
    show()
    return best, results


# --- the training playground ---------------------------------------------------------------
# `playground` wires small pieces together: the controls, the setting they pick (network
# and fresh data), one figure (boundary and curves), and a Train run that redraws it live.
PLAYGROUND_POINTS = {"train": 300, "test": 200}
EMPTY = {"loss": [], "accuracy": []}


def _playground_controls() -> list:
    return [
        slider(ipywidgets.IntSlider, "layers", "hidden layers", value=3, min=1, max=4),
        slider(ipywidgets.IntSlider, "width", "width", value=6, min=1, max=8),
        slider(ipywidgets.Dropdown, "activation", "activation", value="relu",
               options=["relu", "sigmoid"]),
        slider(ipywidgets.FloatLogSlider, "rate", "learning rate η", value=0.15, base=10,
               min=-3, max=0.5, step=0.05, readout_format=".3g"),
        slider(ipywidgets.FloatSlider, "noise", "noise", value=0.05, min=0.0, max=0.3,
               step=0.01),
        slider(ipywidgets.IntSlider, "seed", "seed", value=9, min=0, max=20),
    ]


@dataclass
class Setting:
    """What the playground's controls pick: the network and a fresh circles set."""
    values: dict
    sizes: list
    activations: list
    X_raw: np.ndarray
    Y: np.ndarray
    X_test_raw: np.ndarray
    Y_test: np.ndarray

    @classmethod
    def of(cls, controls) -> Setting:
        v = {c.description_name: c.value for c in controls}
        X_raw, Y = make_circles(PLAYGROUND_POINTS["train"], v["noise"], seed=100 + v["seed"])
        X_test_raw, Y_test = make_circles(PLAYGROUND_POINTS["test"], v["noise"],
                                          seed=200 + v["seed"])
        return cls(v, [2] + [v["width"]] * v["layers"] + [1],
                   [v["activation"]] * v["layers"] + ["sigmoid"], X_raw, Y, X_test_raw, Y_test)

    def scaled(self, min_max_normalise):
        """(X, X_test) scaled by the learner's min_max_normalise fitted on the training set."""
        X, lo, hi = attempt(min_max_normalise, self.X_raw)
        X_test, _, _ = attempt(min_max_normalise, self.X_test_raw, lo, hi)
        return np.asarray(X, float), np.asarray(X_test, float)

    def summary(self) -> str:
        return (f"network {self.sizes}, {self.values['activation']} hidden layers, sigmoid "
                f"output; {PLAYGROUND_POINTS['train']} training and {PLAYGROUND_POINTS['test']} "
                f"test points, noise {self.values['noise']:.2f}. Press <b>Train</b>.")


class PlaygroundFigure:
    """The playground's figure. Left: the data and (given params) the network's boundary;
    right: the loss curves and the training accuracy of the epochs done so far.

    It is built once; each `draw` replaces the left panel's points and shading and the
    curves' data but keeps the axes (building axes and their ticks again was a third of
    a redraw).
    """

    def __init__(self, epochs):
        fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
        keep_out_of_pyplot(fig)
        self.fig, self.left = fig, left
        self.train_loss, = right.plot([], [], color=TRAIN_LINE, label="training loss")
        self.test_loss, = right.plot([], [], "--", color=TEST_LINE, label="test loss")
        right.set(xlim=(0, epochs), ylim=(0, 1), xlabel="epoch",
                  ylabel="binary cross-entropy (no unit)")
        twin = right.twinx()
        self.accuracy, = twin.plot([], [], color=COLORS["green"], label="training accuracy")
        twin.set(ylim=(40, 101), ylabel="training accuracy (%)")
        right.legend(fontsize=8, loc="center right")
        right.grid(alpha=0.3)
        fig.subplots_adjust(left=0.07, right=0.92, bottom=0.14, top=0.9, wspace=0.35)

    def draw(self, forward, setting, X, X_test, params=None, history=EMPTY,
             test_history=EMPTY):
        left = self.left
        for artist in [*left.collections, *left.lines]:
            artist.remove()
        left.dataLim, left.ignore_existing_data_limits = Bbox.null(), True  # as a new axes
        left.set_autoscale_on(True)
        if params is not None:
            boundary(left, forward, params, setting.activations, X, setting.Y, X_test,
                     setting.Y_test)
        else:
            scatter(left, X, setting.Y)
            left.set(xlabel="x₁ (no unit)", ylabel="x₂ (no unit)", aspect="equal")
        left.set_title("decision boundary (filled: train, hollow: test)", fontsize=9)
        done = np.arange(1, len(history["loss"]) + 1)
        self.train_loss.set_data(done, history["loss"])
        self.test_loss.set_data(done, test_history["loss"])
        self.accuracy.set_data(done, 100 * np.asarray(history["accuracy"]))
        return self.fig


def _trained(train, forward, accuracy, binary_cross_entropy, setting, X, X_test, epochs,
             batch_size, on_epoch):
    """Run the learner's train on the setting, following the test set after every epoch:
    (params, history, test_history, seconds). `on_epoch(epoch, params, history,
    test_history)` is called after each. Raises Unfinished with what to fix."""
    test_history = {"loss": [], "accuracy": []}

    def follow(epoch, params, history):
        loss, acc = _score(forward, accuracy, binary_cross_entropy, params,
                           setting.activations, X_test, setting.Y_test)
        test_history["loss"].append(loss)
        test_history["accuracy"].append(acc)
        on_epoch(epoch, params, history, test_history)

    start = time.perf_counter()
    try:
        params, history = attempt(train, X, setting.Y, setting.sizes, setting.activations,
                                  setting.values["rate"], epochs, batch_size,
                                  seed=setting.values["seed"], drop=0.5,
                                  every=max(1, epochs // 3), callback=follow)
        problem = _history_problem(history, epochs, len(test_history["loss"]))
        if problem:
            raise Unfinished(problem)
        history = {"loss": list(history["loss"]), "accuracy": list(history["accuracy"])}
    except (TypeError, ValueError, KeyError) as problem:
        raise Unfinished(f"⚠ Exercise 5 (`train`) returned something unexpected ({problem}):"
                         " it should return (params, history).") from None
    return params, history, test_history, time.perf_counter() - start


def playground(train, min_max_normalise, forward, accuracy, binary_cross_entropy, epochs=60,
               batch_size=16, redraw_every=6):
    """A small TensorFlow-Playground: pick the network and the data, press Train.

    Controls: hidden layers, width, hidden activation, learning rate, noise of a freshly
    generated circles set, and the seed. Moving a control redraws the new data and the
    untrained network; **Train** runs the learner's `train` (their `min_max_normalise`
    scales the data) and redraws the boundary and the curves every `redraw_every` epochs,
    with a progress bar. Returns the box; `.readout`, `.button`, `.progress`.
    """
    controls = _playground_controls()
    button = ipywidgets.Button(description="Train", button_style="primary", icon="play")
    progress = ipywidgets.IntProgress(value=0, min=0, max=epochs, description="epoch 0",
                                      style={"description_width": "initial"})
    readout, figure = ipywidgets.HTML(), ipywidgets.Output()
    drawing = PlaygroundFigure(epochs)

    def draw(setting, X, X_test, lines, *trained):
        with figure:
            figure.clear_output(wait=True)
            show(drawing.draw(forward, setting, X, X_test, *trained))
        readout.value = "<br>".join(lines)

    def show_setting(_change=None):
        setting = Setting.of(controls)
        progress.value, progress.description = 0, "epoch 0"
        try:
            X, X_test = setting.scaled(min_max_normalise)
        except Unfinished as unfinished:
            draw(setting, setting.X_raw, setting.X_test_raw, [setting.summary(), str(unfinished)])
            return
        draw(setting, X, X_test, [setting.summary()])

    def train_now(_button=None):
        setting = Setting.of(controls)

        def live(epoch, params, history, test_history):
            progress.value, progress.description = epoch + 1, f"epoch {epoch + 1}"
            if (epoch + 1) % redraw_every == 0 and epoch + 1 < epochs:
                draw(setting, X, X_test, [f"training… epoch {epoch + 1} of {epochs}"],
                     params, history, test_history)

        button.disabled = True
        try:
            X, X_test = setting.scaled(min_max_normalise)
            params, history, test_history, seconds = _trained(
                train, forward, accuracy, binary_cross_entropy, setting, X, X_test, epochs,
                batch_size, live)
        except Unfinished as unfinished:
            readout.value = str(unfinished)
            return
        finally:
            button.disabled = False
        draw(setting, X, X_test, [
            f"network {setting.sizes}: after {epochs} epochs ({seconds:.1f} s) training accuracy "
            f"<b>{100 * history['accuracy'][-1]:.1f} %</b>, test accuracy "
            f"<b>{100 * test_history['accuracy'][-1]:.1f} %</b>"], params, history, test_history)

    for control in controls:
        control.observe(show_setting, "value")
    button.on_click(train_now)
    show_setting()
    box = ipywidgets.VBox([ipywidgets.HBox(controls[:3]), ipywidgets.HBox(controls[3:]),
                           ipywidgets.HBox([button, progress]), readout, figure])
    box.readout, box.button, box.progress, box.controls = readout, button, progress, controls
    box.train = train_now
    return box


def carve(train_test_split, X, Y, fraction, seed=0):
    """A validation set cut from the training set with the learner's train_test_split:
    (X_fit, Y_fit, X_val, Y_val). While Exercise 1 is unfinished, the last `fraction`
    of the examples (with a note)."""
    try:
        X_fit, Y_fit, X_val, Y_val = attempt(train_test_split, X, Y, fraction, seed)
        return X_fit, Y_fit, X_val, Y_val
    except (Unfinished, TypeError, ValueError) as problem:
        print(f"{problem} Until then the validation set is the last {fraction:.0%} of the "
              "training set.")
        cut = X.shape[1] - int(round(fraction * X.shape[1]))
        return X[:, :cut], Y[:, :cut], X[:, cut:], Y[:, cut:]


def check_backprop(init_params, forward, backward, binary_cross_entropy):
    """Lesson 6's gradient check (course.gradcheck) on the network functions in use, given
    or swapped in: a 2-3-3-1 network on five points. Prints the report; returns it, or
    None when the check is not available or the functions fail."""
    try:
        from course import gradcheck
    except ImportError:
        print("(course.gradcheck is not available here: the gradient check is skipped.)")
        return None
    X = np.array([[0.12, 0.85, 0.47, 0.66, 0.31], [0.93, 0.21, 0.58, 0.74, 0.05]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    activations = ["relu", "relu", "sigmoid"]
    try:
        params = init_params([2, 3, 3, 1], seed=1)
        AL, caches = forward(X, params, activations)
        grads = backward(AL, Y, caches, activations)
        report = gradcheck.compare(
            lambda p: binary_cross_entropy(forward(X, p, activations)[0], Y), params, grads)
    except Exception as error:  # a swapped-in function that fails must not stop the lesson
        print(f"⚠ The network functions in use raised {type(error).__name__}: {error}. "
              "Fix them, or run the read-only cell again to use the given ones.")
        return None
    print(report.text("Gradient check of the backward pass in use"))
    return report
