"""The checks that lesson check cells call.

A check cell looks like this::

    with checks.exercise(1, "yearly_growth") as ex:
        ex.check(np.array([80, 90, 100]), expect=[10, 10],
                 mistakes=[([-10, -10], "Subtract last year from this year, not the reverse.")])

Each ``ex.check`` calls the learner's function with fresh inputs and compares what
comes back with ``expect`` in layers: type, then shape, then value (within a stated
tolerance). The first problem stops the cell with a `CheckFailed` whose message says
what was called, what came back, what was expected and, when the answer matches a
known mistake, a hint naming it. On success the block prints one line.

Where checks run (docs/authoring.md, "Two places checks run"):
- **self-study**: in the learner's kernel. A `LocalCaller` calls their function here
  (`course.calls.perform`) and this module judges the result;
- **grading**: the same check cell source runs in the grader's own process
  (`grader/judge.py`), never in the learner's kernel. Inside `judged_by(caller)` every
  exercise calls the learner's function through the judge's caller, which asks the
  sandboxed kernel over the wire and gets back plain data only (`course.plaindata`).
  Expected values, hints and hidden checks never leave the grader.
Both modes put the result through the same plain-data round trip and the same message
code, so a learner sees in JupyterLab the verdict the grader will give.

Rules this module keeps:
- No reference solution lives here: expected values come from the check cell.
- Every NumPy function used for judging is bound when this module is imported, so a
  learner cell that reassigns ``np.allclose`` or ``np.isclose`` cannot change a
  self-study verdict (at grading, the judge's NumPy is not the learner's at all).
- Learner code runs with NumPy warnings, Python warnings and stderr silenced, because
  nbgrader scores a check cell 0 when anything reaches stderr.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from numbers import Integral, Real

import numpy as np

from course import calls, plaindata

# --- NumPy, bound once at import (see the module docstring) -------------------------
_ndarray = np.ndarray
_generic = np.generic
_as_float_array = np.array  # called with dtype=float, copy=True: always a base ndarray
_abs = np.abs
_isnan = np.isnan
_isfinite = np.isfinite
_subtract = np.subtract
_multiply = np.multiply
_less_equal = np.less_equal
_argwhere = np.argwhere
_unravel_index = np.unravel_index
_argmax = np.argmax
_errstate = np.errstate
_array2string = np.array2string
_issubdtype = np.issubdtype
_number = np.number
_bool_ = np.bool_
_float64 = np.float64

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9


class CheckFailed(AssertionError):
    """A check found a wrong answer. Shown to the learner as its message alone."""

    def _render_traceback_(self):
        # IPython calls this instead of printing a traceback: a beginner sees only
        # the explanation, and nbgrader still records the cell as failed.
        return ["", *str(self).splitlines()]


class Labelled:
    """A callable passed to a learner's function, shown in messages by its formula."""

    def __init__(self, function: Callable, label: str):
        self._function = function
        self.label = label
        self.__name__ = label

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)

    def __repr__(self) -> str:
        return self.label


def fn(function: Callable, label: str) -> Labelled:
    """Wrap a test function so messages show ``f(x) = 5x² + 30`` instead of ``<lambda>``."""
    return Labelled(function, label)


# --- formatting ----------------------------------------------------------------------
def show(value) -> str:
    """A short, readable rendering of a value for a message."""
    try:
        return _show(value)
    except Exception:  # NumPy's printing itself may have been monkeypatched by the learner
        return repr(value.tolist()) if isinstance(value, _ndarray) else object.__repr__(value)


def _show(value) -> str:
    if isinstance(value, _ndarray):
        text = _array2string(value, precision=6, threshold=24, edgeitems=4, separator=", ")
        return f"array({text})" + (f"  # shape {value.shape}" if value.ndim > 1 else "")
    if isinstance(value, bool | _bool_):
        return repr(bool(value))
    if isinstance(value, Real) and not isinstance(value, Integral):
        return f"{float(value):.10g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list) and len(value) <= 24:
        return "[" + ", ".join(_show(v) for v in value) + "]"
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + " …"


