"""Numbers and arrays: exact shape first (no broadcasting), then finiteness, then tolerance.

The reference is always the second argument of `numpy.isclose`, so the relative
tolerance scales with the expected value and not with the student's.

How far off a wrong array is, is said coarsely and relative to the size of the
expected entries ("off by more than 50 % of the expected size"): an absolute
difference would give the reference away (the largest difference from an
all-zero answer is the largest expected entry). :func:`detect_array_mistake` names
the generic mistakes an array, or all the outputs of a function together, can have
(wrong sign, a constant factor, transposed) without any value, by one rule
(:func:`shared_mistake`) and the tolerances the answer was judged by. The student
reads its neutral hint (naming it would give the answer away); the exact name is
kept for after the due date (:class:`~autograder.checking.verdict.Detected`).

Two relative tolerances: :data:`RTOL` for values that code computed (a function's
outputs), and :data:`HAND_RTOL` for values a student works out by hand and writes
down rounded; the answer key itself prints 6 significant digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from autograder.checking.elements import Unreadable, read_number
from autograder.checking.verdict import Detected
from autograder.sandbox.wire import EncodingFailure, ExprText, Opaque

RTOL = 1e-6
ATOL = 1e-8
#: A value rounded to 4 significant digits is off by at most half a unit in the 4th digit: 5e-4 of itself.
HAND_RTOL = 5e-4


class NotNumeric(ValueError):
    """The answer cannot be read as numbers; the message says what it was."""


def to_array(value: Any) -> np.ndarray:
    """Read an answer as a float array: arrays, nested lists, numbers; never strings of code."""
    if isinstance(value, (EncodingFailure, Opaque)):
        raise NotNumeric(f"expected numbers, got {value!r}")
    if isinstance(value, (str, ExprText)):
        return np.asarray(_number_from_text(str(value)))
    if isinstance(value, (list, tuple)):
        items = [to_array(v) for v in value]
        shapes = {item.shape for item in items}
        if len(shapes) > 1:
            raise NotNumeric("the rows have different lengths")
        return np.asarray(items, dtype=float) if items else np.zeros((0,))
    if isinstance(value, bool):
        raise NotNumeric("expected a number, got True/False")
    if isinstance(value, (int, float, np.ndarray, np.number)):
        array = np.asarray(value)
        if array.dtype.kind == "b":
            raise NotNumeric("expected numbers, got True/False values")
        return array.astype(float)
    if value is None:
        raise NotNumeric("no value (None)")
    raise NotNumeric(f"expected numbers, got a {type(value).__name__}")


def _number_from_text(text: str) -> float:
    """A plain number, a simple fraction ("0.5", "-3/4") or exact text the safe parser reads ("sqrt(3)/2").

    The text may come from sympy numbers the student's code built (a Rational, a
    sympy Matrix of them); nothing is evaluated as code.
    """
    cleaned = text.strip().replace("−", "-")
    try:
        if "/" in cleaned:
            numerator, denominator = cleaned.split("/", 1)
            return float(numerator) / float(denominator)
        return float(cleaned)
    except (ValueError, ZeroDivisionError):
        pass
    try:
        return read_number(cleaned)
    except Unreadable:
        raise NotNumeric(f"{text[:40]!r} is not a number") from None


@dataclass(frozen=True)
class ArrayComparison:
    ok: bool
    message: str
    wrong_entries: int = 0


def compare_arrays(given: np.ndarray, expected: np.ndarray, *, rtol: float = RTOL, atol: float = ATOL, what: str = "the result") -> ArrayComparison:
    """Compare without revealing expected values: say the shape problem or how many entries differ and by how much."""
    given = np.asarray(given, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if given.shape != expected.shape:
        return ArrayComparison(False, f"{what} has shape {given.shape}, which is not the expected shape.")
    if not np.all(np.isfinite(given)):
        bad = int(np.size(given) - np.count_nonzero(np.isfinite(given)))
        return ArrayComparison(False, f"{what} contains {bad} NaN or infinite value(s).", bad)
    close = np.isclose(given, expected, rtol=rtol, atol=atol)
    wrong = int(close.size - np.count_nonzero(close))
    if wrong == 0:
        return ArrayComparison(True, f"{what} matches.")
    return ArrayComparison(
        False,
        f"{what}: {wrong} of {close.size} entries are wrong ({error_size(given, expected)}).",
        wrong,
    )


#: Upper ends of the buckets in which the largest error is reported, as fractions of the expected size.
ERROR_BUCKETS = (0.01, 0.1, 0.5)


def error_size(given: np.ndarray, expected: np.ndarray) -> str:
    """The largest error, coarsely and relative to the largest expected entry; never a value.

    Relative to the expected size, so an answer that is all zeros (or wildly large)
    reads "more than 50 %" whatever the reference holds; when every expected entry
    is 0 the scale is the student's own largest entry, with the same effect.
    """
    worst = float(np.max(np.abs(given - expected)))
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    if scale == 0.0:
        scale = float(np.max(np.abs(given)))
    ratio = worst / scale if scale > 0 else 1.0
    for bound in ERROR_BUCKETS:
        if ratio <= bound:
            return f"off by at most {bound * 100:g} % of the expected size"
    return f"off by more than {ERROR_BUCKETS[-1] * 100:g} % of the expected size"


def _structured(expected: np.ndarray, atol: float) -> bool:
    """At least two distinct nonzero entries: only then is "a multiple of the answer" informative.

    A constant array, or one with a single nonzero entry, is a multiple of any array
    of the same pattern; saying "wrong sign" or "a constant factor" there would tell
    the student the answer, as it would for a formula that is a bare number.
    """
    nonzero = expected[np.abs(expected) > atol]
    return nonzero.size >= 2 and float(np.ptp(nonzero)) > atol


ArrayMistake = Literal["transposed", "sign", "factor"]

_MISTAKE_TEXT: dict[str, str] = {
    "transposed": "{subject} the transpose of the right one: re-check which index runs down the rows.",
    "sign": "{subject} the right one with the opposite sign: re-check the signs in your derivation.",
    "factor": "{subject} the right one times a constant factor: re-check the scaling (constants, averages, step sizes).",
}

#: Neutral hints of the generic array mistakes: where to look, never what the mistake is.
_MISTAKE_HINT: dict[str, str] = {
    "transposed": "Check how your result is laid out: what runs along its rows, and what along its columns.",
    "sign": "Check the sign convention of your derivation.",
    "factor": "Check the constants and scalings in your derivation (averages, step sizes).",
}


def array_mistake(given: np.ndarray, expected: np.ndarray, *, rtol: float = RTOL, atol: float = ATOL) -> ArrayMistake | None:
    """The generic mistake that explains the whole wrong array, or None: :func:`shared_mistake` of one pair."""
    return shared_mistake([(given, expected)], rtol=rtol, atol=atol)


def shared_mistake(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]], *, rtol: float = RTOL, atol: float = ATOL
) -> ArrayMistake | None:
    """The generic mistake that every (given, expected) pair shares, or None: the one rule of the diagnosis.

    One array answer is one pair; a function answer is one pair per call, all judged
    together with the tolerances it was judged by. Detects, in order: every given
    array is the right one or the transpose of a square, non-symmetric expected one
    (at least one is transposed); all of them together are the expected ones with
    the sign flipped, or times one constant (only where the expected entries have
    structure, see :func:`_structured`: a single scalar output never gets a sign or
    a factor, several together may). None if any pair differs in shape or holds
    NaN or inf, and if every pair already matches.
    """
    arrays = [(np.asarray(g, dtype=float), np.asarray(e, dtype=float)) for g, e in pairs]
    if not arrays or any(g.shape != e.shape or not np.all(np.isfinite(g)) for g, e in arrays):
        return None
    close = [bool(np.allclose(g, e, rtol=rtol, atol=atol)) for g, e in arrays]
    if all(close):
        return None
    if all(e.ndim == 2 and e.shape[0] == e.shape[1] for _, e in arrays) and all(
        ok or _transposed(g, e, rtol, atol) for ok, (g, e) in zip(close, arrays)
    ):
        return "transposed"
    given = np.concatenate([g.ravel() for g, _ in arrays])
    expected = np.concatenate([e.ravel() for _, e in arrays])
    if not _structured(expected, atol):
        return None
    factor = float(np.sum(given * expected) / np.sum(expected * expected))
    if abs(factor) <= atol or not np.allclose(given, factor * expected, rtol=rtol, atol=atol):
        return None
    return "sign" if np.isclose(factor, -1.0, rtol=rtol, atol=0.0) else "factor"


def _transposed(given: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    """`given` is the transpose of a square `expected` that is not symmetric (else the transpose is right)."""
    return not np.allclose(expected, expected.T, rtol=rtol, atol=atol) and bool(np.allclose(given, expected.T, rtol=rtol, atol=atol))


def describe_mistake(kind: ArrayMistake, subject: str = "Your array is") -> Detected:
    """A generic array mistake named exactly and with its neutral hint; the factor is never shown (it would reveal the answer)."""
    return Detected(kind, _MISTAKE_TEXT[kind].format(subject=subject), _MISTAKE_HINT[kind])


def detect_array_mistake(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    subject: str = "Your array is",
) -> Detected | None:
    """:func:`shared_mistake` as a detected mistake, or None; array answers and function answers alike."""
    kind = shared_mistake(pairs, rtol=rtol, atol=atol)
    return None if kind is None else describe_mistake(kind, subject)
