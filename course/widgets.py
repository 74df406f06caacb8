"""Building blocks for the lessons' interactive explorers (ipywidgets + matplotlib,
no extra JupyterLab extension). Each lesson's own widgets live in its module
(`course.derivative`, ...) and return the box from `redrawing`, so a cell that ends
with the call displays it and a test can move a slider and read the readout.
"""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as widgets
import matplotlib.pyplot as plt

from course.learner import Unfinished


def redrawing(controls: list, draw, figsize=(7, 4)) -> widgets.VBox:
    """Controls above a readout and a figure, redrawn whenever a control moves.

    `draw(ax, values)` draws on a fresh axes, with `values` = {control name: value},
    and returns the readout lines (HTML). The returned box has `.readout`.
    """
    readout, figure = widgets.HTML(), widgets.Output()

    def redraw(_change=None):
        values = {c.description_name: c.value for c in controls}
        with figure:
            figure.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=figsize)
            readout.value = "<br>".join(draw(ax, values))
            plt.show()

    for control in controls:
        control.observe(redraw, "value")
    redraw()
    box = widgets.VBox([widgets.HBox(controls), readout, figure])
    box.readout = readout
    return box


def slider(kind, name: str, label: str, **options):
    """A labelled control of `kind` (FloatSlider, Dropdown, ...) that redraws on release."""
    control = kind(description=label, continuous_update=False,
                   style={"description_width": "initial"}, **options)
    control.description_name = name
    return control


@contextmanager
def figure_of_the_learners_work(figsize=(6.5, 3.5), **axes):
    """A figure drawn in a `with` block that calls the learner's functions.

    If one is unfinished (`attempt` raises Unfinished), the block stops there; the
    figure still shows what was drawn, with labelled axes (`axes` go to `ax.set`), and
    the "finish exercise N" message is printed under it.
    """
    fig, ax = plt.subplots(figsize=figsize)
    note = None
    try:
        yield ax
    except Unfinished as unfinished:
        note = str(unfinished)
    ax.set(**axes)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    plt.show()
    if note:
        print(note)
