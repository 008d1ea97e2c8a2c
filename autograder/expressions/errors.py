"""The one error type a student's formula can raise."""

from __future__ import annotations


class ExpressionError(ValueError):
    """The answer cannot be read as a formula.

    The message is shown to the student: it says what was wrong and where, in their
    terms, and never mentions a reference answer (the parser never sees one).
    """
