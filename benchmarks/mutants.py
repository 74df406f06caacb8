"""Mutation testing of the lessons' check cells.

    python benchmarks/mutants.py                      # every mutant of every lesson
    python benchmarks/mutants.py --lesson 04-chain-rule --exercise sigmoid
    python benchmarks/mutants.py --survivors          # also print each survivor
    python benchmarks/mutants.py --sample 5 --seed 2026  # the sample CI grades (tests/test_mutants.py)
    python benchmarks/mutants.py --jobs 2             # lessons in 2 processes
    python benchmarks/mutants.py --readme             # rewrite the table in benchmarks/README.md

For every exercise, the reference answer in solutions/ is parsed and mutated
systematically, one small change per mutant (the operators are listed under
`MUTATIONS` below): an argument replaced by a constant (the function ignores it), an
off-by-one in a range or a slice, int and round swapped, a factor, a division or a term
removed, an operator or a comparison changed, a sign flipped, an axis changed, a
transpose dropped, a statement deleted, the input changed in place, an integer dtype
returned. Each mutant is graded with the exercise's own check cell, as a learner's
answer would be: first the visible checks alone (what the learner sees in JupyterLab),
then the whole cell with the hidden checks (what the grader gives).

Grading is fast because it happens in this process, not through nbgrader: for each
lesson the setup cell, the read-only given cells and the reference answers run once
into a namespace; for each mutant, a copy of that namespace gets the mutant's function,
and the check cell's source runs there with `course.checks` calling the function
through a `LocalCaller` that looks in that namespace (the same plain-data round trip
and comparison code the grader uses; `course.checks.judged_by`). A mutant is *killed*
when the check cell raises (a `CheckFailed`, an error, or running past `TIME_LIMIT`
seconds); it *survives* when the cell runs to the end with every check passed.

A surviving mutant is either a gap in the checks or *equivalent*: it behaves like the
reference on every valid input. The equivalent ones are listed in `EQUIVALENT` below,
each with the reason; a listed mutant that gets killed is reported as a stale entry.
The target is no survivor outside that list (`tests/test_mutants.py` checks a seeded
sample of every exercise's mutants in CI; this script runs all of them).

"Visible ✔ hidden ✘" counts the mutants that pass every visible check and still fail
the hidden ones: a learner who sees ✔ everywhere and loses the points. Its share is
taken over the non-equivalent mutants.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import inspect
import io
import os
import random
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
import numpy as np  # noqa: E402

from course import checks  # noqa: E402
from grader import settings  # noqa: E402
from grader.feedback import without_hidden_tests  # noqa: E402
from grader.notebooks import lesson_ids, nbgrader_meta  # noqa: E402

TIME_LIMIT = 5.0  # seconds a mutant's check cell may run (an endless loop is killed)
README_BEGIN = "<!-- mutants: begin -->"
README_END = "<!-- mutants: end -->"


# --- the lessons ---------------------------------------------------------------------
@dataclass
class Exercise:
    lesson: str
    name: str
    source: str          # the reference exercise cell (a `def name(...)`)
    check: str           # its check cell, hidden tests included
    visible: str         # the check cell as the learner sees it

    @property
    def function(self) -> ast.FunctionDef:
        return next(node for node in ast.parse(self.source).body
                    if isinstance(node, ast.FunctionDef) and node.name == self.name)


@dataclass
class Lesson:
    name: str
    preamble: list[str]  # the setup cell and the read-only given cells, in order
    exercises: dict[str, Exercise]


def load(lesson: str) -> Lesson:
    nb = nbformat.read(REPO / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    preamble, solutions, check_cells = [], {}, {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if cell.cell_type != "code" or not grade_id:
            continue
        if meta.get("solution"):
            solutions[grade_id] = cell.source
        elif meta.get("grade"):
            check_cells[grade_id] = cell.source
        elif meta.get("locked"):
            preamble.append(cell.source)
    exercises = {name: Exercise(lesson, name, src, check_cells[settings.check_id(name)],
                                without_hidden_tests(check_cells[settings.check_id(name)]))
                 for name, src in solutions.items()}
    return Lesson(lesson, preamble, exercises)


# --- grading in this process ---------------------------------------------------------
class MutantTimeout(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in a check or in
    the learner-call wrapper can swallow it."""


class NamespaceCaller(checks.LocalCaller):
    """Self-study calls (`course.checks.LocalCaller`) looking in our namespace, whatever
    IPython shell may exist in this process; records every call it makes."""

    def __init__(self, namespace: dict, record: list | None = None):
        super().__init__()
        self.namespace = namespace
        self.record = record
        self.exercises: list = []  # the Exercise objects the cell opened (as the judge does)

    def _namespace(self) -> dict:
        return self.namespace

    def call(self, name, args, kwargs, stand_ins, want_warnings=False):
        if self.record is not None:
            function = self.namespace.get(name)
            try:
                bound = inspect.signature(function).bind(*args, **kwargs)
                bound.apply_defaults()
                arguments = dict(bound.arguments)
            except (TypeError, ValueError):
                arguments = {}
            outcome = super().call(name, args, kwargs, stand_ins, want_warnings)
            self.record.append((name, arguments, outcome.get("result")))
            return outcome
        return super().call(name, args, kwargs, stand_ins, want_warnings)


def _on_alarm(signum, frame):
    raise MutantTimeout()


