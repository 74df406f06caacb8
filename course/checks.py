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

Where checks run (docs/authoring.md, "Two places a check cell runs"):
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
- Every NumPy function used for judging comes from `course.pinned` (bound when the
  course is imported), so a learner cell that reassigns ``np.abs`` or ``np.isclose``
  cannot change a self-study verdict (at grading, the judge's NumPy is not the
  learner's at all).
- Learner code runs with NumPy warnings, Python warnings and stderr silenced, because
  nbgrader scores a check cell 0 when anything reaches stderr.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import sys
import textwrap
import types
from collections.abc import Callable, Iterable
from numbers import Integral, Real

from course import calls, pinned, plaindata

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
        try:
            return self._function(*args, **kwargs)
        except HelperFailed:
            raise
        except Exception as error:  # the check's own function failed on what it was given
            raise HelperFailed(self.label, args, kwargs, error) from None

    def __repr__(self) -> str:
        return self.label


class HelperFailed(Exception):
    """A function of the check's (a test function f, a stand-in) raised because of what
    the learner's function gave it. Raised from `Labelled.__call__`, so the traceback's
    last line outside `course/` is the learner's line that called the helper.

    Self-study: the learner's function raises this directly. Grading: the judge runs the
    helper, its error text (``HelperFailed: <this message>``) goes back to the kernel,
    where `course.calls.Callback` raises ``RuntimeError("<label> failed: HelperFailed:
    …")``. `Exercise._outcome` turns both into the same message (`helper_message`).
    """

    def __init__(self, label: str, args: tuple, kwargs: dict, error: Exception):
        gave = ", ".join([_brief(a) for a in args] + [f"{k}={_brief(v)}" for k, v in kwargs.items()])
        try:
            text = str(error)[:160]
        except Exception:
            text = ""
        super().__init__(f"the check's helper {label} failed because your function gave it "
                         f"({gave[:200]}): {type(error).__name__}: {text}")


def helper_message(kind: str, text: str) -> str | None:
    """The learner's message for an error that came from the check's own helper (in
    either place checks run), or None if the error is the learner's own."""
    if kind == "HelperFailed":
        return text[:1].upper() + text[1:]
    if kind == "RuntimeError":
        if "failed: HelperFailed: " in text:
            rest = text.split("failed: HelperFailed: ", 1)[1]
            return rest[:1].upper() + rest[1:]
        match = re.match(r"(.{1,120}?) failed: (.*)", text, re.S)
        if match:  # a callback the check did not wrap (`course.calls.Callback`)
            return (f"The check's helper {match[1]} failed because of what your function "
                    f"gave it: {match[2]}")
    return None


def fn(function: Callable, label: str) -> Labelled:
    """Wrap a test function so messages show ``f(x) = 5x² + 30`` instead of ``<lambda>``."""
    return Labelled(function, label)


# --- formatting ----------------------------------------------------------------------
def show(value) -> str:
    """A short, readable rendering of a value for a message."""
    try:
        return _show(value)
    except Exception:  # NumPy's printing itself may have been monkeypatched by the learner
        return repr(value.tolist()) if isinstance(value, pinned.ndarray) else object.__repr__(value)


def _show(value) -> str:
    if isinstance(value, pinned.ndarray):
        if value.size > 12 or value.ndim > 2:
            return _preview(value)
        text = pinned.array2string(value, precision=6, threshold=24, edgeitems=4, separator=", ")
        return "array(" + " ".join(text.split()) + ")"
    if isinstance(value, bool | pinned.bool_):
        return repr(bool(value))
    if isinstance(value, Real) and not isinstance(value, Integral):
        return f"{float(value):.10g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list) and len(value) <= 24:
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict) and len(value) <= 12:
        return "{" + ", ".join(f"{k!r}: {_show(v)}" for k, v in value.items()) + "}"
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + " …"


def _preview(array) -> str:
    """``array (2, 400) float64 [[0.12, 0.85, …], …]``: shape, dtype and the first values."""
    def first(part) -> str:
        if part.ndim == 0:
            return _number_text(part)
        items = [first(p) for p in part[:2 if part.ndim > 1 else 3]]
        more = ", …" if len(part) > len(items) else ""
        return "[" + ", ".join(items) + more + "]"
    try:
        head = first(array) if array.size else "[]"
    except Exception:
        head = "…"
    return f"array {array.shape} {array.dtype} {head}"


def _number_text(x) -> str:
    if isinstance(x, pinned.ndarray):
        x = x.item()
    if isinstance(x, bool | pinned.bool_):
        return repr(bool(x))
    if isinstance(x, Integral):
        return str(int(x))
    return f"{float(x):.4g}" if isinstance(x, Real) else repr(x)


