"""Calling a learner's function for a check: in this kernel, with answers as plain data.

`perform` is the one way a check calls a learner's function, in both places checks run:

- **self-study** (the learner's own JupyterLab): `course.checks` calls `perform` here,
  in the learner's kernel, and judges what comes back;
- **grading**: the check cell never runs in the learner's kernel. The grader's judge
  (`grader/judge.py`, in the grader's own process) sends each call here as plain data
  (`serve`), and gets back only plain data: the result, the arguments after the call
  (a function may change them), the warnings, or the error. Functions the check passes
  (a test function f, a stand-in for another exercise) stay in the judge: here they are
  `Callback`s that ask the judge over the kernel's input channel, like `input()` does.

Nothing here knows an expected value, so a learner who patches this module only
changes the data their own kernel produces.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import traceback
import warnings
from pathlib import Path

from course import pinned, plaindata

_HERE = str(Path(__file__).resolve().parent)
MISSING = object()


@contextlib.contextmanager
def quiet():
    """Silence NumPy warnings, Python warnings and stderr (nbgrader scores a check cell 0
    when anything reaches stderr)."""
    with (
        pinned.errstate(all="ignore"),
        warnings.catch_warnings(),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def recorded_warnings(caught: list[str]):
    """Collect every Python warning and NumPy floating-point warning (overflow, division
    by zero, invalid; underflow to 0 is harmless) raised inside, as text."""
    with (
        pinned.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
        warnings.catch_warnings(record=True) as seen,
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("always")
        try:
            yield
        finally:
            caught.extend(f"{w.category.__name__}: {w.message}" for w in seen)


def learner_line(error: BaseException) -> str:
    """The last line of the learner's own code in a traceback (not NumPy's, not ours)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "site-packages" not in f.filename and not f.filename.startswith(_HERE)]
    return frames[-1].line.strip() if frames and frames[-1].line else ""


def describe(value) -> str:
    """'missing', 'function', or what the name holds instead (for the check's message)."""
    if value is MISSING:
        return "missing"
    if callable(value):
        return "function"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"


def parameter_names(function) -> list[str]:
    """The names of the positional parameters of `function` (for messages), or []."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def perform(function, args: tuple, kwargs: dict, want_warnings: bool = False) -> dict:
    """Call `function(*args, **kwargs)`; the outcome as a dict of plain data:
    {"result": value} or {"unfinished": True} or {"error": [type, message, line]},
    plus {"warnings": [...]} when asked for."""
    caught: list[str] = []
    outcome: dict = {}
    try:
        with recorded_warnings(caught) if want_warnings else quiet():
            outcome["result"] = function(*args, **kwargs)
    except NotImplementedError:
        outcome = {"unfinished": True}
    except (Exception, SystemExit) as error:  # any learner bug becomes a message
        outcome = {"error": [type(error).__name__, _text(error), learner_line(error)]}
    if want_warnings:
        outcome["warnings"] = caught
    return outcome


def _text(error: BaseException) -> str:
    try:
        return str(error)[:2000]
    except Exception:  # a learner's exception whose __str__ fails
        return ""


@contextlib.contextmanager
def standing_in(namespace: dict, functions: dict):
    """Inside the block, the notebook's names refer to `functions`; afterwards the
    learner's own are back, whatever happened."""
    saved = {name: namespace.get(name, MISSING) for name in functions}
    namespace.update(functions)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = value


# --- the kernel end of a judged call (grading) --------------------------------------------
PROMPT = "\x00course-callback\x00"


class Callback:
    """A function of the judge's: calling it asks the judge, which answers with plain data."""

    def __init__(self, number: int, label: str):
        self.number, self.label = number, label
        self.__name__ = label or "f"

    def __repr__(self) -> str:
        return self.label or "<the check's function>"

    def __call__(self, *args, **kwargs):
        from IPython import get_ipython

        ask = get_ipython().kernel.raw_input
        reply = plaindata.decode(ask(PROMPT + plaindata.encode(
            {"callback": self.number, "args": args, "kwargs": kwargs}, callback_number)))
        if "error" in reply:
            raise RuntimeError(f"{self!r} failed: {reply['error']}")
        return reply["result"]


def callback_number(function) -> int | None:
    """A callback passed back to the judge travels as its number; other functions don't."""
    return function.number if isinstance(function, Callback) else None


def serve(request: str) -> None:
    """Run one judged call (see the module docstring) and send the outcome to the judge
    over the input channel (not as a displayed value: display formatters are the
    learner's to change)."""
    from IPython import get_ipython

    shell = get_ipython()
    ask = plaindata.decode(request, make_callback=Callback)
    if ask.get("describe"):
        function = shell.user_ns.get(ask["name"], MISSING)
        outcome = {"state": describe(function),
                   "parameters": parameter_names(function) if callable(function) else []}
    else:
        with standing_in(shell.user_ns, ask["stand_ins"]):
            function = shell.user_ns.get(ask["name"], MISSING)
            outcome = perform(function, ask["args"], ask["kwargs"], ask["warnings"])
        outcome["args"], outcome["kwargs"] = ask["args"], ask["kwargs"]
    try:
        text = plaindata.encode(outcome, callback_number)
    except (TypeError, ValueError, RecursionError) as error:
        text = plaindata.encode({"error": ["ValueError", f"its result cannot be sent: {error}", ""]})
    shell.kernel.raw_input(PROMPT + "outcome:" + text)
