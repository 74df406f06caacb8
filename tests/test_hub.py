"""The classroom on a real JupyterHub, end to end (docs/instructors.md, "On JupyterHub").

A hub (JupyterHub and configurable-http-proxy on 127.0.0.1) configured by the files in
docs/hub/ (only paths, ports and user names changed), an instructor and three students
who are real system users (useradd), DummyAuthenticator, JupyterHub's local process
spawner, nbgrader's exchange and the course installed for everyone: the set-up of
`pigs-to-backprop classroom-demo` (grader/classroom_demo.py), torn down afterwards
(processes, users, files), also when something fails.

Everything is driven over HTTP as JupyterLab's pages do: the hub's REST API with a
service token; each user's server with that user's token: nbgrader's lab-extension
endpoints (assignment list, fetch, Validate, submit, fetch feedback), the contents API
(editing a notebook, downloading feedback and grades), Formgrader's API in the
instructor's own server (generate, release, collect, scores) and Formgrader as a hub
service. Grading runs the course's own commands as the instructor's OS user:
`python -m grader autograde`, `python -m grader feedback`, `nbgrader release_feedback`,
`python -m grader export`. The students: ann answers everything, ben half of each
lesson, cat nothing. Permission checks run as the students' OS users.

Needs root (useradd, the spawner): without it the module skips, except under CI=true,
where that is a failure. pytest-xdist's loadscope keeps the module on one worker.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os
import re
import secrets
import stat
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from grader import classroom_demo, settings
from grader.classroom_demo import COURSE_ID, REPO, Classroom, http, open_classroom
from tests.course_under_test import HIDDEN, LESSONS, check_points, exercises, fill, source
from tests.course_under_test import student as student_version
from tests.test_classroom import half, page_text

TAUGHT = LESSONS[:2]  # the first two lessons (00-numpy, 01-derivative)
# The lab extensions a student's server disables: the instructor tools and the news pop-up.
STUDENTS_LOSE = json.loads((REPO / "docs" / "hub" / "students" / "labconfig" /
                            "page_config.json").read_text())["disabledExtensions"]
TAG = secrets.token_hex(3)  # two runs at once on one machine do not meet
INSTRUCTOR = f"ptb{TAG}-teacher"
ANN, BEN, CAT = (f"ptb{TAG}-{name}" for name in ("ann", "ben", "cat"))
STUDENTS = [ANN, BEN, CAT]
# student: {lesson: exercises answered with the reference answer}
WORK = {
    ANN: {lesson: exercises(lesson) for lesson in TAUGHT},
    BEN: {lesson: half(lesson) for lesson in TAUGHT},
    CAT: {lesson: [] for lesson in TAUGHT},
}
COURSE = {"course_id": COURSE_ID}


def expected_scores(student: str, lesson: str) -> dict[str, float]:
    answered = {settings.check_id(e) for e in WORK[student][lesson]}
    return {name: (points if name in answered else 0.0)
            for name, points in check_points(lesson).items()}


def ok(reply, *statuses: int):
    assert reply.status in (statuses or (200,)), (reply.status, reply.text[:3000])
    return reply.json() if reply.body else None


def succeeded(reply) -> dict:
    """A reply of nbgrader's endpoints: {"success": true, ...}."""
    data = ok(reply)
    assert data.get("success", True), data
    return data


# --- the class, as it happens on the hub --------------------------------------------------
def edit_and_submit(room: Classroom, student: str) -> dict:
    """Fetch every lesson, answer as WORK says, Validate, submit; return what Validate said."""
    listed = succeeded(room.as_user(student, "GET", f"assignments?course_id={COURSE_ID}"))
    assert {a["assignment_id"] for a in listed["value"] if a["status"] == "released"} \
        == set(TAUGHT), listed
    validated = {}
    for lesson in TAUGHT:
        after = succeeded(room.as_user(student, "POST", "assignments/fetch",
                                       {**COURSE, "assignment_id": lesson}))
        assert any(a["assignment_id"] == lesson and a["status"] == "fetched"
                   for a in after["value"]), after
        path = f"api/contents/{lesson}/{lesson}.ipynb"
        fetched = nbformat.from_dict(ok(room.as_user(student, "GET", path))["content"])
        if WORK[student][lesson]:
            answers = {e: None for e in exercises(lesson) if e not in WORK[student][lesson]}
            typed = {c.metadata.nbgrader.grade_id: c.source for c in fill(lesson, answers).cells
                     if c.metadata.get("nbgrader", {}).get("solution")}
            for cell in fetched.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id in typed:
                    cell.source = typed[grade_id]
            ok(room.as_user(student, "PUT", path,
                            {"type": "notebook", "format": "json", "content": fetched}), 200, 201)
        validated[lesson] = succeeded(room.as_user(
            student, "POST", "assignments/validate", {"path": f"{lesson}/{lesson}.ipynb"}))["value"]
        succeeded(room.as_user(student, "POST", "assignments/submit",
                               {**COURSE, "assignment_id": lesson}))
    return validated


