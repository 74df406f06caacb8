"""Every lesson in a real JupyterLab in a real browser (Chromium driven by Playwright).

Blank lessons (lessons/) open without a kernel dialog, run top to bottom with errors
only in exercise and check cells, and show live widgets whose plots follow a slider;
the solutions pass every check the same way; nbgrader's Validate button reports a
solved and a blank lesson correctly. Screenshots go to test-artifacts/screenshots/.

Needs Chromium (`apt-get install chromium`; .ci/run installs it). Without it these
tests skip, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.error
import urllib.request

import nbformat
import pytest

from grader import learner_lab, notebooks, progress, workspace
from tests.answers import for_lesson
from tests.course_under_test import LESSONS, REPO, cells_by_id, fill, student
from tests.jupyterlab import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    TOKEN,
    WIDGET_MIME,
    LabServer,
    Notebook,
    missing_browser,
)

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Chromium, driven by Playwright."""
    reason = missing_browser()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser):
    """A JupyterLab over a copy of the lessons and solutions, and a browser to drive it."""
    root = tmp_path_factory.mktemp("lab")
    for folder in ("lessons", "solutions"):
        shutil.copytree(REPO / folder, root / folder)
    server = LabServer(root)
    yield server, browser
    server.stop()


@pytest.fixture(scope="session")
def lab_page(lab):
    """One browser page for the notebook tests of this worker: JupyterLab loads once."""
    _, browser = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield page
    page.close()


@pytest.fixture
def open_notebook(lab, lab_page):
    server, _ = lab
    opened = []

    def open_alone(path: str) -> Notebook:
        if opened:
            opened[-1].close_all()
        opened.append(Notebook(lab_page, server, path))
        return opened[-1]

    yield open_alone
    if opened:
        opened[-1].close_all()
    server.shutdown_kernels()


def widget_count(nb) -> int:
    return sum(WIDGET_MIME in output.get("data", {}) for cell in nb.cells
               for output in cell.get("outputs", []))


def assert_widgets_are_live(notebook: Notebook, saved) -> None:
    """As many rendered widget views as the saved notebook has widget outputs; none
    stuck on "Loading widget…". Waits: views render a moment after their cell ran."""
    from playwright.sync_api import expect

    expected = widget_count(saved)
    assert expected >= 1, "the lesson shows no widget"
    outputs = notebook.widget_outputs()
    expect(outputs).to_have_count(expected, timeout=30_000)
    for index in range(expected):
        expect(outputs.nth(index)).not_to_contain_text(
            re.compile("Loading widget|Error displaying widget"), timeout=30_000)


def assert_slider_changes_the_widget(notebook: Notebook) -> None:
    before, after = notebook.move_a_slider()
    assert before and after and before != after, "moving a slider changed nothing its widget shows"


