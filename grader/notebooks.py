"""Small, shared operations on notebook files (read, normalise, write)."""

from __future__ import annotations

from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# JupyterLab (and nbval) keep running after a cell with this tag raises, so *Run All*
# on a blank lesson goes past unfinished exercises to the plots and widgets below them.
RAISES_TAG = "raises-exception"


def lesson_ids(folder: Path) -> list[str]:
    """The lessons in `folder` (solutions/, lessons/ or work/): its subfolders that hold a
    notebook of the same name, sorted (so in course order: 00-…, 01-…)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / f"{p.name}.ipynb").is_file())


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def text(nb: nbformat.NotebookNode) -> str:
    """The exact text a normalised notebook is stored as."""
    return nbformat.writes(nb) + "\n"


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_exercise(cell) -> bool:
    """A cell the learner writes (solution) or that grades them (check)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("solution") or meta.get("grade"))


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """No outputs, no execution counts, the Python 3 kernelspec, minimal metadata."""
    nb.metadata = nbformat.from_dict({
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
    })
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def tag_exercises(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code" and is_exercise(cell):
            tags = cell.metadata.setdefault("tags", [])
            if RAISES_TAG not in tags:
                tags.append(RAISES_TAG)
    return nb
