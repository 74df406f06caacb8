"""No learner script runs in the pages graded work is shown in (real Chromium).

A small graded notebook carries script payloads in every place a learner controls:
outputs (text/html, text/markdown, application/javascript, a widget view with widget
state, an image whose metadata sneaks an onload into nbconvert's unquoted width=, an
SVG), a markdown cell, an nbgrader solution (markdown) cell, a raw cell. Each payload,
if it ran, would set `top.__pwned_<name>`, change the title and open an alert.

It is rendered the two ways the course shows graded work, without a server:

- the **feedback page**: nbgrader's own `GenerateFeedback` converter (in-process, real
  gradebook) with the course's `feedback_preprocessors()` (GetGrades, …, HideHiddenTests,
  SanitizeNotebook) and nbgrader's feedback template, from an autograded notebook that
  was *not* sanitised at autograde (so this proves the feedback step alone suffices);
- the **Formgrader submission view**: nbconvert's HTMLExporter with nbgrader's
  `formgrade` template and the resources `SubmissionHandler` passes, from the
  autograded notebook as autograde writes it with SanitizeNotebook (the handler renders
  autograded/ as is, with no preprocessor). Formgrader's own JS (served by the server)
  is not there: the last test below has it.

And **Formgrader itself**, served by a real Jupyter server as an instructor uses it: a
temporary course for 01-derivative, one learner's notebook with payloads (outputs
pre-filled and printed by code that runs at grading, a markdown cell) graded by
`python -m grader autograde` (bwrap sandbox, SanitizeNotebook), next to a submitted
folder whose student id is markup (autograde skips it); then `jupyter lab` over the
course, and its submissions list, students list and submission view in Chromium.

Each page is opened from a file in headless Chromium with every http(s) request
aborted (no CDN, so no MathJax, jQuery or widget manager); links that are not http(s)
are clicked. The same notebook rendered without SanitizeNotebook (plain nbgrader) is
the control: there the payloads do run, so the test can see a payload that runs.

Needs Chromium (tests/jupyterlab.py finds it), and bubblewrap for the Formgrader test;
skips without them except under CI=true.
"""

from __future__ import annotations

import base64
import copy
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from grader import settings
from grader.feedback import feedback_preprocessors
from grader.notebooks import nbgrader_meta
from grader.sanitize import sanitize_notebook
from tests.jupyterlab import CHROMIUM, CHROMIUM_FLAGS, TOKEN, LabServer, missing_browser

LESSON = STUDENT_NOTEBOOK = "injection"
STUDENT = "alice"
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def js(name: str) -> str:
    """What a payload runs: no quotes and no spaces, so it fits any attribute."""
    return f"top.__pwned_{name}=1;top.document.title=666;alert(1)"


OUTPUT_HTML = {
    "img": f'<img src=x onerror="{js("img")}">',
    "script": f"<script>{js('script')}</script>",
    "svg": f'<svg onload="{js("svg")}"></svg>',
    "iframe": f'<iframe srcdoc="<script>{js("iframe")}</script>"></iframe>',
    "details": f'<details open ontoggle="{js("details")}"><summary>x</summary></details>',
    "body": f'<body onload="{js("body")}">',
    "input": f'<input autofocus onfocus="{js("input")}">',
    "object": f'<object data="javascript:{js("object")}"></object>',
    "link": f'<a href="javascript:{js("link")}">click me</a>',
    "form": f'<form action="javascript:{js("form")}"><input type=submit id=go></form>',
}
MXSS = f'<math><mtext><table><mglyph><style><img src=x onerror="{js("mxss")}">'
# What the control (plain nbgrader) must show running, at least.
RUNS_WITHOUT_SANITISING = {"img", "script", "svg", "iframe", "details", "body", "link",
                           "mdout", "mdoutlink", "width", "mdcell", "mdlink", "autolink",
                           "mermaid", "solution", "check"}


