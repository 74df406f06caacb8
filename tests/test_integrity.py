"""`python -m grader integrity` (grader/integrity.py): what it flags, what it leaves alone,
and that no submission can crash it or forge its report. No kernel runs here.

Only cells a learner could write are scanned: solution cells and cells without nbgrader
metadata (cells the learner added). The course's own given code, read-only and check
cells whose grade_id the released lesson has, is never scanned: nbgrader puts it back
from the instructor's copy before grading, so a correct submission, and the released
lesson notebook itself (e.g. lesson 6/7's given network, lesson 4's central_difference),
must give no finding at all.

One temporary course directory (`lessons/` holds the released lessons, as in this
repository's nbgrader config) gets many small crafted submissions: one per kind of
finding, every malformed notebook, extra files, symlinks, crafted names. The report is
made once (module fixture), then each test looks at its part of it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from grader import integrity
from grader.notebooks import lesson_ids
from grader.notebooks import nbgrader_meta as meta
from tests.answers import for_lesson

# Notebooks are plain JSON here, as the scanner reads them (nbformat alone takes seconds
# to import, and tests.course_under_test imports it): `fill` below is
# tests.course_under_test.fill on dicts.
REPO = Path(__file__).resolve().parent.parent
LESSONS = lesson_ids(REPO / "lessons")
LESSON = "01-derivative"  # its checks and answers are the ones these tests use
L7 = "07-training"
PRELUDE = "def f(x):\n    return x\n"  # so a finding's line number is tested, not always 1

# (learner code, a piece of the reason, the line it must be on)
FLAGGED = {
    # writes to numpy / grader / course, through any alias
    "np-attribute": ("np.allclose = lambda *a, **k: True", "reassigns an attribute of np", 1),
    "numpy-alias": ("import numpy as xp\nxp.allclose = f", "reassigns an attribute of xp", 2),
    "numpy-del": ("del numpy.isclose", "deletes an attribute of numpy", 1),
    "numpy-setattr": ("setattr(np, 'abs', abs)", "setattr on numpy/grader/course", 1),
    "numpy-vars": ("vars(np)['allclose'] = f", "reassigns an attribute of np", 1),
    "np-rebound": ("np = FakeNumpy()", "rebinds the name np", 1),
    "course-module": ("from course import checks\nchecks.exercise = None",
                      "reassigns an attribute of checks (course.checks)", 2),
    "course-class": ("from course.checks import Exercise\nExercise.check = None",
                     "reassigns an attribute of Exercise (course.checks.Exercise)", 2),
    "grader-attribute": ("grader.judge.run = None", "reassigns an attribute of grader", 1),
    # builtins, sys hooks, code objects
    "import-builtins": ("import builtins", "touches builtins", 1),
    "builtins-alias": ("import builtins as b\nb.print = f", "touches builtins", 2),
    "dunder-builtins": ("__builtins__['len'] = f", "touches builtins", 1),
    "sys-modules": ("import sys; sys.modules['numpy'] = None", "touches sys.modules", 1),
    "sys-path": ("sys.path.insert(0, '.')", "changes where imports come from", 1),
    "excepthook": ("sys.excepthook = f", "sys.excepthook: replaces an interpreter hook", 1),
    "displayhook": ("sys.displayhook = f", "sys.displayhook: replaces an interpreter hook", 1),
    "settrace": ("sys.settrace(f)", "sys.settrace: replaces an interpreter hook", 1),
    "setprofile": ("sys.setprofile(f)", "sys.setprofile: replaces an interpreter hook", 1),
    "thread-trace": ("import threading as t\nt.settrace(f)",
                     "threading.settrace: replaces an interpreter hook", 2),
    "audithook": ("sys.addaudithook(f)", "sys.addaudithook: replaces an interpreter hook", 1),
    "code-object": ("f.__code__ = g.__code__", "touches a function's code or globals", 1),
    "globals": ("globals()['np'] = fake", "the notebook's namespace", 1),
    # frame inspection, aliases included
    "getframe": ("sys._getframe(1).f_locals", "sys._getframe: frame inspection", 1),
    "getframe-alias": ("import sys as s\ns._getframe()", "sys._getframe: frame inspection", 2),
    "getframe-from": ("from sys import _getframe as g\nx = g(1)",
                      "sys._getframe: frame inspection", 2),
    "inspect-star": ("from inspect import *\nhere = currentframe()",
                     "inspect.currentframe: frame inspection", 2),
    "inspect-stack": ("import inspect\ncaller = inspect.stack()[1]",
                      "inspect.stack: frame inspection", 2),
    "outer-frames": ("inspect.getouterframes(frame)", "frame inspection", 1),
    "frame-info": ("inspect.getframeinfo(frame)", "frame inspection", 1),
    "f-back": ("caller = frame.f_back.f_globals", "frame inspection", 1),
    "tb-frame": ("frame = error.__traceback__.tb_frame", "frame inspection", 1),
    "gi-frame": ("frame = generator.gi_frame", "frame inspection", 1),
    "cr-frame": ("frame = coroutine.cr_frame", "frame inspection", 1),
    "getattr-literal": ("getattr(sys, '_getframe')()", "sys._getframe: frame inspection", 1),
    "import-literal": ("__import__('sys')._getframe()", "sys._getframe: frame inspection", 1),
    # IPython
    "get-ipython": ("shell = get_ipython()", "get_ipython(): IPython hook", 1),
    "events": ("get_ipython().events.register('post_run_cell', f)", "IPython hook", 1),
    "transformers": ("shell.input_transformers_post.append(f)", "IPython hook", 1),
    "cleanup": ("shell.input_transformers_cleanup.append(f)", "IPython hook", 1),
    "ast-transformers": ("shell.ast_transformers.append(t)", "IPython hook", 1),
    "custom-exc": ("shell.set_custom_exc((Exception,), f)", "IPython hook", 1),
    "magic-function": ("shell.register_magic_function(f)", "IPython hook", 1),
    "shell-displayhook": ("shell.displayhook = f", "IPython hook", 1),
    "display-pub": ("shell.display_pub.publish = f", "IPython hook", 1),
    "history": ("print(In[-1])", "input/output history", 1),
    # threads and processes
    "threading": ("import threading", "threads or tasks", 1),
    "_thread": ("import _thread", "threads or tasks", 1),
    "futures": ("from concurrent.futures import ThreadPoolExecutor", "threads or tasks", 1),
    "asyncio": ("import asyncio\nasyncio.ensure_future(job())", "threads or tasks", 2),
    "fork": ("import os\nos.fork()", "os.fork: runs other programs", 2),
    "setsid": ("os.setsid()", "os.setsid: runs other programs", 1),
    "os-system": ("os.system('ls')", "os.system: runs shell commands", 1),
    "exec-family": ("os.execv('/bin/sh', ['sh'])", "os.execv: runs other programs", 1),
    "spawn": ("os.spawnl(os.P_NOWAIT, 'x')", "os.spawnl: runs other programs", 1),
    "subprocess": ("import subprocess\nsubprocess.run(['ls'])", "runs other programs", 2),
    "multiprocessing": ("from multiprocessing import Process", "runs other programs", 1),
    "pty": ("import pty", "runs other programs", 1),
    "signal": ("import signal\nsignal.alarm(1)", "signal.alarm: runs other programs", 2),
    "os-exit": ("import os; os._exit(0)", "os._exit: ends the process", 1),
    "sys-exit": ("sys.exit()", "sys.exit: exits", 1),
    "system-exit": ("raise SystemExit(3)", "SystemExit: exits", 1),
    # sqlite, files, environment
    "sqlite": ("import sqlite3", "opens a database", 1),
    "getcwd": ("here = os.getcwd()", "os.getcwd: file-system access", 1),
    "chdir": ("os.chdir('..')", "os.chdir: file-system access", 1),
    "listdir": ("os.listdir('.')", "os.listdir: file-system access", 1),
    "walk": ("for root, dirs, files in os.walk('.'):\n    pass", "os.walk: file-system", 1),
    "glob": ("import glob\nglob.glob('*')", "file-system access", 2),
    "path-up": ("from pathlib import Path\nPath('..') / 'answers'", "outside the lesson", 2),
    "path-read": ("Path('notes.txt').read_text()", "file-system access", 1),
    "open": ("with open('notes.txt') as f:\n    pass", "open: opens a file", 1),
    "absolute": ("data = open('/etc/passwd').read()", "'/etc/passwd': a path outside", 1),
    "parent": ("rows = np.loadtxt('../answers.csv')", "'../answers.csv': a path outside", 1),
    "home": ("path = '~/answers.txt'", "a path outside the lesson folder", 1),
    "np-load": ("np.load('answers.npy')", "numpy.load: file-system access", 1),
    "shutil": ("import shutil", "file-system access", 1),
    "environ": ("os.environ.get('NBGRADER_EXECUTION')", "reads the environment", 1),
    "gradebook": ("name = 'gradebook.db'", "names nbgrader or the gradebook", 1),
    # memory, gc, dynamic code, pickle, network
    "ctypes": ("import ctypes", "ctypes, can change any object in memory", 1),
    "gc-objects": ("import gc; gc.get_objects()", "gc.get_objects: finds the grader's", 1),
    "gc-referrers": ("gc.get_referrers(f)", "finds the grader's objects", 1),
    "importlib": ("importlib.import_module(name)", "imports code by a computed name", 1),
    "reload": ("importlib.reload(np)", "reloads a module", 1),
    "dunder-import": ("m = __import__(name)", "imports code by a computed name", 1),
    "exec": ("exec(code)", "exec: runs code built at run time", 1),
    "eval": ("value = eval(text)", "eval: runs code built at run time", 1),
    "compile": ("c = compile(text, 'x', 'exec')", "compile: runs code built at run time", 1),
    "exec-literal": ("exec('import sys; sys._getframe()')", "sys._getframe in exec(...)", 1),
    "pickle": ("import pickle", "unpickling can run hidden code", 1),
    "marshal": ("import marshal", "unpickling can run hidden code", 1),
    "socket": ("import socket", "network access", 1),
    "urllib": ("import urllib.request", "network access", 1),
    "http": ("from http import client", "network access", 1),
    "requests": ("import requests", "network access", 1),
    # obfuscation and fake values
    "getattr-computed": ("getattr(sys, '_get' + 'frame')", "getattr with a computed name", 1),
    "setattr-computed": ("setattr(module, name, value)", "setattr with a computed name", 1),
    "chr": ("name = ''.join(chr(c) for c in codes)", "chr: obfuscation", 1),
    "base64": ("import base64\nexec(base64.b64decode(blob))", "obfuscation", 1),
    "codecs": ("import codecs\ncodecs.decode(text, 'rot13')", "obfuscation", 2),
    "fromhex": ("bytes.fromhex('5f5f')", "obfuscation", 1),
    "reversed": ("name = 'emarfteg_'[::-1]", "obfuscation", 1),
    "fake-eq": ("class Yes(float):\n    def __eq__(self, other):\n        return True",
                "def __eq__ in class Yes", 2),
    "mock": ("from unittest import mock", "mock.patch can replace any function", 1),
    "module-type": ("import types\nfake = types.ModuleType('numpy')", "fake numpy", 2),
    # IPython syntax
    "shell-line": ("!cat ~/answers.txt", "runs shell commands", 1),
    "shell-capture": ("files = !ls ..", "runs shell commands", 1),
    "shell-in-function": ("def g():\n    !ls\n    return 1", "runs shell commands", 2),
    "run": ("%run helper.py", "%run: runs or loads other code", 1),
    "load": ("%load helper.py", "%load: runs or loads other code", 1),
    "cd": ("%cd ..", "runs shell commands", 1),
    "time-line": ("%time x = sys._getframe()", "sys._getframe in %time", 1),
    "after-magic": ("%matplotlib inline\nimport subprocess", "runs other programs", 2),
    "help-then-code": ("np.sum?\nimport subprocess", "runs other programs", 2),
    "does-not-parse": ("x = (1,\n%ls\n)", "does not parse", 2),
    "too-deep": ("x = " + "(" * 300 + ")" * 300, "does not parse", 1),
}
# Cell magics must be the first line of their cell: no prelude.
CELL_MAGICS = {
    "bash": ("%%bash\ncat /etc/passwd", "%%bash: runs shell commands", 1),
    "script": ("%%script python3\nimport sys\nsys._getframe()", "%%script python3: runs", 1),
    "script-body": ("%%script python3\nimport sys\nsys._getframe()",
                    "sys._getframe in %%script", 3),
    "python": ("%%python\nimport os", "%%python: runs shell commands or other code", 1),
    "writefile": ("%%writefile grader/__init__.py\nimport os\nos.system('x')",
                  "%%writefile grader/__init__.py: runs or loads other code", 1),
    "writefile-body": ("%%writefile helper.py\nimport os\nos.system('x')",
                       "os.system in %%writefile", 3),
    "time-body": ("\n%%time\nimport sys\nsys._getframe()", "sys._getframe in %%time", 4),
    "capture-body": ("%%capture\nimport subprocess", "runs other programs", 2),
    "javascript": ("%%javascript\nalert(1)", "%%javascript: runs or loads other code", 1),
    "unknown": ("%%whatever\nx", "an unusual magic", 1),
}
CLEAN = [
    "def yearly_growth(sales):\n    return sales[1:] - sales[:-1]",
    "import numpy as np\nx = np.zeros(3)\nx[0] = 1\nnp.random.seed(0)",
    "%matplotlib inline\nplt.plot([1, 2])",
    "%time y = np.sum(np.ones(3))",
    "%timeit -n 10 -r 3 np.sum(np.ones(3))",
    "%%time\nz = np.ones(3) @ np.ones(3)",
    "np.sum?",
    "np.sum??",
    "from IPython.display import display, Markdown\ndisplay(Markdown('**ok**'))",
    "print(f'{rate:.2f}/s, {a}/{b} pigs/year')",
    "print('growth', 'pigs/year', '...', 'a / b')",
    "A, _ = forward(X, params, ['relu', 'sigmoid'])",
    "def f(x):\n    '''A docstring: x/2, ..., and (a, b).'''\n    return x / 2",
    "print('in use:', forward.__module__ == '__main__')",
    "import math\nimport time\nstart = time.perf_counter()\nmath.log10(3.0)",
    "results = [{'learning_rate': r, 'score': s} for r, s in zip(rates, scores)]",
    "rng = np.random.default_rng(0)\norder = rng.permutation(10)",
]


def flagged(code: str, reason: str, line: int, hits) -> bool:
    return any(reason in why and n == line for n, _, why in hits)


@pytest.mark.parametrize("name", list(FLAGGED))
def test_the_scanner_flags_each_kind_of_code_with_its_line(name):
    code, reason, line = FLAGGED[name]
    hits = integrity.scan_source(PRELUDE + code)
    assert flagged(code, reason, line + PRELUDE.count("\n"), hits), hits


@pytest.mark.parametrize("name", list(CELL_MAGICS))
def test_cell_magics_are_flagged_and_their_python_is_scanned(name):
    code, reason, line = CELL_MAGICS[name]
    hits = integrity.scan_source(code)
    assert flagged(code, reason, line, hits), hits


@pytest.mark.parametrize("code", CLEAN)
def test_the_scanner_leaves_ordinary_code_alone(code):
    assert integrity.scan_source(code) == []


def test_a_reason_names_the_code_it_is_about():
    (line, code, reason), = integrity.scan_source(PRELUDE + "import sys as s\ns._getframe()")
    assert (line, code) == (4, "s._getframe()")
    assert reason == "sys._getframe: frame inspection, can read or change the grader's variables"


# --- a course of crafted submissions ---------------------------------------------------
SOLUTION_REGION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n(.*?)^[ \t]*### END SOLUTION\n?",
                             re.DOTALL | re.MULTILINE)


def read(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def released(lesson: str) -> dict:
    return read(REPO / "lessons" / lesson / f"{lesson}.ipynb")


def exercises(lesson: str) -> list[str]:
    return [meta(c)["grade_id"] for c in released(lesson)["cells"] if meta(c).get("solution")]


def fill(lesson: str, answers: dict[str, str] | None = None) -> dict:
    """The released lesson with every solution cell holding the reference answer, or the
    body `answers` gives for that exercise."""
    answers = answers or {}
    nb = released(lesson)
    source = read(REPO / "solutions" / lesson / f"{lesson}.ipynb")
    reference = {meta(c)["grade_id"]: "".join(c["source"]) for c in source["cells"]
                 if meta(c).get("grade_id")}

    def body(match: re.Match, grade_id: str) -> str:
        if grade_id not in answers:
            return match.group(2)
        return textwrap.indent(textwrap.dedent(answers[grade_id]).strip() + "\n",
                               match.group(1))

    for cell in nb["cells"]:
        grade_id = meta(cell).get("grade_id")
        if meta(cell).get("solution"):
            cell["source"] = SOLUTION_REGION.sub(lambda m, g=grade_id: body(m, g),
                                                 reference[grade_id])
    return nb


def code_cell(source: str, nbgrader: dict | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "outputs": [], "source": source,
            "metadata": {"nbgrader": nbgrader} if nbgrader is not None else {}}


def cell_with_id(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"]
                if meta(c).get("grade_id") == grade_id)


def small(*sources: str, solution: str | None = None) -> dict:
    """A small lesson-1 notebook: the given setup cell, then a cell per source, each
    without nbgrader metadata (a cell the learner added); `solution` goes into the
    first exercise's solution cell, which comes last."""
    nb = released(LESSON)
    cells = [copy.deepcopy(cell_with_id(nb, "setup"))]
    cells += [code_cell(source) for source in sources]
    if solution is not None:
        exercise = copy.deepcopy(cell_with_id(nb, exercises(LESSON)[0]))
        exercise["source"] = solution
        cells.append(exercise)
    return {**nb, "cells": cells}


