"""Lesson 6's figures, widget and gradient-check demo, driven with reference and
unfinished functions."""

from __future__ import annotations

import numpy as np

from course import backprop


def relu(z):
    return np.maximum(z, 0)


def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


def forward(X, params, activations):
    """Exercise 3. Reference."""
    A, caches = X, []
    for k, activation in enumerate(activations, start=1):
        W, b = params[f"W{k}"], params[f"b{k}"]
        Z = W @ A + b
        caches.append((A, W, b, Z))
        A = relu(Z) if activation == "relu" else sigmoid(Z)
    return A, caches


def backward(AL, Y, caches, activations):
    """Exercise 5. Reference."""
    grads, m, dZ = {}, AL.shape[1], AL - Y
    for k in range(len(caches), 0, -1):
        A_prev, W, _, _ = caches[k - 1]
        grads[f"dW{k}"] = dZ @ A_prev.T / m
        grads[f"db{k}"] = dZ.mean(axis=1, keepdims=True)
        if k > 1:
            Z = caches[k - 2][3]
            s = sigmoid(Z)
            slope = (Z > 0) if activations[k - 2] == "relu" else s * (1 - s)
            dZ = (W.T @ dZ) * slope
    return grads


def update(params, grads, learning_rate):
    """Exercise 6. Reference."""
    return {k: v - learning_rate * grads["d" + k] for k, v in params.items()}


def init_params(layer_sizes, seed=0):
    """Exercise 1. Reference."""
    rng = np.random.default_rng(seed)
    return {key: value for k in range(1, len(layer_sizes)) for key, value in
            ((f"W{k}", rng.standard_normal((layer_sizes[k], layer_sizes[k - 1]))
              * np.sqrt(2 / layer_sizes[k - 1])), (f"b{k}", np.zeros((layer_sizes[k], 1))))}


