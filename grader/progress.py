"""How far a learner has got: run their own lesson notebooks headless and read the checks.

    pigs-to-backprop progress [LESSON ...] [--folder work]

or, inside a notebook, `grader.progress.show()` (work/progress.ipynb has that cell).

Each lesson notebook, as last saved, runs in a fresh kernel on an in-memory copy: no
file of the learner's is written, and no nbgrader database is needed. A check cell
that runs without an error has passed and earns its points (the same rule as nbgrader's
autograde, without the hidden tests an instructor adds).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from grader import notebooks, settings
from grader.kernels import NotebookRunner

CELL_TIMEOUT = settings.CELL_TIMEOUT


@dataclass
class Check:
    name: str  # the exercise's function name
    points: float
    passed: bool
    message: str = ""  # why it failed, as the check cell said it


@dataclass
class LessonProgress:
    lesson: str
    checks: list[Check] = field(default_factory=list)
    problem: str = ""  # the lesson could not be run to the end, and why

    @property
    def earned(self) -> float:
        return sum(c.points for c in self.checks if c.passed)

    @property
    def possible(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def first_failure(self) -> str:
        failed = next((c for c in self.checks if not c.passed), None)
        return self.problem or (f"{failed.name}: {failed.message}" if failed else "")


def _failure_message(cell) -> str | None:
    """The error a cell showed, condensed to its first lines; None if it has none."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [line.strip() for line in output.get("evalue", "").splitlines()
                     if not line.startswith("✘ Exercise")]  # the name is shown already
            text = " ".join(" ".join(lines).split())[:300]  # one line, single spaces
            return text or output.get("ename", "error")
    return None


def _read(path: Path):
    try:
        return notebooks.read(path)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError,
            nbformat.ValidationError) as error:
        raise ValueError(f"{path.name} is not a readable notebook ({error}); its last good "
                         "version may be in .ipynb_checkpoints/") from None


def _run(nb, folder: Path, timeout: int) -> tuple[set[int], int | None, str]:
    """Execute `nb` in place: (ids of cells that finished, id of the cell the run stopped
    in or None, the reason it stopped or "")."""
    # A cell counts as run only once its execute reply came back. Its execution_count is
    # no proof: nbclient sets it when the cell *starts*, so a check that hung or killed
    # the kernel would look like a check that passed without an error (CI caught that).
    finished: set[int] = set()
    started: list[int] = []
    client = NotebookRunner(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(folder)}},
                            on_cell_execute=lambda cell, **_: started.append(id(cell)),
                            on_cell_executed=lambda cell, **_: finished.add(id(cell)))
    try:
        # The kernel process's own stderr (ipykernel's TCP notice, "KeyboardInterrupt
        # caught" at shutdown) would only clutter the report; cell output is unaffected.
        client.execute(stderr=subprocess.DEVNULL)
    except CellTimeoutError:
        why = f"ran longer than {timeout} s (an endless loop?)"
    except DeadKernelError:
        why = "stopped the Python kernel (exit(), os._exit(), a crash or too much memory)"
    else:
        return finished, None, ""
    return finished, started[-1] if started else None, why


def lesson_progress(path: Path, timeout: int = CELL_TIMEOUT) -> LessonProgress:
    """Run one lesson notebook (in memory) and collect every check cell's verdict."""
    progress = LessonProgress(path.stem)
    try:
        nb = _read(path)
    except ValueError as error:
        progress.problem = str(error)
        return progress
    finished, stopped_in, why = _run(nb, path.parent, timeout)
    if why:
        progress.problem = f"a cell {why}, so the lesson stopped there"
    for cell in nb.cells:
        meta = notebooks.nbgrader_meta(cell)
        if not meta.get("grade") or cell.cell_type != "code":
            continue
        if id(cell) in finished:
            message = _failure_message(cell)
        else:
            message = f"this check {why}" if id(cell) == stopped_in else "not run"
        progress.checks.append(Check(meta.get("grade_id", "?").removeprefix(settings.CHECK_PREFIX),
                                     float(meta.get("points", 0)), message is None,
                                     message or ""))
    return progress


def lesson_paths(folder: Path, lessons: list[str] | None = None) -> list[Path]:
    found = sorted(p / f"{p.name}.ipynb" for p in folder.iterdir()
                   if (p / f"{p.name}.ipynb").is_file()) if folder.is_dir() else []
    return [p for p in found if not lessons or p.stem in lessons]


def collect(folder: Path, lessons: list[str] | None = None) -> list[LessonProgress]:
    return [lesson_progress(path) for path in lesson_paths(folder, lessons)]


def _points(value: float) -> str:
    return f"{value:g}"


def render_text(results: list[LessonProgress]) -> str:
    lines = []
    for lesson in results:
        passed = sum(c.passed for c in lesson.checks)
        lines.append(f"{lesson.lesson}: {passed}/{len(lesson.checks)} exercises pass, "
                     f"{_points(lesson.earned)}/{_points(lesson.possible)} points")
        lines += [f"  {'✔' if c.passed else '✘'} {c.name} ({_points(c.points)} points)"
                  for c in lesson.checks]
        if lesson.first_failure:
            lines.append(f"  first problem: {lesson.first_failure}")
    earned, possible = (sum(r.earned for r in results), sum(r.possible for r in results))
    lines.append(f"Total: {_points(earned)}/{_points(possible)} points"
                 if results else "No lesson notebooks found.")
    return "\n".join(lines)


def render_html(results: list[LessonProgress]) -> str:
    import html

    rows = "".join(
        f"<tr><td>{r.lesson}</td><td>{sum(c.passed for c in r.checks)}/{len(r.checks)}</td>"
        f"<td>{_points(r.earned)}/{_points(r.possible)}</td>"
        f"<td>{html.escape(r.first_failure)}</td></tr>" for r in results)
    return ("<table><tr><th>lesson</th><th>exercises passed</th><th>points</th>"
            f"<th>first problem</th></tr>{rows}</table>")


def show(folder: str | Path | None = None) -> list[LessonProgress]:
    """In a notebook: a table and a bar chart of every lesson in `folder` (default work/).

    It runs the notebooks as last saved: save yours first (Ctrl+S).
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    from course.style import COLORS

    results = collect(_default_folder() if folder is None else Path(folder))
    display(HTML(render_html(results)))
    if results:
        fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(results)))
        names = [r.lesson for r in results]
        ax.barh(names, [r.possible for r in results], color=COLORS["sky"], label="possible")
        ax.barh(names, [r.earned for r in results], color=COLORS["blue"], label="earned")
        ax.invert_yaxis()
        ax.set_xlabel("points")
        ax.set_ylabel("lesson")
        ax.legend(loc="lower right")
        plt.show()
    return results


def _default_folder() -> Path:
    from grader.workspace import course_root

    return course_root() / "work"


def main(lessons: list[str], folder: str | None) -> int:
    target = _default_folder() if folder is None else Path(folder)
    if not lesson_paths(target):
        print(f"No lessons in {target}. `pigs-to-backprop start` makes your copy there.")
        return 1
    print(render_text(collect(target, lessons)))
    return 0
