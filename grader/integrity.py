"""Integrity report: learner code a check could be fooled by, for the instructor to review.

    python -m grader integrity [LESSON ...] [--json]

After autograding, every learner cell (a cell that is not locked: exercise cells and
cells the learner added) of every submission is read (the autograded copy if there is
one, else the submitted notebook) and these are listed, with the cell and the line:

- reassigning or deleting an attribute of numpy, grader or course (``np.allclose = ...``,
  ``setattr(grader, ...)``, ``del np.isclose``), or rebinding the names ``np``/``grader``;
- touching ``builtins`` / ``__builtins__``, ``sys.modules``, ``__code__``, ``globals()``
  writes, ``gc``/``inspect``/``ctypes``, ``importlib.reload``;
- ending the process: ``os._exit``, ``sys.exit``, ``exit()``/``quit()``, ``os.kill``,
  ``signal``;
- reading or listing files outside the lesson folder (an absolute path, ``~`` or ``..``
  given to ``open``/``np.load``/``Path``/``os.listdir``/...), shell commands
  (``os.system``, ``subprocess``, ``!cmd``).

A hit is not a verdict: it is a line to read. The autograder's guard already undoes
reassigned NumPy/grader attributes before each check (grader/guard.py), so most hits
did not change a grade; the report says where to look if one seems too good.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

PROTECTED = {"np", "numpy", "grader", "course"}
SUSPECT_MODULES = {"builtins": "imports builtins", "gc": "imports gc (can find the grader's objects)",
                   "inspect": "imports inspect", "ctypes": "imports ctypes",
                   "importlib": "imports importlib", "subprocess": "runs shell commands",
                   "signal": "imports signal"}
FILE_FUNCTIONS = {"open", "load", "loadtxt", "genfromtxt", "fromfile", "read_csv", "Path",
                  "listdir", "scandir", "walk", "glob", "iglob", "read_text", "read_bytes",
                  "chdir", "stat", "exists"}
LINE_PATTERNS = [
    (re.compile(r"__builtins__|\bbuiltins\."), "touches builtins"),
    (re.compile(r"sys\.modules"), "touches sys.modules"),
    (re.compile(r"__code__|__globals__|__closure__"), "touches a function's code or globals"),
    (re.compile(r"\bos\._exit\b"), "calls os._exit (kills the kernel)"),
    (re.compile(r"\bsys\.exit\b|^\s*(exit|quit)\(\s*\)"), "exits the process"),
    (re.compile(r"\bos\.(kill|killpg|abort)\b"), "kills a process"),
    (re.compile(r"\bos\.(system|popen|exec\w*|spawn\w*)\b|^\s*!"), "runs shell commands"),
    (re.compile(r"importlib\.reload|\breload\("), "reloads a module"),
    (re.compile(r"\bglobals\(\)\s*\["), "writes into globals()"),
    (re.compile(r"\bsetattr\(\s*(np|numpy|grader|course)\b"), "setattr on numpy/grader/course"),
]


@dataclass
class Finding:
    lesson: str
    student: str
    cell: str      # grade_id, or "cell N" for a cell without one
    line: int      # line number inside the cell, from 1
    code: str
    reason: str


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _outside_path(value: str) -> bool:
    return value.startswith(("/", "~", "\\")) or ".." in Path(value).parts or (
        len(value) > 1 and value[1] == ":")


class _Visitor(ast.NodeVisitor):
    def __init__(self):
        self.hits: list[tuple[int, str]] = []

    def _hit(self, node: ast.AST, reason: str):
        self.hits.append((getattr(node, "lineno", 1), reason))

    def _target(self, target: ast.AST, node: ast.AST, verb: str):
        if isinstance(target, ast.Attribute | ast.Subscript):
            root = _root_name(target)
            if root in PROTECTED:
                self._hit(node, f"{verb} an attribute of {root}")
            elif root in ("builtins", "__builtins__"):
                self._hit(node, f"{verb} a builtin")
        elif isinstance(target, ast.Name) and target.id in PROTECTED and verb == "reassigns":
            if not isinstance(getattr(node, "value", None), ast.Name | ast.Attribute):
                self._hit(node, f"rebinds the name {target.id}")
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._target(element, node, verb)

    def visit_Assign(self, node):
        for target in node.targets:
            self._target(target, node, "reassigns")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target, node, "reassigns")
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._target(node.target, node, "reassigns")
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            self._target(target, node, "deletes")
        self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in SUSPECT_MODULES:
                self._hit(node, SUSPECT_MODULES[top])
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        top = (node.module or "").split(".")[0]
        if top in SUSPECT_MODULES:
            self._hit(node, SUSPECT_MODULES[top])
        self.generic_visit(node)

    def visit_Call(self, node):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", None)
        if name in FILE_FUNCTIONS:
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _outside_path(
                        arg.value):
                    self._hit(node, f"reads files outside the lesson folder ({arg.value!r})")
        self.generic_visit(node)


def scan_source(source: str) -> list[tuple[int, str, str]]:
    """(line, code, reason) for every suspicious line of one cell's source."""
    lines = source.splitlines()
    hits: set[tuple[int, str]] = set()
    python = "\n".join("" if line.lstrip().startswith(("!", "%")) else line for line in lines)
    try:
        visitor = _Visitor()
        visitor.visit(ast.parse(python))
        hits.update(visitor.hits)
    except SyntaxError:
        pass  # the line patterns below still apply
    for number, line in enumerate(lines, 1):
        code = line.split("#", 1)[0] if not line.lstrip().startswith("!") else line
        for pattern, reason in LINE_PATTERNS:
            if pattern.search(code):
                hits.add((number, reason))
    return [(n, lines[n - 1].strip() if 0 < n <= len(lines) else "", reason)
            for n, reason in sorted(hits)]


def scan_notebook(nb, lesson: str, student: str) -> list[Finding]:
    findings = []
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or meta.get("locked"):
            continue
        where = meta.get("grade_id") or f"cell {index + 1}"
        for line, code, reason in scan_source(cell.get("source", "")):
            findings.append(Finding(lesson, student, where, line, code, reason))
    return findings


def report(course: Path, lessons: list[str] | None = None) -> list[Finding]:
    """Findings for every submission of `lessons` (default: all) in `course`."""
    findings: list[Finding] = []
    submitted = course / "submitted"
    if not submitted.is_dir():
        return findings
    for path in sorted(submitted.glob("*/*/*.ipynb")):
        student, lesson = path.parent.parent.name, path.parent.name
        if lessons and lesson not in lessons:
            continue
        graded = course / "autograded" / student / lesson / path.name
        try:
            nb = nbformat.read(graded if graded.is_file() else path, as_version=4)
        except Exception:
            continue  # unreadable: `grader autograde` already recorded why
        findings.extend(scan_notebook(nb, lesson, student))
    return findings


def main(course: str | None, lessons: list[str], as_json: bool) -> int:
    findings = report(Path(course or ".").resolve(), lessons or None)
    if as_json:
        print(json.dumps([asdict(f) for f in findings], indent=1, ensure_ascii=False))
        return 0
    if not findings:
        print("No learner code that could fool a check was found.")
        return 0
    print(f"{len(findings)} line(s) to review:")
    for f in findings:
        print(f"{f.lesson}  {f.student}  {f.cell} line {f.line}: {f.reason}\n    {f.code}")
    return 0
