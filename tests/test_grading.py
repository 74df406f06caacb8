"""Grading round trip through real `nbgrader autograde` and `generate_feedback`.

For every lesson, one temporary course grades, in one run: the reference answers (full
marks), the blank lesson (0, no crash), every typical wrong answer in tests/answers/
(loses exactly its exercise's points, and the feedback names the mistake), every
correct alternative (full marks; both kinds share submissions, see `answer_plan`), and a
submission that monkeypatches NumPy on top of
wrong answers (still 0).
"""

from __future__ import annotations

import html

import pytest

from grader import settings
from tests.answers import for_lesson
from tests.course_under_test import (
    LESSONS,
    GradedCourse,
    cells_by_id,
    check_points,
    exercises,
    fill,
)

# A learner cell that tries to make every comparison succeed.
TAMPER_WITH_NUMPY = """
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.abs = lambda x: 0 * x
np.isnan = lambda x: False
np.errstate = None
"""


def flat(text: str) -> str:
    """Text with every run of whitespace (a line break included) as one space."""
    return " ".join(text.split())


def check_of(exercise: str) -> str:
    return settings.check_id(exercise)


def wrong_student(lesson: str, exercise: str, index: int) -> str:
    """The submission that holds the index-th wrong answer of `exercise`: "wrong-k".

    Wrong answers of different exercises share a submission (about 7 notebooks a lesson
    instead of 35): every check runs the other exercises it needs as reference stand-ins,
    so a wrong answer costs only its own exercise, also when it calls another exercise
    that is wrong in the same submission. The test checks that every other exercise of
    the submission keeps its points, which proves that independence at grading.
    """
    return f"wrong-{index}"


def right_students(lesson: str) -> dict[str, list[str]]:
    """{exercise: the submission of each of its correct alternatives, in order}.

    A correct alternative fills a "wrong-k" submission where its exercise has no k-th
    wrong answer (that slot would otherwise hold the reference answer); only those that
    find no free slot get a "right-j" submission of their own.
    """
    answers = for_lesson(lesson)
    slots = [wrong_student(lesson, "", k)
             for k in range(max(len(wrongs) for wrongs in answers.WRONG.values()))]
    where = {}
    for exercise, rights in answers.RIGHT.items():
        free = slots[len(answers.WRONG[exercise]):]
        where[exercise] = [free[i] if i < len(free) else f"right-{i - len(free)}"
                           for i in range(len(rights))]
    return where


def answer_plan(lesson: str) -> dict[str, dict[str, str]]:
    """{student id: {exercise: body}}: every wrong answer and every correct alternative."""
    answers, plan = for_lesson(lesson), {}
    for exercise, wrongs in answers.WRONG.items():
        for index, wrong in enumerate(wrongs):
            plan.setdefault(wrong_student(lesson, exercise, index), {})[exercise] = wrong.body
    for exercise, students in right_students(lesson).items():
        for student_id, body in zip(students, answers.RIGHT[exercise], strict=True):
            plan.setdefault(student_id, {})[exercise] = body
    return plan


def wrong_here(lesson: str, student_id: str) -> set[str]:
    """The exercises answered wrongly in a submission of answer_plan."""
    return {exercise for exercise, wrongs in for_lesson(lesson).WRONG.items()
            for index in range(len(wrongs)) if wrong_student(lesson, exercise, index) == student_id}


def submissions(lesson: str) -> dict:
    answers = for_lesson(lesson)
    subs = {"reference": fill(lesson),
            "blank": fill(lesson, {exercise: None for exercise in exercises(lesson)})}
    for student_id, bodies in answer_plan(lesson).items():
        subs[student_id] = fill(lesson, bodies)
    subs["tamper-numpy"] = fill(lesson, {exercise: wrongs[0].body
                                         for exercise, wrongs in answers.WRONG.items()},
                                prelude=TAMPER_WITH_NUMPY)
    return subs