def fetch_feedback(room: Classroom, student: str) -> dict[str, str]:
    pages = {}
    for lesson in TAUGHT:
        succeeded(room.as_user(student, "POST", "assignments/fetch_feedback",
                               {**COURSE, "assignment_id": lesson}))
        folder = ok(room.as_user(student, "GET", f"api/contents/{lesson}/feedback"))
        (stamp,) = [entry["path"] for entry in folder["content"]]
        page = ok(room.as_user(student, "GET",
                               f"api/contents/{stamp}/{lesson}.html?type=file&format=text"))
        pages[lesson] = page["content"]
    return pages


def instructor_command(room: Classroom, *argv: str) -> str:
    done = room.run_as(room.instructor, [sys.executable, "-m", *argv], cwd=room.course_dir)
    return done.stdout + done.stderr


def formgrader(room: Classroom, method: str, path: str) -> object:
    return ok(room.as_user(room.instructor, method, f"formgrader/api/{path}"))


def run_the_class(room: Classroom) -> dict:
    """Release, fetch, work, Validate, submit, collect, grade, feedback, export."""
    seen: dict = {"timings": {}}
    started = time.monotonic()

    def lap(name: str) -> None:
        seen["timings"][name] = round(time.monotonic() - started, 1)

    room.start_servers([room.instructor, *room.students])
    lap("servers ready")
    for lesson in TAUGHT:  # Formgrader's Generate and Release buttons
        assert formgrader(room, "POST", f"assignment/{lesson}/assign")["success"]
        assert formgrader(room, "POST", f"assignment/{lesson}/release")["success"]
    lap("released")
    with ThreadPoolExecutor(max_workers=len(room.students)) as pool:
        seen["validated"] = dict(zip(room.students,
                                     pool.map(lambda s: edit_and_submit(room, s), room.students),
                                     strict=True))
    lap("submitted")
    seen["inbound"] = sorted((room.exchange / COURSE_ID / "inbound").iterdir())
    for lesson in TAUGHT:  # Formgrader's Collect button
        assert formgrader(room, "POST", f"assignment/{lesson}/collect")["success"]
    seen["autograde"] = instructor_command(room, "grader", "autograde", *TAUGHT)
    lap("autograded")
    seen["feedback"] = instructor_command(room, "grader", "feedback", *TAUGHT)
    for lesson in TAUGHT:
        instructor_command(room, "nbgrader", "release_feedback", lesson)
    lap("feedback released")
    with ThreadPoolExecutor(max_workers=len(room.students)) as pool:
        seen["pages"] = dict(zip(room.students, pool.map(lambda s: fetch_feedback(room, s),
                                                         room.students), strict=True))
    seen["export"] = instructor_command(room, "grader", "export")
    for name in ("grades.csv", "grades_by_exercise.csv"):
        reply = ok(room.as_user(room.instructor, "GET", f"api/contents/{classroom_demo.COURSE_FOLDER}"
                                f"/{name}?type=file&format=text"))
        seen[name] = list(csv.DictReader(io.StringIO(reply["content"])))
    seen["submissions"] = {lesson: formgrader(room, "GET", f"submissions/{lesson}")
                           for lesson in TAUGHT}
    lap("grades exported")
    return seen