def screenshot(notebook: Notebook, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    notebook.page.screenshot(path=SCREENSHOTS / f"{name}.png")


class LessonInBrowser:
    """The browser checks of one lesson; a subclass per lesson is made below."""

    lesson: str

    def test_blank_lesson(self, open_notebook):
        notebook = open_notebook(f"lessons/{self.lesson}/{self.lesson}.ipynb")
        assert notebook.dialogs() == [], "a dialog (kernel selection?) opened with the lesson"
        saved = notebook.run_all()
        failing = [c for c in saved.cells if c.cell_type == "code"
                   and any(o.output_type == "error" for o in c.outputs)]
        outside = [c.source for c in failing if not notebooks.is_exercise(c)]
        assert outside == [], "cells outside exercises raised in the browser"
        assert_widgets_are_live(notebook, saved)
        assert_slider_changes_the_widget(notebook)
        screenshot(notebook, f"{self.lesson}-blank")

    def test_solution_passes_every_check(self, open_notebook):
        notebook = open_notebook(f"solutions/{self.lesson}/{self.lesson}.ipynb")
        saved = notebook.run_all()
        errors = [c.source for c in saved.cells if c.cell_type == "code"
                  and any(o.output_type == "error" for o in c.outputs)]
        assert errors == []
        for cell in saved.cells:
            if notebooks.nbgrader_meta(cell).get("grade"):
                printed = "".join(o.get("text", "") for o in cell.outputs)
                assert "✔ Exercise" in printed, (cell.source, printed)
        assert_widgets_are_live(notebook, saved)
        assert_slider_changes_the_widget(notebook)
        screenshot(notebook, f"{self.lesson}-solution")


# One class per lesson, so pytest-xdist (`--dist loadscope`) spreads lessons over workers.
for _lesson in LESSONS:
    _name = "TestBrowser_" + _lesson.replace("-", "_")
    globals()[_name] = type(_name, (LessonInBrowser,), {"lesson": _lesson})


@pytest.fixture
def lesson_one_to_validate(lab):
    server, _ = lab
    folder = server.root / "validate"
    folder.mkdir(exist_ok=True)
    nbformat.write(fill("01-derivative"), folder / "solved.ipynb")
    shutil.copy(REPO / "lessons" / "01-derivative" / "01-derivative.ipynb", folder / "blank.ipynb")
    return "validate"


def test_validate_button_on_a_solved_and_a_blank_lesson(open_notebook, lesson_one_to_validate):
    solved = open_notebook(f"{lesson_one_to_validate}/solved.ipynb").click_validate()
    assert "Success! Your notebook passes all the tests." in solved, solved

    blank = open_notebook(f"{lesson_one_to_validate}/blank.ipynb").click_validate()
    assert "The following cell failed" in blank, blank
    assert "You have not written `yearly_growth` yet" in blank, blank
    assert "Success" not in blank, blank


def test_a_new_learner_passes_exercise_one_and_progress_counts_it(open_notebook, lab):
    """The README's learner path: lesson 1 in work/, exercise 1 written in the browser,
    its check passes, and `pigs-to-backprop progress` counts it."""
    from playwright.sync_api import expect

    server, _ = lab
    workspace.update(server.root)  # what `pigs-to-backprop start` does before JupyterLab
    path = "work/01-derivative/01-derivative.ipynb"
    notebook = open_notebook(path)
    notebook.run_all()
    stub = cells_by_id(student("01-derivative"))["yearly_growth"].source
    answer = for_lesson("01-derivative").RIGHT["yearly_growth"][0]
    notebook.type_into_cell("def yearly_growth", stub.replace("raise NotImplementedError()", answer))
    notebook.run_cell_and_the_next()
    check = notebook.panel.locator(".jp-CodeCell", has_text='checks.exercise(1, "yearly_growth")')
    # The kernel may not report "busy" yet when the keys are pressed: wait for the verdict.
    expect(check).to_contain_text("✔ Exercise 1 · yearly_growth: all 4 checks passed.",
                                  timeout=60_000)
    screenshot(notebook, "01-derivative-exercise-1-passed")
    notebook.save()

    (lesson,) = progress.collect(server.root / "work", ["01-derivative"])
    passed = {c.name: c.passed for c in lesson.checks}
    assert passed["yearly_growth"] is True
    assert sum(passed.values()) == 1 and lesson.earned == 2, progress.render_text([lesson])


# --- whose JupyterLab shows which tools ----------------------------------------------------
NBGRADER_INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader",
                               "@jupyter/nbgrader:create-assignment",
                               "@jupyter/nbgrader:course-list"]
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"  # the news pop-up
NEWS = "Would you like to get notified about official Jupyter news?"
# Every server shows JupyterLab's global app (window.jupyterapp) to the test.
SHOW_APP = ["--LabApp.expose_app_in_browser=True"]