def _kind(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, _ndarray):
        return f"a NumPy array of shape {value.shape}"
    return f"a {type(value).__name__}"


# --- comparing an answer with the expected value -----------------------------------
def _is_number(value) -> bool:
    if isinstance(value, bool | _bool_):
        return False
    if isinstance(value, Real | _generic):
        return True
    return isinstance(value, _ndarray) and value.ndim == 0


def _to_floats(value):
    with _errstate(all="ignore"):
        return _as_float_array(value, dtype=_float64, copy=True)


def _mismatch(result, expected, rtol: float, atol: float, where: str = "") -> str | None:
    """Why `result` is not `expected` (type, then shape, then value), or None if it is."""
    if isinstance(expected, tuple):
        return _tuple_mismatch(result, expected, rtol, atol, where)
    if isinstance(expected, dict):
        return _dict_mismatch(result, expected, rtol, atol, where)
    if result is None:
        return f"It returned None{where}. Did you forget the `return` statement?"
    if isinstance(expected, str):
        return _text_mismatch(result, expected, where)
    if isinstance(expected, _ndarray | list):
        return _array_mismatch(result, _to_floats(expected), rtol, atol, where)
    return _number_mismatch(result, expected, rtol, atol, where)


def _tuple_mismatch(result, expected: tuple, rtol, atol, where) -> str | None:
    if not (isinstance(result, tuple | list)
            or (isinstance(result, _ndarray) and result.ndim == 1)):
        return (f"It returned {_kind(result)}{where}, but it should return a tuple of "
                f"{len(expected)} values, e.g. `return a, b`.")
    if len(result) != len(expected):
        return (f"It returned {len(result)} values{where}, but it should return "
                f"{len(expected)}.")
    for i, (got, want) in enumerate(zip(result, expected, strict=True)):
        problem = _mismatch(got, want, rtol, atol, f" in position {i} of the tuple")
        if problem:
            return problem
    return None


def _dict_mismatch(result, expected: dict, rtol, atol, where) -> str | None:
    if not isinstance(result, dict):
        return (f"It returned {_kind(result)}{where}, but it should return a dict with the "
                f"keys {sorted(expected)}.")
    missing = [k for k in expected if k not in result]
    extra = [k for k in result if k not in expected]
    if missing or extra:
        return (f"The dict it returned{where} has the keys {sorted(result, key=str)}, but it "
                f"should have exactly {sorted(expected, key=str)}"
                + (f" (missing {missing})" if missing else "")
                + (f" (not expected: {extra})" if extra else "") + ".")
    for key, want in expected.items():
        problem = _mismatch(result[key], want, rtol, atol, f" for the key {key!r}")
        if problem:
            return problem
    return None


def _text_mismatch(result, expected: str, where) -> str | None:
    if not isinstance(result, str):
        return f"It returned {_kind(result)}{where}, but it should return a string like {expected!r}."
    if result != expected:
        return f"It returned the string {result!r}{where}; the answer here is a different word."
    return None


def _number_mismatch(result, expected, rtol, atol, where) -> str | None:
    if isinstance(result, _ndarray) and result.size == 1 and result.ndim > 0:
        return (f"It returned an array of shape {result.shape}{where}, but it should return "
                "a single number. Take the number out with `float(...)` or `[0]`.")
    if not _is_number(result):
        return f"It returned {_kind(result)}{where}, but it should return a single number."
    got = float(_to_floats(result))
    return _value_mismatch(_to_floats(got), _to_floats(float(expected)), rtol, atol, where)


def _array_mismatch(result, expected, rtol, atol, where) -> str | None:
    if isinstance(result, list | tuple):
        return (f"It returned a Python {type(result).__name__}{where}, but it should return "
                "a NumPy array. Wrap it: `np.array(...)`.")
    if not isinstance(result, _ndarray):
        return (f"It returned {_kind(result)}{where}, but it should return a NumPy array "
                f"of shape {expected.shape}.")
    if not (_issubdtype(result.dtype, _number) or result.dtype == bool):
        return f"It returned an array of {result.dtype}{where}; it should hold numbers."
    if result.shape != expected.shape:
        return (f"It returned an array of shape {result.shape}{where}, but the expected "
                f"shape is {expected.shape}.{_shape_hint(result.shape, expected.shape)}")
    return _value_mismatch(_to_floats(result), expected, rtol, atol, where)


