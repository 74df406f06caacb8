"""Lesson 0's figures and widget, driven with reference and unfinished functions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from course import numpy_intro
from course.style import CURVE

YEARS = np.arange(11)
PIGS = np.array([33, 40, 53, 72, 106, 155, 213, 277, 355, 437, 532])


def good_years(years, sales, threshold):
    """Exercise 3. Reference."""
    return years[sales > threshold]


def unfinished_good_years(years, sales, threshold):
    """Exercise 3. Not written yet."""
    raise NotImplementedError()


@pytest.fixture(autouse=True)
def close_figures():
    plt.close("all")
    yield
    plt.close("all")


def threshold_slider(widget):
    (control,) = widget.children[0].children
    return control


def test_explorer_lists_the_learners_good_years_as_the_threshold_moves():
    widget = numpy_intro.good_years_explorer(YEARS, PIGS, good_years)
    assert "<b>4, 5, 6, 7, 8, 9, 10</b> (7 of 11)" in widget.readout.value  # above 100
    threshold_slider(widget).value = 400
    assert "<b>9, 10</b> (2 of 11)" in widget.readout.value
    threshold_slider(widget).value = threshold_slider(widget).max
    assert "<b>none</b> (0 of 11)" in widget.readout.value


def test_explorer_locks_until_exercise_3_is_done():
    widget = numpy_intro.good_years_explorer(YEARS, PIGS, unfinished_good_years)
    assert "Finish Exercise 3 (`unfinished_good_years`)" in widget.readout.value
    threshold_slider(widget).value = 0  # still no exception


def test_every_threshold_and_every_bar_stays_inside_the_plot():
    widget = numpy_intro.good_years_explorer(YEARS, PIGS, good_years)
    control = threshold_slider(widget)
    for value in (control.min, control.max):
        control.value = value
        ax = plt.gcf().axes[0]
        (y0, y1), (x0, x1) = ax.get_ylim(), ax.get_xlim()
        assert y0 <= value <= y1
        assert y0 <= 0 and PIGS.max() <= y1 and x0 < YEARS.min() and YEARS.max() < x1
        picked = [bar for bar in ax.patches if to_hex(bar.get_facecolor()) == CURVE.lower()]
        assert len(picked) == (PIGS > value).sum()


def test_exp_and_log_plot_draws_log_only_where_it_exists(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(plt.gcf()))
    numpy_intro.exp_and_log(np.linspace(-2, 3, 101))
    (figure,) = shown
    log_x = figure.axes[1].get_lines()[0].get_xdata()
    assert (log_x > 0).all() and np.isfinite(figure.axes[1].get_lines()[0].get_ydata()).all()