def what_the_lab_shows(server: LabServer, browser, news_within: float | None) -> dict:
    """Open JupyterLab as a new user would; return its plugins, Nbgrader menu, right
    sidebar and pop-ups, and how many seconds after start-up the news pop-up came
    ("news after"). `news_within=None`: wait for the pop-up; a number: look after that
    many seconds, whether or not one came."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server.url}/lab?reset&token={TOKEN}")
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        page.evaluate("() => window.jupyterapp.restored")
        toasts = page.locator(".Toastify__toast")
        restored = time.monotonic()
        if news_within is None:
            toasts.filter(has_text=NEWS).first.wait_for(timeout=30_000)
        else:
            page.wait_for_timeout(news_within * 1000)
        shown = {
            "news after": time.monotonic() - restored,
            "plugins": page.evaluate(
                "(ids) => ids.filter(id => window.jupyterapp.isPluginActivated(id))",
                [*NBGRADER_INSTRUCTOR_PLUGINS, ANNOUNCEMENTS]),
            "pop-ups": toasts.all_inner_texts(),
            "right sidebar": [tab.get_attribute("title") for tab in
                              page.locator(".jp-SideBar.jp-mod-right .lm-TabBar-tab").all()],
        }
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
        shown["Nbgrader menu"] = [item.inner_text().strip() for item in page.locator(
            ".lm-Menu .lm-Menu-item:not(.lm-mod-hidden)").all()]
        page.screenshot(path=SCREENSHOTS / f"{server.root.name}-lab.png")
        return shown
    finally:
        page.close()


@pytest.fixture(scope="module")
def learner_and_instructor_labs(tmp_path_factory, browser):
    """A learner's lab, started by `pigs-to-backprop start` in a course as a learner's
    clone has it, and an instructor's: plain `jupyter lab` in the course folder. Both
    with JupyterLab's settings as a new user has them (no answer to the news question)."""
    learner = tmp_path_factory.mktemp("learner")
    shutil.copytree(REPO / "lessons", learner / "lessons")
    shutil.copytree(REPO / learner_lab.STUDENT_CONFIG, learner / learner_lab.STUDENT_CONFIG)
    instructor = tmp_path_factory.mktemp("instructor")
    shutil.copy(REPO / "nbgrader_config.py", instructor)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    servers = []
    try:
        servers.append(LabServer(learner, settings={}, learner=True, options=SHOW_APP))
        servers.append(LabServer(instructor, settings={}, options=SHOW_APP))
        instructor_sees = what_the_lab_shows(servers[1], browser, None)
        # The learner's lab is given three times as long as the instructor's took to
        # show the pop-up (at least 3 s): long enough for one to come if it were on.
        learner_sees = what_the_lab_shows(servers[0], browser,
                                          max(3.0, 3 * instructor_sees["news after"]))
        yield {"learner": (servers[0], learner_sees), "instructor": (servers[1], instructor_sees)}
    finally:
        for server in servers:
            server.stop()


def test_a_learners_lab_has_no_instructor_tools_and_no_news(learner_and_instructor_labs):
    server, shown = learner_and_instructor_labs["learner"]
    assert (server.root / "work" / "01-derivative" / "01-derivative.ipynb").is_file()
    assert shown["plugins"] == [], shown
    assert shown["Nbgrader menu"] == ["Assignment List"], shown  # students keep theirs
    assert "Nbgrader Create Assignment" not in shown["right sidebar"], shown
    assert shown["pop-ups"] == [], shown
    for path in ("formgrader", "formgrader/api/status", "formgraders"):
        assert http_status(server, path) == 404, path


def test_an_instructors_lab_keeps_them(learner_and_instructor_labs):
    server, shown = learner_and_instructor_labs["instructor"]
    assert shown["plugins"] == [*NBGRADER_INSTRUCTOR_PLUGINS, ANNOUNCEMENTS], shown
    assert {"Course List", "Formgrader", "Create assignment"} <= set(shown["Nbgrader menu"]), shown
    assert "Nbgrader Create Assignment" in shown["right sidebar"], shown
    assert any(NEWS in text for text in shown["pop-ups"]), shown
    for path in ("formgrader/api/status", "formgraders"):
        assert http_status(server, path) == 200, path


def http_status(server: LabServer, path: str) -> int:
    try:
        return urllib.request.urlopen(f"{server.url}/{path}?token={TOKEN}").status
    except urllib.error.HTTPError as error:
        return error.code
