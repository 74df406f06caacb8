"""How far a learner has got: run their own lesson notebooks headless and read the checks.

    pigs-to-backprop progress [LESSON ...] [--folder work]

or, inside a notebook, `grader.progress.show()` (work/progress.ipynb has that cell).

Each lesson notebook, as last saved, runs in a fresh kernel on an in-memory copy: no
file of the learner's is written, and no nbgrader database is needed. A check cell
that runs without an error has passed and earns its points (the same rule as nbgrader's
autograde, without the hidden tests an instructor adds).

Speed (benchmarks/learner_speed.py): a learner usually changed one lesson since the
last run, so
- each lesson's result is cached in `cache_dir()`: $XDG_CACHE_HOME/pigs-to-backprop/
  progress/ (~/.cache/pigs-to-backprop/progress/ by default), one JSON file per
  lesson, keyed by a hash of the notebook's bytes, the course code (`course/` and its
  datasets), the cell timeout and CACHE_VERSION. A lesson whose key is unchanged is not
  run again; a run that stopped (a timeout, a dead kernel) is never cached, since it
  may depend on the machine's load. `collect` uses no cache unless given one (tests);
  `main` and `show` use `cache_dir()`;
- the lessons that must run, run in parallel, one kernel per core;
- their kernels draw no figures (MPLBACKEND=module://course.headless: `plt.show()`
  closes a figure without rendering it; outputs are discarded anyway) and are killed
  as soon as the last cell's reply is in (NotebookRunner's immediate shutdown).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from grader import notebooks, settings
from grader.kernels import NotebookRunner

CELL_TIMEOUT = settings.CELL_TIMEOUT
CACHE_VERSION = 1  # bump when what a cached result means changes
HEADLESS_BACKEND = "module://course.headless"


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


def kernel_env() -> dict:
    """The environment of progress's kernels: ours, with figures closed unrendered."""
    return {**os.environ, "MPLBACKEND": HEADLESS_BACKEND}


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
        client.execute(stderr=subprocess.DEVNULL, env=kernel_env())
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
    return [folder / name / f"{name}.ipynb" for name in notebooks.lesson_ids(folder)
            if not lessons or name in lessons]


def cache_dir() -> Path:
    """Where `main` and `show` keep each lesson's last result (see the module docstring)."""
    from platformdirs import user_cache_path

    return user_cache_path("pigs-to-backprop") / "progress"


def course_version(root: Path | None = None) -> str:
    """A hash of the course code the kernels import: `course/` (or `root`) and its
    datasets (found without importing `course`, which would import matplotlib here)."""
    from importlib.util import find_spec

    root = root or Path(find_spec("course").origin).parent
    # Installed, the datasets are course/datasets/; in an editable install, ../datasets/.
    files = [p for p in root.rglob("*") if p.suffix in (".py", ".csv")]
    files += list((root.parent / "datasets").glob("*.csv"))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _cache_key(path: Path, version: str, timeout: int) -> str:
    content = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{CACHE_VERSION}:{timeout}:{version}:{content}"


def _cached(cache: Path, path: Path, key: str) -> LessonProgress | None:
    try:
        stored = json.loads((cache / f"{path.stem}.json").read_text())
    except (OSError, ValueError):
        return None
    if stored.get("key") != key:
        return None
    result = stored["result"]
    return LessonProgress(result["lesson"], [Check(**c) for c in result["checks"]],
                          result["problem"])


def _store(cache: Path, path: Path, key: str, result: LessonProgress) -> None:
    if result.problem:  # a timeout or a dead kernel may not happen next time
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{path.stem}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps({"key": key, "result": asdict(result)}))
        temporary.replace(cache / f"{path.stem}.json")
    except OSError:
        pass  # no cache, no harm: the lesson runs again next time


def collect(folder: Path, lessons: list[str] | None = None, cache: Path | None = None,
            timeout: int = CELL_TIMEOUT) -> list[LessonProgress]:
    """Every lesson's progress, in order. Lessons whose cached result in `cache` is
    current are not run; the others run in parallel (one kernel per core)."""
    paths = lesson_paths(folder, lessons)
    version = course_version() if cache is not None else ""
    keys = {path: _cache_key(path, version, timeout) for path in paths} if cache else {}
    results = {path: _cached(cache, path, keys[path]) for path in keys}
    todo = [path for path in paths if results.get(path) is None]
    with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
        for path, result in zip(todo, pool.map(lambda p: lesson_progress(p, timeout), todo),
                                strict=True):
            results[path] = result
            if cache is not None:
                _store(cache, path, keys[path], result)
    return [results[path] for path in paths]


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

    results = collect(_default_folder() if folder is None else Path(folder), cache=cache_dir())
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
    print(render_text(collect(target, lessons, cache=cache_dir())))
    return 0
