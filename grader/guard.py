"""Kernel side of the autograder's guard: put NumPy and grader back before each check cell.

`grader.autograde.ResilientExecute` runs, silently (no output, no execution count):

- ``install()`` in the fresh kernel *before any cell of the notebook*: it imports NumPy
  and grader and remembers every attribute of ``numpy``, ``grader``, ``grader.checks``,
  the check classes and the callables of ``builtins``;
- ``restore()`` just before every check cell: any of those attributes a learner cell
  reassigned (``np.allclose = ...``, ``grader.exercise = ...``,
  ``grader.checks.Exercise.check = ...``, ``builtins.isinstance = ...``) is put back, and
  the notebook names ``np``/``numpy``/``grader`` point at the real modules again.

So a learner cell that monkeypatches the judge cannot turn a wrong answer into points.
It is a guard against the obvious, not a sandbox: code that sets out to cheat can still
find a way (it runs in the same process), which is what ``python -m grader integrity``
reports to the instructor. Nothing here ever runs in a learner's own JupyterLab.
"""

from __future__ import annotations

import builtins
import sys

_MODULES = ("numpy", "grader", "grader.checks")
_CLASSES = ("Exercise", "CheckFailed", "Labelled")
_saved: list[tuple[object, dict]] = []
_modules: dict[str, object] = {}


def install() -> None:
    import numpy  # noqa: F401  (imported for its side effect: it is in sys.modules)

    import grader.checks  # noqa: F401

    _saved.clear()
    _modules.clear()
    for name in _MODULES:
        module = sys.modules[name]
        _modules[name] = module
        _saved.append((module, dict(vars(module))))
    checks = sys.modules["grader.checks"]
    for name in _CLASSES:
        cls = getattr(checks, name)
        _saved.append((cls, {k: v for k, v in vars(cls).items()
                             if k not in ("__dict__", "__weakref__")}))
    _saved.append((builtins, {k: v for k, v in vars(builtins).items() if callable(v)}))


def restore() -> None:
    for owner, attributes in _saved:
        current = vars(owner)
        for key, value in attributes.items():
            if current.get(key, _saved) is not value:
                setattr(owner, key, value)
    for name, module in _modules.items():
        sys.modules[name] = module
    try:
        from IPython import get_ipython

        namespace = get_ipython().user_ns
    except Exception:  # pragma: no cover - always run inside an IPython kernel
        return
    for alias, name in (("np", "numpy"), ("numpy", "numpy"), ("grader", "grader")):
        if alias in namespace:
            namespace[alias] = _modules[name]


INSTALL = "__import__('grader.guard').guard.install()"
RESTORE = "__import__('grader.guard').guard.restore()"