@contextlib.contextmanager
def time_limit(seconds: float):
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _spoil(value) -> None:
    """What the "input changed in place" mutants do to an argument before they return:
    overwrite every number in it (arrays, and arrays inside dicts, lists and tuples)."""
    if isinstance(value, np.ndarray):
        if value.flags.writeable and value.dtype.kind in "fiu" and value.size:
            value[...] = value + 1
    elif isinstance(value, dict):
        for item in value.values():
            _spoil(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _spoil(item)


def _as_int(value):
    """What `return ...` becomes in the "integer dtype" mutants."""
    if isinstance(value, np.ndarray):
        return value.astype(np.int64)
    if isinstance(value, float | np.floating):
        return int(value)
    if isinstance(value, tuple | list):
        return type(value)(_as_int(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_int(v) for k, v in value.items()}
    return value


class Grader:
    """One lesson's namespace, built once; grades any version of any of its exercises."""

    def __init__(self, lesson: str | Lesson):
        self.lesson = load(lesson) if isinstance(lesson, str) else lesson
        self.cells = [compile(source, "<given>", "exec") for source in self.lesson.preamble]
        self.cells += [compile(ex.source, f"<{ex.name}>", "exec")
                       for ex in self.lesson.exercises.values()]
        self.namespace()  # fails here if a cell does not run

    def namespace(self, functions: dict[str, str | Callable] | None = None,
                  exercises: bool = True) -> dict:
        """A fresh namespace: the given cells and (unless `exercises` is False) the
        reference answers, run anew (so every function's globals are this namespace and
        stand-ins reach them), with `functions` (source or function) in place of some of
        the references."""
        namespace: dict = {"__name__": "__main__", "_mutant_as_int": _as_int,
                           "_mutant_spoil": _spoil}
        with _quiet_output():
            for code in self.cells if exercises else self.cells[:len(self.lesson.preamble)]:
                exec(code, namespace)
        for name, function in (functions or {}).items():
            if callable(function):
                namespace[name] = function
            else:
                with _no_warnings():  # a mutant such as `None(...)` warns as it compiles
                    code = compile(function, f"<{name}>", "exec")
                exec(code, namespace)
        return namespace

    def run_check(self, exercise: str, functions: dict | None = None, hidden: bool = True,
                  record: list | None = None, limit: float = TIME_LIMIT) -> str | None:
        """Run the check cell of `exercise` against the functions given (the references
        otherwise); None if it passed, else why not.

        hidden=True is grading: the whole cell runs in a namespace of its own (the
        judge's: the given cells only), calling the functions in the learner's. hidden=False
        is self-study: the visible checks run in the learner's namespace itself, where
        the cell's own variables and the learner's functions meet (a function that reads
        a global the check cell happens to define passes there, and only there).
        """
        source = self.lesson.exercises[exercise]
        cell = source.check if hidden else source.visible
        try:
            learner = self.namespace(functions)
        except Exception as error:  # a mutant that does not even compile or define
            return f"definition failed: {type(error).__name__}: {error}"
        where = self.namespace(exercises=False) if hidden else learner
        caller = NamespaceCaller(learner, record)
        try:
            with _quiet_output(), checks.judged_by(caller), time_limit(limit):
                exec(compile(cell, f"<{settings.check_id(exercise)}>", "exec"), where)
        except MutantTimeout:
            return f"ran longer than {limit:g} s"
        except checks.CheckFailed as failure:
            return str(failure)
        except BaseException as error:  # noqa: B036 - any crash of the cell kills the mutant
            if isinstance(error, KeyboardInterrupt):
                raise
            return f"the check crashed: {type(error).__name__}: {error}"[:300]
        if not caller.exercises or not all(ex.finished for ex in caller.exercises):
            return "no check ran to the end"
        return None


@contextlib.contextmanager
def _quiet_output():
    with (contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()),
          np.errstate(all="ignore"), _no_warnings()):
        yield


@contextlib.contextmanager
def _no_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# --- the mutants ---------------------------------------------------------------------
@dataclass(frozen=True)
class Mutant:
    lesson: str
    exercise: str
    description: str     # e.g. "line 1: operand dropped: `2 * h` → `h`" (line 1: the first
    #                      line of the answer, after the docstring)
    source: str          # the mutated exercise cell

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.lesson, self.exercise, self.description)


