"""The error a student's formula can raise, and its kind for answers that are no number at all."""

from __future__ import annotations


class ExpressionError(ValueError):
    """The answer cannot be read as a formula.

    The message is shown to the student: it says what was wrong and where, in their
    terms, and never mentions a reference answer (the parser never sees one).
    """


class NotFinite(ExpressionError):
    """The answer is (or holds) NaN or an infinity: not a usable answer, whatever else it holds.

    A separate kind because such an answer earns nothing as a whole: a tuple or a set
    with one infinite member is not graded member by member.
    """
