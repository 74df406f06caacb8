"""Answers the grading tests submit, one module per lesson (`lNN_slug.py`).

Each module defines
- WRONG: {exercise grade_id: [Wrong(body, hint), ...]}: typical mistakes. Each must lose
  exactly that exercise's points, and the feedback must contain `hint`.
- RIGHT: {exercise grade_id: [body, ...]}: different but correct ways to write it.
  Each must get full marks.
A body is the code that goes between the exercise's solution markers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    body: str
    hint: str  # a piece of the message the learner must see


def for_lesson(lesson: str):
    """The answers module of a lesson id such as '01-derivative'."""
    return importlib.import_module(f"tests.answers.l{lesson.replace('-', '_')}")
