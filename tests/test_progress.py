"""`pigs-to-backprop progress`: the learner's own notebooks, run headless, summarised."""

from __future__ import annotations

import nbformat
import pytest

from grader import progress, settings
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
    assert lesson.earned == points[settings.check_id(names[0])] + points[settings.check_id(names[1])]


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


# --- the cache: only what changed runs again -------------------------------------------------
def tiny_lesson(folder, name, check="assert answer() == 42"):
    """A one-exercise lesson: a solution cell and its check cell (1 point)."""
    meta = {"nbgrader": {"grade": True, "grade_id": settings.check_id(name), "points": 1,
                         "solution": False, "locked": True}}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def answer():\n    return 42"),
                                         nbformat.v4.new_code_cell(check, metadata=meta)])
    (folder / name).mkdir(exist_ok=True)
    nbformat.write(nb, folder / name / f"{name}.ipynb")


@pytest.fixture
def runs(monkeypatch):
    """The lessons `collect` actually runs (in a kernel), in order."""
    ran, run = [], progress.lesson_progress
    monkeypatch.setattr(progress, "lesson_progress",
                        lambda path, *args: ran.append(path.stem) or run(path, *args))
    return ran


def test_the_cache_runs_again_only_a_changed_lesson(tmp_path, runs):
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    tiny_lesson(work, "a-lesson")
    tiny_lesson(work, "b-lesson")
    first = progress.collect(work, cache=cache)
    assert sorted(runs) == ["a-lesson", "b-lesson"]
    assert [c.passed for r in first for c in r.checks] == [True, True]

    runs.clear()
    assert progress.collect(work, cache=cache) == first and runs == []  # nothing changed

    tiny_lesson(work, "b-lesson", check="assert answer() == 41, 'not 41'")
    again = progress.collect(work, cache=cache)
    assert runs == ["b-lesson"]
    assert again[0] == first[0]
    assert again[1].checks[0].message == "not 41" and not again[1].checks[0].passed


def test_without_a_cache_every_lesson_runs(tmp_path, runs):
    tiny_lesson(tmp_path, "a-lesson")
    progress.collect(tmp_path)
    progress.collect(tmp_path)
    assert runs == ["a-lesson", "a-lesson"]


def test_a_changed_course_file_invalidates_the_cache(tmp_path, runs, monkeypatch):
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    tiny_lesson(work, "a-lesson")
    progress.collect(work, cache=cache)
    # The version is a hash of course/ and its datasets: any change to a file changes it.
    course = tmp_path / "copy" / "course"
    course.mkdir(parents=True)
    (course / "widgets.py").write_text("SIZE = 1\n")
    (tmp_path / "copy" / "datasets").mkdir()
    (tmp_path / "copy" / "datasets" / "circles.csv").write_text("x1,x2\n0,1\n")
    versions = [progress.course_version(course)]
    (course / "widgets.py").write_text("SIZE = 2\n")
    versions.append(progress.course_version(course))
    (tmp_path / "copy" / "datasets" / "circles.csv").write_text("x1,x2\n0,2\n")
    versions.append(progress.course_version(course))
    assert len(set(versions)) == 3
    assert progress.course_version() == progress.course_version()  # the real one is stable

    monkeypatch.setattr(progress, "course_version", lambda: "a changed course")
    runs.clear()
    progress.collect(work, cache=cache)
    assert runs == ["a-lesson"]


def test_a_run_that_stopped_is_not_cached(tmp_path, runs):
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    tiny_lesson(work, "a-lesson", check="import os\nos._exit(1)")
    for _ in range(2):
        [result] = progress.collect(work, cache=cache)
        assert "stopped the Python kernel" in result.problem
    assert runs == ["a-lesson", "a-lesson"]


def test_progress_kernels_draw_no_figures(tmp_path):
    tiny_lesson(tmp_path, "a-lesson", check=(
        "import matplotlib, matplotlib.pyplot as plt\n"
        "plt.plot([1, 2]); plt.show()\n"
        "assert matplotlib.get_backend() == 'module://course.headless', matplotlib.get_backend()\n"
        "assert plt.get_fignums() == []  # closed by show, not rendered"))
    [result] = progress.collect(tmp_path)
    assert result.checks[0].passed, result.checks[0].message
