"""The one error type of the command line: what was asked cannot be done as asked, and the message says why.

Raised wherever the fault is found (an unknown assignment, a missing folder, a bad
zip or settings file, an unreachable cluster) by the student commands and the staff
tools alike; `autograder.cli.main` is the one place that turns it into one line on
stderr (`autograder: <message>`, no traceback) and exit status 2. Anything else that
escapes is a bug of ours and keeps its traceback.
"""

from __future__ import annotations


class CommandError(Exception):
    """A mistake the person running the command can correct: its message says what to change."""
