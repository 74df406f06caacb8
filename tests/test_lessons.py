"""The committed notebooks: in sync with a fresh build, stripped, and runnable blank.

(The solutions run under nbval: `testpaths` in pyproject.toml includes solutions/.)
"""

from __future__ import annotations

import json

import pytest

from grader import notebooks, settings
from grader.build import build
from grader.feedback import HIDDEN_MARKERS
from grader.kernels import NotebookRunner
from tests.course_under_test import LESSONS, REPO, student

COMMITTED_NOTEBOOKS = sorted(REPO.glob("solutions/*/*.ipynb")) + sorted(REPO.glob("lessons/*/*.ipynb"))


def test_there_are_lessons():
    assert LESSONS[:2] == ["00-numpy", "01-derivative"]  # lesson 0 (NumPy) comes first
    assert [p.parent.name for p in sorted(REPO.glob("lessons/*/*.ipynb"))] == LESSONS


def test_lessons_equal_a_fresh_build(capsys):
    assert build(REPO, check=True) == 0, capsys.readouterr().out


@pytest.mark.parametrize("path", COMMITTED_NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_notebooks_are_stripped_with_python3_kernel(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_version_hides_answers_and_hidden_tests(lesson):
    text = (REPO / "lessons" / lesson / f"{lesson}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", *HIDDEN_MARKERS):
        assert marker not in text
    stubs = [c for c in student(lesson).cells if notebooks.nbgrader_meta(c).get("solution")]
    assert stubs and all("raise NotImplementedError()" in c.source for c in stubs)


@pytest.mark.parametrize("lesson", LESSONS)
def test_blank_lesson_errors_only_in_exercise_and_check_cells(lesson):
    nb = student(lesson)
    NotebookRunner(nb, timeout=2 * settings.CELL_TIMEOUT, kernel_name="python3", allow_errors=True).execute()
    failing = [c for c in nb.cells if c.cell_type == "code"
               and any(o.output_type == "error" for o in c.outputs)]
    outside = [c.source for c in failing if not notebooks.is_exercise(c)]
    assert outside == [], "cells outside exercises raised for a learner who has not started"
    checks = [c for c in nb.cells if notebooks.nbgrader_meta(c).get("grade")]
    assert all(c in failing for c in checks), "a check cell passed on a blank lesson"
    stderr = [c.source for c in nb.cells if not notebooks.is_exercise(c)
              and any(o.get("name") == "stderr" for o in c.get("outputs", []))]
    assert stderr == [], "cells printed warnings to stderr on a blank lesson"
