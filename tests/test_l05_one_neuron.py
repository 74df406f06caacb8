"""Lesson 5's figures and neuron playground, driven with reference and unfinished functions."""

from __future__ import annotations

import numpy as np

from course import neuron


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def neuron_forward(X, w, b):
    """Exercise 1. Reference."""
    return sigmoid(w.T @ X + b)


def binary_cross_entropy(A, Y):
    """Exercise 3. Reference."""
    A = np.clip(A, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def mean_squared_error(A, Y):
    """Exercise 2. Reference."""
    return float(np.mean((Y - A) ** 2) / 2)


def accuracy(A, Y):
    """Exercise 6. Reference."""
    return float(np.mean((A >= 0.5) == Y))


def train_neuron(X, Y, learning_rate, steps):
    """Exercise 5. Reference."""
    w, b, losses = np.zeros((X.shape[0], 1)), 0.0, []
    for _ in range(steps):
        A = neuron_forward(X, w, b)
        losses.append(binary_cross_entropy(A, Y))
        w = w - learning_rate * X @ (A - Y).T / X.shape[1]
        b = b - learning_rate * float(np.mean(A - Y))
    return w, b, losses


def unfinished_forward(X, w, b):
    """Exercise 1. Not written yet."""
    raise NotImplementedError()


def unfinished_cross_entropy(A, Y):
    """Exercise 3. Not written yet."""
    raise NotImplementedError()


def unfinished_accuracy(A, Y):
    """Exercise 6. Not written yet."""
    raise NotImplementedError()


def unfinished_train(X, Y, learning_rate, steps):
    """Exercise 5. Not written yet."""
    raise NotImplementedError()


def sliders(widget):
    return {c.description_name: c for c in widget.children[0].children}


def test_exam_data_has_examples_as_columns():
    X, Y = neuron.exam_data()
    assert X.shape == (2, 100) and Y.shape == (1, 100)
    assert set(np.unique(Y)) == {0.0, 1.0}


def test_playground_reads_out_the_learners_loss_and_accuracy():
    X, Y = neuron.exam_data()
    widget = neuron.playground(neuron_forward, binary_cross_entropy, accuracy, X, Y)
    start = widget.readout.value
    assert "cross-entropy loss: <b>" in start and "accuracy: <b>" in start
    # The dataset's own rule, 0.9·hours + 0.6·exercises = 10, classifies everyone.
    controls = sliders(widget)
    controls["w1"].value, controls["w2"].value, controls["b"].value = 0.9, 0.6, -10.0
    assert "accuracy: <b>1.00</b> (100 of 100 students)" in widget.readout.value
    A = neuron_forward(X, np.array([[0.9], [0.6]]), -10.0)
    assert f"<b>{binary_cross_entropy(A, Y):.4f}</b>" in widget.readout.value
    controls["w1"].value, controls["w2"].value = 0.0, 0.0  # no line: still no exception
    assert "no boundary" in widget.readout.value


def test_playground_locks_until_the_exercises_are_done():
    X, Y = neuron.exam_data()
    widget = neuron.playground(unfinished_forward, unfinished_cross_entropy,
                               unfinished_accuracy, X, Y)
    assert "Finish Exercise 1 (`unfinished_forward`)" in widget.readout.value
    sliders(widget)["b"].value = -8.0  # still no exception
    widget = neuron.playground(neuron_forward, unfinished_cross_entropy, unfinished_accuracy,
                               X, Y)
    assert "Finish Exercise 3 (`unfinished_cross_entropy`)" in widget.readout.value
    assert "Finish Exercise 6 (`unfinished_accuracy`)" in widget.readout.value


def test_playground_explains_a_wrong_return():
    X, Y = neuron.exam_data()
    transposed = neuron.playground(lambda X, w, b: neuron_forward(X, w, b).T,
                                   binary_cross_entropy, accuracy, X, Y)
    assert "shape (100, 1)" in transposed.readout.value
    forgot = neuron.playground(neuron_forward, lambda A, Y: None, accuracy, X, Y)
    assert "returned None" in forgot.readout.value


def test_training_run_returns_the_learners_parameters_and_locks_when_unfinished(capsys):
    X, Y = neuron.exam_data()
    w, b, losses = neuron.training_run(train_neuron, X, Y, learning_rate=0.08, steps=1000)
    assert w.shape == (2, 1) and len(losses) == 1000
    assert np.isclose(losses[0], np.log(2)) and losses[-1] < 0.2
    assert "0.6931 at the start" in capsys.readouterr().out
    assert neuron.training_run(unfinished_train, X, Y) is None
    assert "Finish Exercise 5 (`unfinished_train`)" in capsys.readouterr().out


def test_learning_rate_plot_and_accuracy_report(capsys):
    X, Y = neuron.exam_data()
    neuron.learning_rates(train_neuron, X, Y, rates=(0.01, 0.08), steps=50)
    neuron.trained_accuracy(train_neuron, neuron_forward, accuracy, X, Y)
    assert "100 of 100 examples correctly" in capsys.readouterr().out
    neuron.trained_accuracy(train_neuron, neuron_forward, unfinished_accuracy, X, Y)
    assert "Finish Exercise 6 (`unfinished_accuracy`)" in capsys.readouterr().out


def test_loss_curves_draw_with_one_loss_unfinished(capsys):
    neuron.loss_curves(mean_squared_error, unfinished_cross_entropy)
    assert "Finish Exercise 3 (`unfinished_cross_entropy`)" in capsys.readouterr().out


def test_one_neuron_fails_on_the_two_circles(capsys):
    neuron.two_circles(train_neuron, neuron_forward, accuracy, learning_rate=1.0, steps=300)
    out = capsys.readouterr().out
    score = float(out.rsplit("accuracy", 1)[1])
    assert 0.4 < score < 0.65, out
    neuron.two_circles(unfinished_train, neuron_forward, accuracy)
    assert "Finish Exercise 5 (`unfinished_train`)" in capsys.readouterr().out


def test_figures_stay_quiet_with_every_exercise_unfinished(capsys, recwarn):
    X, Y = neuron.exam_data()
    neuron.loss_curves(unfinished_cross_entropy, unfinished_cross_entropy)
    neuron.learning_rates(unfinished_train, X, Y)
    neuron.two_circles(unfinished_train, unfinished_forward, unfinished_accuracy)
    neuron.playground(unfinished_forward, unfinished_cross_entropy, unfinished_accuracy, X, Y)
    assert capsys.readouterr().err == ""
    assert [str(w.message) for w in recwarn] == []
