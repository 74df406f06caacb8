"""Bad submissions never break grading, never inflate a score, never lose data.

One temporary course (lesson 1, a 10 s cell timeout) grades, in ONE run of
`python -m grader autograde` (2 parallel jobs): three good submissions (full, partial,
blank) and every hostile or broken one below. Then `python -m grader feedback`,
`export` and `integrity` run once. For each case the test checks: the exact score per
check (computed from the answers submitted), a grade row in the export, a feedback file
that says what happened, and that `submitted/` is byte-for-byte unchanged.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import html
import json
import re

import nbformat
import pytest

from grader import autograde as grading
from grader import feedback as feedback_pages
from grader import integrity
from grader.nbgrader_cli import run_nbgrader
from tests.answers import for_lesson
from tests.course_under_test import (
    LESSONS,
    GradedCourse,
    cells_by_id,
    check_points,
    exercises,
    fill,
    source,
)
from tests.course_under_test import (
    student as student_version,
)

LESSON = LESSONS[0]
EXERCISES = exercises(LESSON)
POINTS = check_points(LESSON)
A, B, C, D = EXERCISES[:4]  # the first four exercises, in lesson order
TEST_CONFIG = """
c.Execute.timeout = 10   # short for the infinite loop; ample for any other cell (< 2 s)
c.ResilientExecute.responsive_timeout = 10
"""

TAMPER = """
import numpy
np.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda *args, **kwargs: True
np.abs = lambda x: 0 * x
class _Pass:
    def __init__(self, *args, **kwargs): pass
    def __enter__(self): return self
    def __exit__(self, *args): return True
    def check(self, *args, **kwargs): pass
    def require(self, *args, **kwargs): pass
    def call(self, *args, **kwargs): pass
checks.exercise = _Pass
checks.Exercise.__exit__ = lambda *args: True
"""
FIFTY_MB = """
import sys
for _ in range(50):
    sys.stdout.write("oink" * 250_000 + "\\n")
