"""course: what lessons import besides NumPy, so notebook cells stay short.

- `course.data`     load the course's datasets from any working directory
- `course.learner`  call a learner's function safely ("finish exercise N" when unfinished)
- `course.widgets`  building blocks of the lessons' interactive explorers
- `course.style`    colour-blind-safe colours, the default for every figure
- `course.<topic>`  one lesson's figures and widgets (`course.derivative` is lesson 1's)
"""

from course.data import load_dataset
from course.style import use_course_style

use_course_style()

__all__ = ["load_dataset"]
