"""grader: the checks that lesson check cells call, and the course's command-line tools.

Importing it is cheap: check cells need only `grader.exercise` and `grader.fn`; the
build and instructor tools (which import nbgrader) load only when the CLI runs.
"""

from grader.checks import CheckFailed, Exercise, exercise, fn

__all__ = ["CheckFailed", "Exercise", "exercise", "fn"]
