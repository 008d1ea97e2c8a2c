"""The one error type of the command line: what was asked cannot be done as asked, and the message says why.

Raised wherever the fault is found (an unknown assignment, a missing folder, a bad
zip or settings file, an unreachable cluster) by the student commands and the staff
tools alike; `autograder.cli.main` is the one place that turns it into one line on
stderr (`autograder: <message>`, no traceback) and exit status 2, through `report`, which the
student kit's own entry point (formatcheck.main) uses too. Anything else that
escapes is a bug of ours and keeps its traceback.
"""

from __future__ import annotations

import sys


class CommandError(Exception):
    """A mistake the person running the command can correct: its message says what to change."""


def report(error: CommandError, program: str) -> int:
    """How every entry point says a CommandError: `<program>: <message>` on stderr, exit status 2."""
    print(f"{program}: {error}", file=sys.stderr)
    return 2
