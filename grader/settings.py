"""The settings the course's tools share, each in one place.

nbgrader_config.py, the grader, `progress` and the tests all read them from here, so a
timeout or a cap is changed once. (An instructor may still override the grading ones in
their own nbgrader config: they are ordinary traitlets options of ResilientExecute.)
"""

from __future__ import annotations

from pathlib import Path

CELL_TIMEOUT = 60           # seconds one cell may run: grading, `progress` and the tests
NOTEBOOK_TIMEOUT = 600      # seconds all cells of one graded notebook may take together
MEMORY_LIMIT_MB = 2048      # memory of a grading sandbox, all its processes together (MiB)
PIDS_LIMIT = 256            # processes and threads of a grading sandbox, all together
MAX_OUTPUT_CHARS = 200_000  # longest text kept from one output when grading
CHECK_PREFIX = "check_"     # a check cell's grade_id is CHECK_PREFIX + the exercise's name
GRADEBOOK = "gradebook.db"  # in the course directory


def gradebook_url(course: Path) -> str:
    """The SQLAlchemy URL of a course's gradebook (or of any gradebook file)."""
    path = Path(course)
    return f"sqlite:///{path if path.suffix == '.db' else path / GRADEBOOK}"


def check_id(exercise: str) -> str:
    return CHECK_PREFIX + exercise
