"""How `pigs-to-backprop start` launches a learner's JupyterLab: no instructor tools, no news.

The launch puts the course's student configuration, `docs/hub/students/`, first on
`JUPYTER_CONFIG_PATH` for this one server (Jupyter reads that path before the user's own
folders, and nothing is written to the learner's Jupyter configuration). It is the very
folder a JupyterHub gives its students (docs/hub/jupyterhub_config.py, docs/instructors.md
"On JupyterHub"), so what a learner does not get is listed in one place:

- `jupyter_server_config.d/nbgrader-students.json`: nbgrader's Formgrader and course-list
  server extensions stay off;
- `labconfig/page_config.json` (`disabledExtensions`): nbgrader's Formgrader, Create
  Assignment and course-list plugins, and JupyterLab's announcements plugin (the "official
  Jupyter news?" pop-up and the check for new versions).

The Assignments panel and the Validate button stay. An instructor who runs plain
`jupyter lab` in the course folder keeps everything. tests/test_browser.py starts a lab
with `command` and `environment` and checks both in Chromium.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

STUDENT_CONFIG = Path("docs", "hub", "students")


def environment(root: Path, env: dict[str, str]) -> dict[str, str]:
    """`env` with the student configuration first on JUPYTER_CONFIG_PATH.

    Without that folder (a partial copy of the course) JupyterLab still opens, with the
    instructor tools, and the learner is told why: they are clutter, not a danger.
    """
    folder = root / STUDENT_CONFIG
    if not (folder / "labconfig" / "page_config.json").is_file():
        print(f"pigs-to-backprop: {folder} is missing, so JupyterLab will show nbgrader's "
              "instructor tools (Create Assignment, Formgrader): ignore them. "
              "`git checkout -- docs/hub/students` in the course folder brings it back.",
              file=sys.stderr)
        return env
    path = [str(folder), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    return {**env, "JUPYTER_CONFIG_PATH": os.pathsep.join(path)}


def command(work: Path, notebook: Path | None, jupyter_args: list[str]) -> list[str]:
    """`jupyter lab` serving `work`, opening `notebook`, with the learner's own options."""
    return ["jupyter", "lab", f"--ServerApp.root_dir={work}",
            *([str(notebook)] if notebook else []), *jupyter_args]