def _shape_hint(got: tuple, want: tuple) -> str:
    if len(got) == len(want) and got == want[::-1]:
        return " It looks transposed: check the order of the axes (`.T`)."
    if tuple(d for d in got if d != 1) == tuple(d for d in want if d != 1):
        return (" The numbers are there but an axis of length 1 is extra or missing "
                "(`keepdims=True`, `.reshape(...)`).")
    if len(got) == len(want) == 1 and abs(got[0] - want[0]) == 1:
        return " One element too many or too few: check where your slices start and stop."
    return ""


def _scale(want) -> float:
    """The size of an expected value: its largest magnitude (1 when it is all zeros).

    The tolerance rule (`_value_mismatch`): a returned value v passes against the
    expected w when |v - w| <= rtol * |w| + atol * S for every element, where S is the
    largest |w| of that expected number or array (each array of a tuple or a dict is
    its own). A number is thus compared relatively at any size (σ'(30) ≈ 9.4e-14 must
    be right to about rtol of itself, not merely closer to 0 than 1e-9), and within an
    array an element far smaller than the largest one (an exact 0, a round-off residue)
    may be off by atol of the array's size. Only an all-zero expected value is compared
    absolutely, within atol.
    """
    sizes = _abs(want[_isfinite(want)])  # a 1-d array, also for a 0-d `want`
    size = float(sizes.max()) if sizes.size else 0.0
    return size if size > 0 else 1.0


def _value_mismatch(got, want, rtol, atol, where) -> str | None:
    bad_nan = _isnan(got) & ~_isnan(want)
    if bad_nan.any():
        spots = [tuple(int(i) for i in p) for p in _argwhere(bad_nan)[:5]]
        at = f" at {spots}" if got.ndim else ""
        return (f"It returned NaN (not a number){where}{at}. NaN comes from 0/0, inf − inf, "
                "log of a negative number, or a value that was never filled in.")
    bad_inf = ~_isfinite(got) & _isfinite(want)
    if bad_inf.any():
        return (f"It returned an infinite value{where}. Look for a division by zero or an "
                "exp() of a large number.")
    with _errstate(all="ignore"):
        gap = _abs(_subtract(got, want))
        scale = _scale(want)
        allowed = rtol * _abs(want) + atol * scale
        close = _less_equal(gap, allowed) | (got == want)
    if close.all():
        return None
    if not (want != 0).any():
        tolerance = f" (allowed: rtol={rtol:g}, atol={atol:g}, absolute as 0 is expected)"
    elif got.ndim == 0:
        tolerance = f" (allowed: rtol={rtol:g}, atol={atol:g}, relative to the expected value)"
    else:
        tolerance = (f" (allowed: rtol={rtol:g}, atol={atol:g} relative to {scale:.3g}, "
                     "the largest expected value)")
    if got.ndim == 0:
        return f"The value{where} is off by {float(gap):.3g}{tolerance}."
    worst = _unravel_index(int(_argmax(gap * ~close)), got.shape)
    return (f"{int((~close).sum())} of {got.size} values{where} are wrong; the largest gap is "
            f"{float(gap[worst]):.3g} at index {tuple(int(i) for i in worst)}{tolerance}.")