@pytest.fixture(scope="module")
def hub():
    why = classroom_demo.missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the JupyterHub test cannot run under CI: {why}")
        pytest.skip(f"the JupyterHub test cannot run here: {why}")
    started = time.monotonic()
    classroom = contextlib.ExitStack()
    try:
        room = classroom.enter_context(open_classroom(INSTRUCTOR, STUDENTS))
    except classroom_demo.ClassroomUnavailable as problem:  # nothing is left behind
        if os.environ.get("CI") == "true":
            pytest.fail(f"the JupyterHub test cannot run under CI: {problem}")
        pytest.skip(f"the JupyterHub test cannot run here: {problem}")
    with classroom:  # on leaving: every process stopped, users and files removed
        set_up = time.monotonic() - started
        try:
            seen = run_the_class(room)
        except BaseException:
            print(f"\nThe hub's log, last lines:\n{room.log_tail(150)}")
            raise
        seen["timings"] = {"hub set up": round(set_up, 1),
                           **{k: round(v + set_up, 1) for k, v in seen["timings"].items()}}
        yield room, seen
    print(f"\nJupyterHub classroom: {seen['timings']}; torn down at "
          f"{time.monotonic() - started:.1f} s")


# --- the flow worked, with exact scores ----------------------------------------------------
def test_validate_passes_the_complete_notebooks_and_lists_failures_in_the_others(hub):
    _, seen = hub
    for student, lessons in seen["validated"].items():
        for lesson, result in lessons.items():
            if student == ANN:
                assert not result.get("failed") and not result.get("changed"), (lesson, result)
            else:
                assert result.get("failed"), (student, lesson, result)


def test_autograde_grades_every_submission_without_problems(hub):
    _, seen = hub
    assert "Autograded 6 submission(s)" in seen["autograde"], seen["autograde"]
    assert "0 problem(s)" in seen["autograde"], seen["autograde"]


def test_every_student_gets_the_exact_score_in_the_export(hub):
    _, seen = hub
    rows = seen["grades_by_exercise.csv"]
    assert sorted((r["student_id"], r["lesson"]) for r in rows) == sorted(
        (s, lesson) for s in STUDENTS for lesson in TAUGHT)
    for row in rows:
        expected = expected_scores(row["student_id"], row["lesson"])
        assert {name: float(row[name]) for name in expected} == expected, row
        assert float(row["score"]) == sum(expected.values()), row
        assert row["problem"] == "", row
    totals = {(r["student_id"], r["assignment"]): float(r["score"]) for r in seen["grades.csv"]}
    assert totals == {(s, lesson): sum(expected_scores(s, lesson).values())
                      for s in STUDENTS for lesson in TAUGHT}


def test_formgrader_shows_the_same_scores(hub):
    _, seen = hub
    for lesson, submissions in seen["submissions"].items():
        scores = {s["student"]: s["score"] for s in submissions}
        assert scores == {s: sum(expected_scores(s, lesson).values()) for s in STUDENTS}


def hidden_lines(lesson: str, student: str) -> list[str]:
    """Lines of the lesson's hidden tests that are neither in the lesson as released nor
    in what `student` wrote (a hidden check may hold a reference answer's line)."""
    answers = {e: None for e in exercises(lesson) if e not in WORK[student][lesson]}
    shown = {line.strip() for nb in (student_version(lesson), fill(lesson, answers))
             for cell in nb.cells for line in cell.source.splitlines()}
    hidden = []
    for cell in source(lesson).cells:
        for region in HIDDEN.finditer(cell.source):
            hidden += [line.strip() for line in region.group(0).splitlines()[1:-1]
                       if len(line.strip()) > 12 and line.strip() not in shown]
    return hidden


def test_each_student_fetched_feedback_without_hidden_tests(hub):
    _, seen = hub
    for lesson in TAUGHT:
        for student in STUDENTS:
            hidden = hidden_lines(lesson, student)
            assert hidden, lesson
            page = seen["pages"][student][lesson]
            text = html.unescape(re.sub(r"<[^>]+>", "", page))
            assert "BEGIN HIDDEN TESTS" not in text, (student, lesson)
            assert not [line for line in hidden if line in text], (student, lesson)
            assert f"{lesson}" in text
    blank = seen["pages"][CAT][TAUGHT[0]]
    assert "You have not written" in html.unescape(re.sub(r"<[^>]+>", "", blank))


def test_feedback_pages_match_the_course_copy(hub):
    room, seen = hub
    for student in STUDENTS:
        for lesson in TAUGHT:
            kept = room.course_dir / "feedback" / student / lesson / f"{lesson}.html"
            assert page_text(kept) == html.unescape(re.sub(r"<[^>]+>", "",
                                                           seen["pages"][student][lesson]))


