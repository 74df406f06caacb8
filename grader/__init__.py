"""grader: the course's tools that run OUTSIDE a learner's kernel.

The judge and the sandbox of grading, autograde, feedback, export and integrity for
instructors; build for maintainers; start, progress and reset for learners. Nothing in
this package is imported by a lesson's kernel: what check cells and figures import
lives in `course/` (`course.checks`, `course.gradcheck`, `course.calls`).
"""