def pytest_generate_tests(metafunc):
    # Every test names its lesson in its id, so `pytest -k 01-derivative` selects it.
    metafunc.parametrize("lesson", [metafunc.cls.lesson], scope="class")
    if "wrong" in metafunc.fixturenames:
        cases = [(exercise, index)
                 for exercise, wrongs in for_lesson(metafunc.cls.lesson).WRONG.items()
                 for index in range(len(wrongs))]
        metafunc.parametrize("wrong", cases, ids=[f"{e}-{i}" for e, i in cases])


class GradingRoundTrip:
    """The round trip for one lesson; a subclass per lesson is made below."""

    lesson: str

    @pytest.fixture(scope="class")
    def graded(self, lesson, tmp_path_factory) -> GradedCourse:
        course = GradedCourse.create(tmp_path_factory.mktemp(lesson), [lesson])
        for student_id, nb in submissions(lesson).items():
            course.submit(student_id, lesson, nb)
        course.autograde(lesson)
        course.generate_feedback(lesson)
        return course

    def test_every_exercise_has_wrong_and_right_answers_to_try(self, lesson):
        answers = for_lesson(lesson)
        assert set(answers.WRONG) == set(exercises(lesson))
        assert set(answers.RIGHT) == set(exercises(lesson))
        assert set(check_points(lesson)) == {check_of(e) for e in exercises(lesson)}

    def test_reference_answers_get_full_marks(self, lesson, graded):
        assert graded.scores(lesson, "reference") == check_points(lesson)

    def test_reference_run_shows_no_lock_or_error(self, lesson, graded):
        nb = graded.autograded(lesson, "reference")
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", cell.source
                text = output.get("text", "")
                assert "🔒" not in text and "⚠" not in text, (cell.source, text)
                assert output.get("name") != "stderr" or cell.metadata.get(
                    "nbgrader", {}).get("grade") is not True, (cell.source, text)

    def test_blank_lesson_scores_zero_without_crashing(self, lesson, graded):
        scores = graded.scores(lesson, "blank")
        assert set(scores) == set(check_points(lesson))
        assert all(score == 0 for score in scores.values()), scores
        assert "You have not written" in html.unescape(graded.feedback(lesson, "blank"))

    def test_correct_alternatives_get_full_marks(self, lesson, graded):
        points = check_points(lesson)
        for exercise, students in right_students(lesson).items():
            for student_id in students:
                assert graded.scores(lesson, student_id)[check_of(exercise)] == \
                    points[check_of(exercise)], (exercise, student_id)
        for student_id in {s for students in right_students(lesson).values() for s in students}:
            if student_id.startswith("right-"):
                assert graded.scores(lesson, student_id) == points

    def test_monkeypatched_numpy_does_not_turn_wrong_answers_into_points(self, lesson, graded):
        scores = graded.scores(lesson, "tamper-numpy")
        assert all(score == 0 for score in scores.values()), scores

    def test_wrong_answer_loses_exactly_its_points_and_feedback_names_it(self, lesson, graded, wrong):
        exercise, index = wrong
        student_id = wrong_student(lesson, exercise, index)
        expected = dict(check_points(lesson),
                        **{check_of(e): 0.0 for e in wrong_here(lesson, student_id)})
        assert graded.scores(lesson, student_id) == expected

        hint = for_lesson(lesson).WRONG[exercise][index].hint
        check_cell = cells_by_id(graded.autograded(lesson, student_id))[check_of(exercise)]
        shown = "".join("\n".join(o.get("traceback", [])) for o in check_cell.outputs)
        # messages wrap at word boundaries, so a hint may span lines
        assert flat(hint) in flat(shown), shown
        assert flat(hint) in flat(html.unescape(graded.feedback(lesson, student_id)))


# One test class per lesson, e.g. Test_01_derivative: pytest-xdist's `--dist loadscope`
# then grades different lessons on different workers, each lesson's course built once.
for _lesson in LESSONS:
    _name = "Test_" + _lesson.replace("-", "_")
    globals()[_name] = type(_name, (GradingRoundTrip,), {"lesson": _lesson})