def _brief(value) -> str:
    """A one-line description of an argument: arrays as a preview, the rest shortened."""
    if isinstance(value, pinned.ndarray) and value.size > 6:
        return show_preview(value)
    text = show(value)
    return text if len(text) <= 60 else text[:60] + " …"


def show_preview(array) -> str:
    try:
        return _preview(array)
    except Exception:  # NumPy itself patched by the learner
        return f"array {getattr(array, 'shape', '')}"


WIDTH = 88  # messages wrap at word boundaries to this width


def _wrap(line: str, indent: str) -> list[str]:
    """One message line, wrapped at word boundaries (never inside a word or a number),
    continuation lines indented by `indent`."""
    lead = " " * (len(line) - len(line.lstrip()))
    return textwrap.wrap(line.strip(), width=WIDTH, initial_indent="  " + lead,
                         subsequent_indent="  " + indent, break_long_words=False,
                         break_on_hyphens=False) or [""]


_RETURNED = re.compile(r"\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s*\)")


def _as_helper(value, name: str = ""):
    """A plain function the check passes (a stand-in, a callback) as a `Labelled`, so
    its failures read as the helper's (`HelperFailed`). Anything else as it is."""
    if isinstance(value, types.FunctionType):
        return Labelled(value, name or getattr(value, "__name__", "") or "f")
    return value


def _kind(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, pinned.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, plaindata.Other):  # only its type came across (a generator, ...)
        return f"a {value.type_name}"
    return f"a {type(value).__name__}"


# --- comparing an answer with the expected value -----------------------------------
def _is_number(value) -> bool:
    if isinstance(value, bool | pinned.bool_):
        return False
    if isinstance(value, Real | pinned.generic):
        return True
    return isinstance(value, pinned.ndarray) and value.ndim == 0


def _to_floats(value):
    with pinned.errstate(all="ignore"):
        return pinned.array(value, dtype=pinned.float64, copy=True)


def _mismatch(result, expected, rtol: float, atol: float, where: str = "",
              names: tuple | None = None) -> str | None:
    """Why `result` is not `expected` (type, then shape, then value), or None if it is.
    `names` name the elements of an expected tuple (as the docstring does)."""
    if isinstance(expected, tuple):
        return _tuple_mismatch(result, expected, rtol, atol, where, names)
    if isinstance(expected, dict):
        return _dict_mismatch(result, expected, rtol, atol, where)
    if result is None:
        return f"It returned None{where}. Did you forget the `return` statement?"
    if isinstance(expected, str):
        return _text_mismatch(result, expected, where)
    if isinstance(expected, pinned.ndarray | list):
        return _array_mismatch(result, _to_floats(expected), rtol, atol, where)
    return _number_mismatch(result, expected, rtol, atol, where)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")
_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _element(i: int, count: int, names: tuple | None) -> str:
    """Where element i of a returned tuple is, for a message: `` in dW (the second of the
    three values)``, or `` in the second of the three values`` when it has no name."""
    nth = _ORDINALS[i] if i < len(_ORDINALS) else f"value number {i + 1}"
    of = _COUNTS[count] if count < len(_COUNTS) else str(count)
    if names and i < len(names) and names[i]:
        return f" in {names[i]} (the {nth} of the {of} values)"
    return f" in the {nth} of the {of} values"


def _tuple_mismatch(result, expected: tuple, rtol, atol, where, names=None) -> str | None:
    if not (isinstance(result, tuple | list)
            or (isinstance(result, pinned.ndarray) and result.ndim == 1)):
        return (f"It returned {_kind(result)}{where}, but it should return a tuple of "
                f"{len(expected)} values, e.g. `return a, b`.")
    if len(result) != len(expected):
        return (f"It returned {len(result)} values{where}, but it should return "
                f"{len(expected)}.")
    for i, (got, want) in enumerate(zip(result, expected, strict=True)):
        names = names if names and len(names) == len(expected) else None
        problem = _mismatch(got, want, rtol, atol, _element(i, len(expected), names) + where)
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
    if isinstance(result, pinned.ndarray) and result.size == 1 and result.ndim > 0:
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
    if not isinstance(result, pinned.ndarray):
        return (f"It returned {_kind(result)}{where}, but it should return a NumPy array "
                f"of shape {expected.shape}.")
    if not (pinned.issubdtype(result.dtype, pinned.number) or result.dtype == bool):
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
    sizes = pinned.abs(want[pinned.isfinite(want)])  # a 1-d array, also for a 0-d `want`
    size = float(sizes.max()) if sizes.size else 0.0
    return size if size > 0 else 1.0


