"""Call a learner's function from a plot or widget without ever crashing the lesson.

A plot that uses exercise N must still run in a blank lesson: while the learner's
function raises NotImplementedError (or any bug), the plot shows a short message
("Finish Exercise N (`name`) to unlock this plot.") instead of a traceback.
"""

from __future__ import annotations

import re
import warnings

import numpy as np


class Unfinished(Exception):
    """A learner's function is not ready; the message says what to do."""


def exercise_label(function) -> str:
    """'Exercise 3 (`forward_difference`)', read from the docstring's first words."""
    name = getattr(function, "__name__", "your function")
    found = re.match(r"\s*Exercise\s+(\d+)", function.__doc__ or "")
    return f"Exercise {found.group(1)} (`{name}`)" if found else f"the exercise `{name}`"


def attempt(function, *args, **kwargs):
    """Call the learner's function; raise Unfinished with a friendly message if it fails."""
    label = exercise_label(function)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = function(*args, **kwargs)
    except NotImplementedError:
        raise Unfinished(f"🔒 Finish {label} to unlock this.") from None
    except Exception as error:
        raise Unfinished(f"⚠ {label} raised {type(error).__name__}: {error}. "
                         "Fix it, run its cell again, then this one.") from None
    if result is None:
        raise Unfinished(f"⚠ {label} returned None: did you forget `return`?")
    return result


NOT_FINITE = "returned NaN or infinite values."


def as_floats(function, result, shape: tuple, *, unreadable, wrong_shape=None,
              not_finite=NOT_FINITE, reshape: bool = False) -> np.ndarray:
    """The learner's `result` (of `function`) as a float array of `shape`, or Unfinished.

    Each message follows "⚠ Exercise N (`name`) ": `unreadable` when the result is no
    array of numbers (or, with `reshape`, cannot take `shape`), `wrong_shape(shape it
    has)` when its shape differs, `not_finite` when a value is NaN or infinite (None: let
    them through, e.g. a diverging path). A message may be a function of no arguments,
    called only when needed (a repr of a long result costs a redraw time). The one helper
    the figures and widgets use to read a learner's numbers.
    """
    label = exercise_label(function)
    try:
        with np.errstate(all="ignore"):
            values = np.asarray(result, dtype=float)
            if reshape:
                values = values.reshape(shape)
    except (TypeError, ValueError):
        raise Unfinished(f"⚠ {label} {_text(unreadable)}") from None
    if values.shape != shape:
        raise Unfinished(f"⚠ {label} {wrong_shape(values.shape)}")
    if not_finite is not None and not np.isfinite(values).all():
        raise Unfinished(f"⚠ {label} {_text(not_finite)}")
    return values


def _text(message) -> str:
    return message() if callable(message) else message


def _numbers(function, shape: tuple, *args, **kwargs) -> np.ndarray:
    result = attempt(function, *args, **kwargs)
    wanted = "one number" if shape == () else f"{shape[0]} numbers"
    return as_floats(function, result, shape, reshape=True,
                     unreadable=lambda: f"should return {wanted}, not {result!r}.",
                     not_finite=lambda: f"returned {result!r}.")


def number(function, *args, **kwargs) -> float:
    """`attempt`, and insist the answer is one finite number."""
    return float(_numbers(function, (), *args, **kwargs))


def pair(function, *args, **kwargs) -> tuple[float, float]:
    """`attempt`, and insist the answer is two finite numbers, e.g. (slope, intercept)."""
    first, second = _numbers(function, (2,), *args, **kwargs)
    return float(first), float(second)
