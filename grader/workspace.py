"""The learner's own copy of the lessons, in `work/`, which no update ever overwrites.

    pigs-to-backprop start [LESSON]          copy new lessons into work/, open JupyterLab there
    pigs-to-backprop update                  copy new lessons into work/ (after a git pull)
    pigs-to-backprop reset LESSON EXERCISE   put one exercise back to its blank stub
    pigs-to-backprop progress                which exercises pass (grader/progress.py)

`lessons/` belongs to the course: `git pull` or a new release replaces it. A learner
works in `work/` (git-ignored): a file is copied there only when it does not exist yet,
so every answer survives an update, and lessons added by the update appear beside them.
A reset saves the whole notebook to `work/backups/` before it changes one exercise.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat

from grader import learner_lab, notebooks, settings
from grader.build import CHECKOUT, find_repo, is_course
from grader.errors import CourseError
from grader.nbgrader_cli import environment


class WorkspaceError(CourseError):
    """Something the learner can fix in their work/; the message says what (exit status 1)."""

    def __init__(self, message: str):
        super().__init__(f"pigs-to-backprop: {message}")


def course_root() -> Path:
    """The course folder: this package's checkout (`pip install -e .`) if it is a course,
    else grader.build.find_repo from the working directory."""
    if is_course(CHECKOUT):
        return CHECKOUT
    try:
        return find_repo()
    except CourseError:
        pass
    raise WorkspaceError("cannot find the course's lessons/ folder. Install the course with "
                         "`pip install -e .` from its folder, or run this command there.")


# nbgrader's Validate button and Assignments panel look for a config in the folder
# JupyterLab serves, and log a warning without one; the learner needs no settings.
WORK_NBGRADER_CONFIG = "# nbgrader settings for your own work: none are needed.\n"


def _progress_notebook() -> str:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(
            "# Your progress\n\nRun the cell below: it runs each of your lessons as last "
            "saved (save first, Ctrl+S) in the background and shows which exercises pass. "
            "It changes none of your files. From a terminal: `pigs-to-backprop progress`."),
        nbformat.v4.new_code_cell("import grader.progress\n\ngrader.progress.show();"),
    ])
    return notebooks.text(notebooks.strip(nb))


def update(root: Path) -> list[Path]:
    """Copy every lesson file missing from work/; never overwrite. Return what was added."""
    for name, text in (("nbgrader_config.py", WORK_NBGRADER_CONFIG),
                       ("progress.ipynb", _progress_notebook())):
        if not (root / "work" / name).exists():
            (root / "work").mkdir(exist_ok=True)
            (root / "work" / name).write_text(text)
    added = []
    for source in sorted((root / "lessons").rglob("*")):
        if not source.is_file() or ".ipynb_checkpoints" in source.parts:
            continue
        target = root / "work" / source.relative_to(root / "lessons")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            added.append(target)
    return added


def lesson_notebook(root: Path, lesson: str, folder: str = "work") -> Path:
    path = root / folder / lesson / f"{lesson}.ipynb"
    if not path.is_file():
        known = notebooks.lesson_ids(root / "lessons")
        raise WorkspaceError(f"no lesson {lesson!r} in {folder}/. Lessons: {', '.join(known)}.")
    return path


def start(root: Path, lesson: str | None, jupyter_args: list[str]) -> None:
    """Update work/, then replace this process with JupyterLab serving work/."""
    for path in update(root):
        print(f"new in work/: {path.relative_to(root)}")
    lesson = lesson or notebooks.lesson_ids(root / "lessons")[0]
    notebook = lesson_notebook(root, lesson)
    work = root / "work"
    os.chdir(work)  # nbgrader's Validate and Assignments panels treat work/ as the course
    sys.stdout.flush()  # exec replaces this process: print what it said first
    # grader/learner_lab.py: without nbgrader's instructor tools or JupyterLab's news
    command = learner_lab.command(work, notebook, jupyter_args)
    os.execvpe(command[0], command, learner_lab.environment(root, environment()))


def _cell_index(nb, grade_id: str) -> int | None:
    for index, cell in enumerate(nb.cells):
        if notebooks.nbgrader_meta(cell).get("grade_id") == grade_id:
            return index
    return None


def _read_learner_notebook(path: Path):
    try:
        return notebooks.read(path)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError) as error:
        raise WorkspaceError(f"{path} is not a readable notebook ({error}). Your last good "
                             "version may be in its .ipynb_checkpoints/ folder.") from None


def _reinsert_at(nb, released, grade_id: str, exercise: str) -> int:
    if grade_id == exercise:
        check = _cell_index(nb, settings.check_id(exercise))
        return check if check is not None else min(_cell_index(released, exercise), len(nb.cells))
    return _cell_index(nb, exercise) + 1


def reset(root: Path, lesson: str, exercise: str) -> Path:
    """Put EXERCISE's cell and its check cell back as released; keep every other cell.

    Returns the backup of the notebook as it was before the reset.
    """
    path = lesson_notebook(root, lesson)
    released = notebooks.read(lesson_notebook(root, lesson, folder="lessons"))
    nb = _read_learner_notebook(path)
    grade_ids = [exercise, settings.check_id(exercise)]
    if _cell_index(released, exercise) is None:
        ids = [notebooks.nbgrader_meta(c)["grade_id"] for c in released.cells
               if notebooks.nbgrader_meta(c).get("solution")]
        raise WorkspaceError(f"lesson {lesson} has no exercise {exercise!r}. "
                             f"Its exercises: {', '.join(ids)}.")
    backup = root / "work" / "backups" / f"{lesson}-{time.strftime('%Y%m%d-%H%M%S')}.ipynb"
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, backup)
    for grade_id in grade_ids:
        fresh = released.cells[_cell_index(released, grade_id)]
        where = _cell_index(nb, grade_id)
        if where is not None:
            nb.cells[where] = fresh
        else:  # the learner deleted it: the exercise goes before its check, the check after
            nb.cells.insert(_reinsert_at(nb, released, grade_id, exercise), fresh)
    nbformat.write(nb, path)
    return backup


def main(command: str, args) -> int:
    root = course_root()
    if command == "start":
        start(root, args.lesson, args.jupyter_args)
    elif command == "update":
        added = update(root)
        print("\n".join(f"new in work/: {p.relative_to(root)}" for p in added)
              or "work/ already has every lesson; nothing was changed.")
    elif command == "reset":
        backup = reset(root, args.lesson, args.exercise)
        print(f"Exercise {args.exercise} of {args.lesson} is blank again; the notebook as it "
              f"was is saved in {backup.relative_to(root)}.")
    return 0

