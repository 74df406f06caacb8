"""Lesson 4's figures and activation explorer, driven with reference and unfinished
functions."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from course import activations

matplotlib.use("Agg")


def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def sigmoid(z):
    """Exercise 1. Reference."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z):
    """Exercise 2. Reference."""
    return sigmoid(z) * (1 - sigmoid(z))


def relu(z):
    """Exercise 3. Reference."""
    return np.maximum(z, 0)


def relu_derivative(z):
    """Exercise 4. Reference."""
    return np.where(z > 0, 1.0, 0.0)


def leaky_relu(z, slope=0.01):
    """Exercise 5. Reference."""
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(z, slope=0.01):
    """Exercise 6. Reference."""
    return np.where(z > 0, 1.0, slope)


def neuron_gradients(x, t, w, b):
    """Exercise 7. Reference."""
    a = sigmoid(w * x + b)
    delta = -(t - a) * a * (1 - a)
    return delta * x, delta


def collapse_linear(W1, b1, W2, b2):
    """Exercise 10. Reference."""
    return W2 @ W1, W2 @ b1 + b2


def unfinished(number):
    def function(*args, **kwargs):
        raise NotImplementedError()

    function.__doc__ = f"Exercise {number}. Not written yet."
    function.__name__ = f"unfinished_{number}"
    return function


def tanh_derivative(z):
    return 1 - np.tanh(z) ** 2


def explorer(**overrides):
    pairs = {"sigmoid": (sigmoid, sigmoid_derivative), "tanh": (np.tanh, tanh_derivative),
             "relu": (relu, relu_derivative), "leaky_relu": (leaky_relu, leaky_relu_derivative)}
    pairs.update(overrides)
    return activations.explorer(numeric=central_difference, **pairs)


def controls(widget):
    return {c.description_name: c for c in widget.children[0].children}


@pytest.fixture(autouse=True)
def no_windows(monkeypatch):
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: matplotlib.pyplot.close("all"))


def test_explorer_reads_out_f_and_both_derivatives():
    widget = explorer()
    text = widget.readout.value
    assert "f(1) = <b>0.731059</b>" in text
    assert "analytic f′(1) = <b>0.196612</b>" in text
    assert "numeric f′(1) = <b>0.196612</b>" in text
    controls(widget)["z0"].value = 0.0
    assert "analytic f′(0) = <b>0.25</b>" in widget.readout.value


def test_explorer_switches_activation_and_shows_the_relu_kink():
    widget = explorer()
    controls(widget)["name"].value = "tanh"
    assert "analytic f′(1) = <b>0.419974</b>" in widget.readout.value
    controls(widget)["name"].value = "ReLU"
    controls(widget)["z0"].value = 0.0
    text = widget.readout.value
    assert "analytic f′(0) = <b>0</b>" in text and "numeric f′(0) = <b>0.5</b>" in text
    assert "kink" in text


def test_explorer_leaky_slope_slider():
    widget = explorer()
    controls(widget)["name"].value = "leaky ReLU"
    controls(widget)["z0"].value = -2.0
    assert "f(-2) = <b>-0.02</b>" in widget.readout.value
    controls(widget)["slope"].value = 0.2
    assert "f(-2) = <b>-0.4</b>" in widget.readout.value
    assert "analytic f′(-2) = <b>0.2</b>" in widget.readout.value


def test_explorer_locks_until_the_exercises_are_done():
    widget = explorer(sigmoid=(unfinished(1), unfinished(2)),
                      relu=(relu, unfinished(4)))
    assert "Finish Exercise 1 (`unfinished_1`)" in widget.readout.value
    controls(widget)["name"].value = "ReLU"
    text = widget.readout.value
    assert "Finish Exercise 4 (`unfinished_4`)" in text
    assert "numeric f′(1) = <b>1</b>" in text  # the curve and numeric slope still show
    controls(widget)["z0"].value = -1.0  # still no exception


def test_explorer_explains_a_wrong_return():
    widget = explorer(sigmoid=(sigmoid, lambda z: None))
    assert "returned None" in widget.readout.value
    widget = explorer(sigmoid=(lambda z: np.array([0.5]), sigmoid_derivative))
    assert "should return an array of shape (241,)" in widget.readout.value


def test_derivative_table_and_gradient_check_print(capsys):
    activations.derivative_table(sigmoid, sigmoid_derivative, central_difference, [0, 1])
    out = capsys.readouterr().out
    assert "0.250000" in out and "0.196612" in out
    activations.derivative_table(sigmoid, unfinished(2), central_difference, [0, 1])
    assert "Finish Exercise 2" in capsys.readouterr().out
    activations.gradient_check(neuron_gradients, central_difference)
    out = capsys.readouterr().out
    assert out.count("-0.250000") == 2 and out.count("0.052877") == 4
    activations.gradient_check(unfinished(7), central_difference)
    assert "Finish Exercise 7" in capsys.readouterr().out
    activations.gradient_check(lambda x, t, w, b: "oops", central_difference)
    assert "should return two numbers" in capsys.readouterr().out


def test_figures_draw_with_unfinished_exercises(capsys):
    activations.computation_graph()
    activations.stacked_layers(collapse_linear, relu)
    assert capsys.readouterr().out == ""
    activations.stacked_layers(unfinished(10), unfinished(3))
    out = capsys.readouterr().out
    assert "Finish Exercise 10" in out and "Finish Exercise 3" in out
    activations.stacked_layers(lambda W1, b1, W2, b2: (W1 @ W2, b1), relu)
    assert "should return (W, b)" in capsys.readouterr().out


def test_revenue_graph_shows_both_paths_and_their_sum(monkeypatch):
    texts = []
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: texts.extend(
        t.get_text() for t in matplotlib.pyplot.gca().texts) or matplotlib.pyplot.close("all"))
    activations.revenue_graph(x=3.0)
    assert "path through n: 16 × 30 = 480" in texts
    assert "path through p: 75 × 2 = 150" in texts
    assert "dR/dx = 480 + 150\n= 630" in texts
