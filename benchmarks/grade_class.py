"""Benchmark: autograde a synthetic class sequentially (plain `nbgrader autograde`) and in
parallel (`python -m grader autograde`), in the same run; check the results are identical.

    python benchmarks/grade_class.py                 # 60 students x the first 2 lessons
    python benchmarks/grade_class.py --students 20 --jobs 2

Builds one temporary nbgrader course with the submissions (student i: every answer, the
first half, nothing, or the first typical wrong answer of tests/answers/, by i mod 4),
copies it, grades one copy with `nbgrader autograde LESSON` per lesson and the other
with `grader.autograde.autograde(jobs=N)`, then generates feedback in both and compares
the gradebooks (every grade, comment, timestamp, penalty) and every feedback file.
Prints seconds per notebook for both, their ratio, and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader import autograde as grading  # noqa: E402
from grader import settings  # noqa: E402
from grader.build import lesson_ids  # noqa: E402
from grader.feedback import comparable  # noqa: E402
from grader.nbgrader_cli import run_nbgrader  # noqa: E402
from tests.answers import for_lesson  # noqa: E402
from tests.course_under_test import GradedCourse, exercises, fill  # noqa: E402


def submission(lesson: str, i: int):
    names = exercises(lesson)
    kind = i % 4
    if kind == 0:
        return fill(lesson)
    if kind == 1:
        return fill(lesson, {e: None for e in names[len(names) // 2:]})
    if kind == 2:
        return fill(lesson, {e: None for e in names})
    try:
        wrong = for_lesson(lesson).WRONG
        exercise = names[i % len(names)]
        return fill(lesson, {exercise: wrong[exercise][0].body})
    except Exception:  # a lesson without an answer catalogue yet
        return fill(lesson, {names[0]: None})


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def feedback_files(course: Path) -> dict[str, str]:
    return {str(p.relative_to(course / "feedback")): comparable(p.read_text())
            for p in sorted((course / "feedback").rglob("*.html"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--lessons", nargs="*", default=None,
                        help="default: the first two lessons in solutions/")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary courses")
    args = parser.parse_args(argv)
    lessons = args.lessons or lesson_ids(REPO)[:2]
    tmp = Path(tempfile.mkdtemp(prefix="pigs-bench-"))
    try:
        (tmp / "sequential").mkdir()
        course = GradedCourse.create(tmp / "sequential", lessons)
        for i in range(args.students):
            for lesson in lessons:
                course.submit(f"student{i:03d}", lesson, submission(lesson, i))
        shutil.copytree(tmp / "sequential", tmp / "parallel")
        notebooks = args.students * len(lessons)
        print(f"{args.students} students x {len(lessons)} lessons ({', '.join(lessons)}) = "
              f"{notebooks} notebooks; before: {load()}", flush=True)

        started = time.perf_counter()
        for lesson in lessons:
            run_nbgrader("autograde", lesson, "--log-level=WARN", cwd=tmp / "sequential",
                         check=False)
        sequential = time.perf_counter() - started
        print(f"sequential nbgrader autograde: {sequential:.1f} s, "
              f"{sequential / notebooks:.2f} s per notebook; {load()}", flush=True)

        started = time.perf_counter()
        grading.autograde(tmp / "parallel", lessons, jobs=args.jobs,
                          say=lambda line: "merged" in line and print(f"  {line}", flush=True))
        parallel = time.perf_counter() - started
        print(f"python -m grader autograde --jobs {args.jobs}: {parallel:.1f} s, "
              f"{parallel / notebooks:.2f} s per notebook; {load()}", flush=True)
        print(f"speed-up: {sequential / parallel:.2f}x", flush=True)

        for side in ("sequential", "parallel"):
            for lesson in lessons:
                run_nbgrader("generate_feedback", lesson, "--log-level=WARN", cwd=tmp / side)
        same_grades = (grading.gradebook_rows(tmp / "sequential" / settings.GRADEBOOK)
                       == grading.gradebook_rows(tmp / "parallel" / settings.GRADEBOOK))
        a, b = feedback_files(tmp / "sequential"), feedback_files(tmp / "parallel")
        same_feedback = a == b and len(a) == notebooks
        print(f"identical gradebooks: {same_grades}; identical feedback "
              f"({len(a)} files): {same_feedback}", flush=True)
        return 0 if same_grades and same_feedback else 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