def hostile_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {"m1": {
            "model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
            "model_module_version": "2.0.0",
            "state": {"value": f'<img src=x onerror="{js("widget")}">'}}}}}
    outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})
               for markup in OUTPUT_HTML.values()]
    outputs += [
        nbformat.v4.new_output("display_data", data={
            "application/javascript": js("jsout"),
            "text/plain": "<IPython.core.display.Javascript object>"}),
        nbformat.v4.new_output("display_data", data={
            "text/markdown": f'<img src=x onerror="{js("mdout")}">\n\n'
                             f"[md link](javascript:{js('mdoutlink')})"}),
        nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2,
                                                         "version_minor": 0},
            "text/plain": "HTML(value='...')"}),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "plot"},
                               metadata={"image/png": {"width": f"1 onload={js('width')}"}}),
        nbformat.v4.new_output("display_data", data={
            "image/svg+xml": f'<svg xmlns="http://www.w3.org/2000/svg" onload="{js("svgout")}">'
                             "<script>top.__pwned_svgscript=1</script></svg>"}),
        nbformat.v4.new_output("stream", name="stdout", text=f"<script>{js('stream')}</script>\n"),
        nbformat.v4.new_output("error", ename="ValueError", evalue=f"<img src=x onerror={js('ev')}>",
                               traceback=[f"ValueError: <img src=x onerror={js('tb')}>"]),
    ]
    code = nbformat.v4.new_code_cell("print('hello')", outputs=outputs, execution_count=1)
    markdown = nbformat.v4.new_markdown_cell(
        f'Learner notes <img src=x onerror="{js("mdcell")}">\n\n'
        f"[a link](javascript:{js('mdlink')}) and <javascript:{js('autolink')}>\n\n"
        f"```mermaid\ngraph TD; A-->B<img src=x onerror={js('mermaid')}>\n```\n")
    solution = nbformat.v4.new_markdown_cell(f'My answer: <svg onload="{js("solution")}"></svg>')
    solution.metadata["nbgrader"] = {"grade_id": "answer", "solution": True, "grade": False,
                                     "locked": False, "schema_version": 3}
    check = nbformat.v4.new_code_cell("assert True", execution_count=2, outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": OUTPUT_HTML["img"].replace(
            '"top.__pwned_img', '"top.__pwned_check')})])
    check.metadata["nbgrader"] = {"grade_id": settings.check_id("answer"), "grade": True, "solution": False,
                                  "locked": True, "points": 1, "schema_version": 3}
    raw = nbformat.v4.new_raw_cell(f'<img src=x onerror="{js("raw")}">')
    # Last: unsanitised, nbconvert's own re-parsing of the page (BeautifulSoup, for alt
    # texts) lets its unclosed <style> swallow everything after it.
    mxss = nbformat.v4.new_code_cell("display(HTML(mxss))", execution_count=3, outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": MXSS})])
    nb.cells = [markdown, code, solution, check, raw, mxss]
    return nb


def make_course(root: Path, autograded: nbformat.NotebookNode, gradebook: Path | None) -> Path:
    """A course with one autograded submission; its gradebook copied from `gradebook`
    if given (making one takes seconds: nbgrader runs alembic). Returns the gradebook."""
    from nbgrader.api import Gradebook

    db = root / settings.GRADEBOOK
    if gradebook:
        shutil.copy(gradebook, db)
    else:
        with Gradebook(settings.gradebook_url(db)) as gb:
            gb.add_assignment(LESSON)
            gb.add_notebook(STUDENT_NOTEBOOK, LESSON)
            gb.add_grade_cell(settings.check_id("answer"), STUDENT_NOTEBOOK, LESSON, max_score=1,
                              cell_type="code")
            gb.add_solution_cell("answer", STUDENT_NOTEBOOK, LESSON)
            gb.add_student(STUDENT)
            gb.add_submission(LESSON, STUDENT)
    folder = root / "autograded" / STUDENT / LESSON
    folder.mkdir(parents=True)
    nbformat.write(autograded, folder / f"{STUDENT_NOTEBOOK}.ipynb")
    return db


def generate_feedback(root: Path, preprocessors: list) -> Path:
    """nbgrader's GenerateFeedback converter, as `nbgrader generate_feedback` runs it."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.assignment_id = LESSON
    config.GenerateFeedback.preprocessors = preprocessors
    coursedir = CourseDirectory(config=config)
    GenerateFeedback(coursedir=coursedir, config=config).start()
    return root / "feedback" / STUDENT / LESSON / f"{STUDENT_NOTEBOOK}.html"


def formgrade_page(notebook: nbformat.NotebookNode, dest: Path) -> Path:
    """The submission view as Formgrader's SubmissionHandler renders it (no server)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": LESSON, "notebook_id": STUDENT_NOTEBOOK,
                 "submission_id": "0123abcd", "index": 0, "total": 1,
                 "base_url": "http://127.0.0.1:9", "student": STUDENT, "last_name": None,
                 "first_name": None, "notebook_path": f"autograded/{STUDENT}/{LESSON}"}
    page, _ = HTMLExporter(config=config).from_notebook_node(notebook, resources=resources)
    dest.write_text(page)
    return dest


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """{name: page}: feedback and formgrade, sanitised and plain (the control)."""
    from nbgrader.converters import GenerateFeedback

    plain_chain = GenerateFeedback.class_traits()["preprocessors"].default()
    found, gradebook = {}, None
    for name, chain in (("feedback", feedback_preprocessors()), ("feedback-plain", plain_chain)):
        root = tmp_path_factory.mktemp(name)
        gradebook = make_course(root, hostile_notebook(), gradebook)
        found[name] = generate_feedback(root, chain)
    folder = tmp_path_factory.mktemp("formgrade")
    found["formgrade"] = formgrade_page(sanitize_notebook(hostile_notebook()),
                                        folder / "formgrade.html")
    found["formgrade-plain"] = formgrade_page(hostile_notebook(), folder / "plain.html")
    return found


