"""The one exception the course's tools raise for a problem the user can fix.

Functions below `grader/cli.py` raise `CourseError` with a message that says what to
do; only the command line turns it into that message on stderr and an exit status
(1), so the same functions can be called from tests, notebooks and other tools
without ending the process.
"""

from __future__ import annotations


class CourseError(Exception):
    """Something the user can fix; the message says what (the command exits with 1)."""
