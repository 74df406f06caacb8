"""The lessons' interactive explorers (ipywidgets + matplotlib, no extra extension).

Each builder returns the widget box, so a cell that ends with the call displays it,
and a test can move a slider and read the result.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt

from course import plots


def _redrawing(controls: list, draw) -> widgets.VBox:
    """Sliders above a readout and a figure; `draw(ax, values)` returns readout lines."""
    readout, figure = widgets.HTML(), widgets.Output()

    def redraw(_change=None):
        values = {c.description_name: c.value for c in controls}
        with figure:
            figure.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7, 4))
            readout.value = "<br>".join(draw(ax, values))
            plt.show()

    for control in controls:
        control.observe(redraw, "value")
    redraw()
    box = widgets.VBox([widgets.HBox(controls), readout, figure])
    box.readout = readout
    return box


def _slider(kind, name: str, label: str, **options):
    slider = kind(description=label, continuous_update=False,
                  style={"description_width": "initial"}, **options)
    slider.description_name = name
    return slider


def secant_to_tangent(f, derivative, average_rate, tangent_line, x0=3.0, h=2.0):
    """Slide x₀ and h: the secant over [x₀, x₀ + h] turns into the tangent at x₀.

    Uses the learner's `average_rate` (the secant's slope) and `tangent_line`.
    """
    controls = [
        _slider(widgets.FloatSlider, "x0", "x₀ (year)", value=x0, min=0, max=5, step=0.1),
        _slider(widgets.FloatLogSlider, "h", "h (years)", value=h, base=10, min=-3, max=0.4,
                step=0.05, readout_format=".3g"),
    ]
    return _redrawing(controls, lambda ax, v: plots.secant_and_tangent(
        ax, f, derivative, average_rate, tangent_line, v["x0"], v["h"]))
