"""Feedback for students: no hidden tests, every failed check's message, and a page for
submissions that could not be graded.

    python -m grader feedback [LESSON ...]

- `HideHiddenTests`, a preprocessor that `nbgrader_config.py` adds to nbgrader's
  `GenerateFeedback.preprocessors` (so plain `nbgrader generate_feedback` uses it too).
  nbgrader restores the hidden tests into locked check cells at autograde and then
  prints them in the feedback HTML it returns to students (jupyter/nbgrader#1363). This
  is nbgrader's own `ClearHiddenTests` (its markers, ``### BEGIN HIDDEN TESTS`` …
  ``### END HIDDEN TESTS`` unless configured otherwise as `ClearHiddenTests` options,
  and its errors for a nested or unclosed region) applied to the *source* of every
  check cell, with one comment line left where each region was, so a student sees that
  more checks run there. The cell's outputs are kept, so the message of a failed check
  (what was called, what came back, what was expected, the hint) is still shown. The
  autograded notebooks are not changed: the instructor still sees everything in
  Formgrader.
- `grader.sanitize.SanitizeNotebook` runs last (`feedback_preprocessors()`): the page a
  student gets holds no script, event handler or `javascript:` link from any learner
  cell, output or markdown (see grader/sanitize.py), even for a notebook that was
  autograded before autograde sanitised its output.
- The command runs `nbgrader generate_feedback` for each lesson, then writes a feedback
  page for every submission `python -m grader autograde` could not grade (its reason
  from autograde_problems.json), next to the submission's timestamp and secret, so
  `nbgrader release_feedback` returns it like any other.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.utils import is_grade

from grader import settings
from grader.nbgrader_cli import run_nbgrader

NOTE = "# (more checks run here when your work is graded; they are not shown)"
# The hidden-test markers, nbgrader's defaults (an instructor may configure others).
HIDDEN_MARKERS = (ClearHiddenTests.class_traits()["begin_test_delimeter"].default_value,
                  ClearHiddenTests.class_traits()["end_test_delimeter"].default_value)


class HideHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests on check cells, leaving NOTE where each hidden-test
    region was (ClearHiddenTests alone drops it without a trace); outputs are kept.

    Only check cells: at autograde their source comes from the gradebook, and a
    learner's cell that merely mentions a marker is left as it is."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not is_grade(cell) \
                or self.begin_test_delimeter not in cell.source:
            return cell, resources
        lines = []
        for line in cell.source.split("\n"):
            if self.begin_test_delimeter in line:  # the note, indented like the marker
                lines.append(line[:len(line) - len(line.lstrip())] + NOTE)
            lines.append(line)
        cell.source = "\n".join(lines)
        return super().preprocess_cell(cell, resources, index)


def hide_hidden_tests(source: str) -> str:
    """A check cell's source with each hidden-test region replaced by NOTE."""
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True}})
    return HideHiddenTests().preprocess_cell(cell, {}, 0)[0].source


def without_hidden_tests(source: str) -> str:
    """A check cell's source as learners get it: hidden-test regions removed (nbgrader's
    ClearHiddenTests, as generate_assignment does)."""
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True}})
    return ClearHiddenTests().preprocess_cell(cell, {}, 0)[0].source


def feedback_preprocessors() -> list:
    """nbgrader's generate_feedback preprocessors, then HideHiddenTests and
    SanitizeNotebook (after GetGrades, so the grader's comments are cleaned too)."""
    from nbgrader.converters import GenerateFeedback

    from grader.sanitize import SanitizeNotebook

    default = GenerateFeedback.class_traits()["preprocessors"].default()
    return [*default, HideHiddenTests, SanitizeNotebook]


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{lesson}: not graded</title></head>
<body style="font-family: sans-serif; max-width: 46em; margin: 2em auto">
<h1>{lesson}: your submission could not be graded</h1>
<p><b>Score: 0 / {max_score:g}</b></p>
<p>{reason}</p>
<p>Your submitted files are kept unchanged. Ask your instructor if you need to submit again.</p>
</body></html>
"""


RANDOM_IDS = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
                        r"|\b[0-9a-f]{32}\b")


def comparable(page: str) -> str:
    """A feedback page without the random ids widgets get on every run (to compare runs)."""
    return RANDOM_IDS.sub("<id>", page)


def write_problem_pages(course: Path, lessons: list[str] | None = None) -> list[Path]:
    """A feedback page for each recorded autograde problem; returns the pages written."""
    from nbgrader.api import Gradebook

    from grader.autograde import load_problems, released_notebooks
    from grader.sanitize import student_id_problem

    notebooks = released_notebooks(course)
    written = []
    with Gradebook(settings.gradebook_url(course)) as gb:
        for (lesson, student), reason in sorted(load_problems(course).items()):
            if lessons and lesson not in lessons:
                continue
            if student_id_problem(student):  # never a folder named after an unsafe id
                print(f"No feedback page for {student!r}: the student id "
                      f"{student_id_problem(student)}.")
                continue
            folder = course / "feedback" / student / lesson
            folder.mkdir(parents=True, exist_ok=True)
            submitted = course / "submitted" / student / lesson
            for name in ("timestamp.txt", "submission_secret.txt"):
                if (submitted / name).is_file():
                    shutil.copy(submitted / name, folder / name)
            max_score = gb.find_assignment(lesson).max_score
            for notebook in notebooks[lesson]:
                page = folder / f"{notebook}.html"
                page.write_text(PAGE.format(lesson=html.escape(lesson), max_score=max_score,
                                            reason=html.escape(reason)))
                written.append(page)
    return written


def generate(course: Path, lessons: list[str] | None = None, force: bool = True) -> None:
    from grader.autograde import released_notebooks

    lessons = lessons or sorted(released_notebooks(course))
    for lesson in lessons:
        args = ["generate_feedback", lesson, "--log-level=WARN"] + (["--force"] if force else [])
        run_nbgrader(*args, cwd=course)
    pages = write_problem_pages(course, lessons)
    print(f"Feedback generated for {len(lessons)} lesson(s); {len(pages)} page(s) for "
          "submissions that could not be graded.")


def main(course: str | None, lessons: list[str]) -> int:
    generate(Path(course or ".").resolve(), lessons or None)
    return 0
