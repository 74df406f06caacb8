"""Unit tests of the classroom modules (the end-to-end runs are in test_classroom.py and
test_hostile_submissions.py; the integrity scanner's in test_integrity.py): pre-flight
reasons, shards, the hidden-test filter, and ResilientExecute on a small notebook."""

from __future__ import annotations

import nbformat
import pytest

from grader import autograde as grading
from grader import feedback, settings


def graded_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata.nbgrader = {"grade_id": "x", "solution": True}
    nb.cells.append(cell)
    return nb


@pytest.mark.parametrize("files, reason", [
    ({}, "No notebook named lesson.ipynb was submitted. It holds no notebook."),
    ({"other.ipynb": "graded"}, "It holds other.ipynb"),
    ({"lesson.ipynb": ""}, "empty file"),
    ({"lesson.ipynb": '{"cells": ['}, "could not be read as a notebook"),
    ({"lesson.ipynb": "plain"}, "none of the lesson's graded cells"),
])
def test_preflight_says_why_a_submission_cannot_be_graded(tmp_path, files, reason):
    for name, kind in files.items():
        nb = graded_notebook() if kind == "graded" else nbformat.v4.new_notebook()
        text = nbformat.writes(nb) if kind in ("graded", "plain") else kind
        (tmp_path / name).write_text(text)
    assert reason in grading.preflight(tmp_path, ["lesson"])


def test_preflight_accepts_a_good_notebook_and_an_old_format_one(tmp_path):
    (tmp_path / "lesson.ipynb").write_text(nbformat.writes(graded_notebook()))
    assert grading.preflight(tmp_path, ["lesson"]) is None
    old = nbformat.convert(graded_notebook(), 3)
    (tmp_path / "lesson.ipynb").write_text(nbformat.writes(old, version=3))
    assert grading.preflight(tmp_path, ["lesson"]) is None


def test_shards_split_students_evenly_and_never_empty():
    assert grading._shards(["a", "b", "c"], 2) == [["a", "c"], ["b"]]
    assert grading._shards(["a"], 4) == [["a"]]


def test_hidden_tests_become_one_comment_line():
    source = ("with checks.exercise(1, 'f') as ex:\n    ex.check(1, expect=2)\n"
              "    ### BEGIN HIDDEN TESTS\n    ex.check(3, expect=4)\n"
              "    ### END HIDDEN TESTS\n")
    hidden = feedback.hide_hidden_tests(source)
    assert "ex.check(3" not in hidden and "HIDDEN" not in hidden
    assert hidden.splitlines() == ["with checks.exercise(1, 'f') as ex:",
                                   "    ex.check(1, expect=2)", f"    {feedback.NOTE}"]


def test_resilient_execute_caps_memory_and_output_and_survives_a_dead_kernel(tmp_path):
    cells = ["import sys, time\nprint('a', flush=True)\ntime.sleep(0.2)\nprint('b')\n"
             "print('x' * 5000)",
             "import numpy\nhog = numpy.ones(2 * 2**30 // 8)",
             "print('still here')",
             "import os\nos._exit(1)",
             "print('never')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    run = grading.ResilientExecute(timeout=settings.CELL_TIMEOUT, memory_limit_mb=1024, max_output_chars=1000)
    polls = []  # the grading kernel's client polls in short slices (grader.kernels)
    run.on_cell_execute = lambda **_: polls.append(run.kc.shell_channel.get_msg.__name__)
    nb, _ = run.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert set(polls) == {"get_msg_in_slices"}
    out = [c.outputs for c in nb.cells]
    assert len(out[0]) == 1 and out[0][0].text.startswith("a\nb\nxxx")  # one stream output
    assert len(out[0][0].text) < 1100 and "output cut" in out[0][0].text
    assert out[1][-1].ename == "MemoryError"
    assert out[2][0].text == "still here\n"
    assert out[3][-1].ename == "KernelDied"
    assert [o.ename for o in out[4]] == ["NotRun"]


def test_gradebook_writes_raise_no_sqlalchemy_warnings(tmp_path):
    """nbgrader's add_submission autoflushes half-built objects; grader.autograde does not
    let it (the "not in session" warnings of SQLAlchemy 2)."""
    import shutil
    import warnings

    from tests.course_under_test import GradedCourse

    course = GradedCourse.create(tmp_path, ["01-derivative"])
    (tmp_path / "submitted" / "zed" / "01-derivative").mkdir(parents=True)
    shutil.copy(tmp_path / settings.GRADEBOOK, tmp_path / "copy.db")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grading._zero_grades(course.root, "01-derivative", "zed")
        grading.merge_gradebook(tmp_path / settings.GRADEBOOK, tmp_path / "copy.db",
                                [("01-derivative", "zed")])
    assert course.scores("01-derivative", "zed") == {
        name: 0.0 for name in course.scores("01-derivative", "zed")}