def text(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def locked_cell(source: str, grade_id: str) -> dict:
    return code_cell(source, {"grade": False, "grade_id": grade_id, "locked": True,
                              "schema_version": 3, "solution": False, "task": False})


def edited_setup() -> dict:
    nb = small("x = 1")
    nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]) + "\nimport subprocess\n"
    return nb


def fake_locked() -> dict:
    nb = small("x = 1")
    nb["cells"].append(locked_cell("import subprocess", "not_a_lesson_cell"))
    return nb


def old_format() -> str:
    """nbformat 3: cells in worksheets, code in `input`."""
    cells = [{"cell_type": "code", "input": "import subprocess", "language": "python",
              "metadata": {}, "outputs": []}]
    return json.dumps({"metadata": {}, "nbformat": 3, "nbformat_minor": 0,
                       "worksheets": [{"cells": cells, "metadata": {}}]})


def raw(nb: dict, **changes) -> str:
    return json.dumps({**nb, **changes})


def broken_cell(**cell) -> str:
    nb = small("x = 1")
    nb["cells"].append({"cell_type": "code", "execution_count": None, "outputs": [],
                        "metadata": {}, "source": "", **cell})
    return json.dumps(nb)


# student: ({file: content}, [(reason piece, file, cell, line)]); content is text, bytes,
# a dict (a notebook), or None for "make it specially" (see the fixture).
NB = f"{LESSON}.ipynb"
MALFORMED = {
    "nbgrader-list": (broken_cell(metadata={"nbgrader": ["locked"]}, source="import pty"),
                      "malformed cell: its metadata.nbgrader is a list"),
    "nbgrader-string": (broken_cell(metadata={"nbgrader": "locked"}),
                        "malformed cell: its metadata.nbgrader is a str"),
    "nbgrader-null": (broken_cell(metadata={"nbgrader": None}),
                      "malformed cell: its metadata.nbgrader is null"),
    "metadata-list": (broken_cell(metadata=[1, 2]), "malformed cell: its metadata is a list"),
    "cells-dict": (raw(small(), cells={"0": {}}), "could not read: 'cells' is a dict"),
    "no-source": (json.dumps({**small(), "cells": [{"cell_type": "code", "metadata": {}}]}),
                  "malformed cell: it has no source"),
    "source-int": (broken_cell(source=42), "malformed cell: its source is a int"),
    "source-mixed-list": (broken_cell(source=["import pty\n", 3]),
                          "malformed cell: its source list holds something other than text"),
    "cell-not-dict": (raw(small(), cells=["print(1)"]), "malformed cell: it is a str"),
    "not-json": ('{"cells": [', "could not read: not JSON"),
    "not-utf8": (b'{"cells": ["\xff\xfe"]}', "could not read: not UTF-8"),
    "empty": ("", "could not read: an empty file (0 bytes)"),
    "blank": ("  \n", "could not read: an empty file"),
    "json-list": ("[1, 2]", "could not read: the file holds a JSON list"),
    "deep-json": ("[" * 100_000 + "]" * 100_000, "could not read: not JSON"),
    "huge": (None, "could not read: 200.0 MB, more than the 100 MB"),
    "folder": (None, "could not read: a folder, not a notebook file"),
    "fifo": (None, "not a regular file"),
}
FAMILY_STUDENTS = {f"family-{name}": case for name, case in FLAGGED.items()}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("integrity")
    for lesson in LESSONS:
        shutil.copytree(REPO / "lessons" / lesson, root / "lessons" / lesson)

    def submit(student: str, files: dict, lesson: str = LESSON) -> None:
        folder = root / "submitted" / student / lesson
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, dict):
                content = text(content)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())

    for lesson in LESSONS:  # complete, correct work; right answers written differently
        submit("good", {f"{lesson}.ipynb": fill(lesson), "timestamp.txt": "2026-11-20",
                        f".ipynb_checkpoints/{lesson}-checkpoint.ipynb": fill(lesson)}, lesson)
        right = {e: bodies[0] for e, bodies in for_lesson(lesson).RIGHT.items() if bodies}
        submit("right-answers", {f"{lesson}.ipynb": fill(lesson, right)}, lesson)
        shutil.copytree(REPO / "lessons" / lesson,
                        root / "submitted" / "released-as-is" / lesson)
    for student, (code, _, _) in FAMILY_STUDENTS.items():
        submit(student, {NB: small("x = 1", PRELUDE + code)})
    for name, (code, _, _) in CELL_MAGICS.items():
        submit(f"magic-{name}", {NB: small(code)})
    submit("in-solution-cell", {NB: small(solution=PRELUDE + "import ctypes")})
    submit("edited-given-cell", {NB: edited_setup()})
    submit("fake-locked-cell", {NB: fake_locked()})
    submit("old-format", {NB: old_format()})
    submit("source-list", {NB: json.dumps(small("x = 1", "y = 2\nimport pty"))})
    for student, (content, _) in MALFORMED.items():
        if content is not None:
            submit(student, {NB: content})
    folder = root / "submitted" / "huge" / LESSON
    folder.mkdir(parents=True)
    with open(folder / NB, "wb") as handle:
        handle.truncate(200 * 2**20)  # sparse: no disk used, never read
    (root / "submitted" / "folder" / LESSON / NB).mkdir(parents=True)
    (root / "submitted" / "fifo" / LESSON).mkdir(parents=True)
    os.mkfifo(root / "submitted" / "fifo" / LESSON / NB)
    # a bad notebook does not hide a good one beside it
    submit("bad-and-hostile", {NB: '{"cells": [', "my-homework.ipynb": small("import pty")})
    # files beside the notebook
    submit("shadow-course", {NB: small(), "course/__init__.py": "import subprocess\n",
                             "course/checks.py": "x = 1\n"})
    submit("shadow-grader", {NB: small(), "grader/__init__.py": "x = 1\n"})
    submit("pth", {NB: small(), "evil.pth": "import os; os.system('x')\n"})
    submit("sitecustomize", {NB: small(), "sitecustomize.py": "x = 1\n"})
    submit("helper-module", {NB: small(), "helper.py": "import socket\n"})
    submit("numpy-module", {NB: small(), "numpy.py": "allclose = None\n"})
    submit("compiled", {NB: small(), "fast.so": b"\x7fELF"})
    submit("notes", {NB: small(), "notes.txt": "my notes"})
    submit("checkpoints-only", {NB: small(), "timestamp.txt": "2026-11-20",
                                ".ipynb_checkpoints/x-checkpoint.ipynb": small("import pty")})
    submit("invited-file", {f"{L7}.ipynb": fill(L7), "my_lesson6.py": "def f():\n    pass\n"},
           L7)
    submit("invited-hostile", {f"{L7}.ipynb": fill(L7), "my_lesson6.py": "import subprocess\n"},
           L7)
    links = root / "submitted" / "symlinks" / LESSON
    submit("symlinks", {NB: small()})
    (links / "answers.txt").symlink_to("/etc/passwd")
    (links / "up").symlink_to("../..")
    (links / "deep").mkdir()
    (links / "deep" / "link").symlink_to("/root")
    (root / "submitted" / "notebook-link" / LESSON).mkdir(parents=True)
    (root / "submitted" / "notebook-link" / LESSON / NB).symlink_to(
        root / "submitted" / "good" / LESSON / NB)
    (root / "submitted" / "lesson-link").mkdir()
    (root / "submitted" / "lesson-link" / LESSON).symlink_to("/etc")
    # crafted names: a newline and terminal escapes in the student id and a file name
    submit("evil\n01-derivative  good  forged line\x1b[2J", {NB: small("import pty")})
    submit("names", {NB: small(), "x\r\u202eb.py": "import pty\n"})
    return root, integrity.report(root)


