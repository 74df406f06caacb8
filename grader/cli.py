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
    args = parser.parse_args(argv)

    if args.command == "build":
        from grader.build import build as run_build
        from grader.build import find_repo

        return run_build(find_repo(), check=args.check)
    return 2


if __name__ == "__main__":
    sys.exit(main())