@pytest.fixture(scope="module")
def browser():
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


# What ran, and what is left in the page that could run.
PROBE = """() => ({
    fired: Object.keys(window).filter(k => k.startsWith('__pwned_'))
                              .map(k => k.slice('__pwned_'.length)),
    scripts: [...document.scripts].filter(s => s.text.includes('__pwned')).length,
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
        .filter(a => a.name.startsWith('on') && a.value.includes('__pwned'))
        .map(a => a.name),
    scriptUrls: [...document.querySelectorAll('[href],[src],[action],[data]')]
        .flatMap(e => ['href', 'src', 'action', 'data'].map(n => e.getAttribute(n) || ''))
        .filter(v => /^\\s*javascript:/i.test(v)).length,
    iframes: document.querySelectorAll('iframe, object, embed, form').length,
})"""


def visit(browser, page_file: Path) -> dict:
    """Open the page, click its non-http links, and report what ran."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_timeout(800)  # error and load handlers fire after the load event
    title = page.title()
    for link in page.locator("a[href]").all():
        href = (link.get_attribute("href") or "").strip().lower()
        if href.startswith(("http:", "https:", "//")) or not link.is_visible():
            continue
        link.click(timeout=2000, no_wait_after=True)
        page.wait_for_timeout(100)
        if page.url.split("#")[0] != page_file.as_uri():  # a relative link navigated away
            page.go_back()
    report = page.evaluate(PROBE)
    page.close()
    return {**report, "title": title, "dialogs": dialogs}


@pytest.mark.parametrize("name", ["feedback-plain", "formgrade-plain"])
def test_without_sanitising_the_payloads_run(browser, pages, name):
    """The control: plain nbgrader lets them run, so the tests below can see one run."""
    report = visit(browser, pages[name])
    assert RUNS_WITHOUT_SANITISING <= set(report["fired"]), report
    assert report["dialogs"] and report["handlers"] and report["scriptUrls"]


@pytest.mark.parametrize("name", ["feedback", "formgrade"])
def test_no_payload_runs_in_the_sanitised_page(browser, pages, name):
    report = visit(browser, pages[name])
    assert report["fired"] == [], report
    assert report["dialogs"] == [], report
    assert report["title"] != "666"
    assert report["scripts"] == 0 and report["handlers"] == [] and report["scriptUrls"] == 0
    assert report["iframes"] == 0


def test_the_sanitised_pages_still_show_the_work(pages):
    feedback = pages["feedback"].read_text()
    for expected in ("Learner notes", "My answer:", "hello", "ValueError",
                     "removed: JavaScript output is not shown in graded work",
                     f"data:image/png;base64,{PNG}", "Score: 0.0 / 1.0"):
        assert expected in feedback, expected
    formgrade = pages["formgrade"].read_text()
    for expected in ("Learner notes", "My answer:", "hello", settings.check_id("answer"),
                     f"data:image/png;base64,{PNG}"):
        assert expected in formgrade, expected


def test_sanitising_at_autograde_leaves_a_valid_notebook():
    nb = sanitize_notebook(copy.deepcopy(hostile_notebook()))
    nbformat.validate(nb)


# --- Formgrader, served by Jupyter ----------------------------------------------------
GRADED_LESSON = "01-derivative"
HTML_STUDENT = "<img src=x onerror=alert(1)>"  # a submitted/ folder name: an unsafe id
ANSWER_MARK = "# alice: this year's sales minus last year's"  # her answer, seen in the page
HTML_OUTPUT_MARK = "bold words from alice"  # from her display(HTML(...)), seen as text


def hostile_submission() -> nbformat.NotebookNode:
    """01-derivative solved by the learner, plus a markdown cell and a code cell of
    payloads; the code cell both carries pre-filled outputs and prints them at grading."""
    from tests.course_under_test import fill

    nb = fill(GRADED_LESSON, answers={
        "yearly_growth": f"{ANSWER_MARK}\nreturn sales[1:] - sales[:-1]"})
    markdown = nbformat.v4.new_markdown_cell(
        f"Notes <script>{js('mdscript')}</script> <img src=x onerror=\"{js('mdimg')}\">\n\n"
        f"<svg onload=\"{js('mdsvg')}\"></svg> [a link](javascript:{js('mdlink')})\n")
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{js("runsvgout")}"></svg>'
    displayed = [  # what the cell displays when it runs at grading
        ("HTML", f"<b>{HTML_OUTPUT_MARK}</b>" + OUTPUT_HTML["img"].replace("_img", "_runimg")),
        ("HTML", OUTPUT_HTML["svg"].replace("_svg", "_runsvg")),
        ("HTML", OUTPUT_HTML["script"].replace("_script", "_runscript")),
        ("Javascript", js("runjs")),
        ("Markdown", f"[md link](javascript:{js('runmd')})"),
        ("SVG", svg),
    ]
    code = nbformat.v4.new_code_cell("\n".join(
        ["from IPython.display import HTML, SVG, Javascript, Markdown, display"]
        + [f"display({kind}({value!r}))" for kind, value in displayed]
    ), execution_count=1, outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": markup})
        for markup in OUTPUT_HTML.values()] + [
        nbformat.v4.new_output("display_data", data={"application/javascript": js("jsout")}),
        nbformat.v4.new_output("display_data", data={
            "image/svg+xml": svg.replace("runsvgout", "svgout")}),
    ])
    first_answer = next(i for i, cell in enumerate(nb.cells)
                        if nbgrader_meta(cell).get("solution"))
    nb.cells[first_answer:first_answer] = [markdown, code]
    return nb


@pytest.fixture(scope="module")
def formgrader(browser, tmp_path_factory):
    """A course with alice's hostile submission autograded, Jupyter serving it (with
    Formgrader), and a browser context logged in with the server's token."""
    from nbgrader.api import Gradebook

    from grader.autograde import autograde
    from grader.sandbox import SandboxUnavailable, check_available
    from tests.course_under_test import GradedCourse

    try:
        check_available()
    except SandboxUnavailable as reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Formgrader test cannot run under CI: {reason}")
        pytest.skip(str(reason))
    root = tmp_path_factory.mktemp("formgrader")
    course = GradedCourse.create(root, [GRADED_LESSON])
    for student_id in (STUDENT, HTML_STUDENT):
        course.submit(student_id, GRADED_LESSON, hostile_submission())
    said: list[str] = []
    autograde(root, [GRADED_LESSON], jobs=1, say=said.append)
    with Gradebook(settings.gradebook_url(root)) as gb:
        notebook_id = gb.find_submission_notebook(GRADED_LESSON, GRADED_LESSON, STUDENT).id
        students = sorted(s.id for s in gb.students)
    server = LabServer(root)  # `jupyter lab` in the course: Formgrader reads its config
    try:
        # A header, not ?token=: the login cookie would only cover the page's own path.
        context = browser.new_context(extra_http_headers={"Authorization": f"token {TOKEN}"})
        context.route(lambda url: not url.startswith(server.url), lambda route: route.abort())
        yield SimpleNamespace(root=root, server=server, context=context, said=said,
                              students=students, notebook_id=notebook_id)
        context.close()
    finally:
        server.stop()


