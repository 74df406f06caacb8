"""`pigs-to-backprop progress`: the learner's own notebooks, run headless, summarised."""

from __future__ import annotations

import nbformat
import pytest

from grader import progress
from tests.course_under_test import check_points, exercises, fill

LESSON = "01-derivative"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A work folder: lesson 1 half done (two right, one wrong, the rest blank)."""
    folder = tmp_path_factory.mktemp("work")
    names = exercises(LESSON)
    answers = {name: None for name in names[2:]}
    answers[names[2]] = "return f(x + h) - f(x)"  # forgot to divide by h
    (folder / LESSON).mkdir()
    nbformat.write(fill(LESSON, answers), folder / LESSON / f"{LESSON}.ipynb")
    (folder / "02-broken").mkdir()
    (folder / "02-broken" / "02-broken.ipynb").write_text('{"cells": [')
    return folder


@pytest.fixture(scope="module")
def results(work):
    before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    found = progress.collect(work)
    after = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    assert after == before, "progress changed the learner's files"
    return {r.lesson: r for r in found}


def test_each_exercise_passes_or_fails_with_its_points(results):
    lesson = results[LESSON]
    names = exercises(LESSON)
    assert [c.name for c in lesson.checks] == names
    assert [c.passed for c in lesson.checks] == [True, True] + [False] * (len(names) - 2)
    points = check_points(LESSON)
    assert lesson.possible == sum(points.values())
    assert lesson.earned == points[f"check_{names[0]}"] + points[f"check_{names[1]}"]


def test_first_failing_check_message_is_the_checks_own(results):
    first = results[LESSON].first_failure
    assert first.startswith("forward_difference: called")
    assert "forgot to divide by h" in first


def test_a_broken_notebook_is_reported_not_fatal(results):
    assert "not a readable notebook" in results["02-broken"].problem
    assert results["02-broken"].checks == []


def test_text_report(results, capsys):
    text = progress.render_text(list(results.values()))
    assert f"{LESSON}: 2/6 exercises pass, 4/12 points" in text
    assert "  ✔ yearly_growth (2 points)" in text and "  ✘ tangent_line (2 points)" in text
    assert "Total: 4/12 points" in text


def test_a_kernel_that_dies_stops_the_lesson_with_a_reason(tmp_path):
    (tmp_path / LESSON).mkdir()
    nb = fill(LESSON, {exercises(LESSON)[1]: "import os\nos._exit(1)"})
    nbformat.write(nb, tmp_path / LESSON / f"{LESSON}.ipynb")
    [result] = progress.collect(tmp_path)
    assert result.problem == ("a cell stopped the Python kernel (exit(), os._exit(), a crash "
                              "or too much memory), so the lesson stopped there")
    assert result.checks[0].passed and not any(c.passed for c in result.checks[1:])
    assert result.checks[1].message.startswith("this check stopped the Python kernel")
    assert all(c.message == "not run" for c in result.checks[2:])


def test_a_check_that_hangs_fails_and_says_so(tmp_path):
    (tmp_path / LESSON).mkdir()
    nb = fill(LESSON, {exercises(LESSON)[1]: "while True:\n    pass"})
    nbformat.write(nb, tmp_path / LESSON / f"{LESSON}.ipynb")
    # 8 s: ample for every other cell of lesson 1 (each takes under 1 s), even on a busy machine
    result = progress.lesson_progress(tmp_path / LESSON / f"{LESSON}.ipynb", timeout=8)
    assert result.problem == ("a cell ran longer than 8 s (an endless loop?), so the lesson "
                              "stopped there")
    assert [c.passed for c in result.checks[:2]] == [True, False]
    assert result.checks[1].message == "this check ran longer than 8 s (an endless loop?)"


def test_show_in_a_notebook_draws_a_table_and_a_chart(work, results):
    import matplotlib.pyplot as plt

    shown = progress.show(work)
    assert [r.lesson for r in shown] == ["01-derivative", "02-broken"]
    assert plt.gcf().axes[0].get_xlabel() == "points"
    table = progress.render_html(list(results.values()))
    assert "<td>01-derivative</td><td>2/6</td><td>4/12</td>" in table
