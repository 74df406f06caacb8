"""Lesson 7's figures, widgets and reference network, driven with the lesson's own code.

The given network functions and the reference answers are read from the solution
notebook (its `given_network` cell and its solution cells), so these tests use exactly
the code the lesson ships.
"""

from __future__ import annotations

import numpy as np
import pytest

import course
from course import training
from grader import notebooks
from tests.course_under_test import source


@pytest.fixture(scope="module")
def lesson():
    """The notebook's given functions and reference answers, in one namespace."""
    space = {"np": np}
    for cell in source("07-training").cells:
        meta = notebooks.nbgrader_meta(cell)
        if meta.get("grade_id") == "given_network" or meta.get("solution"):
            exec(cell.source, space)
    return space


def unfinished(number, name):
    def function(*args, **kwargs):
        raise NotImplementedError()

    function.__name__ = name
    function.__doc__ = f"Exercise {number}. Not written yet."
    return function


def controls(widget):
    return {c.description_name: c for c in widget.controls}


def test_reference_network_reaches_99_percent_on_the_test_set_in_seconds(lesson):
    X_raw, Y, X_test_raw, Y_test = training.circles_table(course.load_dataset("circles"))
    X, X_test = training.normalise(lesson["min_max_normalise"], X_raw, X_test_raw)
    result = training.run(lesson["train"], lesson["forward"], lesson["accuracy"],
                          lesson["binary_cross_entropy"], X, Y, X_test, Y_test,
                          layer_sizes=[2, 4, 6, 6, 4, 1], activations=["relu"] * 4 + ["sigmoid"],
                          learning_rate=0.15, epochs=60, batch_size=16, seed=9, drop=0.5,
                          every=20)
    assert result["test_accuracy"] >= 0.99
    assert result["seconds"] < 5
    assert sorted(result["snapshots"]) == [1, 3, 10, 60]
    assert len(result["test_history"]["loss"]) == 60


@pytest.mark.parametrize("rate, batch_size", [(0.1, 16), (0.2, 16), (0.15, 32)])
def test_reference_network_is_robust_to_nearby_hyper_parameters(lesson, rate, batch_size):
    X_raw, Y, X_test_raw, Y_test = training.circles_table(course.load_dataset("circles"))
    X, X_test = training.normalise(lesson["min_max_normalise"], X_raw, X_test_raw)
    params, _ = lesson["train"](X, Y, [2, 4, 6, 6, 4, 1], ["relu"] * 4 + ["sigmoid"], rate, 60,
                                batch_size, seed=9, drop=0.5, every=20)
    A, _ = lesson["forward"](X_test, params, ["relu"] * 4 + ["sigmoid"])
    assert lesson["accuracy"](A, Y_test) >= 0.99


def test_make_circles_has_the_shapes_and_labels_of_the_dataset():
    X, Y = training.make_circles(10, 0.0, seed=1)
    assert X.shape == (2, 10) and Y.shape == (1, 10)
    assert Y[0].tolist() == [0, 1] * 5
    radius = np.hypot(X[0], X[1])
    assert np.allclose(radius, np.where(Y[0] == 1, 0.5, 1.0))


def test_playground_responds_to_its_controls_and_trains(lesson):
    widget = training.playground(lesson["train"], lesson["min_max_normalise"], lesson["forward"],
                                 lesson["accuracy"], lesson["binary_cross_entropy"], epochs=12, redraw_every=4)
    assert "network [2, 6, 6, 6, 1]" in widget.readout.value
    controls(widget)["noise"].value = 0.2
    assert "noise 0.20" in widget.readout.value
    controls(widget)["layers"].value = 1
    controls(widget)["width"].value = 8
    assert "network [2, 8, 1]" in widget.readout.value
    widget.button.click()
    assert "test accuracy" in widget.readout.value
    assert widget.progress.value == 12 and not widget.button.disabled


def test_playground_locks_until_the_exercises_are_done(lesson):
    widget = training.playground(unfinished(5, "train"), lesson["min_max_normalise"],
                                 lesson["forward"], lesson["accuracy"], lesson["binary_cross_entropy"], epochs=4)
    widget.button.click()
    assert "Finish Exercise 5 (`train`)" in widget.readout.value
    assert not widget.button.disabled
    widget = training.playground(lesson["train"], unfinished(2, "min_max_normalise"),
                                 lesson["forward"], lesson["accuracy"], lesson["binary_cross_entropy"], epochs=4)
    assert "Finish Exercise 2 (`min_max_normalise`)" in widget.readout.value
    controls(widget)["noise"].value = 0.1  # still no exception
    widget.button.click()
    assert "Finish Exercise 2" in widget.readout.value


