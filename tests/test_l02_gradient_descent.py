"""Lesson 2's figures and explorer, driven with reference, unfinished and wrong functions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course import descent


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def gradient_descent(df, x0, learning_rate, steps):
    """Exercise 1. Reference."""
    path = [float(x0)]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * df(path[-1]))
    return np.array(path)


def unfinished_descent(df, x0, learning_rate, steps):
    """Exercise 1. Not written yet."""
    raise NotImplementedError()


def unfinished_best(f, df, starts, learning_rate, steps):
    """Exercise 5. Not written yet."""
    raise NotImplementedError()


def hillside(x):
    return 4 * x**2 + 10 * x + 6


def hillside_slope(x):
    return 8 * x + 10


def curves():
    return {
        "hillside": (hillside, hillside_slope, np.linspace(-4, 1.5, 100), "x (100 m)", "f (m)"),
        "error": (lambda o: 0.5 * (1 - o)**2, lambda o: o - 1, np.linspace(-3, 5, 100),
                  "O", "E"),
    }


def test_explorer_responds_to_its_sliders():
    widget = descent.explorer(gradient_descent, curves())
    controls = widget.controls
    assert "step <b>0</b>" in widget.readout.value and "x = <b>1</b>" in widget.readout.value
    assert "<b>settled</b>" in widget.readout.value
    controls["step"].value = 3
    assert "x = <b>-1.232</b>" in widget.readout.value
    assert "next step is −η·f′(x) = <b>-0.0144</b>" in widget.readout.value
    controls["rate"].value = 0.3
    assert "<b>diverges</b>" in widget.readout.value
    controls["rate"].value = 0.01
    assert "<b>crawling</b>" in widget.readout.value
    controls["rate"].value = 0.245
    assert "<b>zigzagging</b>" in widget.readout.value
    controls["curve"].value = "error"
    controls["rate"].value = 1.0
    controls["x0"].value = 3.0
    controls["step"].value = 1
    assert "x = <b>1</b>" in widget.readout.value


def test_explorer_has_a_play_button_driving_the_step_slider():
    widget = descent.explorer(gradient_descent, curves())
    assert widget.play.max == descent.MAX_STEPS == widget.controls["step"].max
    assert widget.play in widget.children[0].children


def test_explorer_locks_until_exercise_1_is_done():
    widget = descent.explorer(unfinished_descent, curves())
    assert "🔒 Finish Exercise 1 (`unfinished_descent`)" in widget.readout.value
    widget.controls["step"].value = 5  # still no exception
    assert "Finish Exercise 1" in widget.readout.value


def test_explorer_explains_a_wrong_return():
    widget = descent.explorer(lambda df, x0, rate, steps: None, curves())
    assert "returned None" in widget.readout.value
    short = descent.explorer(lambda df, x0, rate, steps: np.zeros(steps), curves())
    assert f"it should return {descent.MAX_STEPS + 1} positions" in short.readout.value
    last_only = descent.explorer(lambda df, x0, rate, steps: -1.25, curves())
    assert "returned shape ()" in last_only.readout.value


def test_figures_draw_with_unfinished_exercises(capsys):
    descent.learning_rates(unfinished_descent, hillside, hillside_slope)
    descent.ball_in_bowl(unfinished_descent, lambda o: 0.5 * (1 - o)**2, lambda o: o - 1)
    descent.climb(unfinished_descent, lambda x: -(x**2) + 2 * x + 3, lambda x: -2 * x + 2)
    waves = lambda x: np.sin(3 * x) + 0.1 * x**2  # noqa: E731
    waves_slope = lambda x: 3 * np.cos(3 * x) + 0.2 * x  # noqa: E731
    descent.several_starts(unfinished_descent, unfinished_best, waves, waves_slope,
                           np.array([1.0, -1.0]))
    out = capsys.readouterr().out
    assert out.count("Finish Exercise 1 (`unfinished_descent`)") == 4
    assert "Finish Exercise 5 (`unfinished_best`)" in out


def test_figures_report_the_learners_results(capsys):
    descent.learning_rates(gradient_descent, hillside, hillside_slope)
    descent.climb(gradient_descent, lambda x: -(x**2) + 2 * x + 3, lambda x: -2 * x + 2)
    out = capsys.readouterr().out
    assert "η = 0.1   after 15 steps: x = -1.25" in out
    assert "of ascent: x = 0.99" in out
