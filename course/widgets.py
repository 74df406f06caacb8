"""Building blocks for the lessons' interactive explorers (ipywidgets + matplotlib,
no extra JupyterLab extension). Each lesson's own widgets live in its module
(`course.derivative`, ...) and return the box from `redrawing`, so a cell that ends
with the call displays it and a test can move a slider and read the readout.

Speed (benchmarks/learner_speed.py): a redraw is mostly PNG rendering. IPython's inline
backend renders a figure twice (a layout pass for `bbox_inches="tight"`, then the
image); `show` renders it once and crops the image to what is drawn (`inline_png`).
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import ipywidgets as widgets
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from course.learner import Unfinished

# IPython's inline backend, as a kernel starts with it and as `%matplotlib inline` names it
INLINE = ("module://matplotlib_inline.backend_inline", "inline")


def inline_png(fig) -> bytes:
    """The PNG the inline backend shows for `fig`, cropped like its bbox_inches="tight"
    (what is drawn, plus savefig.pad_inches around it), from one rendering.

    The crop is found in the pixels (what differs from the figure's background) rather
    than from matplotlib's tight box, which costs a fifth of a rendering; the two differ
    by the blank pixels of a text box at most. Only when something is drawn up to the
    figure's edge, or a legend, title or axis label lies beyond it, is the tight box
    computed; if it goes beyond the edge the inline backend's own rendering (two passes)
    is used.
    """
    from PIL import Image

    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    background = np.round(np.array(mpl.colors.to_rgba(fig.get_facecolor())) * 255).astype(np.uint8)
    ink = pixels.view(np.uint32)[..., 0] != background.view(np.uint32)[0]  # 4 bytes at once
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    height, width = ink.shape
    at_edge = rows.size == 0 or rows[0] == 0 or columns[0] == 0 or rows[-1] == height - 1 \
        or columns[-1] == width - 1
    if (at_edge or not _labels_inside(fig)) and not _inside(fig):
        from IPython.core.pylabtools import print_figure

        return print_figure(fig, "png")
    pad = round(mpl.rcParams["savefig.pad_inches"] * fig.dpi)
    top, bottom = rows[0] - pad, rows[-1] + 1 + pad
    left, right = columns[0] - pad, columns[-1] + 1 + pad
    # The padding may reach beyond the figure, where the inline backend draws background.
    canvas = np.empty((bottom - top, right - left, 4), np.uint8)
    canvas[:] = background
    inner = pixels[max(top, 0):bottom, max(left, 0):right]
    canvas[max(-top, 0):max(-top, 0) + inner.shape[0],
           max(-left, 0):max(-left, 0) + inner.shape[1]] = inner
    out = io.BytesIO()
    Image.fromarray(canvas).save(out, "png", compress_level=1)  # same pixels, encoded faster
    return out.getvalue()


def _labels_inside(fig) -> bool:
    """Whether the legends, titles and axis labels, which may be placed anywhere, lie
    within the figure (cheap: their layout is known after a drawing)."""
    renderer, edge = fig.canvas.get_renderer(), fig.bbox.padded(1)
    placed = [*fig.legends, *fig.texts]
    for ax in fig.axes:
        placed += [ax.get_legend(), ax.title, *(axis.label for axis in ax._axis_map.values())]
    for artist in placed:
        if artist is not None and artist.get_visible() and (
                not hasattr(artist, "get_text") or artist.get_text()):
            box = artist.get_window_extent(renderer)
            if not (edge.contains(box.x0, box.y0) and edge.contains(box.x1, box.y1)):
                return False
    return True


def _inside(fig) -> bool:
    """Whether all that `fig` draws lies within the figure (matplotlib's tight box)."""
    content = fig.get_tightbbox(fig.canvas.get_renderer())
    edge = fig.bbox_inches.padded(1e-6)
    return content is not None and edge.contains(content.x0, content.y0) \
        and edge.contains(content.x1, content.y1)


def show(fig=None) -> None:
    """`plt.show()` for one figure (default: the current one): under the inline backend
    (a learner's notebook, grading), the figure as one PNG; elsewhere (tests, headless
    runs) the backend's own show."""
    if mpl.get_backend() not in INLINE:
        plt.show()
        return
    fig = fig or plt.gcf()
    from IPython.display import display

    display({"image/png": inline_png(fig), "text/plain": repr(fig)}, raw=True)
    plt.close(fig)


def subplots(figsize=(7, 4), room_below: float = 0.0, **options):
    """`plt.subplots(figsize=figsize)` with `room_below` inches more under the axes, which
    keep their size: for a label or legend that would otherwise fall outside the figure
    (the image is cropped to what is drawn, so the learner sees the same picture)."""
    if not room_below:  # (a gridspec with its own margins ignores fig.subplots_adjust)
        return plt.subplots(figsize=figsize, **options)
    width, height = figsize
    total = height + room_below
    bottom, top = (mpl.rcParams[f"figure.subplot.{side}"] * height + room_below
                   for side in ("bottom", "top"))
    return plt.subplots(figsize=(width, total), **options,
                        gridspec_kw={"bottom": bottom / total, "top": top / total})


def keep_out_of_pyplot(fig) -> None:
    """Under the inline backend, take a figure that a widget redraws out of pyplot, so
    that the backend does not show it again at the end of the cell."""
    if mpl.get_backend() in INLINE:
        plt.close(fig)
        FigureCanvasAgg(fig)  # (closing it left a canvas that cannot render)


def figure_source(figsize=(7, 4), room_below: float = 0.0, **options):
    """A function giving a fresh (fig, axes) for each redraw of one widget, as
    `subplots(figsize, room_below, **options)` does.

    Under the inline backend it is one figure, cleared and reused, and kept out of pyplot
    (so the inline backend does not show it again at the end of the cell): drawing on
    the same canvas again is faster, since matplotlib caches text layout per canvas.
    Elsewhere (tests, headless runs) it is a new pyplot figure each time.
    """
    kept = []

    def fresh():
        if mpl.get_backend() not in INLINE:
            return subplots(figsize, room_below, **options)
        if not kept:
            fig, axes = subplots(figsize, room_below, **options)
            keep_out_of_pyplot(fig)
            kept.append((fig, [ax.get_subplotspec() for ax in np.ravel(axes)]))
            return fig, axes
        fig, specs = kept[0]
        fig.clear()
        axes = [fig.add_subplot(spec) for spec in specs]
        return fig, axes[0] if len(axes) == 1 else np.array(axes, dtype=object)

    return fresh


def kept_axes(figsize=(7, 4), room_below: float = 0.0):
    """Like `figure_source`, but giving the same figure and its first axes every time, not
    cleared: for a draw function that replaces only what changes."""
    made = []

    def same():
        if not made:
            fig, ax = subplots(figsize, room_below)
            keep_out_of_pyplot(fig)
            made.append(fig)
            return fig, ax
        return made[0], made[0].axes[0]

    return same


def redrawing(controls: list, draw, figsize=(7, 4), room_below: float = 0.0,
              keep: bool = False) -> widgets.VBox:
    """Controls above a readout and a figure, redrawn whenever a control moves.

    `draw(ax, values)` draws on a fresh axes, with `values` = {control name: value},
    and returns the readout lines (HTML). The returned box has `.readout`. Draw
    everything inside the figure (give `room_below` for a legend under the plot):
    `show` then renders it once. With `keep`, `draw` gets the axes it drew on last time
    (`kept_axes`), to replace only what changes.
    """
    readout, figure = widgets.HTML(), widgets.Output()
    fresh = (kept_axes if keep else figure_source)(figsize, room_below)

    def redraw(_change=None):
        values = {c.description_name: c.value for c in controls}
        with figure:
            figure.clear_output(wait=True)
            fig, ax = fresh()
            readout.value = "<br>".join(draw(ax, values))
            show(fig)

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
    show(fig)
    if note:
        print(note)