def binary_cross_entropy(A, Y):
    A = np.clip(A, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def unfinished_forward(X, params, activations):
    """Exercise 3. Not written yet."""
    raise NotImplementedError()


def unfinished_backward(AL, Y, caches, activations):
    """Exercise 5. Not written yet."""
    raise NotImplementedError()


def controls(widget):
    return {c.description_name: c for c in widget.children[0].children}


def test_widget_steps_back_one_layer_at_a_time_output_first():
    widget = backprop.backward_pass(forward, backward, binary_cross_entropy)
    assert "loss J" in widget.readout.value and "step 1 is the output layer" in widget.readout.value
    controls(widget)["step"].value = 1
    assert "step 1 of 3: layer 3 (sigmoid)" in widget.readout.value
    assert "A<sup>L</sup> − Y" in widget.readout.value
    controls(widget)["step"].value = 2
    assert "layer 2 (relu)" in widget.readout.value and "relu′(Z<sup>2</sup>)" in widget.readout.value
    assert "shape (3, 3), like W<sup>2</sup>" in widget.readout.value
    controls(widget)["network"].value = "2-4-6-6-4-1"
    assert "step 2 of 5: layer 4 (relu)" in widget.readout.value
    controls(widget)["step"].value = 5
    assert "step 5 of 5: layer 1" in widget.readout.value
    controls(widget)["network"].value = "2-4-1"
    assert "step 2 of 2: layer 1" in widget.readout.value  # the step is clamped to L


def test_widget_reads_out_the_lessons_own_loss_function():
    widget = backprop.backward_pass(forward, backward, lambda A, Y: 1.2345)
    assert "loss J = <b>1.2345</b>" in widget.readout.value


def test_widget_locks_until_forward_and_backward_are_done():
    widget = backprop.backward_pass(unfinished_forward, unfinished_backward,
                                    binary_cross_entropy)
    assert "Finish Exercise 3 (`unfinished_forward`)" in widget.readout.value
    widget = backprop.backward_pass(forward, unfinished_backward, binary_cross_entropy, step=2)
    assert "loss J" in widget.readout.value
    assert "Finish Exercise 5 (`unfinished_backward`)" in widget.readout.value
    controls(widget)["step"].value = 3  # still no exception


def test_widget_explains_a_wrong_return():
    widget = backprop.backward_pass(forward, lambda AL, Y, caches, activations: None,
                                    binary_cross_entropy)
    assert "returned None" in widget.readout.value
    widget = backprop.backward_pass(forward, lambda AL, Y, caches, activations: {"dW1": 0},
                                    binary_cross_entropy)
    assert "wrong shape" in widget.readout.value
    widget = backprop.backward_pass(lambda X, params, activations: X, backward, binary_cross_entropy)
    assert "forward" in widget.readout.value and "⚠" in widget.readout.value


def test_widget_draws_gradient_widths_from_the_learners_backward():
    import matplotlib.pyplot as plt

    sizes, activations = backprop.NETWORKS["2-3-3-1"]
    params = backprop.demo_params(sizes)
    X, Y = backprop.demo_data()
    AL, caches = forward(X, params, activations)
    grads = backward(AL, Y, caches, activations)
    fig, ax = plt.subplots()
    backprop.draw_network(ax, sizes, params, grads, reached=1)
    widths = [line.get_linewidth() for line in ax.lines]
    assert len(ax.lines) == 2 * 3 + 3 * 3 + 3 * 1
    top = max(np.abs(grads[f"dW{k}"]).max() for k in (1, 2, 3))  # one scale for all layers
    expected_last = sorted(0.3 + 6 * np.abs(grads["dW3"]).ravel() / top)
    assert np.allclose(sorted(widths[-3:]), expected_last)
    assert ax.get_xlabel() and ax.get_ylabel()
    plt.close(fig)


def test_gradient_check_demo_passes_a_correct_backprop_and_names_a_spoiled_entry(capsys):
    report = backprop.check_your_backprop(forward, backward, binary_cross_entropy)
    assert report.ok and "every gradient agrees" in capsys.readouterr().out
    report = backprop.check_your_backprop(forward, backward, binary_cross_entropy,
                                          spoil=("dW2", (0, 1)))
    out = capsys.readouterr().out
    assert report.disagreeing == ["dW2"] and "(0, 1)" in out and "spoiled on purpose" in out


def test_gradient_check_demo_locks_and_catches_a_wrong_backward(capsys):
    assert backprop.check_your_backprop(unfinished_forward, backward, binary_cross_entropy) is None
    assert "Finish Exercise 3" in capsys.readouterr().out

    def no_hidden_slope(AL, Y, caches, activations):
        """Exercise 5. Forgets g' in the hidden layers."""
        grads = backward(AL, Y, caches, ["sigmoid"] * len(activations))
        return grads

    report = backprop.check_your_backprop(forward, no_hidden_slope, binary_cross_entropy)
    assert not report.ok and "dW3" not in report.disagreeing and "dW1" in report.disagreeing


def test_parameter_table_and_forward_shapes(capsys):
    backprop.parameter_table(init_params, [2, 4, 6, 6, 4, 1])
    assert "117 parameters in all" in capsys.readouterr().out
    backprop.forward_shapes(forward)
    out = capsys.readouterr().out
    assert "(6, 4), (6, 1), (6, 5)" in out and "AL: (1, 5)" in out


def test_training_curve_falls_with_the_learners_functions(capsys):
    backprop.training_curve(forward, backward, update, binary_cross_entropy, steps=50)
    out = capsys.readouterr().out
    first, last = (float(x) for x in out.split("loss: ")[1].split(" at step 0 → ")[0:1]
                   + [out.split("→ ")[1].split(" after")[0]])
    assert last < first
    backprop.training_curve(forward, backward, lambda p, g, a: None, binary_cross_entropy)
    assert "returned None" in capsys.readouterr().out


def test_figures_lock_while_unfinished(capsys):
    def unfinished_init(layer_sizes, seed=0):
        """Exercise 1."""
        raise NotImplementedError()

    backprop.parameter_table(unfinished_init, [2, 3, 1])
    backprop.forward_shapes(unfinished_forward)
    backprop.training_curve(forward, unfinished_backward, update, binary_cross_entropy)
    out = capsys.readouterr().out
    assert "Finish Exercise 1" in out and "Finish Exercise 3" in out and "Finish Exercise 5" in out