# --- the instructor's Formgrader reads the course directory -------------------------------
def test_the_instructors_formgrader_works_in_the_course_directory(hub):
    room, _ = hub
    assignments = formgrader(room, "GET", "assignments")
    assert {a["name"]: a["status"] for a in assignments if a["name"] in TAUGHT} == {
        lesson: "released" for lesson in TAUGHT}
    assert all(a["source_path"].startswith("solutions/") for a in assignments)
    home = room.home(room.instructor)
    assert (room.course_dir / "gradebook.db").is_file()
    strays = [name for name in ("gradebook.db", "source", "release", "submitted", "autograded")
              if (home / name).exists()]
    assert not strays, f"Formgrader wrote outside the course directory: {strays}"


def test_formgrader_as_a_hub_service_serves_the_course_to_the_instructor_only(hub):
    room, _ = hub
    url = f"{room.url}/services/{COURSE_ID}/formgrader/api/assignments"
    assignments = ok(http("GET", url, room.token(room.instructor)))
    assert {a["name"]: a["num_submissions"] for a in assignments if a["name"] in TAUGHT} == {
        lesson: len(STUDENTS) for lesson in TAUGHT}
    for student in STUDENTS:
        assert http("GET", url, room.token(student)).status == 403


# --- students get no instructor tools -----------------------------------------------------
def page_config(room: Classroom, user: str) -> dict:
    page = room.as_user(user, "GET", "lab")
    assert page.status == 200, (page.status, page.text[:500])
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                      page.text, re.DOTALL)
    return json.loads(found.group(1))


def test_no_student_server_offers_formgrader_or_create_assignment(hub):
    room, _ = hub
    for student in STUDENTS:
        for path in ("formgrader", "formgrader/api/assignments", "formgraders"):
            reply = room.as_user(student, "GET", path)
            assert reply.status == 404, (student, path, reply.status)
        disabled = page_config(room, student)["disabledExtensions"]
        assert set(STUDENTS_LOSE) <= set(disabled), disabled
        for path in (f"assignments?course_id={COURSE_ID}", "nbgrader_version?version=x"):
            assert room.as_user(student, "GET", path).status == 200  # their own panels stay


def test_the_instructor_keeps_formgrader_and_create_assignment(hub):
    room, _ = hub
    assert room.as_user(room.instructor, "GET", "formgrader/api/status").status == 200
    assert room.as_user(room.instructor, "GET", "formgraders").status == 200
    disabled = page_config(room, room.instructor).get("disabledExtensions", [])
    assert not set(STUDENTS_LOSE) & set(disabled), disabled


# --- what a student cannot read or change -------------------------------------------------
def denied(room: Classroom, student: str, argv: list[str]) -> str:
    """Run argv as `student`; it must fail; return its error message."""
    done = room.run_as(student, argv, check=False)
    assert done.returncode != 0, (student, argv, done.stdout[:500])
    return done.stderr


def test_students_cannot_read_the_course_directory_or_the_gradebook(hub):
    room, _ = hub
    course = room.course_dir
    targets = [["ls", str(room.home(room.instructor))], ["ls", str(course)],
               ["cat", str(course / "gradebook.db")],
               ["cat", str(course / "solutions" / TAUGHT[0] / f"{TAUGHT[0]}.ipynb")],
               ["cat", str(course / "submitted" / ANN / TAUGHT[0] / f"{TAUGHT[0]}.ipynb")]]
    for student in STUDENTS:
        for argv in targets:
            assert "Permission denied" in denied(room, student, argv), argv
    # the instructor's own server, asked by a student, refuses too
    assert http("GET", room.user_url(room.instructor, "api/contents"),
                room.token(ANN)).status == 403


def test_students_cannot_read_each_others_files(hub):
    room, _ = hub
    for student in STUDENTS:
        for other in STUDENTS:
            if other == student:
                continue
            notebook = room.home(other) / TAUGHT[0] / f"{TAUGHT[0]}.ipynb"
            assert "Permission denied" in denied(room, student, ["cat", str(notebook)])
            assert "Permission denied" in denied(room, student, ["ls", str(room.home(other))])
            reply = http("GET", room.user_url(other, f"api/contents/{TAUGHT[0]}"),
                         room.token(student))
            assert reply.status == 403, (student, other, reply.status)


def test_the_shared_environment_holds_no_solutions(hub):
    room, _ = hub
    for folder in ("solutions", ".git", "tests"):
        assert (REPO / folder).exists()  # here, outside the classroom
        denied(room, ANN, ["ls", str(REPO / folder)])


