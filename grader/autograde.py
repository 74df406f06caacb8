"""Autograde a class: robust against bad submissions, and in parallel across the cores.

    python -m grader autograde [LESSON ...] [--jobs N] [--force]

Two parts, used together:

1. `ResilientExecute`, nbgrader's `Execute` preprocessor with four additions. The
   course's `nbgrader_config.py` puts it in place of `Execute`, so plain
   `nbgrader autograde` uses it too (and the parallel command below gives the same
   gradebook as the sequential one, by construction):

   - **a kernel that dies** (`os._exit`, `exit()`, killed for memory) no longer makes
     nbgrader delete the student's autograded copy: the cell that killed it gets an
     error output saying so, every later code cell gets a "not run" error (so a check
     that never ran can never count as passed), and grading goes on;
   - **a kernel that stops answering** after a cell timeout (a loop that swallows
     KeyboardInterrupt) is treated the same way, instead of every later cell timing out;
   - **a memory cap** (`memory_limit_mb`, an address-space rlimit set in the kernel
     process before it starts, and in the sandbox a cgroup's cap on all its processes
     together where one can be made): a memory hog gets a MemoryError, the machine survives;
     each kernel also gets one BLAS thread (the parallelism is one kernel per core);
   - **an output cap** (`max_output_chars` per output; nbgrader's own LimitOutput
     counts lines only, so one 50 MB line would go through to the feedback);
   - **the judge** (`grader/judge.py`): check cells never run in the learner's kernel.
     Each one runs here, from the gradebook's copy of its source (hidden tests
     included), and calls the learner's functions in the kernel over the wire; only
     plain data comes back. Read-only cells (imports, given functions) run in both.
   - **a time budget per notebook** (`notebook_timeout`): a notebook whose cells keep
     running just under the cell timeout stops when the budget is spent.

2. `autograde(course, lessons, jobs)`, a wrapper around the `nbgrader autograde`
   command line:

   - **pre-flight**: a submission whose notebook is missing, renamed, empty, not JSON
     or not a notebook is not given to nbgrader; it gets a zero for every check in the
     gradebook, and a recorded reason (`autograde_problems.json`, shown by the command
     and turned into the student's feedback by `python -m grader feedback`);
   - **any other submission nbgrader fails on** is recorded the same way, with the
     lines of nbgrader's log that name it, instead of disappearing;
   - **parallel**: SQLite does not take concurrent writers (nbgrader's FAQ) and
     nbgrader has no parallel mode (jupyter/nbgrader#174), so the students are split
     into `jobs` shards; each shard is one `nbgrader autograde` process (all lessons,
     or one per lesson)
     (`--CourseDirectory.student_id_exclude` = everyone else) writing into its own copy
     of gradebook.db; the grades, comments, timestamps and late penalties of each
     shard's submissions are then copied into gradebook.db, one writer at a time.
     `submitted/` is only ever read.

With `--jobs 1` it is one `nbgrader autograde` per lesson on gradebook.db itself.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer

from grader import notebooks, sandbox, settings
from grader.errors import CourseError
from grader.judge import Judge, KernelCaller, KernelGone
from grader.kernels import ShortPolls
from grader.nbgrader_cli import run_nbgrader
from grader.sanitize import SanitizeNotebook, student_id_problem

PROBLEMS_FILE = "autograde_problems.json"
COALESCE_STREAMS = CoalesceStreamsPreprocessor()  # nbconvert's: merges stream outputs, applies \r


# --- 1. the preprocessor -------------------------------------------------------------
def _cap_memory(limit_bytes: int) -> None:  # pragma: no cover - runs in the kernel's child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def _error(name: str, message: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=name, evalue=message,
                                  traceback=[f"{name}: {message}"])


class ResilientExecute(ShortPolls, Execute):
    """nbgrader's Execute that survives dead kernels and caps memory and output."""

    memory_limit_mb = Integer(
        settings.MEMORY_LIMIT_MB, help="Address-space limit of each grading kernel, in MiB (0: none)."
    ).tag(config=True)
    max_output_chars = Integer(
        settings.MAX_OUTPUT_CHARS, help="Longest text kept from one output; the rest is cut (-1: no limit)."
    ).tag(config=True)
    responsive_timeout = Integer(
        10, help="Seconds a kernel has to answer after a cell timed out before it is "
                 "considered stuck and the rest of the notebook is marked as not run."
    ).tag(config=True)
    unsafe_no_sandbox = Bool(
        False, help="UNSAFE: run students' kernels without the bubblewrap sandbox, with "
                    "this account's rights (they could read the course, the gradebook and "
                    "other students' work). Only for a machine without bubblewrap where "
                    "every submission is trusted."
    ).tag(config=True)
    notebook_timeout = Integer(
        settings.NOTEBOOK_TIMEOUT, help="Seconds all the cells of one notebook may take together (0: no limit)."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        if self.unsafe_no_sandbox:
            self.log.warning("UNSAFE: grading kernels run WITHOUT the sandbox "
                             "(ResilientExecute.unsafe_no_sandbox)")
        else:
            sandbox.check_available()
            self.kernel_manager_class = sandbox.SandboxedKernelManager
        self._stopped: str | None = None
        self._nbgrader = (resources or {}).get("nbgrader") or {}
        self._path = ((resources or {}).get("metadata") or {}).get("path") or ""
        self._trusted = trusted_cells(resources or {})
        self._judge: Judge | None = None
        self._deadline = (time.monotonic() + self.notebook_timeout
                          if self.notebook_timeout > 0 else None)
        return super().preprocess(nb, resources, km)

    def _get_timeout(self, cell) -> int | None:
        """The cell timeout, or less when the notebook's budget is nearly spent."""
        timeout = super()._get_timeout(cell)
        if self._deadline is None:
            return timeout
        left = max(1, int(self._deadline - time.monotonic()))
        return left if timeout is None else min(timeout, left)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if isinstance(km, sandbox.SandboxedKernelManager):
            if not km.visible_paths:
                km.visible_paths = sandbox.kernel_side_paths()
            if not km.memory_limit_mb:  # the cap of the whole sandbox, where it can be
                km.memory_limit_mb = self.memory_limit_mb
            if not km.submission_dir:
                km.submission_dir = self._submitted_folder()
        return km

    def _submitted_folder(self) -> str:
        """The submission as the student sent it (submitted/<student>/<lesson>): the
        kernel's private copy is made from it, never from autograded/, whose notebook
        nbgrader has already given back its hidden tests. Empty if there is none."""
        info = getattr(self, "_nbgrader", None) or {}
        here = Path(getattr(self, "_path", "") or ".")
        if info.get("student") and here.parent.name == info["student"]:
            folder = here.parent.parent.parent / "submitted" / info["student"] / here.name
            if folder.is_dir():
                return str(folder)
        return ""

    async def async_start_new_kernel(self, **kwargs):
        if self.memory_limit_mb > 0 and os.name == "posix":
            kwargs.setdefault("preexec_fn",
                              functools.partial(_cap_memory, self.memory_limit_mb * 2**20))
        # One BLAS thread per kernel: the parallelism is one kernel per core, and on a
        # many-core machine OpenBLAS's per-thread buffers would eat the address-space cap.
        env = dict(kwargs.get("env") or os.environ)
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(name, "1")
        kwargs["env"] = env
        return await super().async_start_new_kernel(**kwargs)

    # nbclient's sync wrapper is bound to the base class's coroutine: rebind it to ours.
    start_new_kernel = run_sync(async_start_new_kernel)

    async def _async_silent(self, code: str, timeout: float) -> bool:
        """Run code in the kernel without output or history; False if it did not answer."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=1))
            except Empty:
                if not await ensure_async(self.km.is_alive()):
                    return False
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    _silent = run_sync(_async_silent)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if not self._stopped and self._deadline is not None and time.monotonic() > self._deadline:
            self._stopped = (f"Not run: the notebook used up its time budget of "
                             f"{self.notebook_timeout} s.")
        if self._stopped:
            cell.outputs = [_error("NotRun", self._stopped)]
            return cell, resources
        meta = notebooks.nbgrader_meta(cell)
        trusted = self._trusted.get(meta.get("grade_id"))
        if meta.get("grade"):
            return self._judge_check(cell, trusted, index), resources
        if trusted is not None:
            self._the_judge().given(trusted)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(_error(
                "KernelDied",
                "The Python kernel died while running this cell (os._exit, exit(), a crash "
                "or too much memory). Nothing after it could run."))
            self._stopped = f"Not run: the kernel died in an earlier cell (cell {index + 1})."
        except CellTimeoutError:  # nbclient raises it when the output took too long to come
            cell.outputs.append(_error("CellTimeoutError", "This cell ran too long, or its "
                                       "output (too much printing?) took too long to arrive."))
            self._stop_if_stuck(index)
        else:
            if self._timed_out(cell):
                self._stop_if_stuck(index)
        # One output per run of stdout (or stderr) text: how the kernel happened to flush
        # it must not change the notebook, so two gradings give the same feedback.
        cell, resources = COALESCE_STREAMS.preprocess_cell(cell, resources, index)
        self._limit_size(cell)
        return cell, resources

    def _the_judge(self) -> Judge:
        if self._judge is None:
            self._judge = Judge(KernelCaller(self.kc, self.km, self.timeout or settings.CELL_TIMEOUT))
        return self._judge

    def _judge_check(self, cell, source: str | None, index: int):
        """A check cell: judged in this process (grader/judge.py), never run in the kernel."""
        cell.execution_count = None
        if source is None:
            cell.outputs = [_error("NotGraded", "This check cell is not in the gradebook, so "
                                   "it has no trusted source: it earns nothing.")]
            return cell
        try:
            cell.outputs, _ = self._the_judge().check(source, notebooks.nbgrader_meta(cell)["grade_id"])
        except KernelGone as gone:
            why = "died" if str(gone) == "died" else "stopped answering"
            cell.outputs = [_error("KernelDied", f"The Python kernel {why} while this check "
                                   "called your function. Nothing after it could run.")]
            self._stopped = f"Not run: the kernel {why} in an earlier cell (cell {index + 1})."
        self._limit_size(cell)
        return cell

    def _stop_if_stuck(self, index: int) -> None:
        """After a timeout: go on if the kernel answers, else mark the rest as not run."""
        if not self._silent("pass", self.responsive_timeout):
            self._stopped = (f"Not run: cell {index + 1} ran too long and the kernel did not "
                             "stop when interrupted.")

    @staticmethod
    def _timed_out(cell) -> bool:
        return any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError"
                   for o in cell.get("outputs", []))

    def _limit_size(self, cell) -> None:
        limit = self.max_output_chars
        if limit < 0:
            return
        note = f"\n… output cut: more than {limit} characters …\n"
        for output in cell.get("outputs", []):
            if isinstance(output.get("text"), str) and len(output.text) > limit:
                output.text = output.text[:limit] + note
            for mime, value in list(output.get("data", {}).items()):
                if isinstance(value, str) and len(value) > limit:
                    output.data[mime] = value[:limit] + note
            if "traceback" in output and sum(map(len, output.traceback)) > limit:
                output.traceback = [line[:limit] for line in output.traceback[:20]] + [note]


def trusted_cells(resources: dict) -> dict[str, str]:
    """{grade_id: source} of the notebook's read-only cells, check cells included, as
    the gradebook holds them: the instructor's own text, never the submission's."""
    from nbgrader.api import Gradebook, MissingEntry

    info = resources.get("nbgrader") or {}
    if not info.get("db_url"):
        return {}
    with Gradebook(info["db_url"]) as gb:
        try:
            source = gb.find_notebook(info["notebook"], info["assignment"])
        except MissingEntry:
            return {}
        grade_ids = {c.name for c in source.grade_cells}
        return {c.name: c.source for c in source.source_cells
                if c.cell_type == "code" and (c.locked or c.name in grade_ids)}


class RestoreCellMetadata(NbGraderPreprocessor):
    """Put back the nbgrader flags of every known cell before OverwriteCells runs.

    nbgrader restores a changed `points` and `locked`, but not a check cell whose
    `grade` (or a cell whose `solution`) flag the learner turned off: the checksum then
    cannot match and nbgrader drops the whole submission ("Inconsistent checksums").
    Here every cell whose grade_id the gradebook knows gets the gradebook's flags and
    points back, and a cell with a grade_id the gradebook does not know (renamed by the
    learner) loses its nbgrader metadata, so it is an ordinary cell and earns nothing.
    """

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        submitted = Path(resources.get("metadata", {}).get("path") or ".")
        links = symbolic_links(submitted) if submitted.name != "." else []
        if links:  # plain `nbgrader autograde` (grader autograde refuses them in preflight)
            raise ValueError(f"Not graded: the submission holds symbolic links {links[:3]}")
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            try:
                source = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return nb, resources
            grades = {c.name: float(c.max_score) for c in source.grade_cells}
            tasks = {c.name: float(c.max_score) for c in source.task_cells}
            solutions = {c.name for c in source.solution_cells}
            locked = {c.name: c.locked for c in source.source_cells}
        for cell in nb.cells:
            # Not notebooks.nbgrader_meta: an empty {} is removed here like any unknown cell.
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta is None:
                continue
            grade_id = meta.get("grade_id")
            if grade_id not in locked:
                if any(meta.get(k) for k in ("grade", "solution", "task", "locked")):
                    self.log.warning("Cell %r is not in the gradebook: graded as an ordinary "
                                     "cell", grade_id)
                del cell.metadata["nbgrader"]
                continue
            meta["grade"] = grade_id in grades
            meta["solution"] = grade_id in solutions
            meta["locked"] = locked[grade_id]
            if grade_id in tasks or meta.get("task"):
                meta["task"] = grade_id in tasks
            points = grades.get(grade_id, tasks.get(grade_id))
            if points is not None and float(meta.get("points", -1)) != points:
                meta["points"] = points
        return nb, resources


def sanitize_preprocessors() -> list:
    """nbgrader's sanitize preprocessors with RestoreCellMetadata before OverwriteCells."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import OverwriteCells

    default = Autograde.class_traits()["sanitize_preprocessors"].default()
    at = default.index(OverwriteCells)
    return [*default[:at], RestoreCellMetadata, *default[at:]]


def autograde_preprocessors() -> list:
    """nbgrader's autograde preprocessors with Execute replaced by ResilientExecute, then
    SanitizeNotebook: nothing a student wrote or printed runs in Formgrader, which renders
    the autograded notebook."""
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    return [*(ResilientExecute if p is Execute else p for p in default), SanitizeNotebook]


# --- 2. the class-size wrapper -----------------------------------------------------------
class GradingRefused(RuntimeError):
    """The course cannot be graded as it is; the message says what to change."""


@dataclass
class Outcome:
    graded: list[tuple[str, str]] = field(default_factory=list)  # (lesson, student)
    problems: dict[tuple[str, str], str] = field(default_factory=dict)
    seconds: float = 0.0


def _db_path(course: Path) -> Path:
    return course / settings.GRADEBOOK


_url = settings.gradebook_url


def released_notebooks(course: Path) -> dict[str, list[str]]:
    """{lesson: [notebook names]} as nbgrader's gradebook knows them."""
    from nbgrader.api import Gradebook

    with Gradebook(_url(_db_path(course))) as gb:
        return {a.name: sorted(n.name for n in a.notebooks) for a in gb.assignments}


def symbolic_links(folder: Path) -> list[str]:
    """Symbolic links in a submission folder (nbgrader's copy into autograded/ would follow
    them: a link to solutions/ or gradebook.db would bring the answers along)."""
    if not folder.is_dir():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_symlink())


