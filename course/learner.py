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


def _finite_numbers(function, result, shape: tuple) -> np.ndarray:
    try:
        values = np.asarray(result, dtype=float).reshape(shape)
    except (TypeError, ValueError):
        wanted = "one number" if shape == () else f"{shape[0]} numbers"
        raise Unfinished(f"⚠ {exercise_label(function)} should return {wanted}, "
                         f"not {result!r}.") from None
    if not np.isfinite(values).all():
        raise Unfinished(f"⚠ {exercise_label(function)} returned {result!r}.")
    return values


def number(function, *args, **kwargs) -> float:
    """`attempt`, and insist the answer is one finite number."""
    return float(_finite_numbers(function, attempt(function, *args, **kwargs), ()))


def pair(function, *args, **kwargs) -> tuple[float, float]:
    """`attempt`, and insist the answer is two finite numbers, e.g. (slope, intercept)."""
    first, second = _finite_numbers(function, attempt(function, *args, **kwargs), (2,))
    return float(first), float(second)