def _generic_hint(result, expected) -> str:
    """Hints that fit any exercise: a sign flipped, or off by a constant factor."""
    numeric = isinstance(expected, list | _ndarray) or _is_number(expected)
    if not numeric or not (_is_number(result) or isinstance(result, _ndarray)):
        return ""
    got, want = _to_floats(result), _to_floats(expected)
    if got.shape != want.shape or not _isfinite(got).all() or not (want != 0).any():
        return ""
    if _mismatch(got, -want, 1e-6, 1e-9) is None:
        return "Your answer has the right size but the wrong sign: check the order of a subtraction."
    with _errstate(all="ignore"):
        ratios = got[want != 0] / want[want != 0]
    factor = float(ratios.flat[0])
    if factor != 0 and _isfinite(factor) and _mismatch(ratios, ratios * 0 + factor, 1e-6, 0) is None:
        return (f"Every value is {factor:.6g} times the expected one: a factor is missing or "
                "extra (a division you left out, a 2, an h, a 1/m?).")
    return ""


# --- running the learner's code -----------------------------------------------------
class LocalCaller:
    """Self-study: the learner's function lives in this kernel; call it here."""

    def __init__(self, function=None):
        self.function = function  # a function given directly (tests), else looked up by name

    def _namespace(self) -> dict:
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - checks always run with IPython around
            shell = None
        if shell is not None:
            return shell.user_ns
        frame = sys._getframe(1)
        while frame.f_globals.get("__name__", "").startswith("course."):
            frame = frame.f_back
        return frame.f_globals

    def describe(self, name: str) -> str:
        if self.function is not None:
            return calls.describe(self.function)
        return calls.describe(self._namespace().get(name, calls.MISSING))

    def call(self, name: str, args: tuple, kwargs: dict, stand_ins: dict,
             want_warnings: bool = False) -> dict:
        namespace = self._namespace()
        with calls.standing_in(namespace, stand_ins):
            function = self.function or namespace.get(name, calls.MISSING)
            outcome = calls.perform(function, args, kwargs, want_warnings)
        if "result" in outcome:  # the same plain data the grader would receive
            try:
                outcome["result"] = plaindata.decode(plaindata.encode(outcome["result"]))
            except (plaindata.NotPlainData, TypeError, ValueError, RecursionError) as error:
                outcome = {"error": ["ValueError", f"its result cannot be checked: {error}", ""]}
        return outcome


_judge: list = []  # the grader's judge puts its caller here while it runs a check cell


@contextlib.contextmanager
def judged_by(caller):
    """Inside the block, every exercise calls the learner's functions through `caller`."""
    _judge.append(caller)
    try:
        yield
    finally:
        _judge.pop()