def preflight(folder: Path, names: Iterable[str]) -> str | None:
    """Why nbgrader could not grade this submission folder, or None if it can try."""
    links = symbolic_links(folder)
    if links:
        return (f"The submission holds symbolic links ({', '.join(links[:3])}), which grading "
                "does not follow: submit the files themselves.")
    found = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    for name in names:
        path = folder / f"{name}.ipynb"
        if not path.is_file():
            others = f" It holds {', '.join(found)}." if found else " It holds no notebook."
            return (f"No notebook named {name}.ipynb was submitted.{others} Submit the lesson "
                    "notebook under its original name.")
        if path.stat().st_size == 0:
            return f"{name}.ipynb is an empty file (0 bytes): it was not saved before submitting."
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as error:  # not JSON, not a notebook, unknown version
            first = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
            return (f"{name}.ipynb could not be read as a notebook "
                    f"({type(error).__name__}: {first}). Open it in JupyterLab to check it, "
                    "or fetch a fresh copy and redo the work.")
        if not any(notebooks.nbgrader_meta(c) for c in nb.cells):
            return (f"{name}.ipynb has none of the lesson's graded cells: it is not the "
                    "lesson notebook, or its cells were deleted.")
    return None


def _zero_grades(course: Path, lesson: str, student: str) -> None:
    """A grade row for a submission nothing could run on: 0 for every check."""
    from nbgrader.api import Gradebook

    folder = course / "submitted" / student / lesson
    timestamp = _read_timestamp(folder / "timestamp.txt")
    with Gradebook(_url(_db_path(course))) as gb:
        gb.update_or_create_student(student)
        kwargs = {"timestamp": timestamp} if timestamp else {}
        submission = _submission(gb, lesson, student, **kwargs)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
        gb.db.commit()


