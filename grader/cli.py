"""The course's command line: `python -m grader COMMAND` (or `pigs-to-backprop COMMAND`)."""

from __future__ import annotations

import argparse
import sys

from grader.errors import CourseError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="regenerate lessons/ from solutions/")
    build.add_argument("--check", action="store_true",
                       help="change nothing; exit 1 if lessons/ differs from a fresh build")
    start = commands.add_parser("start", help="copy new lessons into work/ and open JupyterLab")
    start.add_argument("lesson", nargs="?", help="the lesson to open, e.g. 02-gradient-descent")
    start.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                       help="options for `jupyter lab`, e.g. --port 8899")
    commands.add_parser("update", help="copy lessons that are new into work/, overwrite nothing")
    reset = commands.add_parser("reset", help="put one exercise in work/ back to its blank stub")
    reset.add_argument("lesson", help="e.g. 01-derivative")
    reset.add_argument("exercise", help="the exercise's function name, e.g. yearly_growth")
    progress = commands.add_parser("progress", help="run your lessons headless; print what passes")
    progress.add_argument("lessons", nargs="*", help="only these lessons (default: all)")
    progress.add_argument("--folder", help="where your lesson folders are (default: work/)")
    _add_classroom_commands(commands)
    demo = commands.add_parser(
        "classroom-demo", help="try the course on a real JupyterHub on this machine, with "
        "temporary users (needs root; a trial, not a deployment; Ctrl+C removes it all)")
    demo.add_argument("--port", type=int, default=8000,
                      help="the hub's port on 127.0.0.1 (default: 8000)")
    demo.add_argument("--students", type=int, default=3, help="how many students (default: 3)")
    args = parser.parse_args(_lesson_before_jupyter_options(sys.argv[1:] if argv is None else argv))
    try:
        return _run(args)
    except CourseError as problem:  # the one place a problem the user can fix ends the run
        print(problem, file=sys.stderr)
        return 1


def _run(args) -> int:
    if args.command in CLASSROOM:
        return _run_classroom(args)

    if args.command == "classroom-demo":
        from grader import classroom_demo

        return classroom_demo.main(args.port, args.students)

    if args.command == "progress":
        from grader import progress as run_progress

        return run_progress.main(args.lessons, args.folder)

    if args.command in ("start", "update", "reset"):
        from grader import workspace

        return workspace.main(args.command, args)

    if args.command == "build":
        from grader.build import build as run_build
        from grader.build import find_repo

        return run_build(find_repo(), check=args.check)
    return 2


def _lesson_before_jupyter_options(argv: list[str]) -> list[str]:
    """`start --port 8899` means the first lesson: argparse alone would refuse the option
    (or take 8899 for the lesson), so an empty lesson name goes in front of it."""
    if argv[:1] == ["start"] and argv[1:2] and argv[1].startswith("-") \
            and argv[1] not in ("-h", "--help"):
        return ["start", "", *argv[1:]]
    return argv


# --- instructor commands (docs/instructors.md), run from the course directory ----------
CLASSROOM = ("autograde", "feedback", "export", "integrity")


def _add_classroom_commands(commands) -> None:
    def command(name: str, help: str):
        sub = commands.add_parser(name, help=help)
        sub.add_argument("--course", help="the nbgrader course directory (default: here)")
        return sub

    grade = command("autograde", "autograde a class in parallel; bad submissions are "
                    "recorded, never dropped")
    grade.add_argument("lessons", nargs="*", help="lessons to grade (default: all released)")
    grade.add_argument("--jobs", "-j", type=int, default=0,
                       help="parallel nbgrader processes (default: one per core)")
    grade.add_argument("--force", action="store_true", help="regrade what was graded before")
    grade.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="UNSAFE: grade without the bubblewrap sandbox (students' code "
                            "then runs with your rights); only for trusted submissions")
    feedback = command("feedback", "generate feedback without hidden tests, and a page for "
                       "every submission that could not be graded")
    feedback.add_argument("lessons", nargs="*", help="lessons (default: all released)")
    export = command("export", "grades.csv (nbgrader's) and a CSV with a column per exercise")
    export.add_argument("--to", default="grades_by_exercise.csv",
                        help="the per-exercise CSV (default: grades_by_exercise.csv)")
    integrity = command("integrity", "list learner code a check could be fooled by")
    integrity.add_argument("lessons", nargs="*", help="lessons (default: all)")
    integrity.add_argument("--json", action="store_true", help="print JSON")


def _run_classroom(args) -> int:
    if args.command == "autograde":
        from grader import autograde

        return autograde.main(args.course, args.lessons, args.jobs, args.force,
                              args.unsafe_no_sandbox)
    if args.command == "feedback":
        from grader import feedback

        return feedback.main(args.course, args.lessons)
    if args.command == "export":
        from grader import export

        return export.main(args.course, args.to)
    from grader import integrity

    return integrity.main(args.course, args.lessons, args.json)


if __name__ == "__main__":
    sys.exit(main())
