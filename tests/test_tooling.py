"""The project's own tools: lint, JupyterLab extensions, the build command, and the
README's quick start being the command CI runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.course_under_test import REPO

BIN = Path(sys.executable).parent


def run(*command: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)


def test_ruff_passes():
    done = run(sys.executable, "-m", "ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_broken_jupyterlab_extension():
    done = run(str(BIN / "jupyter"), "labextension", "list")
    listing = done.stdout + done.stderr
    assert done.returncode == 0, listing
    assert re.search(r"@jupyter-widgets/jupyterlab-manager .*enabled.*OK", listing), listing
    assert re.search(r"nbgrader.*enabled.*OK", listing), listing
    assert not re.search(r"\bX\b", listing), listing


def test_build_check_works_without_the_venv_on_path():
    env = dict(os.environ, PATH="/usr/bin:/bin")
    done = run(sys.executable, "-m", "grader", "build", "--check", env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def readme_commands() -> list[str]:
    """The commands in the README's Quick start code blocks."""
    text = (REPO / "README.md").read_text()
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for block in re.findall(r"```(?:bash|sh)?\n(.*?)```", quick_start, re.S)
            for line in block.strip().splitlines() if line.strip() and not line.startswith("#")]


def test_readme_quick_start_has_exactly_two_commands():
    commands = readme_commands()
    assert len(commands) == 2, commands
    assert commands[0].endswith("pip install -e . && pigs-to-backprop start")
    assert commands[1].endswith('pip install -e ".[test]" && pytest')


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert readme_commands()[1] in ci