def _submission(gb, lesson: str, student: str, **kwargs):
    """gb.update_or_create_submission without SQLAlchemy's "not in session" warnings.

    nbgrader's add_submission builds the submission's notebooks, grades and comments
    as objects linked to ones already in the session, and adds the submission only at
    the end. Each query it makes on the way (find_assignment, the notebooks' cells)
    autoflushes the session, and SQLAlchemy 2 warns that the half-built, linked objects
    are not in it yet. Nothing is lost (they are added a moment later), so the fix is
    to not flush while nbgrader builds them."""
    with gb.db.no_autoflush:
        return gb.update_or_create_submission(lesson, student, **kwargs)


def _read_timestamp(path: Path):
    if not path.is_file():
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(path.read_text().strip())
    except Exception:
        return None


def merge_gradebook(source: Path, target: Path, jobs: Iterable[tuple[str, str]]) -> None:
    """Copy what autograde wrote for `jobs` ((lesson, student) pairs) from one db to another."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(_url(source)) as src, Gradebook(_url(target)) as dst:
        for lesson, student in jobs:
            try:
                submission = src.find_submission(lesson, student)
            except MissingEntry:
                continue
            who = submission.student
            dst.update_or_create_student(student, first_name=who.first_name,
                                         last_name=who.last_name, email=who.email,
                                         lms_user_id=who.lms_user_id)
            _submission(dst, lesson, student, timestamp=submission.timestamp)
            for nb in submission.notebooks:
                target_nb = dst.find_submission_notebook(nb.name, lesson, student)
                target_nb.flagged = nb.flagged
                target_nb.late_submission_penalty = nb.late_submission_penalty
                for grade in nb.grades:
                    other = dst.find_grade(grade.name, nb.name, lesson, student)
                    other.auto_score, other.manual_score = grade.auto_score, grade.manual_score
                    other.extra_credit = grade.extra_credit
                    other.needs_manual_grade = grade.needs_manual_grade
                for comment in nb.comments:
                    other = dst.find_comment(comment.name, nb.name, lesson, student)
                    other.auto_comment = comment.auto_comment
                    other.manual_comment = comment.manual_comment
            dst.db.commit()


def gradebook_rows(db: Path) -> list[tuple]:
    """Everything autograde writes to a gradebook, as sorted rows (to compare two runs)."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(_url(db)) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                key = (assignment.name, submission.student.id)
                rows.append((*key, "submission", str(submission.timestamp)))
                for nb in submission.notebooks:
                    rows.append((*key, nb.name, "notebook", nb.flagged,
                                 nb.late_submission_penalty))
                    for g in nb.grades:
                        rows.append((*key, nb.name, "grade", g.name, g.auto_score,
                                     g.manual_score, g.extra_credit, g.needs_manual_grade))
                    for c in nb.comments:
                        rows.append((*key, nb.name, "comment", c.name, c.auto_comment,
                                     c.manual_comment))
    return sorted(rows, key=repr)