@dataclass
class Arguments:
    """What the checks pass to an exercise: per parameter, the plain values seen."""

    values: dict[str, list] = field(default_factory=dict)
    arrays: set[str] = field(default_factory=set)      # parameters that received arrays
    returns_floats: bool = False

    def add(self, arguments: dict, result) -> None:
        for name, value in arguments.items():
            if isinstance(value, np.ndarray) or (isinstance(value, dict | list | tuple)
                                                 and _holds_arrays(value)):
                self.arrays.add(name)
            elif value is None or isinstance(value, bool | int | float | str | np.generic):
                seen = self.values.setdefault(name, [])
                if not any(_same(value, v) for v in seen):
                    seen.append(value)
        self.returns_floats = self.returns_floats or _holds_floats(result)


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _holds_arrays(value) -> bool:
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, dict):
        return any(_holds_arrays(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_arrays(v) for v in value)
    return False


def _holds_floats(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f"
    if isinstance(value, float | np.floating):
        return True
    if isinstance(value, tuple | list):
        return any(_holds_floats(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_floats(v) for v in value.values())
    return False


def observed_arguments(grader: Grader, exercise: str) -> Arguments:
    """Run the reference through its check cell and note the arguments it gets."""
    record: list = []
    problem = grader.run_check(exercise, record=record)
    if problem:
        raise RuntimeError(f"the reference of {exercise} fails its own check: {problem}")
    seen = Arguments()
    for name, arguments, result in record:
        if name == exercise:
            seen.add(arguments, result)
    return seen


SWAPPED_CALLS = {
    "np.sum": ["np.mean"], "np.mean": ["np.sum"], "np.max": ["np.min"], "np.min": ["np.max"],
    "np.maximum": ["np.minimum"], "np.minimum": ["np.maximum"], "np.argmin": ["np.argmax"],
    "np.argmax": ["np.argmin"], "max": ["min"], "min": ["max"], "np.floor": ["np.ceil"],
    "np.ceil": ["np.floor"], "int": ["round"], "round": ["int"], "np.round": ["np.floor"],
    "np.log": ["np.log10"], "np.log10": ["np.log"], "np.zeros": ["np.ones"],
    "np.ones": ["np.zeros"], "np.column_stack": ["np.vstack"], "np.vstack": ["np.hstack"],
}
SWAPPED_METHODS = {"sum": ["mean"], "mean": ["sum"], "max": ["min"], "min": ["max"]}
DROPPED_CALLS = {"np.abs", "np.sqrt", "float", "int", "round", "np.round", "np.array",
                 "np.asarray", "np.clip", "list", "tuple", "np.float64", "abs"}
ARRAY_MAKERS = {"np.zeros", "np.ones", "np.empty", "np.full", "np.array", "np.asarray",
                "np.arange", "np.zeros_like"}
UFUNCS = {"np.maximum", "np.minimum", "np.clip", "np.exp", "np.abs", "np.add", "np.subtract",
          "np.multiply", "np.divide", "np.negative", "np.tanh", "np.log", "np.square",
          "np.sqrt"}
BINOP_SWAPS = {ast.Add: [ast.Sub], ast.Sub: [ast.Add], ast.Mult: [ast.Div], ast.Div: [ast.Mult, ast.FloorDiv],
               ast.FloorDiv: [ast.Div], ast.Pow: [ast.Mult], ast.MatMult: [ast.Mult]}
NOT_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Pow, ast.MatMult)
COMPARE_SWAPS = {ast.Gt: [ast.GtE, ast.Lt], ast.GtE: [ast.Gt, ast.LtE], ast.Lt: [ast.LtE, ast.Gt],
                 ast.LtE: [ast.Lt, ast.GtE], ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq],
                 ast.Is: [ast.IsNot], ast.IsNot: [ast.Is], ast.In: [ast.NotIn], ast.NotIn: [ast.In]}

# The operators, for the record (each is one branch of `_node_mutations` or `mutants`).
MUTATIONS = [
    "argument → constant: every use of a parameter replaced by one value the checks pass "
    "for it, or its default (the function ignores that argument)",
    "integer constant ± 1 (off by one in ranges, slices, indices, powers, factors)",
    "float constant × 10, ÷ 10, or 0 → 1",
    "string constant → another string of the function (\"relu\" → \"sigmoid\")",
    "range / np.arange bound ± 1; slice bound ± 1",
    "binary operator swapped (+ −, * /, / //, ** *, @ *)",
    "operand dropped: `a * b` → `a` or `b` (a factor, a division, a term removed)",
    "operands swapped in −, /, //, **, @",
    "unary minus removed (sign flip); `-E` returned instead of `E`",
    "comparison changed (> ≥ <, ==, is, in) and `and`/`or` swapped",
    "function swapped: sum/mean, max/min, maximum/minimum, argmin/argmax, floor/ceil, "
    "int/round, log/log10, zeros/ones, column_stack/vstack",
    "wrapper dropped: abs, sqrt, float, int, round, np.array, np.clip, ...",
    "keyword dropped or changed: axis (0 ↔ 1, −1, none), keepdims, dtype, start, ...",
    "positional arguments of a call swapped",
    "transpose dropped (`.T`); index reordered or shortened (`x[..., 0]` → `x[0]`)",
    "statement deleted (an assignment, a call, a loop, an if)",
    "input changed in place: `x = x - e` → `x -= e` on an argument, `out=` an argument, "
    "or the right result returned with every number of an array argument overwritten",
    "integer dtype: arrays made with dtype=int, or the result cast to int",
    "tuple result: elements swapped, last one dropped",
]


def _walk(tree: ast.AST) -> list[tuple[ast.AST, ast.AST | None, str | None, int | None]]:
    """Every node with its slot in its parent, in a fixed pre-order."""
    out = []

    def visit(node, parent, name, index):
        out.append((node, parent, name, index))
        for child_name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        visit(item, node, child_name, i)
            elif isinstance(value, ast.AST):
                visit(value, node, child_name, None)

    visit(tree, None, None, None)
    return out


def _put(parent: ast.AST, name: str, index: int | None, node: ast.AST) -> None:
    if index is None:
        setattr(parent, name, node)
    else:
        getattr(parent, name)[index] = node


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _call(name: str, args: list, keywords: list | None = None) -> ast.Call:
    return ast.Call(func=ast.parse(name, mode="eval").body, args=args, keywords=keywords or [])


def _c(node):
    return copy.deepcopy(node)


def _plus(node: ast.expr, k: int) -> ast.expr:
    return ast.BinOp(left=_c(node), op=ast.Add() if k > 0 else ast.Sub(), right=ast.Constant(abs(k)))


def _node_mutations(node: ast.AST, parent: ast.AST | None, info: dict) -> Iterator[tuple[str, ast.AST]]:
    """(kind, replacement) for one node of the function body."""
    if isinstance(node, ast.Constant) and not isinstance(parent, ast.JoinedStr | ast.FormattedValue):
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            return
        if isinstance(value, int):
            yield "constant", ast.Constant(value + 1)
            yield "constant", ast.Constant(value - 1)
        elif isinstance(value, float):
            if value == 0:
                yield "constant", ast.Constant(1.0)
            else:
                yield "constant", ast.Constant(value * 10)
                yield "constant", ast.Constant(value / 10)
        elif isinstance(value, str):
            for other in sorted(info["strings"] - {value}) or [""]:
                yield "string", ast.Constant(other)
    elif isinstance(node, ast.BinOp):
        for op in BINOP_SWAPS.get(type(node.op), []):
            yield "operator", ast.BinOp(left=_c(node.left), op=op(), right=_c(node.right))
        yield "operand dropped", _c(node.left)
        yield "operand dropped", _c(node.right)
        if isinstance(node.op, NOT_COMMUTATIVE):
            yield "operands swapped", ast.BinOp(left=_c(node.right), op=_c(node.op), right=_c(node.left))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
        yield "sign" if isinstance(node.op, ast.USub) else "negation", _c(node.operand)
    elif isinstance(node, ast.Compare) and len(node.ops) == 1:
        for op in COMPARE_SWAPS.get(type(node.ops[0]), []):
            yield "comparison", ast.Compare(left=_c(node.left), ops=[op()], comparators=_c(node.comparators))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "boolean", ast.BoolOp(op=other, values=_c(node.values))
    elif isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        yield "transpose dropped", _c(node.value)
    elif isinstance(node, ast.Subscript):
        yield from _subscript_mutations(node)
    elif isinstance(node, ast.Slice):
        for bound in ("lower", "upper"):
            value = getattr(node, bound)
            if value is not None and not isinstance(value, ast.Constant | ast.UnaryOp):
                for k in (1, -1):
                    new = _c(node)
                    setattr(new, bound, _plus(value, k))
                    yield "slice bound", new
    elif isinstance(node, ast.Call):
        yield from _call_mutations(node, info)
    elif isinstance(node, ast.Return) and node.value is not None:
        yield from _return_mutations(node, info)
    elif isinstance(node, ast.Assign | ast.AugAssign | ast.Expr | ast.For | ast.If | ast.While):
        yield "statement deleted", ast.Pass()
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.BinOp)
                and isinstance(node.value.left, ast.Name)
                and node.value.left.id == node.targets[0].id
                and node.targets[0].id in info["inputs"]):
            yield "in place", ast.AugAssign(target=_c(node.targets[0]), op=_c(node.value.op),
                                            value=_c(node.value.right))


