"""The course's command line: `python -m grader COMMAND` (or `pigs-to-backprop COMMAND`)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="regenerate lessons/ from solutions/")
    build.add_argument("--check", action="store_true",
                       help="change nothing; exit 1 if lessons/ differs from a fresh build")
    start = commands.add_parser("start", help="copy new lessons into work/ and open JupyterLab")
    start.add_argument("lesson", nargs="?", help="the lesson to open, e.g. 02-gradient-descent")
    start.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                       help="anything after the lesson goes to `jupyter lab`")
    commands.add_parser("update", help="copy lessons that are new into work/, overwrite nothing")
    reset = commands.add_parser("reset", help="put one exercise in work/ back to its blank stub")
    reset.add_argument("lesson", help="e.g. 01-derivative")
    reset.add_argument("exercise", help="the exercise's function name, e.g. yearly_growth")
    progress = commands.add_parser("progress", help="run your lessons headless; print what passes")
    progress.add_argument("lessons", nargs="*", help="only these lessons (default: all)")
    progress.add_argument("--folder", help="where your lesson folders are (default: work/)")
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
