"""Learner-facing text stands alone: no lesson, README or `course/` string cites the
authoring sources (the "seed articles") a learner does not have."""

from __future__ import annotations

import ast
import json
import re

import pytest

from tests.course_under_test import REPO

SEED = re.compile(r"seed articles?|seeds/|article 00", re.IGNORECASE)


def _notebook_texts():
    for folder in ("solutions", "lessons"):
        for path in sorted((REPO / folder).glob("*/*.ipynb")):
            for number, cell in enumerate(json.loads(path.read_text())["cells"]):
                yield f"{path.relative_to(REPO)} cell {number}", "".join(cell["source"])


def _course_strings():
    for path in sorted((REPO / "course").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.relative_to(REPO)} line {node.lineno}", node.value


def _texts():
    yield "README.md", (REPO / "README.md").read_text()
    yield from _notebook_texts()
    yield from _course_strings()


def test_the_texts_are_found():
    places = [where for where, _ in _texts()]
    assert any(p.startswith("solutions/") for p in places)
    assert any(p.startswith("lessons/") for p in places)
    assert any(p.startswith("course/") for p in places)


@pytest.mark.parametrize("pattern", ["seed article", "Seed articles", "seeds/x.md", "article 003"])
def test_the_pattern_catches_each_form(pattern):
    assert SEED.search(f"as in {pattern}, the text says")


def test_no_learner_facing_text_cites_the_seed_articles():
    found = [f"{where}: {match.group(0)!r}" for where, text in _texts()
             for match in SEED.finditer(text)]
    assert not found, "learner-facing text mentions the authoring sources:\n" + "\n".join(found)