def _subscript_mutations(node: ast.Subscript) -> Iterator[tuple[str, ast.AST]]:
    index = node.slice
    if isinstance(index, ast.Tuple) and len(index.elts) >= 2:
        for i, element in enumerate(index.elts):
            rest = [_c(e) for j, e in enumerate(index.elts) if j != i]
            if isinstance(element, ast.Constant) and element.value is Ellipsis or isinstance(element, ast.Slice):
                new_index = rest[0] if len(rest) == 1 else ast.Tuple(elts=rest, ctx=ast.Load())
                yield "index", ast.Subscript(value=_c(node.value), slice=new_index, ctx=_c(node.ctx))
        if len(index.elts) == 2:
            swapped = ast.Tuple(elts=[_c(index.elts[1]), _c(index.elts[0])], ctx=ast.Load())
            yield "axis", ast.Subscript(value=_c(node.value), slice=swapped, ctx=_c(node.ctx))


def _call_mutations(node: ast.Call, info: dict) -> Iterator[tuple[str, ast.AST]]:
    name = _dotted(node.func)
    for other in SWAPPED_CALLS.get(name, []):
        yield "function", ast.Call(func=ast.parse(other, mode="eval").body, args=_c(node.args),
                                   keywords=_c(node.keywords))
    if isinstance(node.func, ast.Attribute) and not name.startswith("np."):
        for other in SWAPPED_METHODS.get(node.func.attr, []):
            new = _c(node)
            new.func.attr = other
            yield "function", new
    if name in DROPPED_CALLS and node.args:
        yield "call dropped", _c(node.args[0])
    if name in ("range", "np.arange"):
        for i, arg in enumerate(node.args):
            if not isinstance(arg, ast.Constant):
                for k in (1, -1):
                    new = _c(node)
                    new.args[i] = _plus(arg, k)
                    yield "range bound", new
    for i, keyword in enumerate(node.keywords):
        if keyword.arg is None:
            continue
        new = _c(node)
        del new.keywords[i]
        yield "keyword dropped", new
        if keyword.arg == "axis" and isinstance(keyword.value, ast.Constant):
            for axis in (0, 1, -1):
                if axis != keyword.value.value:
                    new = _c(node)
                    new.keywords[i].value = ast.Constant(axis)
                    yield "axis", new
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    if len(positional) == len(node.args):
        for i in range(len(node.args) - 1):
            if ast.unparse(node.args[i]) != ast.unparse(node.args[i + 1]):
                new = _c(node)
                new.args[i], new.args[i + 1] = new.args[i + 1], new.args[i]
                yield "arguments swapped", new
    if name in ARRAY_MAKERS and not any(k.arg == "dtype" for k in node.keywords):
        new = _c(node)
        new.keywords.append(ast.keyword(arg="dtype", value=ast.Name(id="int", ctx=ast.Load())))
        yield "integer dtype", new
    if (name in UFUNCS and node.args and isinstance(node.args[0], ast.Name)
            and node.args[0].id in info["inputs"] and not any(k.arg == "out" for k in node.keywords)):
        new = _c(node)
        new.keywords.append(ast.keyword(arg="out", value=ast.Name(id=node.args[0].id, ctx=ast.Load())))
        yield "in place", new


def _return_mutations(node: ast.Return, info: dict) -> Iterator[tuple[str, ast.AST]]:
    value = node.value
    if info["returns_floats"]:
        yield "integer dtype", ast.Return(value=_call("_mutant_as_int", [_c(value)]))
    if isinstance(value, ast.Tuple):
        for i in range(len(value.elts) - 1):
            elts = [_c(e) for e in value.elts]
            elts[i], elts[i + 1] = elts[i + 1], elts[i]
            yield "tuple order", ast.Return(value=ast.Tuple(elts=elts, ctx=ast.Load()))
        yield "tuple shortened", ast.Return(value=ast.Tuple(elts=[_c(e) for e in value.elts[:-1]],
                                                             ctx=ast.Load()))
        for i, element in enumerate(value.elts):
            elts = [_c(e) for e in value.elts]
            elts[i] = ast.UnaryOp(op=ast.USub(), operand=elts[i])
            if not isinstance(element, ast.Constant | ast.Dict | ast.List):
                yield "sign", ast.Return(value=ast.Tuple(elts=elts, ctx=ast.Load()))
    elif info["returns_floats"] and not isinstance(value, ast.Dict | ast.DictComp | ast.List | ast.ListComp):
        yield "sign", ast.Return(value=ast.UnaryOp(op=ast.USub(), operand=_c(value)))


def _inputs(function: ast.FunctionDef, arrays: set[str]) -> set[str]:
    """The parameters that received arrays or dicts, and the names that alias their data
    (`value = params[key]`, `for key, value in params.items()`, `x = x0`)."""
    names = {a.arg for a in function.args.args} & arrays | {
        a.arg for a in function.args.args if a.arg in ("params", "grads", "cache", "caches")}
    for _ in range(3):
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                source = node.value.value if isinstance(node.value, ast.Subscript) else node.value
                if isinstance(source, ast.Name) and source.id in names:
                    names |= {t.id for t in ast.walk(node.targets[0]) if isinstance(t, ast.Name)}
            if isinstance(node, ast.For) and isinstance(node.iter, ast.Call):
                inner = node.iter.func.value if isinstance(node.iter.func, ast.Attribute) else None
                if isinstance(inner, ast.Name) and inner.id in names:
                    names |= {t.id for t in ast.walk(node.target) if isinstance(t, ast.Name)}
    return names