def test_playground_explains_a_wrong_return(lesson):
    def returns_none(*args, **kwargs):
        """Exercise 5."""

    widget = training.playground(returns_none, lesson["min_max_normalise"], lesson["forward"],
                                 lesson["accuracy"], lesson["binary_cross_entropy"], epochs=4)
    widget.button.click()
    assert "returned None" in widget.readout.value

    def no_callback(X, Y, layer_sizes, activations, *args, callback=None, **kwargs):
        """Exercise 5."""
        return lesson["train"](X, Y, layer_sizes, activations, *args, **kwargs)

    widget = training.playground(no_callback, lesson["min_max_normalise"], lesson["forward"],
                                 lesson["accuracy"], lesson["binary_cross_entropy"], epochs=4)
    widget.button.click()
    assert "should call callback(epoch, params, history)" in widget.readout.value


def test_schedule_explorer_uses_the_learners_step_decay(lesson):
    widget = training.schedule_explorer(lesson["step_decay"])
    assert "epoch 20 → <b>0.075</b>" in widget.readout.value
    sliders = {c.description_name: c for c in widget.children[0].children}
    sliders["every"].value = 10
    assert "epoch 10 → <b>0.075</b>" in widget.readout.value
    locked = training.schedule_explorer(unfinished(4, "step_decay"))
    assert "Finish Exercise 4 (`step_decay`)" in locked.readout.value


def test_runs_and_figures_say_which_exercise_to_finish(lesson, capsys):
    X, Y = training.make_circles(20, 0.05, seed=0)
    assert training.run(unfinished(5, "train"), lesson["forward"], lesson["accuracy"],
                        lesson["binary_cross_entropy"], X, Y, X, Y, [2, 3, 1],
                        ["relu", "sigmoid"], 0.1, 2, 4) is None
    training.boundaries(None, lesson["forward"], ["relu", "sigmoid"], X, Y)
    assert training.fitting_demo(unfinished(5, "train"), lesson["min_max_normalise"],
                                 lesson["forward"], lesson["accuracy"],
                                 lesson["binary_cross_entropy"],
                                 {"tiny": dict(layer_sizes=[2, 1], activations=["sigmoid"],
                                               learning_rate=0.1, epochs=2, batch_size=10)}) is None
    assert training.search(unfinished(6, "random_search"), lesson["train"], lambda r, w: 0.0,
                           trials=2, seed=0, rates=(0.01, 0.1), widths=(2,)) is None
    assert training.search(lesson["random_search"], unfinished(5, "train"), lambda r, w: 0.0,
                           trials=2, seed=0, rates=(0.01, 0.1), widths=(2,)) is None
    X_fit, _, X_val, _ = training.carve(unfinished(1, "train_test_split"), X, Y, 0.25)
    assert X_fit.shape == (2, 15) and X_val.shape == (2, 5)
    raw, _ = training.normalise(unfinished(2, "min_max_normalise"), X, X)
    assert raw is X
    out = capsys.readouterr().out
    for exercise in ["Exercise 5 (`train`)", "Exercise 6 (`random_search`)",
                     "Exercise 1 (`train_test_split`)", "Exercise 2 (`min_max_normalise`)"]:
        assert f"Finish {exercise}" in out


def test_fitting_demo_and_search_draw_with_the_reference(lesson):
    scores = training.fitting_demo(
        lesson["train"], lesson["min_max_normalise"], lesson["forward"], lesson["accuracy"],
        lesson["binary_cross_entropy"],
        {"one neuron": dict(layer_sizes=[2, 1], activations=["sigmoid"], learning_rate=0.5,
                            epochs=50, batch_size=10),
         "hidden layers": dict(layer_sizes=[2, 6, 6, 1], activations=["relu", "relu", "sigmoid"],
                               learning_rate=0.3, epochs=50, batch_size=10)})
    assert set(scores) == {"one neuron", "hidden layers"}
    assert all(0 <= a <= 1 and 0 <= b <= 1 for a, b in scores.values())
    best, results = training.search(lesson["random_search"], lesson["train"],
                                    lambda rate, width: -abs(np.log10(rate) + 1) - width / 100,
                                    trials=8, seed=0, rates=(0.01, 1.0), widths=(2, 4))
    assert len(results) == 8 and best["score"] == max(r["score"] for r in results)


def test_gradient_check_of_the_functions_in_use(lesson, capsys):
    report = training.check_backprop(lesson["init_params"], lesson["forward"],
                                     lesson["backward"], lesson["binary_cross_entropy"])
    assert report.ok and "every gradient agrees" in capsys.readouterr().out

    def halved(AL, Y, caches, activations):
        return {k: v / 2 for k, v in lesson["backward"](AL, Y, caches, activations).items()}

    report = training.check_backprop(lesson["init_params"], lesson["forward"], halved,
                                     lesson["binary_cross_entropy"])
    assert not report.ok and "disagree" in capsys.readouterr().out

    def broken(*args):
        raise ValueError("shapes do not match")

    assert training.check_backprop(lesson["init_params"], broken, lesson["backward"],
                                   lesson["binary_cross_entropy"]) is None
    assert "⚠ The network functions in use raised ValueError" in capsys.readouterr().out