def findings_of(course, student: str, lesson: str = LESSON) -> list[integrity.Finding]:
    return [f for f in course[1] if f.student == student and f.lesson == lesson]


def has(findings, reason: str, **where) -> bool:
    return any(reason in f.reason and all(getattr(f, k) == v for k, v in where.items())
               for f in findings)


def test_every_kind_is_found_in_a_submitted_notebook_with_cell_and_line(course):
    missed = [student for student, (_, reason, line) in FAMILY_STUDENTS.items()
              if not has(findings_of(course, student), reason, cell="cell 3", cell_number=3,
                         line=line + 2, file=NB)]
    assert missed == []
    missed = [name for name, (_, reason, line) in CELL_MAGICS.items()
              if not has(findings_of(course, f"magic-{name}"), reason, cell="cell 2",
                         line=line)]
    assert missed == []


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("student", ["good", "right-answers", "released-as-is"])
def test_correct_work_and_the_released_lessons_give_no_finding(course, student, lesson):
    assert findings_of(course, student, lesson) == []


def test_only_cells_a_learner_could_write_are_scanned(course):
    solution = findings_of(course, "in-solution-cell")
    assert has(solution, "ctypes", cell=exercises(LESSON)[0], cell_number=2, line=3)
    # a read-only cell of the lesson is put back by nbgrader: an edit there never runs
    assert findings_of(course, "edited-given-cell") == []
    # a cell that only claims to be read-only (a grade_id the lesson lacks) is scanned
    assert has(findings_of(course, "fake-locked-cell"), "import subprocess",
               cell="not_a_lesson_cell", line=1)