def mutants(exercise: Exercise, seen: Arguments) -> list[Mutant]:
    """Every mutant of the exercise's reference answer, without duplicates."""
    module = ast.parse(exercise.source)
    position = next(i for i, node in enumerate(module.body)
                    if isinstance(node, ast.FunctionDef) and node.name == exercise.name)
    function = module.body[position]
    reference = ast.unparse(module)
    body = function.body[1:] if (function.body and isinstance(function.body[0], ast.Expr)
                                 and isinstance(function.body[0].value, ast.Constant)) else function.body
    first_line = body[0].lineno  # "line 1" is the answer's first line, after the docstring
    info = {"strings": {n.value for stmt in body for n in ast.walk(stmt)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)},
            "inputs": _inputs(function, seen.arrays), "returns_floats": seen.returns_floats}
    made: dict[str, Mutant] = {}
    descriptions: set[str] = set()

    def add(kind: str, line: int, before: str, after: str, tree: ast.Module) -> None:
        source = ast.unparse(ast.fix_missing_locations(tree))
        if source == reference or source in made:
            return
        description = f"line {line}: {kind}: `{_short(before)}` → `{_short(after)}`"
        base, n = description, 2
        while description in descriptions:
            description, n = f"{base} #{n}", n + 1
        descriptions.add(description)
        made[source] = Mutant(exercise.lesson, exercise.name, description, source)

    # argument → constant, for every use of the parameter at once
    defaults = dict(zip([a.arg for a in function.args.args][::-1],
                        [ast.literal_eval(d) for d in function.args.defaults][::-1], strict=False))
    for parameter in [a.arg for a in function.args.args]:
        candidates = list(seen.values.get(parameter, []))
        if parameter in defaults and not any(_same(defaults[parameter], v) for v in candidates):
            candidates.append(defaults[parameter])
        if parameter in seen.arrays and None not in candidates and parameter not in defaults:
            continue
        for value in candidates:
            constant = value.item() if isinstance(value, np.generic) else value
            tree = copy.deepcopy(module)
            uses = [n for n in ast.walk(tree.body[position]) if isinstance(n, ast.Name)
                    and n.id == parameter and isinstance(n.ctx, ast.Load)]
            if not uses:
                continue
            for node, parent, name, index in _walk(tree.body[position]):
                if node in uses:
                    _put(parent, name, index, ast.Constant(constant))
            add("argument ignored", uses[0].lineno - first_line + 1, parameter, repr(constant), tree)

    # the input changed in place: right answer, but an argument overwritten on the way out
    for parameter in [a.arg for a in function.args.args if a.arg in seen.arrays]:
        tree = copy.deepcopy(module)
        returns = [n for n in ast.walk(tree.body[position]) if isinstance(n, ast.Return)]
        start = len(tree.body[position].body) - len(body)  # after the docstring
        tree.body[position].body.insert(start, ast.Assign(
            targets=[ast.Name(id="_mutant_argument", ctx=ast.Store())],
            value=ast.Name(id=parameter, ctx=ast.Load())))
        for node, parent, name, index in _walk(tree.body[position]):
            if node in returns and isinstance(index, int):
                body_list = getattr(parent, name)
                spoil = ast.Expr(_call("_mutant_spoil", [ast.Name(id="_mutant_argument",
                                                                   ctx=ast.Load())]))
                result = ast.Assign(targets=[ast.Name(id="_mutant_result", ctx=ast.Store())],
                                    value=node.value or ast.Constant(None))
                body_list[index:index + 1] = [result, spoil,
                                              ast.Return(value=ast.Name(id="_mutant_result",
                                                                        ctx=ast.Load()))]
        add("input changed", returns[0].lineno - first_line + 1 if returns else 1,
            parameter, f"{parameter} overwritten before return", tree)

    original = _walk(function)
    in_body = {id(n) for stmt in body for n in ast.walk(stmt)}
    for i, (node, parent, _name, _index) in enumerate(original):
        if id(node) not in in_body:
            continue
        for kind, replacement in _node_mutations(node, parent, info):
            tree = copy.deepcopy(module)
            _target, tparent, tname, tindex = _walk(tree.body[position])[i]
            _put(tparent, tname, tindex, replacement)
            line = getattr(node, "lineno", first_line) - first_line + 1
            before = ast.unparse(node).splitlines()[0]
            after = ast.unparse(replacement).splitlines()[0]
            add(kind, line, before, after, tree)
    return list(made.values())


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


