"""Shared helpers for the tests: the repository's lessons, and a temporary nbgrader
course in which submissions are autograded for real.

A submission is the student version of a lesson (lessons/) with some solution cells
filled in. `fill` takes the reference answer from solutions/ for every exercise unless
told otherwise: `answers={"yearly_growth": "return sales[:-1] - sales[1:]"}` puts that
body between the solution markers of that exercise instead, and `None` leaves the
blank stub.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from grader import notebooks, settings
from grader.build import lesson_ids
from grader.feedback import HIDDEN_MARKERS
from grader.nbgrader_cli import run_nbgrader

REPO = Path(__file__).resolve().parent.parent
LESSONS = lesson_ids(REPO)
# A hidden-test region of a check cell, between the markers grader/feedback.py's
# HideHiddenTests removes: the tests look for its lines in pages.
# (nbgrader's markers are the words; a marker line is any line that holds them.)
HIDDEN = re.compile(rf"^[^\n]*{re.escape(HIDDEN_MARKERS[0])}[^\n]*\n.*?"
                    rf"^[^\n]*{re.escape(HIDDEN_MARKERS[1])}[^\n]*$", re.DOTALL | re.MULTILINE)
SOLUTION_REGION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n(.*?)^[ \t]*### END SOLUTION\n?",
                             re.DOTALL | re.MULTILINE)


def source(lesson: str) -> nbformat.NotebookNode:
    return notebooks.read(REPO / "solutions" / lesson / f"{lesson}.ipynb")


def student(lesson: str) -> nbformat.NotebookNode:
    return notebooks.read(REPO / "lessons" / lesson / f"{lesson}.ipynb")


def cells_by_id(nb) -> dict[str, nbformat.NotebookNode]:
    return {notebooks.nbgrader_meta(c)["grade_id"]: c for c in nb.cells
            if notebooks.nbgrader_meta(c).get("grade_id")}


def exercises(lesson: str) -> list[str]:
    """grade_ids of the lesson's solution cells, in order."""
    return [notebooks.nbgrader_meta(c)["grade_id"] for c in source(lesson).cells
            if notebooks.nbgrader_meta(c).get("solution")]


def check_points(lesson: str) -> dict[str, float]:
    """{check cell grade_id: points} for the lesson."""
    return {notebooks.nbgrader_meta(c)["grade_id"]: float(notebooks.nbgrader_meta(c)["points"])
            for c in source(lesson).cells if notebooks.nbgrader_meta(c).get("grade")}


def with_body(solution_source: str, body: str | None) -> str:
    """The solution cell with its solution region replaced by `body` (None: reference)."""
    def replace(match: re.Match) -> str:
        indent, reference = match.group(1), match.group(2)
        code = reference if body is None else textwrap.indent(textwrap.dedent(body).strip() + "\n", indent)
        return code
    return SOLUTION_REGION.sub(replace, solution_source)


def fill(lesson: str, answers: dict[str, str | None] | None = None,
         prelude: str = "") -> nbformat.NotebookNode:
    """A submission: the student notebook with solution cells filled (see module doc)."""
    answers = answers or {}
    nb, reference = student(lesson), cells_by_id(source(lesson))
    first = True
    for cell in nb.cells:
        grade_id = notebooks.nbgrader_meta(cell).get("grade_id")
        if not notebooks.nbgrader_meta(cell).get("solution"):
            continue
        if grade_id in answers and answers[grade_id] is None:
            pass  # keep the blank stub
        else:
            cell.source = with_body(reference[grade_id].source, answers.get(grade_id))
        if first and prelude:
            cell.source = prelude.strip() + "\n\n" + cell.source
        first = False
    return nb


@dataclass
class GradedCourse:
    """A temporary nbgrader course: submit notebooks, autograde, read scores back."""

    root: Path

    @classmethod
    def create(cls, root: Path, lessons: list[str], extra_config: str = "") -> GradedCourse:
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
        if extra_config:  # e.g. a short cell timeout for a test course
            with open(root / "nbgrader_config.py", "a") as config:
                config.write("\n" + extra_config.strip() + "\n")
        for lesson in lessons:
            shutil.copytree(REPO / "solutions" / lesson, root / "solutions" / lesson)
            run_nbgrader("generate_assignment", lesson, "--log-level=WARN", cwd=root)
        return cls(root)

    def submit(self, student_id: str, lesson: str, nb: nbformat.NotebookNode) -> None:
        folder = self.root / "submitted" / student_id / lesson
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{lesson}.ipynb")

    def autograde(self, lesson: str) -> None:
        run_nbgrader("autograde", lesson, "--log-level=WARN", cwd=self.root)

    def generate_feedback(self, lesson: str) -> None:
        run_nbgrader("generate_feedback", lesson, "--log-level=WARN", cwd=self.root)

    def scores(self, lesson: str, student_id: str) -> dict[str, float]:
        """{check cell grade_id: score} from the gradebook."""
        with Gradebook(settings.gradebook_url(self.root)) as gb:
            nb = gb.find_submission_notebook(lesson, lesson, student_id)
            return {g.name: float(g.score) for g in nb.grades}

    def autograded(self, lesson: str, student_id: str) -> nbformat.NotebookNode:
        return notebooks.read(self.root / "autograded" / student_id / lesson / f"{lesson}.ipynb")

    def feedback(self, lesson: str, student_id: str) -> str:
        return (self.root / "feedback" / student_id / lesson / f"{lesson}.html").read_text()
