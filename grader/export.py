"""Grades with one column per exercise, as an nbgrader exporter plugin.

    python -m grader export            # grades.csv (nbgrader's) + grades_by_exercise.csv
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
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

FIXED = ["lesson", "student_id", "last_name", "first_name", "email", "timestamp"]
TOTALS = ["score", "max_score", "late_penalty", "problem"]


def _number(value) -> str:
    value = float(value or 0.0)
    return f"{value:g}"


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
            writer = csv.DictWriter(handle, fieldnames=FIXED + columns + TOTALS)
            writer.writeheader()
            for assignment in assignments:
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    writer.writerow(self._row(gradebook, assignment, student, problems))

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


def export(course: Path, to: str = "grades_by_exercise.csv") -> None:
    """nbgrader's grades.csv and the per-exercise CSV, both in `course`."""
    from grader.nbgrader_cli import run_nbgrader

    run_nbgrader("export", "--log-level=WARN", cwd=course)
    run_nbgrader("export", "--exporter=grader.export.ExerciseCsvExport", f"--to={to}",
                 "--log-level=WARN", cwd=course)
    print(f"Wrote {course / 'grades.csv'} (nbgrader's totals) and {course / to} "
          "(one column per exercise).")


def main(course: str | None, to: str) -> int:
    export(Path(course or ".").resolve(), to)
    return 0