# --- equivalent mutants ------------------------------------------------------------
# (lesson, exercise, description) → why the mutant behaves like the reference on every
# valid input (the docstring's argument ranges). Keep the reason checkable.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ('01-derivative', 'polynomial_derivative',
     'line 1: integer dtype: `np.arange(1, len(coeffs))` → `np.arange(1, len(coeffs), dtype=int)`'):
        'np.arange of two Python ints is already an integer array (int64): same powers, '
        'same products',
    ('02-gradient-descent', 'classify_stationary_point',
     'line 2: comparison: `curvature > 0.001` → `curvature >= 0.001`'):
        "differs only where the estimate is exactly 1e-3 or -1e-3, which the docstring "
        "leaves open ('may go either way': the lesson's text counts |f''| < 1e-3 as zero, "
        "the exercise's rule |f''| <= 1e-3), so not a valid input",
    ('02-gradient-descent', 'classify_stationary_point',
     'line 4: comparison: `curvature < -0.001` → `curvature <= -0.001`'):
        "differs only where the estimate is exactly 1e-3 or -1e-3, which the docstring "
        "leaves open ('may go either way': the lesson's text counts |f''| < 1e-3 as zero, "
        "the exercise's rule |f''| <= 1e-3), so not a valid input",
    ('02-gradient-descent', 'gradient_descent',
     'line 1: function: `np.zeros(steps + 1)` → `np.ones(steps + 1)`'):
        'every element of path is assigned (path[0] = x0, then path[k + 1] for k < steps) '
        'before it is read or returned, so its initial value never shows',
    ('03-partial-derivatives', 'gradient_descent_nd',
     'line 1: function: `np.zeros((steps + 1, len(x0)))` → `np.ones((steps + 1, len(x0)))`'):
        'every row of path is assigned (path[0] = x0, then path[k + 1] for k < steps) '
        'before it is read or returned',
    ('03-partial-derivatives', 'fit_farm',
     'line 4: integer dtype: `np.zeros(3)` → `np.zeros(3, dtype=int)`'):
        'the first update w = w - (float array) makes a new float array; with steps = 0, '
        'w / std is float zeros either way',
    ('04-chain-rule', 'sigmoid',
     'line 2: comparison: `z >= 0` → `z > 0`'):
        'the two branches differ only in which one serves z = 0, where both are 1 / (1 + '
        '1) = 1 / 2 (e = exp(-|0|) = 1)',
    ('04-chain-rule', 'relu',
     'line 1: arguments swapped: `np.maximum(z, 0)` → `np.maximum(0, z)`'):
        'np.maximum is symmetric in its two arguments (same values, same dtype; at z = '
        '-0.0 the results -0.0 and 0.0 are equal numbers)',
    ('04-chain-rule', 'relu_derivative',
     'line 1: integer dtype: `return np.where(z > 0, 1.0, 0.0)` → `return _mutant_as_int(np.where(z > 0, 1.0, 0.0))`'):
        'the values are 0 and 1, exact in an integer array: the same numbers, and every '
        "use of the slope (dA * g'(Z)) promotes them to float",
    ('04-chain-rule', 'relu_derivative',
     'line 1: arguments swapped: `np.where(z > 0, 1.0, 0.0)` → `np.where(1.0, z > 0, 0.0)`'):
        'the condition 1.0 is always true, so the result is z > 0 cast to the common type '
        'of bool and 0.0, float64: 1.0 where z > 0, else 0.0, as the reference',
    ('04-chain-rule', 'leaky_relu',
     'line 1: comparison: `z > 0` → `z >= 0`'):
        'the branches differ only at z = 0, where z and slope * z are both 0',
    ('04-chain-rule', 'matrix_product',
     'line 2: function: `np.zeros((a, c))` → `np.ones((a, c))`'):
        'the loops assign every entry C[i, j] of the (a, c) array, so its starting values '
        'never reach the result',
    ('04-chain-rule', 'matrix_product',
     'line 5: index: `A[i, :]` → `A[i]`'):
        'for a 2-D array A[i] is row i, the same as A[i, :] (the docstring asks for 2-D A)',
    ('05-one-neuron', 'mean_squared_error',
     'line 2: call dropped: `float(np.sum((Y - A) ** 2) / (2 * m))` → `np.sum((Y - A) ** 2) / (2 * m)`'):
        'without float(...) the result is a NumPy scalar of the same value: np.float64 is '
        "a subclass of Python's float, and a float32 input's np.float32 converts to the "
        'same float exactly',
    ('05-one-neuron', 'binary_cross_entropy',
     'line 2: call dropped: `float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))` → `-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))`'):
        'without float(...) the result is a NumPy scalar of the same value: np.float64 is '
        "a subclass of Python's float, and a float32 input's np.float32 converts to the "
        'same float exactly',
    ('05-one-neuron', 'neuron_gradients_batch',
     'line 4: call dropped: `float(np.sum(dZ) / m)` → `np.sum(dZ) / m`'):
        'without float(...) the result is a NumPy scalar of the same value: np.float64 is '
        "a subclass of Python's float, and a float32 input's np.float32 converts to the "
        'same float exactly',
    ('05-one-neuron', 'train_neuron',
     'line 8: call dropped: `float(-np.mean(Y * np.log(A_safe) + (1 - Y) * np.log(1 - A_safe)))` → `-np.mean(Y * np.log(A_safe) + (1 - Y) * np.log(1 - A_safe))`'):
        'without float(...) the result is a NumPy scalar of the same value: np.float64 is '
        "a subclass of Python's float, and a float32 input's np.float32 converts to the "
        'same float exactly',
    ('05-one-neuron', 'train_neuron',
     'line 10: call dropped: `float(np.mean(A - Y))` → `np.mean(A - Y)`'):
        'without float(...) the result is a NumPy scalar of the same value: np.float64 is '
        "a subclass of Python's float, and a float32 input's np.float32 converts to the "
        'same float exactly',
    ('05-one-neuron', 'accuracy',
     'line 2: call dropped: `float(np.mean(predictions == Y))` → `np.mean(predictions == Y)`'):
        'without float(...) the result is a NumPy scalar of the same value: np.float64 is '
        "a subclass of Python's float, and a float32 input's np.float32 converts to the "
        'same float exactly',
    ('05-one-neuron', 'mean_squared_error',
     'line 2: operands swapped: `Y - A` → `A - Y`'):
        '(A - Y)² = (Y - A)² exactly: negation is exact in floating point',
    ('05-one-neuron', 'binary_cross_entropy',
     'line 1: arguments swapped: `np.clip(A, 1e-12, 1 - 1e-12)` → `np.clip(1e-12, A, 1 - 1e-12)`'):
        'np.clip(a, lo, hi) is np.minimum(np.maximum(a, lo), hi), and np.maximum is '
        'symmetric: clip(1e-12, A, hi) = minimum(maximum(1e-12, A), hi), the same values, '
        "shape (broadcast to A's) and dtype",
    ('05-one-neuron', 'train_neuron',
     'line 7: arguments swapped: `np.clip(A, 1e-12, 1 - 1e-12)` → `np.clip(1e-12, A, 1 - 1e-12)`'):
        'np.clip(a, lo, hi) is np.minimum(np.maximum(a, lo), hi), and np.maximum is '
        'symmetric: clip(1e-12, A, hi) = minimum(maximum(1e-12, A), hi), the same values, '
        "shape (broadcast to A's) and dtype",
    ('05-one-neuron', 'train_neuron',
     'line 2: integer dtype: `np.zeros((n_x, 1))` → `np.zeros((n_x, 1), dtype=int)`'):
        'w is zeros either way in the first forward pass (w.T @ X is a float array), and '
        'the first update w = w - learning_rate * dw makes a new float array; steps >= 1',
    ('06-backprop', 'init_params',
     'line 6: integer dtype: `np.zeros((n, 1))` → `np.zeros((n, 1), dtype=int)`'):
        'the biases are zeros either way; 0 is exact in an integer array and every use of '
        'b (W @ A + b, b - learning_rate * db) makes floats',
    ('06-backprop', 'dense_backward',
     'line 5: axis: `dZ.sum(axis=1, keepdims=True)` → `dZ.sum(axis=-1, keepdims=True)`'):
        'dZ is always 2-D, (n, m), so axis -1 is axis 1',
    ('06-backprop', 'backward',
     'line 7: axis: `dZ.sum(axis=1, keepdims=True)` → `dZ.sum(axis=-1, keepdims=True)`'):
        'dZ is always 2-D, (n_l, m), so axis -1 is axis 1',
    ('06-backprop', 'backward',
     'line 8: comparison: `layer > 1` → `layer >= 1`'):
        'at layer 1 the loop runs the hidden-layer rule once more, for a layer 0 that '
        'does not exist: it reads caches[-1] and activations[-1] and computes a dZ that '
        "is never used (the loop ends); the product W1.T @ dZ * g'(Z_L) always "
        'broadcasts, as Z_L has one row (AL is (1, m))',
    ('06-backprop', 'backward',
     'line 8: constant: `1` → `0`'):
        'at layer 1 the loop runs the hidden-layer rule once more, for a layer 0 that '
        'does not exist: it reads caches[-1] and activations[-1] and computes a dZ that '
        "is never used (the loop ends); the product W1.T @ dZ * g'(Z_L) always "
        'broadcasts, as Z_L has one row (AL is (1, m))',
    ('06-backprop', 'relative_error',
     'line 1: operands swapped: `a - b` → `b - a`'):
        '|b - a| = |a - b| exactly',
    ('06-backprop', 'relative_error',
     'line 1: arguments swapped: `np.maximum(np.abs(a) + np.abs(b), 1e-12)` → `np.maximum(1e-12, np.abs(a) + np.abs(b))`'):
        'np.maximum is symmetric in its arguments (same values, shape and dtype)',
    ('06-backprop', 'numerical_gradients',
     'line 3: function: `np.zeros(value.shape)` → `np.ones(value.shape)`'):
        'np.ndindex visits every index of grad, and each entry is assigned before grad is '
        'returned',
    ('07-training', 'train_test_split',
     'line 3: function: `int(round(test_fraction * m))` → `round(round(test_fraction * m))`'):
        'round() of a float already returns a Python int, and round() of an int is that '
        'int',
    ('07-training', 'train_test_split',
     'line 3: call dropped: `int(round(test_fraction * m))` → `round(test_fraction * m)`'):
        'round() of a float already returns a Python int, so int() changes nothing',
    ('07-training', 'min_max_normalise',
     'line 1: boolean: `lo is None or hi is None` → `lo is None and hi is None`'):
        "the docstring's two cases give lo and hi together (arrays) or neither (None), "
        'and for both `or` and `and` agree; one without the other is not a valid call',
    ('07-training', 'min_max_normalise',
     'line 2: axis: `X.min(axis=1, keepdims=True)` → `X.min(axis=-1, keepdims=True)`'):
        'X is always 2-D, (n_x, m), so axis -1 is axis 1',
    ('07-training', 'min_max_normalise',
     'line 3: axis: `X.max(axis=1, keepdims=True)` → `X.max(axis=-1, keepdims=True)`'):
        'X is always 2-D, (n_x, m), so axis -1 is axis 1',
    ('07-training', 'random_search',
     'line 5: call dropped: `float(10 ** rng.uniform(low, high))` → `10 ** rng.uniform(low, high)`'):
        'rng.uniform(low, high) returns a Python float, so 10 ** it is a float already',
    ('07-training', 'random_search',
     'line 6: function: `int(rng.choice(widths))` → `round(rng.choice(widths))`'):
        'round() of an np.int64 is the Python int of the same value, as int() gives',
    ('07-training', 'random_search',
     'line 6: call dropped: `int(rng.choice(widths))` → `rng.choice(widths)`'):
        'the width is an np.int64 instead of an int: the same whole number, equal to it, '
        'usable wherever the int is (range, array shapes, the score function)',
}


