"""Run nbgrader commands from Python, the same way everywhere in the course.

nbgrader shells out to `alembic` to set up its database and looks for it on PATH, so a
caller who did not activate the virtual environment gets a confusing failure. Every
call goes through `run_nbgrader`, which puts this interpreter's `bin/` first on PATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


class NbgraderError(RuntimeError):
    """An nbgrader command failed; the message holds its output."""


def environment() -> dict[str, str]:
    env = os.environ.copy()
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(*args: str, cwd: Path | str, check: bool = True,
                 timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` in `cwd`; raise NbgraderError with its log if it fails."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # Output goes to files, not pipes: a process that outlives nbgrader (a learner's
    # kernel child, were it to escape its sandbox) and keeps a pipe open would make
    # subprocess wait for the pipe's end forever; a file ends when nbgrader does.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        returncode = subprocess.run(command, cwd=cwd, env=environment(), stdout=out,
                                    stderr=err, stdin=subprocess.DEVNULL,
                                    timeout=timeout).returncode
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, returncode, out.read(), err.read())
    if check and done.returncode != 0:
        raise NbgraderError(f"`nbgrader {' '.join(args)}` failed in {cwd}:\n"
                            f"{done.stdout}\n{done.stderr}")
    return done