def _tol(x: float) -> str:
    """A tolerance as a person writes it: 1e-6, not 1e-06."""
    return re.sub(r"e([+-])0*(\d)", lambda m: "e" + ("-" if m[1] == "-" else "") + m[2], f"{x:g}")


# A value message says how much is allowed only when the gap is within NEAR times that:
# then it explains why a nearly right value fails; a far-off value needs no tolerance.
NEAR = 1e4


def _value_mismatch(got, want, rtol, atol, where) -> str | None:
    bad_nan = pinned.isnan(got) & ~pinned.isnan(want)
    if bad_nan.any():
        spots = [tuple(int(i) for i in p) for p in pinned.argwhere(bad_nan)[:5]]
        at = f" at {spots}" if got.ndim else ""
        return (f"It returned NaN (not a number){where}{at}. NaN comes from 0/0, inf − inf, "
                "log of a negative number, or a value that was never filled in.")
    bad_inf = ~pinned.isfinite(got) & pinned.isfinite(want)
    if bad_inf.any():
        return (f"It returned an infinite value{where}. Look for a division by zero or an "
                "exp() of a large number.")
    with pinned.errstate(all="ignore"):
        gap = pinned.abs(pinned.subtract(got, want))
        scale = _scale(want)
        allowed = rtol * pinned.abs(want) + atol * scale
        close = pinned.less_equal(gap, allowed) | (got == want)
    if close.all():
        return None
    worst = pinned.unravel_index(int(pinned.argmax(gap * ~close)), got.shape)
    if gap[worst] > NEAR * allowed[worst]:
        tolerance = ""  # far off: how much is allowed would only distract
    elif not (want != 0).any():
        tolerance = f" (allowed: within {_tol(atol)} of 0, as 0 is expected)"
    elif got.ndim == 0:
        tolerance = f" (allowed: within {_tol(rtol)} of the expected value, relative to its size)"
    else:
        tolerance = (f" (allowed: each value within {_tol(rtol)} of the expected one, relative "
                     f"to its size, give or take {_tol(atol)} of the largest expected value, "
                     f"{scale:.3g})")
    if got.ndim == 0:
        return f"The value{where} is off by {float(gap):.3g}{tolerance}."
    return (f"{int((~close).sum())} of {got.size} values{where} are wrong; the largest gap is "
            f"{float(gap[worst]):.3g} at index {tuple(int(i) for i in worst)}{tolerance}.")


