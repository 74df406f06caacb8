"""The classroom workflow end to end, with real nbgrader commands (docs/instructors.md).

In a temporary course and a temporary exchange: the instructor releases the first two
lessons; four students, each with their own home folder and student id, fetch them,
work (alice: every answer, bob: the first half of each lesson, carol: nothing, dave:
the first lesson only, never submits the second) and submit (alice with the nbgrader commands, the
others through the exchange classes those commands run); the instructor collects, autogrades
(`python -m grader autograde`, 2 parallel jobs, in one run), generates and releases
feedback, two students fetch it, and the instructor exports grades. Expected scores are
computed from the answers submitted and the check cells' points.

The same submissions of the first lesson are also graded by plain sequential
`nbgrader autograde` in a copy of the course: same gradebook rows, same feedback.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import (
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeSubmit,
)
from traitlets.config import Config

from grader import autograde as grading
from grader import export as exporting
from grader import feedback as feedback_pages
from grader import settings
from grader.nbgrader_cli import environment, run_nbgrader
from tests.course_under_test import (
    HIDDEN,
    LESSONS,
    GradedCourse,
    check_points,
    exercises,
    fill,
    source,
)
from tests.course_under_test import (
    student as student_version,
)

COURSE_ID = "pigs-to-backprop"
TAUGHT = LESSONS[:2]  # the first two lessons in solutions/


def half(lesson: str) -> list[str]:
    return exercises(lesson)[: len(exercises(lesson)) // 2]


# student: {lesson: exercises answered with the reference answer}; a lesson missing from
# the dict is never submitted.
WORK = {
    "alice": {lesson: exercises(lesson) for lesson in TAUGHT},
    "bob": {lesson: half(lesson) for lesson in TAUGHT},
    "carol": {lesson: [] for lesson in TAUGHT},
    "dave": {TAUGHT[0]: exercises(TAUGHT[0])},
}

FETCH_FEEDBACK = ["alice", "carol"]  # students who fetch their feedback into their home
CLI_STUDENT = "alice"  # fetches, submits and fetches feedback with the nbgrader commands


def expected_scores(student: str, lesson: str) -> dict[str, float]:
    answered = {settings.check_id(e) for e in WORK[student].get(lesson, [])}
    return {name: (points if name in answered else 0.0)
            for name, points in check_points(lesson).items()}


def as_student(home, student: str, action: str, lessons: list[str], exchange) -> None:
    """`nbgrader fetch_assignment|submit|fetch_feedback LESSON` run by `student` in their
    home folder. alice uses the command line; the others, to keep the test fast (each
    nbgrader process costs seconds of CPU to start), run in-process the exchange classes
    those commands run (JupyterLab's Assignments panel calls the same classes)."""
    if student == CLI_STUDENT:
        env = dict(environment(), HOME=str(home))
        env.pop("JUPYTER_CONFIG_DIR", None)
        for group in [lessons] if action == "fetch_assignment" else [[x] for x in lessons]:
            done = subprocess.run(
                [sys.executable, "-m", "nbgrader", action, *group, f"--course={COURSE_ID}",
                 f"--Exchange.root={exchange}", f"--student={student}"],
                cwd=home, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
        return
    config = Config()
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(home / ".local" / "share" / "jupyter" / "nbgrader_cache")
    config.CourseDirectory.course_id = COURSE_ID
    kind = {"fetch_assignment": ExchangeFetchAssignment, "submit": ExchangeSubmit,
            "fetch_feedback": ExchangeFetchFeedback}[action]
    for lesson in lessons:
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id, coursedir.student_id = lesson, student
        kind(coursedir=coursedir, authenticator=Authenticator(config=config),
             config=config).start()


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("classroom")
    exchange = tmp / "exchange"
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o777)
    config = (f"c.Exchange.root = {str(exchange)!r}\n"
              # Every test process runs as one OS user; on a real server each student is
              # their own user and nbgrader's owner check stays on.
              "c.ExchangeCollect.check_owner = False\n")
    (tmp / "course").mkdir()
    course = GradedCourse.create(tmp / "course", TAUGHT, config)
    for lesson in TAUGHT:
        run_nbgrader("release_assignment", lesson, "--log-level=WARN", cwd=course.root)

    homes = {}
    for student, lessons in WORK.items():
        home = homes[student] = tmp / "home" / student
        home.mkdir(parents=True)
        as_student(home, student, "fetch_assignment", TAUGHT, exchange)
        for lesson in TAUGHT:
            fetched = home / lesson / f"{lesson}.ipynb"
            assert fetched.is_file()
            if lesson in lessons:
                answers = {e: None for e in exercises(lesson) if e not in lessons[lesson]}
                fetched.write_text(nbformat.writes(fill(lesson, answers)))
        as_student(home, student, "submit", list(lessons), exchange)

    for lesson in TAUGHT:
        run_nbgrader("collect", lesson, "--log-level=WARN", cwd=course.root)
    sequential = tmp / "sequential"
    shutil.copytree(course.root, sequential)

    outcome = grading.autograde(course.root, TAUGHT, jobs=2, say=lambda line: None)
    feedback_pages.generate(course.root, TAUGHT)
    for lesson in TAUGHT:
        run_nbgrader("release_feedback", lesson, "--log-level=WARN", cwd=course.root)
    for student in FETCH_FEEDBACK:
        as_student(homes[student], student, "fetch_feedback", TAUGHT, exchange)
    exporting.export(course.root)

    run_nbgrader("autograde", TAUGHT[0], "--log-level=WARN", cwd=sequential)
    run_nbgrader("generate_feedback", TAUGHT[0], "--log-level=WARN", cwd=sequential)
    return course, outcome, homes, sequential


def test_the_class_is_two_lessons_and_four_students():
    assert len(TAUGHT) == 2, "the end-to-end test needs two lessons in solutions/"


@pytest.mark.parametrize("lesson", TAUGHT)
@pytest.mark.parametrize("student", list(WORK))
def test_every_student_gets_the_exact_score(classroom, student, lesson):
    course, outcome, _, _ = classroom
    assert not outcome.problems
    if lesson in WORK[student]:
        assert course.scores(lesson, student) == expected_scores(student, lesson)
    else:
        assert not (course.root / "submitted" / student / lesson).exists()


def read_csv(path) -> list[dict]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_nbgrader_csv_has_one_correct_row_per_student_and_lesson(classroom):
    course, _, _, _ = classroom
    rows = read_csv(course.root / "grades.csv")
    assert sorted((r["student_id"], r["assignment"]) for r in rows) == sorted(
        (s, lesson) for s in WORK for lesson in TAUGHT)
    for row in rows:
        expected = expected_scores(row["student_id"], row["assignment"])
        assert float(row["score"]) == sum(expected.values()), row
        assert float(row["max_score"]) == sum(check_points(row["assignment"]).values())


def test_per_exercise_csv_has_a_column_per_exercise_and_one_row_per_student_and_lesson(
        classroom):
    course, _, _, _ = classroom
    rows = read_csv(course.root / "grades_by_exercise.csv")
    assert sorted((r["student_id"], r["lesson"]) for r in rows) == sorted(
        (s, lesson) for s in WORK for lesson in TAUGHT)
    columns = set(rows[0])
    for lesson in TAUGHT:
        assert set(check_points(lesson)) <= columns
    for row in rows:
        expected = expected_scores(row["student_id"], row["lesson"])
        assert {name: float(row[name]) for name in expected} == expected, row
        assert float(row["score"]) == sum(expected.values())
        assert row["problem"] == ""


def page_text(path) -> str:
    """What a student reads in a feedback page (syntax highlighting splits code lines)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def test_every_submission_has_feedback_in_the_course_and_in_the_students_home(classroom):
    course, _, homes, _ = classroom
    for student, lessons in WORK.items():
        for lesson in lessons:
            assert (course.root / "feedback" / student / lesson / f"{lesson}.html").is_file()
            if student in FETCH_FEEDBACK:
                fetched = list((homes[student] / lesson / "feedback").glob(f"*/{lesson}.html"))
                assert len(fetched) == 1, (student, lesson)


def test_feedback_shows_failed_checks_but_no_hidden_test_source(classroom):
    course, _, _, _ = classroom
    pages = list((course.root / "feedback").rglob("*.html"))
    assert len(pages) == sum(len(lessons) for lessons in WORK.values())
    for lesson in TAUGHT:
        hidden, visible = [], []
        # a hidden line the student version also has (e.g. a `def` line), or a line of a
        # reference answer a student may have written themselves, is no secret
        shown = {line.strip() for nb in (student_version(lesson), fill(lesson))
                 for cell in nb.cells for line in cell.source.splitlines()}
        for cell in source(lesson).cells:
            region = HIDDEN.search(cell.source)
            if region:
                hidden += [line.strip() for line in region.group(0).splitlines()[1:-1]
                           if len(line.strip()) > 12 and line.strip() not in shown]
                visible.append(feedback_pages.hide_hidden_tests(cell.source).splitlines()[0].strip())
        assert hidden, lesson
        for page in (course.root / "feedback").glob(f"*/{lesson}/*.html"):
            text = page_text(page)
            assert all(line in text for line in visible), page  # code lines are findable
            assert not [line for line in hidden if line in text], page
        blank = page_text(course.root / "feedback" / "carol" / lesson / f"{lesson}.html")
        assert "You have not written" in blank  # a failed check's message is shown


def test_parallel_grading_equals_sequential_nbgrader_autograde(classroom):
    course, _, _, sequential = classroom
    lesson = TAUGHT[0]
    ours = [r for r in grading.gradebook_rows(course.root / "gradebook.db") if r[0] == lesson]
    theirs = [r for r in grading.gradebook_rows(sequential / "gradebook.db") if r[0] == lesson]
    assert ours == theirs
    for student in WORK:
        a = (course.root / "feedback" / student / lesson / f"{lesson}.html").read_text()
        b = (sequential / "feedback" / student / lesson / f"{lesson}.html").read_text()
        assert feedback_pages.comparable(a) == feedback_pages.comparable(b), student