def formgrader_page(formgrader, path: str, ready: str) -> dict:
    """Open a Formgrader page, wait for `ready` (its data loaded) and report what ran."""
    page = formgrader.context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{formgrader.server.url}/formgrader/{path}", wait_until="load")
    page.locator(ready).first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)  # error and load handlers fire a moment later
    report = page.evaluate(PROBE)
    report.update(page.evaluate("""() => ({
        pwned: typeof window.__pwned,
        markup: [...document.querySelectorAll('img[src="x"], [onerror], [onload]')].length})"""))
    report.update(title=page.title(), text=page.inner_text("body"), dialogs=dialogs)
    page.close()
    return report


def test_formgrader_served_by_jupyter_runs_no_learner_script(formgrader):
    # The id made of markup: skipped by autograde, so never in the gradebook.
    assert any(line.startswith("SKIPPED") and HTML_STUDENT in line for line in formgrader.said)
    assert formgrader.students == [STUDENT]
    assert not (formgrader.root / "autograded" / HTML_STUDENT).exists()
    # Formgrader still lists that folder in both lists (its API reads submitted/ from
    # disk), as inert text; its Students-list link leads to a page that inserts the id
    # unescaped. Only "nothing runs here" is asserted below, not that it is absent.

    pages = {
        "submissions list": formgrader_page(
            formgrader, f"manage_submissions/{GRADED_LESSON}", f"td.student-id:text-is('{STUDENT}')"),
        "students list": formgrader_page(formgrader, "manage_students",
                                         f"td.id:text-is('{STUDENT}')"),
        "submission view": formgrader_page(
            formgrader, f"submissions/{formgrader.notebook_id}/", f"text={ANSWER_MARK}"),
    }
    for name, report in pages.items():
        assert report["dialogs"] == [], (name, report["dialogs"])
        assert report["fired"] == [] and report["pwned"] == "undefined", (name, report["fired"])
        assert report["title"] != "666", name
        assert report["markup"] == 0, name
        assert report["scripts"] == 0 and report["handlers"] == [], name
        assert report["scriptUrls"] == 0 and report["iframes"] == 0, name
    view = pages["submission view"]["text"]
    assert ANSWER_MARK in view and HTML_OUTPUT_MARK in view  # the page did render her work
    assert "removed: JavaScript output is not shown in graded work" in view  # graded, sanitised
