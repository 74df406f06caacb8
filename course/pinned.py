"""NumPy's functions as they were when the course was first imported.

A learner's cell may reassign `np.abs`, `np.isclose` or `np.errstate` (by mistake or
to fool a check). The course's judging code (`course.checks`, `course.gradcheck`,
`course.calls`) calls NumPy only through this module, whose names are bound once, when
the setup cell imports the course, so such a cell cannot change a self-study verdict.
(At grading the judge runs in the grader's own process: its NumPy is not the
learner's at all; docs/authoring.md, "Two places a check cell runs".)

    from course import pinned
    pinned.abs(x)
"""

import numpy as _np

ndarray = _np.ndarray
generic = _np.generic
number = _np.number
bool_ = _np.bool_
float64 = _np.float64
array = _np.array  # the course calls it with dtype=float, copy=True: always a base ndarray
abs = _np.abs  # shadows the builtin here only: callers write pinned.abs
round = _np.round
maximum = _np.maximum
isnan = _np.isnan
isfinite = _np.isfinite
subtract = _np.subtract
multiply = _np.multiply
less_equal = _np.less_equal
argwhere = _np.argwhere
argmax = _np.argmax
unravel_index = _np.unravel_index
ndindex = _np.ndindex
errstate = _np.errstate
issubdtype = _np.issubdtype
array2string = _np.array2string