def test_old_notebooks_and_list_sources_are_scanned(course):
    assert has(findings_of(course, "old-format"), "import subprocess", line=1)
    assert has(findings_of(course, "source-list"), "import pty", cell="cell 3", line=2)


@pytest.mark.parametrize("student", list(MALFORMED))
def test_a_malformed_notebook_is_reported_and_the_scan_goes_on(course, student):
    _, reason = MALFORMED[student]
    assert has(findings_of(course, student), reason, file=NB), findings_of(course, student)


def test_malformed_cells_are_still_scanned_where_they_can_be(course):
    assert has(findings_of(course, "nbgrader-list"), "import pty", cell="cell 3", line=1)
    assert has(findings_of(course, "source-mixed-list"), "import pty", line=1)


def test_a_bad_notebook_does_not_hide_the_one_beside_it(course):
    found = findings_of(course, "bad-and-hostile")
    assert has(found, "could not read: not JSON", file=NB)
    assert has(found, "another notebook 'my-homework.ipynb'", file="my-homework.ipynb")
    assert has(found, "import pty", file="my-homework.ipynb", cell="cell 2", line=1)


@pytest.mark.parametrize("student, reason, file", [
    ("shadow-course", "a folder 'course/' beside the notebook: `import course` would load "
                      "it instead of the real one", "course"),
    ("shadow-course", "import subprocess", "course/__init__.py"),
    ("shadow-grader", "`import grader` would load it", "grader"),
    ("pth", "a .pth file 'evil.pth'", "evil.pth"),
    ("sitecustomize", "'sitecustomize.py' runs when Python starts", "sitecustomize.py"),
    ("helper-module", "a Python file 'helper.py'", "helper.py"),
    ("helper-module", "import socket: network access", "helper.py"),
    ("numpy-module", "`import numpy` would load it instead of the real one", "numpy.py"),
    ("compiled", "compiled or packed code 'fast.so'", "fast.so"),
    ("notes", "an extra file 'notes.txt'", "notes.txt"),
    ("symlinks", "a symlink to '/etc/passwd' (not followed)", "answers.txt"),
    ("symlinks", "a symlink to '../..' (not followed)", "up"),
    ("symlinks", "an extra folder 'deep/'", "deep"),
    ("symlinks", "a symlink to '/root' (not followed)", "deep/link"),
    ("notebook-link", "a symlink to", NB),
    ("lesson-link", "a symlink to '/etc' (not followed)", ""),
])
def test_files_beside_the_notebook_are_listed(course, student, reason, file):
    found = findings_of(course, student)
    assert has(found, reason, file=file), found