# --- running ---------------------------------------------------------------------------
@dataclass
class Verdict:
    mutant: Mutant
    visible: str | None   # why the visible checks fail it (None: they pass)
    hidden: str | None    # why the whole cell fails it (None: it passes: a survivor)
    seconds: float

    @property
    def killed(self) -> bool:
        return self.hidden is not None

    @property
    def equivalent(self) -> bool:
        return self.mutant.key in EQUIVALENT

    @property
    def only_hidden(self) -> bool:
        """Passes every visible check, fails a hidden one."""
        return self.visible is None and self.hidden is not None


def grade(grader: Grader, mutant: Mutant) -> Verdict:
    start = time.perf_counter()
    hidden = grader.run_check(mutant.exercise, {mutant.exercise: mutant.source})
    visible = grader.run_check(mutant.exercise, {mutant.exercise: mutant.source}, hidden=False)
    return Verdict(mutant, visible, hidden, time.perf_counter() - start)


def lesson_mutants(grader: Grader, exercise: str | None = None) -> list[Mutant]:
    made = []
    for name, ex in grader.lesson.exercises.items():
        if exercise is None or name == exercise:
            made += mutants(ex, observed_arguments(grader, name))
    return made


def sample(made: list[Mutant], per_exercise: int, seed: int) -> list[Mutant]:
    """A seeded sample of `per_exercise` mutants of every exercise."""
    rng = random.Random(seed)
    chosen = []
    for name in dict.fromkeys(m.exercise for m in made):
        ones = [m for m in made if m.exercise == name]
        chosen += rng.sample(ones, min(per_exercise, len(ones)))
    return chosen