def _generic_hint(result, expected) -> str:
    """Hints that fit any exercise: a sign flipped, or off by a constant factor."""
    numeric = isinstance(expected, list | pinned.ndarray) or _is_number(expected)
    if not numeric or not (_is_number(result) or isinstance(result, pinned.ndarray)):
        return ""
    got, want = _to_floats(result), _to_floats(expected)
    if got.shape != want.shape or not pinned.isfinite(got).all() or not (want != 0).any():
        return ""
    nonzero = want != 0
    if (got.size > 1 or got.ndim == 0) and _mismatch(got, -want, 1e-6, 1e-9) is None:
        # a single number qualifies too: its sign is then the only difference
        return "Your answer has the right size but the wrong sign: check the order of a subtraction."
    if int(nonzero.sum()) < 2:  # one wrong number gives no evidence of a factor
        return ""
    with pinned.errstate(all="ignore"):
        ratios = got[nonzero] / want[nonzero]
    factor = float(ratios.flat[0])
    trivial = (factor == 0 or not pinned.isfinite(factor) or abs(abs(factor) - 1) <= 1e-6
               or f"{abs(factor):.6g}" == "1")  # never "1 times the expected one"
    if trivial or not (pinned.abs(got[~nonzero]) <= 1e-9 * _scale(want)).all():
        return ""
    if _mismatch(ratios, ratios * 0 + factor, 1e-6, 0) is None:
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
                 atol: float = DEFAULT_ATOL, names: tuple | None = None):
        self.number = number
        self.names = names  # the returned tuple's elements, for every check (`check`)
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
            first, *details = called.split("\n")
            lines += _wrap("called    " + first, "            ")
            for detail in details:
                lines += _wrap(detail, "    ")
        for line in message.split("\n"):
            indent = " " * (len(line) - len(line.lstrip()))
            if line.startswith(("returned  ", "expected  ")):
                indent = " " * 10
            elif line.lstrip().startswith("Hint: "):
                indent += "      "
            lines += _wrap(line, indent) if line.strip() else [""]
        raise CheckFailed("\n".join(lines)) from None

    # -- calling -----------------------------------------------------------------------
    def describe_call(self, args: tuple, kwargs: dict) -> str:
        """``name(X, Y, 0.5)`` then, one line each, the arrays too large to show inline:
        ``X: array (2, 400) float64 [[0.12, 0.85, …], …]``. Arguments are named as the
        learner's function names them when this kernel has it (self-study), else
        ``argument 1``…"""
        params = self._parameters()
        parts, details = [], []
        for i, value in enumerate(args):
            name = params[i] if i < len(params) else f"argument {i + 1}"
            parts.append(self._argument(name, value, details))
        for key, value in kwargs.items():
            parts.append(f"{key}={self._argument(key, value, details)}")
        call = f"{self.name}({', '.join(parts)})"
        return "\n".join([call, *details[:3]])

    @staticmethod
    def _argument(name: str, value, details: list) -> str:
        if isinstance(value, pinned.ndarray) and (value.size > 12 or value.ndim > 2):
            details.append(f"  {name}: {show_preview(value)}")
            return name
        text = show(value)
        if len(text) > 60:
            details.append(f"  {name}: {text[:200]}")
            return name
        return text

    def _function(self):
        """The learner's function, when it lives in this kernel (self-study), else None."""
        if not isinstance(self.caller, LocalCaller):
            return None
        function = self.caller.function
        if function is None:
            try:
                function = self.caller._namespace().get(self.name)
            except Exception:
                return None
        return function if callable(function) else None

    def _parameters(self) -> list[str]:
        if not isinstance(self.caller, LocalCaller):  # the judge asked the kernel
            names = getattr(self.caller, "parameters", None)
            return list(names(self.name)) if names else []
        return calls.parameter_names(self._function())

    def _returned_names(self) -> tuple | None:
        """The names a docstring gives a returned tuple: "Returns: A tuple (slope,
        intercept) …" gives ("slope", "intercept"). Self-study only: at grading the
        judge has no docstring, so checks pass ``names=``."""
        try:
            doc = inspect.getdoc(self._function()) or ""
        except Exception:
            return None
        at = doc.find("Returns:")
        if at < 0:
            return None
        match = _RETURNED.search(doc[at:at + 200])
        if not match or "list" in doc[at:at + match.start()]:  # "A list of (X, Y) tuples"
            return None
        return tuple(n.strip() for n in match[1].split(","))

    @contextlib.contextmanager
    def stand_ins(self, **functions):
        """Inside the block, while the learner's function runs, the notebook's names
        refer to `functions` (the check's own versions of other exercises), so a mistake
        in another exercise cannot cost this one its points."""
        saved = self._stand_ins
        self._stand_ins = {**saved, **{name: _as_helper(function, name)
                                       for name, function in functions.items()}}
        try:
            yield
        finally:
            self._stand_ins = saved

    def _outcome(self, args: tuple, kwargs: dict, want_warnings: bool = False) -> dict:
        called = self.describe_call(args, kwargs)
        args = tuple(_as_helper(a) for a in args)
        kwargs = {key: _as_helper(value, key) for key, value in kwargs.items()}
        outcome = self.caller.call(self.name, args, kwargs, self._stand_ins, want_warnings)
        if outcome.get("unfinished"):
            self.fail(f"You have not written `{self.name}` yet: replace the line "
                      "`raise NotImplementedError()` with your code, run that cell, "
                      "then run this one.", called)
        if "error" in outcome:
            kind, text, line = outcome["error"]
            message = helper_message(kind, text) or f"Your function raised {kind}: {text}"
            self.fail(message + (f"\n  in your line: {line}" if line else ""), called)
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
              atol: float | None = None, shown_as: str | None = None,
              names: tuple | None = None, **kwargs):
        """Call the function with `args` and compare the answer with `expect`.

        `expect` is a number, a list/array (compared as float arrays), a string
        (compared exactly), or a tuple or a dict (same keys) of those. `mistakes` lists known wrong answers as ``(value_or_predicate, hint)``;
        the hint is shown when the learner's answer matches that value (or the
        predicate returns True for it): a literal value only when it is specific
        evidence (`_specific`). `names` name the elements of a returned tuple, as the
        docstring does (``names=("dA_prev", "dW", "db")``); in self-study they default
        to the docstring's "Returns: (a, b, c)".
        """
        rtol = self.rtol if rtol is None else rtol
        atol = self.atol if atol is None else atol
        called = shown_as or self.describe_call(args, kwargs)
        result = self.call(*args, **kwargs)
        if names is None and isinstance(expect, tuple):
            names = self.names or self._returned_names()
        with calls.quiet():
            problem = _mismatch(result, expect, rtol, atol, names=names)
        if problem is None:
            self.passed += 1
            return result
        message = [f"returned  {show(result)}", f"expected  {show(_expected_view(expect))}",
                   "", problem]
        hint = self._hint(result, expect, mistakes, rtol, atol, args + tuple(kwargs.values()))
        if hint:
            message += ["", f"Hint: {hint}"]
        self.fail("\n".join(message), called)

    def require(self, condition: bool, message: str, called: str | None = None):
        """A property check: fail with `message` unless `condition` holds."""
        if not condition:
            self.fail(message, called)
        self.passed += 1

    def _hint(self, result, expect, mistakes, rtol, atol, inputs: tuple = ()) -> str:
        """The hint of the first catalogued mistake the answer matches, else a generic
        one. A predicate is the author's explicit evidence and always counts; a literal
        value counts only when it is specific (`_specific`)."""
        for mistake, hint in mistakes:
            with calls.quiet():
                try:
                    if callable(mistake):
                        matched = bool(mistake(result))
                    else:
                        matched = (_mismatch(result, mistake, rtol, atol) is None
                                   and _specific(result, expect, inputs, rtol, atol))
                except Exception:
                    matched = False
            if matched:
                return hint
        with calls.quiet():
            return _generic_hint(result, expect)


