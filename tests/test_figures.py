"""Every figure a lesson draws: labelled axes, and colours that survive colour blindness.

Each solution notebook runs with a probe that inspects every figure as it is drawn
(inline backend; `Figure.draw`, which the inline backend and `course.widgets.show`
both call): both axes of every visible plot have a label (a plot sharing an axis with
a labelled neighbour counts as labelled); every line and marker colour is from the
Okabe–Ito palette (course.style) or a grey; colour maps are perceptually uniform ones,
or built from palette colours.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from course.style import COLORS, SAFE_COLORMAPS
from grader import settings
from grader.kernels import NotebookRunner
from tests.course_under_test import LESSONS, REPO

PROBE = r"""
%matplotlib inline
import matplotlib.colors as _colors
import numpy as _np
from matplotlib.figure import Figure as _Figure
from matplotlib.cm import ScalarMappable as _Mappable

_PROBLEMS = set()
_PALETTE = {c.lower() for c in PALETTE} | {"#ffffff"}

def _safe_colour(colour):
    hexa = _colors.to_hex(colour, keep_alpha=False).lower()
    return hexa in _PALETTE or hexa[1:3] == hexa[3:5] == hexa[5:7]

def _safe_colormap(cmap):
    if cmap.name.removesuffix("_r") in SAFE or cmap.name in ("Greys", "gray", "binary"):
        return True
    return all(_safe_colour(c) for c in cmap(_np.array([0.0, 1.0])))

def _labelled(ax, axis):
    shared = (ax.get_shared_x_axes() if axis == "x" else ax.get_shared_y_axes()).get_siblings(ax)
    return any(getattr(a, f"get_{axis}label")().strip() for a in shared)

def _probe(figure):
    for ax in figure.axes:
        if not ax.axison or ax.get_label() == "<colorbar>":
            continue
        where = f"plot {ax.get_title()!r}" if ax.get_title() else "an untitled plot"
        for axis in "xy":
            if not _labelled(ax, axis):
                _PROBLEMS.add(f"{where}: no {axis} label")
        for line in ax.get_lines():
            if not _safe_colour(line.get_color()):
                _PROBLEMS.add(f"{where}: line colour {_colors.to_hex(line.get_color())}")
        for art in [*ax.collections, *ax.images]:
            if isinstance(art, _Mappable) and art.get_array() is not None:
                if not _safe_colormap(art.get_cmap()):
                    _PROBLEMS.add(f"{where}: colour map {art.get_cmap().name}")
            elif hasattr(art, "get_facecolors"):
                _PROBLEMS.update(f"{where}: marker colour {_colors.to_hex(c)}"
                                 for c in art.get_facecolors() if not _safe_colour(c))

_draw = _Figure.draw
def _probed_draw(self, *args, **kwargs):
    _probe(self)
    return _draw(self, *args, **kwargs)
_Figure.draw = _probed_draw
"""
REPORT = "import json\nprint(json.dumps(sorted(_PROBLEMS)))"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_figure_has_labelled_axes_and_colour_blind_safe_colours(lesson):
    path = REPO / "solutions" / lesson / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    probe = f"PALETTE = {list(COLORS.values())!r}\nSAFE = {SAFE_COLORMAPS!r}\n{PROBE}"
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(probe))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    NotebookRunner(nb, timeout=2 * settings.CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    problems = json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs))
    assert problems == [], f"{lesson}: " + "; ".join(problems)