def run_lesson(lesson: str, exercise: str | None = None, per_exercise: int | None = None,
               seed: int = 0) -> list[Verdict]:
    grader = Grader(lesson)
    made = lesson_mutants(grader, exercise)
    if per_exercise is not None:
        made = sample(made, per_exercise, seed)
    return [grade(grader, m) for m in made]


def _run_lesson_args(args):
    return run_lesson(*args)


# --- the report ----------------------------------------------------------------------
def table(verdicts: list[Verdict], by: str) -> list[str]:
    """A Markdown table: made, killed, equivalent, survived, visible ✔ hidden ✘."""
    groups: dict[str, list[Verdict]] = {}
    for v in verdicts:
        key = v.mutant.lesson if by == "lesson" else f"{v.mutant.lesson[:2]} {v.mutant.exercise}"
        groups.setdefault(key, []).append(v)
    head = "lesson" if by == "lesson" else "exercise"
    lines = [f"| {head} | mutants | killed | equivalent | survived | visible ✔ hidden ✘ |",
             "|---|---:|---:|---:|---:|---:|"]
    total = []
    for key, group in groups.items():
        lines.append(_row(key, group))
        total += group
    lines.append(_row("**all**", total))
    return lines


def _row(key: str, group: list[Verdict]) -> str:
    made = len(group)
    equivalent = sum(v.equivalent and not v.killed for v in group)
    killed = sum(v.killed for v in group)
    survived = made - killed - equivalent
    only_hidden = sum(v.only_hidden for v in group)
    real = made - equivalent
    share = f"{only_hidden} ({100 * only_hidden / real:.1f} %)" if real else "0"
    return f"| {key} | {made} | {killed} | {equivalent} | {survived} | {share} |"


def report(verdicts: list[Verdict], show_survivors: bool) -> str:
    lines = ["Per lesson:", "", *table(verdicts, "lesson"), "", "Per exercise:", "",
             *table(verdicts, "exercise")]
    survivors = [v for v in verdicts if not v.killed and not v.equivalent]
    stale = [v for v in verdicts if v.killed and v.equivalent]
    lines += ["", f"Survivors (not listed as equivalent): {len(survivors)}"]
    for v in survivors:
        lines.append(f"  {v.mutant.lesson} {v.mutant.exercise}: {v.mutant.description}")
        if show_survivors:
            lines += ["    " + line for line in _diff(v.mutant)]
    if stale:
        lines += ["", f"Listed as equivalent but killed (stale entries): {len(stale)}"]
        lines += [f"  {v.mutant.lesson} {v.mutant.exercise}: {v.mutant.description}: "
                  f"{v.hidden.splitlines()[0]}" for v in stale]
    only_hidden = [v for v in verdicts if v.only_hidden]
    if show_survivors and only_hidden:
        lines += ["", f"Visible ✔ hidden ✘: {len(only_hidden)}"]
        lines += [f"  {v.mutant.lesson} {v.mutant.exercise}: {v.mutant.description}: "
                  f"{v.hidden.splitlines()[0]}" for v in only_hidden]
    return "\n".join(lines)


def _diff(mutant: Mutant) -> list[str]:
    import difflib

    reference = ast.unparse(ast.parse(load(mutant.lesson).exercises[mutant.exercise].source))
    return [line for line in difflib.unified_diff(reference.splitlines(), mutant.source.splitlines(),
                                                  lineterm="", n=0)][2:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", action="append", help="a lesson id (repeatable)")
    parser.add_argument("--exercise", help="one exercise of the lesson")
    parser.add_argument("--sample", type=int, help="mutants per exercise (seeded sample)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="lessons graded in parallel")
    parser.add_argument("--survivors", action="store_true", help="print every survivor's diff")
    parser.add_argument("--readme", action="store_true",
                        help="write the tables into benchmarks/README.md")
    args = parser.parse_args(argv)
    lessons = args.lesson or lesson_ids(REPO / "solutions")
    start = time.perf_counter()
    jobs = [(lesson, args.exercise, args.sample, args.seed) for lesson in lessons]
    if args.jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(_run_lesson_args, jobs, chunksize=1)
    else:
        results = [_run_lesson_args(job) for job in jobs]
    verdicts = [v for result in results for v in result]
    seconds = time.perf_counter() - start
    text = report(verdicts, args.survivors)
    print(text)
    print(f"\n{len(verdicts)} mutants graded in {seconds:.1f} s "
          f"({1000 * seconds / max(len(verdicts), 1):.0f} ms each, {args.jobs} process(es)).")
    if args.readme:
        write_readme(verdicts, seconds, args.jobs)
    survivors = [v for v in verdicts if not v.killed and not v.equivalent]
    stale = [v for v in verdicts if v.killed and v.equivalent]
    return 1 if survivors or stale else 0


def write_readme(verdicts: list[Verdict], seconds: float, jobs: int) -> None:
    path = REPO / "benchmarks" / "README.md"
    text = path.read_text()
    listed = [f"- {lesson} `{exercise}`: {description} — {reason}"
              for (lesson, exercise, description), reason in EQUIVALENT.items()]
    block = "\n".join([
        README_BEGIN,
        f"Full run, {time.strftime('%Y-%m-%d')}: {len(verdicts)} mutants in {seconds:.0f} s "
        f"({jobs} process(es)).", "",
        *table(verdicts, "lesson"), "", *table(verdicts, "exercise"), "",
        "Equivalent mutants (they behave like the reference on every valid input):", "",
        *listed, README_END])
    if README_BEGIN in text:
        text = re.sub(re.escape(README_BEGIN) + ".*?" + re.escape(README_END), lambda _: block,
                      text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
