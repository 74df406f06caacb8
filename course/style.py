"""One look for every figure: the Okabe–Ito palette, which stays distinct for the
common forms of colour blindness, and labelled axes."""

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
