"""Benchmark: the README's test command, timed, with the time broken down by area.

    python benchmarks/suite_time.py              # the whole suite, as `pytest` runs it
    python benchmarks/suite_time.py -- -k judge  # extra pytest arguments after --

Runs pytest once (the project's own options: every core, --dist loadscope) with a JUnit
report, then prints the wall time and, per area (a test file, or the solution notebooks
under nbval), the tests, their summed time (setup + call + teardown, so a class- or
module-scoped fixture such as a graded course counts once, in the test that built it)
and its share. On 2 workers the summed time is about twice the wall time: the areas
with the largest sums are where cutting pays. Compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def area(case: ET.Element) -> str:
    """tests/test_grading.py, or 'solutions (nbval)', for one <testcase>."""
    name = case.get("classname", "")
    if name.startswith("solutions") or case.get("file", "").endswith(".ipynb"):
        return "solutions (nbval)"
    module = name.split(".")[:2]
    return "/".join(module) + ".py" if module and module[0] == "tests" else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q",
                               f"--junitxml={report}", *args.pytest_args], cwd=REPO)
        wall = time.perf_counter() - started
        root = ET.parse(report).getroot()
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for case in root.iter("testcase"):
        totals[area(case)] += float(case.get("time", 0))
        counts[area(case)] += 1
    summed = sum(totals.values())
    print(f"\nwall time {wall:.0f} s for {sum(counts.values())} tests on {os.cpu_count()} "
          f"cores; summed test time {summed:.0f} s (exit code {done.returncode})")
    print(f"{'area':<42} {'tests':>6} {'seconds':>8} {'share':>6}")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{name:<42} {counts[name]:>6} {seconds:>8.1f} {seconds / summed:>6.0%}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
