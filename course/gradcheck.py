"""The diagnostic gradient check: backprop against central differences, entry by entry.

    from course import gradcheck
    report = gradcheck.compare(loss, params, grads)
    print(report)          # one line per parameter array; the entries that disagree
    report.ok              # True when every entry agrees
    report.disagreeing     # e.g. ["dW1", "db1"]: which arrays are wrong

- `loss(params)` is any function of a dict of NumPy arrays that returns one number (a
  network's cost, written in the check cell or built from the lesson's own code).
- `params` is that dict ({"W1": ..., "b1": ...}); it is copied as float64 and never
  modified.
- `grads` holds the gradients someone computed: for the parameter "W1" the gradient
  is `grads["dW1"]` (or `grads["W1"]`, when the keys carry no "d").

For every entry of every array the check takes the central difference
(loss(p + eps) − loss(p − eps)) / (2 eps) and the relative error
|a − b| / max(|a| + |b|, 1e-12). An entry *disagrees* when its relative error is above
`rtol` AND the gap |a − b| is above `atol` (two gradients of 1e-12 and 3e-12 are both
"zero", not a 50 % error). The report names each array, its largest relative error,
and the first few entries that disagree with both values side by side.

This module differentiates a given loss numerically; it holds no analytic gradient and
no backprop. (Lesson 6's Exercises 7 and 8, `relative_error` and `numerical_gradients`,
ask learners to write the same two formulas; the lesson then shows this module as the
course's diagnostic version of them, so the overlap is deliberate and visible.) Like
course.checks, it calls NumPy through `course.pinned`, so a learner cell that reassigns
`np.abs` cannot change a verdict, and it evaluates the loss with floating-point
warnings silenced (nbgrader scores a check cell 0 when anything reaches stderr).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from course import pinned

TINY = 1e-12
DEFAULT_EPS = 1e-5
DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-8
SHOWN_ENTRIES = 5


@dataclass
class Disagreement:
    """One entry where the computed gradient and the central difference differ."""

    index: tuple
    computed: float
    numerical: float
    relative_error: float


@dataclass
class ArrayCheck:
    """The verdict on one parameter array."""

    name: str                      # the gradient's name, e.g. "dW1"
    shape: tuple
    max_relative_error: float = 0.0
    entries: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    problem: str = ""              # missing, not an array, wrong shape, NaN

    @property
    def ok(self) -> bool:
        return not self.problem and not self.disagreements


@dataclass
class Report:
    """What `compare` found; `print(report)` shows it, `report.ok` is the verdict."""

    arrays: list[ArrayCheck]
    numerical: dict
    eps: float
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.arrays)

    @property
    def disagreeing(self) -> list[str]:
        """The names of the gradient arrays that are wrong, in parameter order."""
        return [a.name for a in self.arrays if not a.ok]

    @property
    def max_relative_error(self) -> float:
        return max((a.max_relative_error for a in self.arrays), default=0.0)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer, cycle):  # IPython shows the report, not a dataclass
        printer.text(self.text())

    def text(self, title: str = "Gradient check") -> str:
        entries = sum(a.entries for a in self.arrays)
        lines = [f"{title}: {len(self.arrays)} parameter arrays, {entries} entries, central "
                 f"differences with eps = {self.eps:g}; an entry disagrees when its relative "
                 f"error is above {self.rtol:g} (and the gap above {self.atol:g})."]
        width = max((len(a.name) for a in self.arrays), default=2)
        for a in self.arrays:
            head = f"  {a.name:<{width}}  shape {str(a.shape):<9}"
            if a.problem:
                lines.append(f"{head} ✘ {a.problem}")
                continue
            verdict = "✔" if a.ok else f"✘ {len(a.disagreements)} of {a.entries} entries disagree"
            lines.append(f"{head} largest relative error {a.max_relative_error:9.2e}  {verdict}")
            if a.disagreements:
                lines.append(f"      {'entry':<10} {'yours':>13} {'central difference':>19} "
                             f"{'relative error':>15}")
                for d in a.disagreements[:SHOWN_ENTRIES]:
                    lines.append(f"      {str(d.index):<10} {d.computed:>13.6g} "
                                 f"{d.numerical:>19.6g} {d.relative_error:>15.2e}")
                if len(a.disagreements) > SHOWN_ENTRIES:
                    lines.append(f"      … and {len(a.disagreements) - SHOWN_ENTRIES} more")
        wrong = self.disagreeing
        if wrong:
            lines.append(f"Verdict: {', '.join(wrong)} disagree{'s' if len(wrong) == 1 else ''} "
                         "with central differences.")
        else:
            lines.append(f"Verdict: every gradient agrees with central differences "
                         f"(largest relative error {self.max_relative_error:.2e}).")
        return "\n".join(lines)


def relative_errors(a, b):
    """|a − b| / max(|a| + |b|, 1e-12), entry by entry (float64 arrays of a's shape)."""
    a = pinned.array(a, dtype=pinned.float64)
    b = pinned.array(b, dtype=pinned.float64)
    with pinned.errstate(all="ignore"):
        return pinned.abs(a - b) / pinned.maximum(pinned.abs(a) + pinned.abs(b), TINY)


def _call(loss: Callable, params: dict) -> float:
    with pinned.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(loss(params))


def central_differences(loss: Callable, params: dict, eps: float = DEFAULT_EPS) -> dict:
    """{"d" + name: array}: the central difference of `loss` for every entry of every array.

    `params` is not modified: the loss sees float64 copies, one entry nudged at a time.
    """
    point = {k: pinned.array(v, dtype=pinned.float64) for k, v in params.items()}
    numerical = {}
    for name, value in point.items():
        grad = pinned.array(value * 0.0, dtype=pinned.float64)
        for index in pinned.ndindex(value.shape):
            kept = value[index]
            value[index] = kept + eps
            plus = _call(loss, point)
            value[index] = kept - eps
            minus = _call(loss, point)
            value[index] = kept
            grad[index] = (plus - minus) / (2 * eps)
        numerical["d" + name] = grad
    return numerical


def _computed(grads, name: str):
    if not isinstance(grads, dict):
        return None, f"the gradients should be a dict, not {type(grads).__name__}"
    for key in ("d" + name, name):
        if key in grads:
            value = grads[key]
            break
    else:
        return None, f"missing: there is no key 'd{name}'"
    if value is None:
        return None, "it is None"
    if not isinstance(value, pinned.ndarray):
        return None, f"it is a {type(value).__name__}, not a NumPy array"
    return value, ""


def compare(loss: Callable, params: dict, grads, *, eps: float = DEFAULT_EPS,
            rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> Report:
    """Check `grads` against central differences of `loss` at `params` (see module doc)."""
    numerical = central_differences(loss, params, eps)
    arrays = []
    for name in params:
        want = numerical["d" + name]
        check = ArrayCheck(name="d" + name, shape=tuple(want.shape), entries=want.size)
        arrays.append(check)
        got, problem = _computed(grads, name)
        if problem:
            check.problem = problem
            continue
        if got.shape != want.shape:
            check.problem = (f"it has shape {got.shape}, but {name} has shape {want.shape}"
                             + (" (transposed?)" if got.shape == want.shape[::-1] else ""))
            continue
        got = pinned.array(got, dtype=pinned.float64)
        if not pinned.isfinite(got).all():
            check.problem = "it holds NaN or infinite values"
            continue
        if not pinned.isfinite(want).all():
            check.problem = ("the loss is not finite near these parameters (NaN or infinite "
                             "central differences), so nothing can be compared")
            continue
        errors = relative_errors(got, want)
        check.max_relative_error = float(errors.max()) if errors.size else 0.0
        with pinned.errstate(all="ignore"):
            gaps = pinned.abs(got - want)
        bad = (errors > rtol) & (gaps > atol)
        for index in pinned.ndindex(want.shape):
            if bad[index]:
                check.disagreements.append(Disagreement(
                    tuple(int(i) for i in index), float(got[index]), float(want[index]),
                    float(errors[index])))
    return Report(arrays, numerical, eps, rtol, atol)