def test_what_belongs_in_a_submission_folder_is_not_listed(course):
    assert findings_of(course, "checkpoints-only") == []
    assert findings_of(course, "invited-file", L7) == []  # 07-training asks for my_lesson6.py
    found = findings_of(course, "invited-hostile", L7)
    assert [(f.file, f.line, f.reason.split(":")[0]) for f in found] == [
        ("my_lesson6.py", 1, "import subprocess")]


def test_nothing_outside_the_submission_is_read(course):
    root, findings = course
    linked = findings_of(course, "notebook-link")  # a link to good's notebook: not read
    assert len(linked) == 1 and "not followed" in linked[0].reason
    symlinks = findings_of(course, "symlinks")
    assert len(symlinks) == 4 and not [f for f in symlinks if f.code or f.line]
    assert not [f for f in findings if f.file.startswith(("up/", "/", "deep/link/"))]


def test_the_text_report_is_one_escaped_line_per_finding(course, capsys):
    root, findings = course
    assert integrity.main(str(root), [], as_json=False) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[-1] == "" and len(lines) == len(findings) + 2  # a header, a final newline
    assert all(line.isprintable() for line in lines)
    heads = {line.split("  ")[0] for line in lines[1:-1]}
    assert heads <= set(LESSONS)  # every line starts with its lesson: no forged line
    evil = [line for line in lines if "forged" in line]
    assert evil == [f"{LESSON}  evil\\n01-derivative  good  forged line\\x1b[2J: unsafe "
                    "student id (contains whitespace or a control character (U+000A)): grading "
                    "skips it, but Formgrader lists submitted/ folders and shows some pages of "
                    "a student unescaped; move the folder out of submitted/",
                    f"{LESSON}  evil\\n01-derivative  good  forged line\\x1b[2J  {NB}  "
                    "cell 2 line 1: import pty: runs other programs or controls processes  |  "
                    "import pty"]
    assert any("'x\\r\\u202eb.py'" in line for line in lines)


