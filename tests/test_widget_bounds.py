"""Every slider position keeps the widget's points inside its plot (issue 12, item 4).

Built from `course/` with reference functions, as tests/test_l0N_*.py do: each slider
is set to its extremes and every drawn point (a marker, not a line through the plot)
must lie within the axes' limits.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course import backprop, derivative, descent, neuron
from tests import test_l01_derivative as l01
from tests import test_l02_gradient_descent as l02
from tests import test_l05_one_neuron as l05


@pytest.fixture(autouse=True)
def close_figures():
    plt.close("all")
    yield
    plt.close("all")


def points_outside(ax):
    """The drawn markers of `ax` that fall outside its x and y limits."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    outside = []
    for line in ax.get_lines():
        if line.get_marker() in (None, "None", "", " "):
            continue
        xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
        bad = ~((x0 <= xs) & (xs <= x1) & (y0 <= ys) & (ys <= y1))
        outside += [(float(x), float(y)) for x, y in zip(xs[bad], ys[bad], strict=True)]
    return outside


def points_off_the_curve(ax):
    """Markers whose x lies beyond the curve drawn first (f(x)): the curve must reach them."""
    curve = np.asarray(ax.get_lines()[0].get_xdata(), dtype=float)
    return [(x, y) for line in ax.get_lines()[1:]
            if line.get_marker() not in (None, "None", "", " ")
            for x, y in zip(*line.get_data(), strict=True)
            if not curve.min() <= float(x) <= curve.max()]


def current_axes():
    return plt.gcf().axes[0]


def test_lesson_1_secant_points_stay_in_the_plot_at_every_slider_extreme():
    widget = derivative.secant_to_tangent(l01.growing, lambda x: 10 * x, l01.average_rate,
                                          l01.tangent_line)
    x0, h = l01.sliders(widget)["x0"], l01.sliders(widget)["h"]
    for x0_value, h_value in itertools.product([x0.min, x0.max], [10 ** h.min, 10 ** h.max]):
        x0.value, h.value = x0_value, h_value
        assert x0.value == x0_value and h.value == pytest.approx(h_value)
        assert points_outside(current_axes()) == [], (x0_value, h_value)
        assert points_off_the_curve(current_axes()) == [], (x0_value, h_value)


@pytest.mark.parametrize("curve", list(l02.curves()))
def test_lesson_2_walker_starts_in_the_plot_at_every_slider_extreme(curve):
    widget = descent.explorer(l02.gradient_descent, l02.curves())
    controls = widget.controls
    controls["curve"].value = curve
    for x0, rate in itertools.product([controls["x0"].min, controls["x0"].max],
                                      [controls["rate"].min, controls["rate"].max]):
        controls["step"].value = 0
        controls["x0"].value, controls["rate"].value = x0, rate
        assert points_outside(current_axes()) == [], (curve, x0, rate)
        assert points_off_the_curve(current_axes()) == [], (curve, x0, rate)
        assert "left the picture" not in widget.readout.value


def test_lesson_2_a_converging_walk_stays_in_the_plot_to_the_last_step():
    widget = descent.explorer(l02.gradient_descent, l02.curves())
    controls = widget.controls
    for x0 in (controls["x0"].min, controls["x0"].max):
        controls["x0"].value = x0
        for step in (controls["step"].min, controls["step"].max):
            controls["step"].value = step
            assert points_outside(current_axes()) == [], (x0, step)


def test_lesson_5_colourbar_is_no_taller_than_its_plot():
    X, Y = neuron.exam_data()
    widget = neuron.playground(l05.neuron_forward, l05.binary_cross_entropy, l05.accuracy, X, Y)
    for name, control in l05.sliders(widget).items():
        for value in (control.min, control.max):
            control.value = value
            fig = plt.gcf()
            fig.canvas.draw()
            assert len(fig.axes) == 2, name  # the plot and its colour bar
            plot, bar = fig.axes
            assert bar.get_position().height <= plot.get_position().height + 1e-9, (name, value)


def test_lesson_6_diagram_axis_has_no_misplaced_unit():
    fig, ax = plt.subplots()
    sizes = [2, 3, 1]
    backprop.draw_network(ax, sizes, backprop.demo_params(sizes))
    assert "(no unit)" not in ax.get_ylabel()
    assert ax.get_ylabel()


def test_lesson_5_two_circles_colourbar_is_no_taller_than_its_square_plot():
    # The plot has equal aspect, so it is shorter than the space it was given; a colour
    # bar made with colorbar(ax=ax) kept the full height (0.77 against 0.64).
    neuron.two_circles(l05.train_neuron, l05.neuron_forward, l05.accuracy)
    fig = plt.gcf()
    fig.canvas.draw()
    assert len(fig.axes) == 2
    plot, bar = fig.axes
    assert bar.get_position().height <= plot.get_position().height + 1e-9
