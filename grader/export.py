"""Grades with one column per exercise, as an nbgrader exporter plugin.

    python -m grader export            # grades.csv (nbgrader's columns) + grades_by_exercise.csv
    nbgrader export --exporter=grader.export.ExerciseCsvExport --to grades_by_exercise.csv

nbgrader's own CSV has one total per student and lesson (and writes fields unquoted).
`ExerciseCsvExport` writes, with the csv module, one row per student and lesson:

    lesson, student_id, last_name, first_name, email, timestamp, <one column per
    graded cell of every exported lesson, named by its grade_id>, score, max_score,
    late_penalty, problem

A cell is empty where the exercise is not part of that row's lesson, and 0 for a
student who submitted nothing (as in nbgrader's export). `score` is after the late
penalty, like nbgrader's. `problem` is the reason `python -m grader autograde` recorded
for a submission it could not grade (autograde_problems.json next to gradebook.db).
`--assignment` / `--student` select rows as for nbgrader's exporter.

`SafeCsvExport` writes nbgrader's grades.csv (same columns, same values) with the csv
module instead of nbgrader's unquoted `",".join`. Both exporters pass every cell through
`grader.sanitize.csv_safe`: a name, e-mail, id or recorded problem starting with
`= + - @` (or a TAB or CR) gets a leading `'`, so a spreadsheet shows it as text instead
of running it as a formula (CSV injection); fields holding commas, quotes or line breaks
are quoted (csv.QUOTE_MINIMAL).
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin, ExportPlugin

from grader.sanitize import csv_safe

FIXED = ["lesson", "student_id", "last_name", "first_name", "email", "timestamp"]
TOTALS = ["score", "max_score", "late_penalty", "problem"]


def _number(value) -> str:
    value = float(value or 0.0)
    return f"{value:g}"


def _writer(handle, fieldnames: list[str]) -> csv.DictWriter:
    """A DictWriter whose header is written through csv_safe too."""
    writer = csv.DictWriter(handle, fieldnames=fieldnames, quoting=csv.QUOTE_MINIMAL)
    writer.writerow({name: csv_safe(name) for name in fieldnames})
    return writer


def _safe_row(row: dict) -> dict:
    return {key: csv_safe(value) for key, value in row.items()}


def _problems(gradebook: Gradebook) -> dict:
    from grader.autograde import load_problems

    database = gradebook.engine.url.database  # None unless SQLite on a file
    return load_problems(Path(database).parent) if database else {}


class ExerciseCsvExport(ExportPlugin):
    """One row per student and lesson, one column per graded cell (see module doc)."""

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades_by_exercise.csv"
        students = [str(s) for s in self.student]
        lessons = [str(a) for a in self.assignment]
        problems = _problems(gradebook)
        assignments = [a for a in gradebook.assignments if not lessons or a.name in lessons]
        columns: list[str] = []
        for assignment in assignments:
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    if cell.name not in columns:
                        columns.append(cell.name)
        self.log.info("Exporting grades by exercise to %s", dest)
        with open(dest, "w", newline="") as handle:
            writer = _writer(handle, FIXED + columns + TOTALS)
            for assignment in assignments:
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    writer.writerow(_safe_row(self._row(gradebook, assignment, student,
                                                        problems)))

    @staticmethod
    def _row(gradebook: Gradebook, assignment, student, problems: dict) -> dict:
        row = {"lesson": assignment.name, "student_id": student.id,
               "last_name": student.last_name or "", "first_name": student.first_name or "",
               "email": student.email or "", "max_score": _number(assignment.max_score),
               "problem": problems.get((assignment.name, student.id), "")}
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            row.update(timestamp="", score="0", late_penalty="0")
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    row[cell.name] = "0"
            return row
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                row[grade.name] = _number(grade.score)
        penalty = submission.late_submission_penalty or 0.0
        row.update(timestamp=str(submission.timestamp or ""),
                   score=_number(max(0.0, submission.score - penalty)),
                   late_penalty=_number(penalty))
        return row


NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name",
                    "first_name", "email", "raw_score", "late_submission_penalty", "score",
                    "max_score"]


class SafeCsvExport(CsvExportPlugin):
    """nbgrader's grades.csv, written with the csv module and csv_safe (module doc)."""

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades.csv"
        students = [str(s) for s in self.student]
        lessons = [str(a) for a in self.assignment]
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="") as handle:
            writer = _writer(handle, NBGRADER_COLUMNS)
            for assignment in gradebook.assignments:
                if lessons and assignment.name not in lessons:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    writer.writerow(_safe_row(self._row(gradebook, assignment, student)))

    @staticmethod
    def _row(gradebook: Gradebook, assignment, student) -> dict:
        """The values nbgrader's CsvExportPlugin writes, as the same strings."""
        row = {"assignment": assignment.name, "duedate": assignment.duedate,
               "student_id": student.id, "last_name": student.last_name,
               "first_name": student.first_name, "email": student.email,
               "max_score": assignment.max_score}
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
        else:
            penalty = submission.late_submission_penalty
            row.update(timestamp=submission.timestamp, raw_score=submission.score,
                       late_submission_penalty=penalty,
                       score=max(0.0, submission.score - (penalty or 0.0)))
        return {key: "" if value is None else str(value) for key, value in row.items()}


def export(course: Path, to: str = "grades_by_exercise.csv") -> None:
    """nbgrader's grades.csv (through SafeCsvExport) and the per-exercise CSV, in `course`."""
    from grader.nbgrader_cli import run_nbgrader

    run_nbgrader("export", "--exporter=grader.export.SafeCsvExport", "--to=grades.csv",
                 "--log-level=WARN", cwd=course)
    run_nbgrader("export", "--exporter=grader.export.ExerciseCsvExport", f"--to={to}",
                 "--log-level=WARN", cwd=course)
    print(f"Wrote {course / 'grades.csv'} (nbgrader's totals) and {course / to} "
          "(one column per exercise).")


def main(course: str | None, to: str) -> int:
    export(Path(course or ".").resolve(), to)
    return 0