def load_problems(course: Path) -> dict[tuple[str, str], str]:
    path = course / PROBLEMS_FILE
    if not path.is_file():
        return {}
    return {(p["lesson"], p["student"]): p["reason"] for p in json.loads(path.read_text())}


def _save_problems(course: Path, problems: dict[tuple[str, str], str]) -> None:
    rows = [{"lesson": lesson, "student": student, "reason": reason}
            for (lesson, student), reason in sorted(problems.items())]
    (course / PROBLEMS_FILE).write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")


def _shards(students: list[str], jobs: int) -> list[list[str]]:
    """One shard per job, students dealt round-robin: 60 students on 2 cores grade 1.96×
    faster than sequential nbgrader (benchmarks/). Shards once looked uneven, 272 s
    against 343 s; that was nbclient's stall, fixed in grader/kernels.py, not the deal."""
    return [s for s in (students[i::jobs] for i in range(jobs)) if s]


def _run_shard(course: Path, lessons: list[str], shard: list[str], everyone: list[str],
               db: Path, extra: list[str], released: Iterable[str] = ()) -> str:
    exclude = ",".join(s for s in everyone if s not in shard)
    log = []
    # Every lesson of the gradebook: one nbgrader process for all (each start costs ~2 s).
    for lesson in ["*"] if set(lessons) == set(released) else lessons:
        args = ["autograde", lesson, f"--CourseDirectory.db_url={_url(db)}", *extra]
        if exclude:
            args.append(f"--CourseDirectory.student_id_exclude={exclude}")
        done = run_nbgrader(*args, cwd=course, check=False)
        log.append(done.stdout + done.stderr)
    return "\n".join(log)