class Exercise:
    """One exercise's checks: use as ``with checks.exercise(N, "name") as ex:``."""

    def __init__(self, number: int, function, rtol: float = DEFAULT_RTOL,
                 atol: float = DEFAULT_ATOL):
        self.number = number
        self.name = function if isinstance(function, str) else function.__name__
        if _judge:
            self.caller = _judge[-1]
        else:
            self.caller = LocalCaller(None if isinstance(function, str) else function)
        self.rtol, self.atol = rtol, atol
        self.passed = 0
        self.finished = False  # True once the block ended with every check passed
        self.title = f"Exercise {number} · {self.name}"
        self._stand_ins: dict = {}
        if self.caller is not None and hasattr(self.caller, "exercises"):
            self.caller.exercises.append(self)

    def __enter__(self) -> Exercise:
        state = self.caller.describe(self.name)
        if state == "missing":
            self.fail(f"`{self.name}` is not defined yet. Run the cell with your "
                      f"`def {self.name}(...)` first (click it, then Shift+Enter).")
        if state != "function":
            self.fail(f"`{self.name}` should be a function, but it is {state}. "
                      f"Did a later cell assign `{self.name} = ...`? Re-run the exercise cell.")
        return self

    def __exit__(self, kind, error, tb) -> bool:
        if error is None:
            self.finished = self.passed > 0
            print(f"✔ {self.title}: all {self.passed} checks passed.")
        return False

    # -- failing ---------------------------------------------------------------------
    def fail(self, message: str, called: str | None = None):
        head = f"✘ {self.title}: check {self.passed + 1} failed."
        lines = [head, ""]
        if called:
            lines.append(f"  called    {called}")
        lines.append("  " + message.replace("\n", "\n  ").replace("\n  \n", "\n\n"))
        raise CheckFailed("\n".join(lines)) from None

    # -- calling -----------------------------------------------------------------------
    def describe_call(self, args: tuple, kwargs: dict) -> str:
        parts = [show(a) for a in args] + [f"{k}={show(v)}" for k, v in kwargs.items()]
        return f"{self.name}({', '.join(parts)})"

    @contextlib.contextmanager
    def stand_ins(self, **functions):
        """Inside the block, while the learner's function runs, the notebook's names
        refer to `functions` (the check's own versions of other exercises), so a mistake
        in another exercise cannot cost this one its points."""
        saved = self._stand_ins
        self._stand_ins = {**saved, **functions}
        try:
            yield
        finally:
            self._stand_ins = saved

    def _outcome(self, args: tuple, kwargs: dict, want_warnings: bool = False) -> dict:
        called = self.describe_call(args, kwargs)
        outcome = self.caller.call(self.name, args, kwargs, self._stand_ins, want_warnings)
        if outcome.get("unfinished"):
            self.fail(f"You have not written `{self.name}` yet: replace the line "
                      "`raise NotImplementedError()` with your code, run that cell, "
                      "then run this one.", called)
        if "error" in outcome:
            kind, text, line = outcome["error"]
            self.fail(f"Your function raised {kind}: {text}"
                      + (f"\n  in your line: {line}" if line else ""), called)
        return outcome

    def call(self, *args, **kwargs):
        """Call the learner's function; turn any exception into a message they can act on."""
        return self._outcome(args, kwargs)["result"]

    def warnings_of(self, *args, **kwargs) -> list[str]:
        """The warnings (NumPy's floating-point ones included) the learner's function
        raises when called with these arguments, as text."""
        return self._outcome(args, kwargs, want_warnings=True)["warnings"]

    # -- checking ------------------------------------------------------------------------
    def check(self, *args, expect, mistakes: Iterable = (), rtol: float | None = None,
              atol: float | None = None, shown_as: str | None = None, **kwargs):
        """Call the function with `args` and compare the answer with `expect`.

        `expect` is a number, a list/array (compared as float arrays), a string
        (compared exactly), or a tuple or a dict (same keys) of those. `mistakes` lists known wrong answers as ``(value_or_predicate, hint)``;
        the hint is shown when the learner's answer matches that value (or the
        predicate returns True for it).
        """
        rtol = self.rtol if rtol is None else rtol
        atol = self.atol if atol is None else atol
        called = shown_as or self.describe_call(args, kwargs)
        result = self.call(*args, **kwargs)
        with calls.quiet():
            problem = _mismatch(result, expect, rtol, atol)
        if problem is None:
            self.passed += 1
            return result
        message = [f"returned  {show(result)}", f"expected  {show(_expected_view(expect))}",
                   "", problem]
        hint = self._hint(result, expect, mistakes, rtol, atol)
        if hint:
            message += ["", f"Hint: {hint}"]
        self.fail("\n".join(message), called)

    def require(self, condition: bool, message: str, called: str | None = None):
        """A property check: fail with `message` unless `condition` holds."""
        if not condition:
            self.fail(message, called)
        self.passed += 1

    def _hint(self, result, expect, mistakes, rtol, atol) -> str:
        for mistake, hint in mistakes:
            with calls.quiet():
                try:
                    matched = (bool(mistake(result)) if callable(mistake)
                               else _mismatch(result, mistake, rtol, atol) is None)
                except Exception:
                    matched = False
            if matched:
                return hint
        with calls.quiet():
            return _generic_hint(result, expect)


def _expected_view(expect):
    if isinstance(expect, list):
        return _to_floats(expect)
    if isinstance(expect, tuple):
        return tuple(_expected_view(e) for e in expect)
    if isinstance(expect, dict):
        return {k: _expected_view(v) for k, v in expect.items()}
    return expect


def exercise(number: int, function, rtol: float = DEFAULT_RTOL,
             atol: float = DEFAULT_ATOL) -> Exercise:
    """Start the checks of exercise `number` for the learner's function (its name)."""
    return Exercise(number, function, rtol=rtol, atol=atol)
