"""`python -m grader build`: code one lesson gives another comes from one source.

Lesson 7's read-only `given_network` cell is lesson 6's given cell and reference
answers, written by the build (grader/build.py, docs/authoring.md "Code one lesson
gives another")."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from grader import build, notebooks
from grader.errors import CourseError
from tests.course_under_test import REPO

EXPORTED = ["given_functions", "init_params", "dense_forward", "forward", "dense_backward",
            "backward", "update"]


def cell(nb, grade_id):
    return next(c for c in nb.cells if notebooks.nbgrader_meta(c).get("grade_id") == grade_id)


def solution(lesson: str, folder=REPO):
    return notebooks.read(folder / "solutions" / lesson / f"{lesson}.ipynb")


def test_lesson_7s_given_network_is_lesson_6s_reference_code():
    lesson6, given = solution("06-backprop"), cell(solution("07-training"), "given_network")
    exported = build.exported_code(lesson6, "network")
    assert given.source.endswith("\n\n\n" + exported)
    assert given.source.startswith("# Lessons 4-6, given (read-only)")
    for grade_id in EXPORTED:  # every reference answer, and the given cell's code
        source = cell(lesson6, grade_id).source
        if "### BEGIN SOLUTION\n" in source:
            code = source.split("### BEGIN SOLUTION\n")[1].split("    ### END SOLUTION")[0]
        else:
            code = source.split("\n", 1)[1].strip()  # without its "# Given: ..." line
        assert code.rstrip() in exported, grade_id
    assert "SOLUTION" not in given.source and "Exercise" not in given.source
    compile(given.source, "given_network", "exec")
    # still a read-only cell the learner cannot edit and nbgrader does not grade
    assert notebooks.nbgrader_meta(given) == {**notebooks.nbgrader_meta(given), "locked": True,
                                              "grade": False, "solution": False}
    released = cell(notebooks.read(REPO / "lessons" / "07-training" / "07-training.ipynb"),
                    "given_network")
    assert released.source == given.source and notebooks.nbgrader_meta(released)["locked"]


@pytest.fixture
def course(tmp_path):
    """A copy of the course with lessons 6 and 7 only (the build is quicker)."""
    for lesson in ("06-backprop", "07-training"):
        for top in ("solutions", "lessons"):
            shutil.copytree(REPO / top / lesson, tmp_path / top / lesson)
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    return tmp_path


def test_a_changed_lesson_6_answer_reaches_lesson_7_through_the_build(course, capsys):
    path = course / "solutions" / "06-backprop" / "06-backprop.ipynb"
    nb = notebooks.read(path)
    old = "value - learning_rate * grads"
    assert old in cell(nb, "update").source
    cell(nb, "update").source = cell(nb, "update").source.replace(old, "value - 1.0 * learning_rate * grads")
    path.write_text(notebooks.text(nb))

    assert build.build(course, check=True) == 1
    assert ("solutions/07-training/07-training.ipynb: cell 'given_network' differs from what "
            "06-backprop exports as 'network'") in capsys.readouterr().out
    assert build.build(course) == 0
    for top in ("solutions", "lessons"):
        nb7 = notebooks.read(course / top / "07-training" / "07-training.ipynb")
        assert "value - 1.0 * learning_rate * grads" in cell(nb7, "given_network").source, top
    assert build.build(course, check=True) == 0


def test_an_import_of_nothing_stops_the_build_with_a_message(course):
    path = course / "solutions" / "07-training" / "07-training.ipynb"
    nb = notebooks.read(path)
    cell(nb, "given_network").metadata["pigs"] = {"import": "06-backprop:nothing"}
    path.write_text(notebooks.text(nb))
    with pytest.raises(CourseError, match="no notebook with a cell exporting 'nothing'"):
        build.build(course, check=True)


def test_exported_code_drops_comments_markers_and_exercise_numbers():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# Given (read-only).\n\ndef f(x):\n    return x",
                                  metadata={"pigs": {"export": "tools"}}),
        nbformat.v4.new_code_cell("def g(x):\n    return 0", metadata={}),
        nbformat.v4.new_code_cell('def h(x):\n    """Exercise 2. Twice x."""\n'
                                  "    ### BEGIN SOLUTION\n    return 2 * x\n"
                                  "    ### END SOLUTION\n",
                                  metadata={"pigs": {"export": "tools"}}),
    ])
    assert build.exported_code(nb, "tools") == (
        'def f(x):\n    return x\n\n\ndef h(x):\n    """Twice x."""\n    return 2 * x')


def test_build_outside_a_course_says_so_and_exits_with_1(tmp_path):
    done = subprocess.run([sys.executable, "-m", "grader", "build", "--check"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("No course repository (solutions/ + nbgrader_config.py)")
    assert "Traceback" not in done.stderr
