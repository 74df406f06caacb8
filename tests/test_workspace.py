"""The learner's work/ folder: updates never overwrite answers; reset restores one exercise."""

from __future__ import annotations

import os
import shutil

import nbformat
import pytest

from grader import cli, learner_lab, notebooks, workspace
from tests.course_under_test import REPO

LESSON = "01-derivative"
ANSWER = "return sales[1:] - sales[:-1]  # my answer"


@pytest.fixture
def course(tmp_path):
    """A course folder with the real lessons/, as a learner's clone has it."""
    shutil.copytree(REPO / "lessons", tmp_path / "lessons")
    workspace.update(tmp_path)
    return tmp_path


def cell(nb, grade_id):
    return next(c for c in nb.cells if notebooks.nbgrader_meta(c).get("grade_id") == grade_id)


def edit(course, grade_id, source):
    path = course / "work" / LESSON / f"{LESSON}.ipynb"
    nb = notebooks.read(path)
    cell(nb, grade_id).source = source
    nbformat.write(nb, path)
    return path


def test_update_copies_every_lesson_and_a_quiet_nbgrader_config(course):
    for released in (course / "lessons").rglob("*.ipynb"):
        copy = course / "work" / released.relative_to(course / "lessons")
        assert copy.read_text() == released.read_text()
    assert (course / "work" / "nbgrader_config.py").is_file()


def test_an_update_keeps_every_answer_and_adds_new_lessons(course):
    path = edit(course, "yearly_growth", ANSWER)
    edited = path.read_text()
    # A `git pull` changes lesson 1 and brings a new lesson.
    released = course / "lessons" / LESSON / f"{LESSON}.ipynb"
    nb = notebooks.read(released)
    nb.cells[0].source += "\n\nA correction from the course."
    nbformat.write(nb, released)
    shutil.copytree(course / "lessons" / LESSON, course / "lessons" / "99-new")
    (course / "lessons" / "99-new" / f"{LESSON}.ipynb").rename(
        course / "lessons" / "99-new" / "99-new.ipynb")

    added = workspace.update(course)

    assert added == [course / "work" / "99-new" / "99-new.ipynb"]
    assert path.read_text() == edited
    assert ANSWER in cell(notebooks.read(path), "yearly_growth").source


def test_reset_restores_one_exercise_and_keeps_the_rest(course):
    edit(course, "average_rate", "return 42")
    path = edit(course, "yearly_growth", ANSWER)

    backup = workspace.reset(course, LESSON, "yearly_growth")

    nb = notebooks.read(path)
    blank = notebooks.read(course / "lessons" / LESSON / f"{LESSON}.ipynb")
    assert cell(nb, "yearly_growth").source == cell(blank, "yearly_growth").source
    assert cell(nb, "average_rate").source == "return 42"
    assert ANSWER in cell(notebooks.read(backup), "yearly_growth").source
    assert len(nb.cells) == len(blank.cells)


def test_reset_puts_back_deleted_exercise_and_check_cells_in_place(course):
    path = course / "work" / LESSON / f"{LESSON}.ipynb"
    nb = notebooks.read(path)
    order = [notebooks.nbgrader_meta(c).get("grade_id") for c in nb.cells]
    nb.cells = [c for c in nb.cells if notebooks.nbgrader_meta(c).get("grade_id")
                not in ("tangent_line", "check_tangent_line")]
    nbformat.write(nb, path)

    workspace.reset(course, LESSON, "tangent_line")

    restored = [notebooks.nbgrader_meta(c).get("grade_id") for c in notebooks.read(path).cells]
    assert restored.index("check_tangent_line") == restored.index("tangent_line") + 1
    assert len(restored) == len(order)


def test_reset_explains_an_unknown_exercise_or_lesson(course):
    with pytest.raises(workspace.WorkspaceError, match="Its exercises: yearly_growth, average_rate"):
        workspace.reset(course, LESSON, "yearly_grwoth")
    with pytest.raises(workspace.WorkspaceError, match="no lesson '07-nope' in work/"):
        workspace.reset(course, "07-nope", "train")


def test_the_command_line_says_the_problem_on_stderr_and_exits_with_1(course, monkeypatch,
                                                                      capsys):
    monkeypatch.setattr(workspace, "course_root", lambda: course)
    assert cli.main(["reset", LESSON, "yearly_grwoth"]) == 1
    said = capsys.readouterr()
    assert said.err.startswith(f"pigs-to-backprop: lesson {LESSON} has no exercise"), said
    assert said.out == ""


def test_reset_refuses_a_broken_notebook_without_touching_it(course):
    path = course / "work" / LESSON / f"{LESSON}.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(workspace.WorkspaceError, match="is not a readable notebook"):
        workspace.reset(course, LESSON, "yearly_growth")
    assert path.read_text() == '{"cells": ['


def test_start_opens_the_first_lesson_in_work_with_jupyterlab(course, monkeypatch):
    launched = {}
    monkeypatch.setattr(workspace.os, "execvpe",
                        lambda file, args, env: launched.update(args=args, env=env))
    monkeypatch.chdir(course)
    workspace.start(course, None, ["--no-browser"])
    work = course / "work"
    assert launched["args"] == ["jupyter", "lab", f"--ServerApp.root_dir={work}",
                                str(work / "00-numpy" / "00-numpy.ipynb"), "--no-browser"]
    assert workspace.Path.cwd() == work


@pytest.mark.parametrize("argv, lesson, options", [
    (["start"], None, []),
    (["start", "--port", "8899"], "", ["--port", "8899"]),
    (["start", "02-gradient-descent", "--port=8899"], "02-gradient-descent", ["--port=8899"]),
])
def test_start_passes_jupyter_options_with_or_without_a_lesson(argv, lesson, options,
                                                               monkeypatch):
    called = {}
    monkeypatch.setattr(workspace, "main", lambda command, args: called.update(
        command=command, lesson=args.lesson, options=args.jupyter_args) or 0)
    assert cli.main(argv) == 0
    assert called == {"command": "start", "lesson": lesson, "options": options}


def launched_by_start(course, monkeypatch) -> dict:
    launched = {}
    monkeypatch.setattr(workspace.os, "execvpe",
                        lambda file, args, env: launched.update(args=args, env=env))
    monkeypatch.chdir(course)
    workspace.start(course, None, [])
    return launched


def test_start_gives_jupyterlab_the_student_settings_first(course, monkeypatch):
    """No instructor tools, no news (grader/learner_lab.py); the learner's settings after."""
    shutil.copytree(REPO / learner_lab.STUDENT_CONFIG, course / learner_lab.STUDENT_CONFIG)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/etc/jupyter/somewhere")
    env = launched_by_start(course, monkeypatch)["env"]
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(course / learner_lab.STUDENT_CONFIG), "/etc/jupyter/somewhere"]


def test_start_without_the_student_settings_still_opens_jupyterlab(course, monkeypatch, capsys):
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    launched = launched_by_start(course, monkeypatch)
    assert launched["args"][:2] == ["jupyter", "lab"]
    assert "JUPYTER_CONFIG_PATH" not in launched["env"]
    assert "instructor tools (Create Assignment, Formgrader): ignore them" in capsys.readouterr().err