def test_submission_folders_are_not_writable_by_other_students(hub):
    room, seen = hub
    inbound = room.exchange / COURSE_ID / "inbound"
    assert len(seen["inbound"]) == len(STUDENTS) * len(TAUGHT)
    for folder in seen["inbound"]:
        owner = folder.name.split("+")[0]
        mode = folder.stat().st_mode
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH), f"{folder.name}: {stat.filemode(mode)}"
        notebook = next(folder.glob("*.ipynb"))
        for other in STUDENTS:
            if other == owner:
                continue
            assert "Permission denied" in denied(room, other, ["touch", str(folder / "extra.py")])
            assert "Permission denied" in denied(
                room, other, ["sh", "-c", f"echo x >> '{notebook}'"])
            assert "Permission denied" in denied(room, other, ["rm", "-f", str(notebook)])
    assert "Permission denied" in denied(room, ANN, ["ls", str(inbound)])  # names stay secret


def test_students_cannot_move_the_course_out_of_the_exchange(hub):
    room, _ = hub
    course = room.exchange / COURSE_ID
    assert stat.S_IMODE(room.exchange.stat().st_mode) == classroom_demo.EXCHANGE_MODE
    assert "Operation not permitted" in denied(
        room, BEN, ["mv", str(course), str(room.exchange / "mine")])


def test_homes_are_private(hub):
    room, _ = hub
    for user in [room.instructor, *room.students]:
        assert stat.S_IMODE(room.home(user).stat().st_mode) == classroom_demo.HOME_MODE


# --- the guide quotes what this test runs --------------------------------------------------
GUIDE = REPO / "docs" / "instructors.md"


def hub_section() -> str:
    text = GUIDE.read_text()
    return text[text.index("## On JupyterHub"):]


def test_every_snippet_of_the_hub_guide_is_in_the_files_the_test_uses():
    section = hub_section()
    files = {path: path.read_text() for path in classroom_demo.HUB_FILES.rglob("*")
             if path.is_file()}
    for path in files:
        assert str(path.relative_to(REPO)) in section, f"the guide never names {path}"
    blocks = re.findall(r"```(python|json)\n(.*?)```", section, re.DOTALL)
    assert len(blocks) >= 4
    for language, block in blocks:
        assert any(block.strip() in text for text in files.values()), (
            f"this {language} block of the guide is in no file of docs/hub/:\n{block}")


def test_the_guide_gives_the_permissions_the_test_checks():
    section = hub_section()
    assert f"chmod {classroom_demo.HOME_MODE:o} " in section
    assert f"chmod {classroom_demo.EXCHANGE_MODE:o} " in section
    assert "classroom-demo" in section and "The Littlest JupyterHub" in section
    assert "Zero to JupyterHub" in section


def test_the_classroom_files_render_with_only_their_first_values_changed():
    text = (classroom_demo.HUB_FILES / "jupyterhub_config.py").read_text()
    rendered = classroom_demo.render(text, {"PORT": 1234, "STUDENTS": ["a", "b"]})
    assert "PORT = 1234  # the hub's address" in rendered
    assert "STUDENTS = ['a', 'b']  #" in rendered
    assert rendered.count("\n") == text.count("\n")
    with pytest.raises(ValueError):
        classroom_demo.render(text, {"NO_SUCH_NAME": 1})


def test_the_demo_refuses_without_root_and_says_why(monkeypatch, capsys):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert classroom_demo.main() == 2
    assert "needs root" in capsys.readouterr().err


def test_masks_show_only_the_way_to_the_environment(tmp_path):
    private = tmp_path / "private"
    (private / "env" / "bin").mkdir(parents=True)
    (private / "secret").mkdir()
    private.chmod(0o700)
    plan = classroom_demo.masks([private / "env" / "bin"])
    assert (private, ["env"]) in plan  # not "secret"
    assert not [folder for folder, _ in plan if folder.is_relative_to(private / "env")]
    script = classroom_demo.namespace_script(plan, tmp_path / "stage")
    assert f"mount -t tmpfs -o mode=0755,size=64k classroom {private}" in script
    assert script.endswith("exec sleep infinity")


def test_classroom_paths(tmp_path):
    room = Classroom("teacher", ["s1"], base=tmp_path)
    assert room.course_dir == tmp_path / "home" / "teacher" / classroom_demo.COURSE_FOLDER
    assert room.student_config == tmp_path / "etc" / "jupyter" / "students"
