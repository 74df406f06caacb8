"""Lesson 3's figures and widgets, driven with reference, unfinished and wrong functions."""

from __future__ import annotations

import numpy as np

from course import data, partials


def numerical_gradient(f, x, h=1e-5):
    """Exercise 4. Reference."""
    return np.array([(f(x + s) - f(x - s)) / (2 * h) for s in h * np.eye(len(x))])


def gradient_descent_nd(grad, x0, learning_rate, steps):
    """Exercise 5. Reference."""
    path = np.zeros((steps + 1, len(x0)))
    path[0] = x0
    for k in range(steps):
        path[k + 1] = path[k] - learning_rate * grad(path[k])
    return path


def unfinished_numerical_gradient(f, x, h=1e-5):
    """Exercise 4. Not written yet."""
    raise NotImplementedError()


def unfinished_gradient_descent_nd(grad, x0, learning_rate, steps):
    """Exercise 5. Not written yet."""
    raise NotImplementedError()


def path_without_start(grad, x0, learning_rate, steps):
    """Exercise 5. Forgets row 0."""
    return gradient_descent_nd(grad, x0, learning_rate, steps)[1:]


def sliders(widget):
    return {c.description_name: c for c in widget.children[0].children}


def test_descent_map_responds_to_its_sliders():
    widget = partials.descent_map(numerical_gradient, gradient_descent_nd)
    assert "<b>(-1.5000, 1.5000)</b>" in widget.readout.value  # ∇E at (-0.5, 2.5)
    assert "after 20 steps" in widget.readout.value
    sliders(widget)["eta"].value = 1.0  # one step lands on the minimum of the round bowl
    assert "O = (1.0000, 1.0000), E = <b>0</b>" in widget.readout.value
    sliders(widget)["o1"].value = 2.0
    assert "<b>(1.0000, 1.5000)</b>" in widget.readout.value

    widget = partials.descent_map(numerical_gradient, gradient_descent_nd, "stretched",
                                  start=(2.0, 2.5))
    assert "<b>(1.0000, 6.0000)</b>" in widget.readout.value  # 4 (O₂ − 1) across the valley
    sliders(widget)["eta"].value = 0.45  # zigzags across the valley, but converges
    assert "diverging" not in widget.readout.value
    sliders(widget)["eta"].value = 0.55  # curvature 4: above 2/4 the steps grow
    assert "diverging" in widget.readout.value


def test_descent_map_locks_until_the_exercises_are_done():
    widget = partials.descent_map(unfinished_numerical_gradient, unfinished_gradient_descent_nd)
    assert "Finish Exercise 4 (`unfinished_numerical_gradient`)" in widget.readout.value
    assert "Finish Exercise 5 (`unfinished_gradient_descent_nd`)" in widget.readout.value
    sliders(widget)["eta"].value = 0.5  # still no exception


def test_descent_map_explains_a_path_of_the_wrong_shape():
    widget = partials.descent_map(numerical_gradient, path_without_start)
    assert "should return the path, an array of shape (steps + 1, 2) = (21, 2)" in \
        widget.readout.value
    assert "not shape (20, 2)" in widget.readout.value


def test_surface_view_turns_and_draws_the_path():
    widget = partials.surface_view(gradient_descent_nd)
    assert "elevation 30°" in widget.readout.value and "after 12 steps" in widget.readout.value
    sliders(widget)["elev"].value = 60
    sliders(widget)["azim"].value = 40
    assert "elevation 60°, azimuth 40°" in widget.readout.value
    sliders(widget)["eta"].value = 1.0  # one step to the bottom of the round bowl
    assert "O = (1.0000, 1.0000), E = <b>0</b>" in widget.readout.value
    sliders(widget)["eta"].value = 2.1
    assert "diverging" in widget.readout.value


def test_surface_view_locks_until_exercise_5_is_done():
    widget = partials.surface_view(unfinished_gradient_descent_nd)
    assert "Finish Exercise 5 (`unfinished_gradient_descent_nd`)" in widget.readout.value
    assert "elevation 30°" in widget.readout.value  # the surface itself still shows


def test_farm_figures_lock_and_unlock(capsys):
    def partial_derivative(f, x, i, h=1e-5):
        """Exercise 3."""
        raise NotImplementedError()

    partials.farm_slices(partial_derivative)
    assert "Finish Exercise 3 (`partial_derivative`)" in capsys.readouterr().out

    def pig_farm_model(x):
        """Exercise 1."""
        return 5 * x[0] ** 2 + 8 * x[1] + 35 * x[2] + 30  # rows, not columns

    farm = data.load_dataset("pig_farm")
    partials.model_vs_records(farm, pig_farm_model)
    assert "should return one number per row" in capsys.readouterr().out
    partials.model_vs_records(farm, partials.story_farm)
    assert capsys.readouterr().out == ""


def test_gradient_table_shows_both_gradients(capsys):
    def pig_farm_gradient(x):
        """Exercise 2."""
        return np.array([10 * x[0], 8.0, 35.0])

    partials.gradient_table(unfinished_numerical_gradient, pig_farm_gradient, [(3, 10, 4)])
    out = capsys.readouterr().out
    assert "(30.0000, 8.0000, 35.0000)" in out
    assert "Finish Exercise 4 (`unfinished_numerical_gradient`)" in out
    partials.gradient_table(numerical_gradient, pig_farm_gradient, [(3, 10, 4)])
    assert capsys.readouterr().out.count("(30.0000, 8.0000, 35.0000)") == 2


def test_fit_progress_reports_the_fit_or_what_is_wrong(capsys):
    farm = data.load_dataset("pig_farm")
    X = np.column_stack([farm["year"], farm["area"], farm["employees"]])
    y = farm["pigs_sold"]

    def fit_farm(X, y, learning_rate, steps):
        """Exercise 6."""
        features = np.column_stack([X[:, 0] ** 2, X[:, 1], X[:, 2], np.ones(len(y))])
        return np.linalg.lstsq(features, y, rcond=None)[0] * min(1.0, steps / 50)

    partials.fit_progress(fit_farm, X, y)
    assert "y ≈ 5.05·x₁² + 7.93·x₂ + 34.85·x₃ + 29.79" in capsys.readouterr().out

    def forgot_return(X, y, learning_rate, steps):
        """Exercise 6."""

    partials.fit_progress(forgot_return, X, y)
    assert "Exercise 6 (`forgot_return`) returned None" in capsys.readouterr().out
