"""Build lessons/ from solutions/ through nbgrader's generate_assignment.

    python -m grader build           regenerate every lessons/NN-slug/NN-slug.ipynb
    python -m grader build --check   exit 1 if lessons/ differs from a fresh build

The build also normalises the sources in solutions/ (outputs stripped, Python 3
kernelspec), so a maintainer can save a notebook with outputs and rebuild.
nbgrader writes into a temporary folder without a gradebook, so the build never
touches the instructor's gradebook.db.

Reference code one lesson gives another has one source (as d2l builds its helper
package from marked cells): a cell of lesson A whose metadata holds
``"pigs": {"export": "NAME"}`` exports its code; a cell of lesson B holding
``"pigs": {"import": "A:NAME"}`` gets, below its own leading comment lines, the code of
every cell A exports under NAME, in order (`exported_code`). The build writes it into
solutions/B before it builds lessons/; `--check` fails while they differ.
docs/authoring.md, "Code one lesson gives another".
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from grader import notebooks
from grader.errors import CourseError
from grader.nbgrader_cli import run_nbgrader

CHECKOUT = Path(__file__).resolve().parents[1]  # the folder this package was loaded from


def is_course(folder: Path) -> bool:
    return (folder / "nbgrader_config.py").is_file() and any(
        (folder / name).is_dir() for name in ("solutions", "lessons"))


def find_repo(start: Path | None = None) -> Path:
    """The course repository (nbgrader_config.py and solutions/ or lessons/): the nearest
    folder up from `start` (the working directory). The learner's commands look in this
    package's CHECKOUT first (workspace.course_root)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_course(folder):
            return folder
    raise CourseError(f"No course repository (solutions/ + nbgrader_config.py) above {here}.")


def lesson_ids(repo: Path) -> list[str]:
    """Lesson folders in solutions/ that hold a notebook of the same name."""
    return notebooks.lesson_ids(repo / "solutions")


def _pigs(cell) -> dict:
    """The course's own cell metadata (export and import of given code)."""
    return cell.get("metadata", {}).get("pigs", {})


def _leading_comments(source: str) -> tuple[list[str], list[str]]:
    """(the comment lines a cell's source starts with, the rest without leading blanks)."""
    lines = source.split("\n")
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    rest = lines[head:]
    while rest and not rest[0].strip():
        rest.pop(0)
    return lines[:head], rest


def _solution_markers() -> tuple[str, str]:
    from nbgrader.preprocessors import ClearSolutions

    traits = ClearSolutions.class_traits()
    return (traits["begin_solution_delimeter"].default(),
            traits["end_solution_delimeter"].default())


# "Exercise 3. " at the start of a docstring: the figures read it to say "Finish
# Exercise 3"; in the lesson the code is given to, it is no exercise.
EXERCISE_WORDS = re.compile(r'^(\s*[rRuU]?""")Exercise \d+\.\s*', re.MULTILINE)


def exported_code(nb, name: str) -> str:
    """The code a solution notebook exports under `name`: each marked cell in order,
    without its leading comment lines, its solution markers (nbgrader's) or its
    docstring's "Exercise N."; cells separated by two blank lines."""
    markers = _solution_markers()
    pieces = []
    for cell in nb.cells:
        if _pigs(cell).get("export") == name:
            _, lines = _leading_comments(cell.source)
            code = "\n".join(line for line in lines if not any(m in line for m in markers))
            pieces.append(EXERCISE_WORDS.sub(r"\1", code).rstrip())
    return "\n\n\n".join(pieces)


def _fill_imports(repo: Path, nb) -> list[str]:
    """Write into each importing cell of `nb` the code it imports; return a line for
    each cell that changed."""
    changed = []
    for cell in nb.cells:
        spec = _pigs(cell).get("import")
        if not spec:
            continue
        lesson, _, name = spec.partition(":")
        source = repo / "solutions" / lesson / f"{lesson}.ipynb"
        code = exported_code(notebooks.read(source), name) if source.is_file() else ""
        if not code:
            raise CourseError(f"A cell imports {spec!r}, but solutions/{lesson}/ has no "
                              f"notebook with a cell exporting {name!r}.")
        own, _ = _leading_comments(cell.source)
        wanted = "\n".join(own) + "\n\n\n" + code if own else code
        if cell.source != wanted:
            cell.source = wanted
            grade_id = notebooks.nbgrader_meta(cell).get("grade_id", "?")
            changed.append(f"cell {grade_id!r} differs from what {lesson} exports as {name!r}")
    return changed


def _normalised_sources(repo: Path, check: bool) -> list[str]:
    """Strip outputs from solutions/ and fill in imported code, in place; return what
    needed it."""
    dirty = []
    for lesson in lesson_ids(repo):
        path = repo / "solutions" / lesson / f"{lesson}.ipynb"
        before = path.read_text()
        nb = notebooks.strip(notebooks.read(path))
        imports = _fill_imports(repo, nb)
        after = notebooks.text(nb)
        if before != after:
            rel = path.relative_to(repo)
            dirty += [f"{rel}: {why}" for why in imports] or [
                f"not normalised (outputs or metadata): {rel}"]
            if not check:
                path.write_text(after)
    return dirty


def generate(repo: Path, out: Path) -> dict[str, str]:
    """Run generate_assignment for every lesson into `out`; return {relative path: text}."""
    # One nbgrader process for all lessons ("*"), and no gradebook: 3 s instead of 8 s
    # a lesson, and the instructor's gradebook.db is never touched.
    run_nbgrader("generate_assignment", "*", "--no-db", "--force", "--log-level=WARN",
                 f"--CourseDirectory.root={repo}",
                 f"--CourseDirectory.release_directory={out}", cwd=repo)
    built: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = str(path.relative_to(out))
        if path.suffix == ".ipynb":
            built[rel] = notebooks.text(notebooks.tag_exercises(notebooks.strip(notebooks.read(path))))
        else:
            built[rel] = path.read_text()
    return built


def current_lessons(repo: Path) -> dict[str, str]:
    lessons = repo / "lessons"
    return {str(p.relative_to(lessons)): p.read_text()
            for p in sorted(lessons.rglob("*")) if p.is_file()
            and ".ipynb_checkpoints" not in p.parts}


def build(repo: Path, check: bool = False) -> int:
    """Build (or with check=True, compare); return a process exit code."""
    dirty = _normalised_sources(repo, check)
    with tempfile.TemporaryDirectory(prefix="pigs-build-") as tmp:
        fresh = generate(repo, Path(tmp))
    existing = current_lessons(repo)
    if check:
        stale = sorted(k for k in fresh.keys() | existing.keys() if fresh.get(k) != existing.get(k))
        for problem in dirty:
            print(problem)
        for rel in stale:
            print(f"differs from a fresh build: lessons/{rel}")
        if dirty or stale:
            print("Run `python -m grader build` and commit the result.")
            return 1
        print(f"lessons/ matches a fresh build of {len(lesson_ids(repo))} lesson(s).")
        return 0
    for rel in existing.keys() - fresh.keys():
        (repo / "lessons" / rel).unlink()
    for rel, content in fresh.items():
        target = repo / "lessons" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    for folder in (repo / "lessons").iterdir():
        if folder.is_dir() and not any(folder.rglob("*.ipynb")):
            shutil.rmtree(folder)
    print(f"Built {len(fresh)} file(s) into lessons/ from {len(lesson_ids(repo))} lesson(s).")
    return 0