def _why_failed(log: str, lesson: str, student: str) -> str:
    lines = [line.strip() for line in log.splitlines()
             if "ERROR" in line and f"'{student}'" in line and lesson in line]
    detail = " ".join(lines[-3:])[:600]
    return ("nbgrader could not grade this submission" + (f": {detail}" if detail else ".")
            + " The instructor will look at it.")


def autograde(course: Path, lessons: list[str] | None = None, jobs: int = 0,
              force: bool = False, students: list[str] | None = None,
              say: Callable[[str], None] = print, unsafe_no_sandbox: bool = False) -> Outcome:
    """Autograde every submission of `lessons` in `course` (see the module docstring).

    Raises sandbox.SandboxUnavailable, before grading anything, if bubblewrap cannot
    sandbox the kernels here, unless `unsafe_no_sandbox` (then says so, loudly)."""
    started = time.perf_counter()
    if unsafe_no_sandbox:
        say("WARNING: UNSAFE: students' code runs WITHOUT the sandbox, with this account's "
            "rights (--unsafe-no-sandbox).")
    else:
        sandbox.check_available()
    course = Path(course).resolve()
    known = released_notebooks(course)
    lessons = lessons or sorted(known)
    unknown = [lesson for lesson in lessons if lesson not in known]
    if unknown:
        raise CourseError(f"Not in the gradebook (run generate_assignment first): {unknown}")
    submitted = course / "submitted"
    everyone = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    unsafe = {s: why for s in everyone if (why := student_id_problem(s))}
    if any("," in s for s in unsafe):
        raise GradingRefused(
            "submitted/ holds a folder whose name contains a comma, which nbgrader cannot "
            "leave out of grading (student_id_exclude is comma-separated): "
            f"{sorted(s for s in unsafe if ',' in s)!r}. Move it out of submitted/ and run again.")
    for student, why in sorted(unsafe.items()):
        # Not recorded as a problem either: that would put the id in the gradebook, and
        # Formgrader shows ids unescaped (grader/sanitize.py).
        say(f"SKIPPED submitted/{student!r}: unsafe student id ({why}); not graded and not "
            "added to the gradebook. Rename the folder to the student's real id.")
    chosen = [s for s in everyone if s not in unsafe and (students is None or s in students)]
    outcome = Outcome()
    problems = load_problems(course)
    todo: list[tuple[str, str]] = []
    for lesson in lessons:
        for student in chosen:
            folder = submitted / student / lesson
            if not folder.is_dir():
                continue
            problems.pop((lesson, student), None)
            reason = preflight(folder, known[lesson])
            if reason:
                outcome.problems[(lesson, student)] = reason
            else:
                todo.append((lesson, student))

    # nbgrader's own skip rule (autograded copy newer than the submission) still applies.
    extra = ["--force"] if force else []
    extra.append("--log-level=INFO")
    if unsafe_no_sandbox:
        extra.append("--ResilientExecute.unsafe_no_sandbox=True")
    grading = sorted({s for _, s in todo})
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(grading) or 1))
    logs: list[str] = []
    if grading and jobs == 1:
        logs.append(_run_shard(course, lessons, grading, everyone, _db_path(course), extra,
                               known))
    elif grading:
        with tempfile.TemporaryDirectory(prefix="pigs-autograde-") as tmp:
            shards = _shards(grading, jobs)
            dbs = [Path(tmp) / f"shard-{i}.db" for i in range(len(shards))]
            for db in dbs:
                shutil.copy(_db_path(course), db)
            with ThreadPoolExecutor(max_workers=len(shards)) as pool:
                logs = list(pool.map(
                    lambda i: _run_shard(course, lessons, shards[i], everyone, dbs[i], extra,
                                         known),
                    range(len(shards))))
            merging = time.perf_counter()
            for shard, db in zip(shards, dbs, strict=True):
                merge_gradebook(db, _db_path(course),
                                [(lesson, s) for lesson, s in todo if s in shard])
            say(f"{len(shards)} shards graded in {merging - started:.1f} s; "
                f"their gradebooks merged in {time.perf_counter() - merging:.1f} s")
    log = "\n".join(logs)
    for lesson, student in todo:
        copy = course / "autograded" / student / lesson
        if all((copy / f"{name}.ipynb").is_file() for name in known[lesson]):
            outcome.graded.append((lesson, student))
        else:
            outcome.problems[(lesson, student)] = _why_failed(log, lesson, student)
    for (lesson, student), reason in outcome.problems.items():
        _zero_grades(course, lesson, student)
        problems[(lesson, student)] = reason
        say(f"PROBLEM {lesson} {student}: {reason}")
    _save_problems(course, problems)
    outcome.seconds = time.perf_counter() - started
    say(f"Autograded {len(outcome.graded)} submission(s) with {jobs} job(s) in "
        f"{outcome.seconds:.1f} s; {len(outcome.problems)} problem(s) recorded in "
        f"{PROBLEMS_FILE}.")
    return outcome


def main(course: str | None, lessons: list[str], jobs: int, force: bool,
         unsafe_no_sandbox: bool = False) -> int:
    root = Path(course or ".").resolve()
    if not _db_path(root).is_file():
        raise CourseError(f"No gradebook.db in {root}: run this from the course directory "
                         "after `nbgrader generate_assignment` (or pass --course).")
    try:
        autograde(root, lessons or None, jobs=jobs, force=force,
                  unsafe_no_sandbox=unsafe_no_sandbox)
    except sandbox.SandboxUnavailable as problem:
        print(f"Not grading: students' kernels must run in a bubblewrap sandbox. {problem}\n"
              "(To grade trusted work without it: --unsafe-no-sandbox.)")
        return 2
    except GradingRefused as problem:
        print(f"Not grading: {problem}")
        return 2
    return 0