def test_the_json_report_has_every_finding(course, capsys):
    root, findings = course
    integrity.main(str(root), [LESSON], as_json=True)
    out = capsys.readouterr().out
    assert out.isascii()
    rows = json.loads(out)
    assert len(rows) == len([f for f in findings if f.lesson == LESSON]) > 100
    assert {"lesson", "student", "cell", "line", "code", "reason", "file",
            "cell_number"} == set(rows[0])


def test_a_lesson_filter_keeps_only_that_lesson(course):
    root, _ = course
    only = integrity.report(root, [L7])
    assert only and {f.lesson for f in only} == {L7}


def test_a_smaller_limit_is_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(integrity, "MAX_NOTEBOOK_BYTES", 1000)
    folder = tmp_path / "submitted" / "big" / LESSON
    folder.mkdir(parents=True)
    (folder / NB).write_text(text(small("x = 1" + " " * 2000)))
    (finding,) = integrity.report(tmp_path)
    assert finding.reason.startswith("could not read: 0.0 MB, more than the 0 MB")


def test_no_submitted_folder_is_no_finding(tmp_path, capsys):
    assert integrity.report(tmp_path) == []
    assert integrity.main(str(tmp_path), [], as_json=False) == 0
    assert "No learner code" in capsys.readouterr().out


def test_an_unsafe_student_folder_is_reported(tmp_path):
    folder = tmp_path / "submitted" / "<img src=x onerror=alert(1)>" / "01-derivative"
    folder.mkdir(parents=True)
    findings = integrity.report(tmp_path)
    assert any("unsafe student id" in f.reason for f in findings), findings
