"""The one error type of the staff tools: a message a TA can act on, printed without a traceback."""

from __future__ import annotations


class StaffError(Exception):
    """A problem with what the staff asked for (missing folder, bad zip, unknown assignment)."""