def _specific(result, expect, inputs: tuple, rtol: float, atol: float) -> bool:
    """Whether an answer that equals a catalogued wrong value is evidence of that mistake:
    not when other plausible slips give the same value, namely the expected value rounded
    to 0 to 3 decimals (int(), round(), a cut-off print; a rounding that turns an expected
    non-zero value into 0 does not count: -0.02 is not "rounded" to the 0 of plain ReLU),
    0 everywhere, or one of the inputs handed back unchanged."""
    try:
        numbers = _to_floats(result)
    except (TypeError, ValueError):
        return True  # strings, dicts, ragged tuples: a literal is as specific as it gets
    if numbers.dtype == object:
        return True
    if numbers.size and not (numbers != 0).any():
        return False
    try:
        wanted = _to_floats(expect)
    except (TypeError, ValueError):
        wanted = None
    if wanted is not None and wanted.dtype != object and wanted.shape == numbers.shape:
        for k in range(4):
            rounded = _to_floats(pinned.round(wanted, k))
            if ((rounded == 0) & (wanted != 0)).any():
                continue  # a rounding that wipes out an expected value is no plausible slip
            if _mismatch(result, _rounded(expect, k), rtol, atol) is None:
                return False
    for given in inputs:
        if callable(given) or isinstance(given, str):
            continue
        try:
            same = _mismatch(result, _expected_form(given, result), rtol, atol) is None
        except Exception:
            same = False
        if same:
            return False
    return True


def _rounded(expect, k: int):
    if isinstance(expect, tuple):
        return tuple(_rounded(e, k) for e in expect)
    if isinstance(expect, dict):
        return {key: _rounded(v, k) for key, v in expect.items()}
    if isinstance(expect, str):
        return expect
    value = pinned.round(_to_floats(expect), k)
    return value.tolist() if isinstance(expect, list | pinned.ndarray) else float(value)


def _expected_form(given, result):
    """An input as an expected value of the result's kind (to ask: did it come back?)."""
    if isinstance(given, pinned.ndarray):
        if given.size == 1 and not isinstance(result, pinned.ndarray):
            return float(given.reshape(-1)[0])
        return given.tolist()
    return given


def _expected_view(expect):
    if isinstance(expect, list):
        floats = _to_floats(expect)
        try:
            written = pinned.array(expect)
        except (ValueError, TypeError):
            return floats
        # whole numbers as the check wrote them, [5, 6] (years, counts), not [5., 6.]
        return written if written.dtype.kind in "iu" and written.shape == floats.shape \
            else floats
    if isinstance(expect, tuple):
        return tuple(_expected_view(e) for e in expect)
    if isinstance(expect, dict):
        return {k: _expected_view(v) for k, v in expect.items()}
    return expect


def exercise(number: int, function, rtol: float = DEFAULT_RTOL,
             atol: float = DEFAULT_ATOL, names: tuple | None = None) -> Exercise:
    """Start the checks of exercise `number` for the learner's function (its name).
    `names` name the elements of the tuple it returns, as its docstring does, for every
    check of the block (``names=("dA_prev", "dW", "db")``): the judge has no docstring."""
    return Exercise(number, function, rtol=rtol, atol=atol, names=names)
