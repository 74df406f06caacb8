"""course: what lessons import besides NumPy, so notebook cells stay short.

- `course.data`     load the course's datasets from any working directory
- `course.learner`  call a learner's function safely ("finish exercise N" when unfinished)
- `course.plots`    the lessons' static figures
- `course.widgets`  the lessons' interactive explorers, wired to the learner's functions
- `course.style`    colour-blind-safe colours shared by every figure
"""

from course.data import load_dataset

__all__ = ["load_dataset"]
