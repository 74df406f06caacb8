"""Lesson 1's figures and widget, driven with reference and unfinished functions."""

from __future__ import annotations

import numpy as np

from course import derivative


def growing(x):
    return 5 * x**2 + 30


def average_rate(f, a, b):
    """Exercise 2. Reference."""
    return (f(b) - f(a)) / (b - a)


def tangent_line(f, df, x0):
    """Exercise 6. Reference."""
    return df(x0), f(x0) - df(x0) * x0


def unfinished_average_rate(f, a, b):
    """Exercise 2. Not written yet."""
    raise NotImplementedError()


def unfinished_tangent_line(f, df, x0):
    """Exercise 6. Not written yet."""
    raise NotImplementedError()


def sliders(widget):
    return {c.description_name: c for c in widget.children[0].children}


def test_secant_widget_responds_to_its_sliders():
    widget = derivative.secant_to_tangent(growing, lambda x: 10 * x, average_rate, tangent_line)
    assert "<b>40</b>" in widget.readout.value  # secant over [3, 5]
    assert "<b>30</b>" in widget.readout.value  # tangent at 3
    sliders(widget)["h"].value = 0.001
    assert "<b>30.005</b>" in widget.readout.value and "0.005" in widget.readout.value
    sliders(widget)["x0"].value = 1.0
    assert "<b>10</b> pigs/year" in widget.readout.value  # tangent slope at year 1


def test_secant_widget_locks_until_the_exercises_are_done():
    widget = derivative.secant_to_tangent(growing, lambda x: 10 * x, unfinished_average_rate,
                                          unfinished_tangent_line)
    assert "Finish Exercise 2 (`unfinished_average_rate`)" in widget.readout.value
    assert "Finish Exercise 6 (`unfinished_tangent_line`)" in widget.readout.value
    sliders(widget)["h"].value = 0.01  # still no exception


def test_secant_widget_explains_a_wrong_return_type():
    widget = derivative.secant_to_tangent(growing, lambda x: 10 * x, average_rate,
                                          lambda f, df, x0: None)
    assert "returned None" in widget.readout.value


def test_error_plot_draws_with_one_method_unfinished(capsys):
    def central(f, x, h):
        """Exercise 4."""
        return (f(x + h) - f(x - h)) / (2 * h)

    def forward(f, x, h):
        """Exercise 3."""
        raise NotImplementedError()

    derivative.difference_errors(forward, central, f=np.exp, derivative=np.exp)
    assert "Finish Exercise 3 (`forward`)" in capsys.readouterr().out


def yearly_growth(pigs):
    """Exercise 1. Reference."""
    return np.diff(pigs)


def unfinished_yearly_growth(pigs):
    """Exercise 1. Not written yet."""
    raise NotImplementedError()


def test_growth_figure_draws_the_learners_bars(capsys, monkeypatch):
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(plt.gcf()))
    years = np.arange(6.0)
    derivative.yearly_growth(years, growing(years), yearly_growth)
    derivative.yearly_growth(years, growing(years), unfinished_yearly_growth)
    drawn, locked = (figure.axes[0] for figure in shown)
    assert len(drawn.patches) == 5 and len(locked.patches) == 0  # bars only when finished
    assert locked.get_xlabel() == "year x (years since the farm opened)" and locked.get_legend() is not None
    assert capsys.readouterr().out.strip() == ("🔒 Finish Exercise 1 "
                                               "(`unfinished_yearly_growth`) to unlock this.")
