"""One look for every figure: the Okabe–Ito palette, which stays distinct for the
common forms of colour blindness, and labelled axes.

Importing `course` makes this palette matplotlib's default colour cycle, so even a
plot that picks no colour stays readable for colour-blind learners.
"""

import matplotlib as mpl
from cycler import cycler

COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
CURVE, SECANT, TANGENT, POINT = COLORS["blue"], COLORS["orange"], COLORS["vermillion"], COLORS["black"]

# Default line colours, in this order (the palette without yellow, which is too pale
# on white, and black, which is kept for points and text).
CYCLE = [COLORS[name] for name in ("blue", "orange", "green", "vermillion", "purple", "sky")]
# Colour maps that stay readable with colour blindness: perceptually uniform ones, and
# ColorBrewer's diverging maps marked colour-blind safe.
SAFE_COLORMAPS = ("viridis", "cividis", "RdBu", "PuOr", "BrBG", "RdYlBu")


def use_course_style() -> None:
    mpl.rcParams["axes.prop_cycle"] = cycler(color=CYCLE)
    mpl.rcParams["image.cmap"] = "viridis"