"""


def check(exercise: str) -> str:
    return f"check_{exercise}"


def scores_for(earned: list[str]) -> dict[str, float]:
    """Every check 0 except those of the `earned` exercises, which get their points."""
    return {name: (POINTS[name] if name in {check(e) for e in earned} else 0.0) for name in POINTS}


def without(*lost: str) -> dict[str, float]:
    return scores_for([e for e in EXERCISES if e not in lost])


def before(exercise: str) -> list[str]:
    return EXERCISES[:EXERCISES.index(exercise)]


def notebook_text(nb) -> str:
    return nbformat.writes(nb)


def deleted_cells():
    nb = fill(LESSON)
    drop = {check(B), C}  # a check cell and an exercise cell
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    return notebook_text(nb)


def edited_locked_cells():
    nb = fill(LESSON, {A: for_lesson(LESSON).WRONG[A][0].body})
    cells = cells_by_id(nb)
    cells[check(A)].source = "pass  # the learner emptied the check"
    cells["setup"].source += "\nnp.allclose = lambda *args, **kwargs: True"
    return notebook_text(nb)


def edited_metadata():
    nb = fill(LESSON, {B: for_lesson(LESSON).WRONG[B][0].body})
    cells = cells_by_id(nb)
    cells[check(A)].metadata.nbgrader["points"] = 100          # more points for a right answer
    cells[check(B)].metadata.nbgrader["grade_id"] = "check_mine"  # a wrong answer's check renamed
    cells[check(C)].metadata.nbgrader["grade"] = False          # a check made ungraded
    return notebook_text(nb)


def huge_output():
    nb = fill(LESSON)
    nb.cells.insert(2, nbformat.v4.new_code_cell(FIFTY_MB))  # a cell the learner added
    return notebook_text(nb)


def old_format():
    nb = copy.deepcopy(fill(LESSON))
    return nbformat.writes(nbformat.convert(nb, 3), version=3)


def malformed():
    text = notebook_text(fill(LESSON))
    return text[: len(text) // 2]


# name: (files in the submission folder, expected scores, text its feedback must contain)
CASES = {
    "good-full": ({f"{LESSON}.ipynb": lambda: notebook_text(fill(LESSON))},
                  scores_for(EXERCISES), "checks passed"),
    "good-partial": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {e: None for e in EXERCISES[3:]}))}, scores_for(EXERCISES[:3]),
        "You have not written"),
    "good-blank": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {e: None for e in EXERCISES}))}, scores_for([]), "You have not written"),
    "infinite-loop": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "while True:\n    pass"}))}, without(B), "ran longer than 10 s"),
    "kills-kernel": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "import os\nos._exit(1)"}))}, scores_for(before(B)),
        "The Python kernel died"),
    "system-exit": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "raise SystemExit(3)"}))}, without(B), "SystemExit"),
    "memory-hog": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {B: "import numpy\nhog = numpy.ones(3 * 2**30 // 8)\n"
                         "return float(hog.sum())"}))}, without(B), "MemoryError"),
    "50MB-output": ({f"{LESSON}.ipynb": huge_output}, scores_for(EXERCISES), "output cut"),
    "deleted-cells": ({f"{LESSON}.ipynb": deleted_cells}, without(C), "is not defined yet"),
    "edited-locked-cells": ({f"{LESSON}.ipynb": edited_locked_cells}, without(A),
                            for_lesson(LESSON).WRONG[A][0].hint),
    "edited-metadata": ({f"{LESSON}.ipynb": edited_metadata}, without(B), "checks passed"),
    "tampers-with-numpy-and-grader": ({f"{LESSON}.ipynb": lambda: notebook_text(
        fill(LESSON, {e: "return None" for e in EXERCISES}, prelude=TAMPER))},
        scores_for([]), "returned None"),
    "renamed-notebook": ({"my-homework.ipynb": lambda: notebook_text(fill(LESSON))},
                         scores_for([]), f"No notebook named {LESSON}.ipynb"),
    "missing-notebook": ({"notes.txt": lambda: "I forgot the notebook"}, scores_for([]),
                         f"No notebook named {LESSON}.ipynb"),
    "malformed-json": ({f"{LESSON}.ipynb": malformed}, scores_for([]),
                       "could not be read as a notebook"),
    "old-nbformat": ({f"{LESSON}.ipynb": old_format}, scores_for(EXERCISES), "checks passed"),
    "empty-file": ({f"{LESSON}.ipynb": lambda: ""}, scores_for([]), "empty file"),
}
PROBLEMS = {"renamed-notebook", "missing-notebook", "malformed-json", "empty-file"}


def fingerprint(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            + str(p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = GradedCourse.create(tmp_path_factory.mktemp("hostile"), [LESSON], TEST_CONFIG)
    for student, (files, _, _) in CASES.items():
        folder = course.root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        for name, make in files.items():
            (folder / name).write_text(make())
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    before = fingerprint(course.root / "submitted")
    outcome = grading.autograde(course.root, [LESSON], jobs=2, say=lambda line: None)
    feedback_pages.generate(course.root, [LESSON])
    run_nbgrader("export", "--exporter=grader.export.ExerciseCsvExport",
                 "--to=by_exercise.csv", "--log-level=WARN", cwd=course.root)
    findings = integrity.report(course.root, [LESSON])
    return course, outcome, before, findings


@pytest.mark.parametrize("student", list(CASES))
def test_every_submission_gets_its_exact_score(graded, student):
    course, _, _, _ = graded
    assert course.scores(LESSON, student) == CASES[student][1]


@pytest.mark.parametrize("student", list(CASES))
def test_every_submission_gets_feedback_that_says_what_happened(graded, student):
    course, _, _, _ = graded
    page = html.unescape(course.feedback(LESSON, student))
    assert CASES[student][2] in page
    assert "BEGIN HIDDEN TESTS" not in page


def test_unreadable_submissions_are_recorded_not_dropped(graded):
    course, outcome, _, _ = graded
    assert {student for _, student in outcome.problems} == PROBLEMS
    assert {s for _, s in outcome.graded} == set(CASES) - PROBLEMS
    recorded = json.loads((course.root / grading.PROBLEMS_FILE).read_text())
    assert {row["student"] for row in recorded} == PROBLEMS


def test_export_has_a_row_with_the_score_for_every_submission(graded):
    course, _, _, _ = graded
    with open(course.root / "by_exercise.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(CASES)
    for student, (_, expected, _) in CASES.items():
        row = rows[student]
        assert float(row["score"]) == sum(expected.values()), student
        assert {name: float(row[name]) for name in POINTS} == expected, student
        assert bool(row["problem"]) == (student in PROBLEMS), student


def test_submitted_files_are_untouched(graded):
    course, _, before, _ = graded
    assert fingerprint(course.root / "submitted") == before


def test_the_kernel_death_is_shown_where_it_happened_and_later_checks_did_not_run(graded):
    course, _, _, _ = graded
    cells = cells_by_id(course.autograded(LESSON, "kills-kernel"))
    assert any(o.get("ename") == "KernelDied" for o in cells[check(B)].outputs)
    for exercise in EXERCISES[EXERCISES.index(B) + 1:]:
        assert [o.get("ename") for o in cells[check(exercise)].outputs] == ["NotRun"]


def test_memory_and_output_caps_kept_the_grading_small(graded):
    course, _, _, _ = graded
    assert "MemoryError" in json.dumps(cells_by_id(
        course.autograded(LESSON, "memory-hog"))[check(B)].outputs)
    notebook = course.root / "autograded" / "50MB-output" / LESSON / f"{LESSON}.ipynb"
    assert notebook.stat().st_size < 2_000_000
    page = course.root / "feedback" / "50MB-output" / LESSON / f"{LESSON}.html"
    assert page.stat().st_size < 3_000_000


def test_integrity_report_points_at_the_tampering_lines(graded):
    _, _, _, findings = graded
    by_student = {}
    for finding in findings:
        by_student.setdefault(finding.student, []).append(finding)
    tamper = by_student["tampers-with-numpy-and-grader"]
    assert {f.code for f in tamper} >= {"checks.exercise = _Pass",
                                        "np.allclose = lambda *args, **kwargs: True"}
    assert all(f.cell == A for f in tamper)  # the prelude sits in the first exercise cell
    assert any("os._exit" in f.reason for f in by_student["kills-kernel"])
    assert not by_student.get("good-full") and not by_student.get("good-partial")


def page_text(path) -> str:
    """The text a student reads: tags (syntax highlighting splits code) removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def test_hidden_tests_are_in_the_source_but_not_in_any_feedback(graded):
    course, _, _, _ = graded
    hidden, visible = [], []
    # a hidden line the student version also has (e.g. a `def` line) is no secret
    shown = {line.strip() for cell in student_version(LESSON).cells for line in cell.source.splitlines()}
    for cell in source(LESSON).cells:
        region = feedback_pages.HIDDEN.search(cell.source)
        if region:
            hidden += [line.strip() for line in region.group(0).splitlines()[1:-1]
                       if len(line.strip()) > 12 and line.strip() not in shown]
            visible.append(feedback_pages.hide_hidden_tests(cell.source).splitlines()[0].strip())
    assert hidden and visible
    reference = page_text(course.root / "feedback" / "good-full" / LESSON / f"{LESSON}.html")
    assert all(line in reference for line in visible)  # the search does find code lines
    for page in (course.root / "feedback").rglob("*.html"):
        text = page_text(page)
        assert not [line for line in hidden if line in text], page
