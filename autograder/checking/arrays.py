"""Numbers and arrays: exact shape first (no broadcasting), then finiteness, then tolerance.

The reference is always the second argument of `numpy.isclose`, so the relative
tolerance scales with the expected value and not with the student's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.sandbox.wire import EncodingFailure, ExprText, Opaque

RTOL = 1e-6
ATOL = 1e-8


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
    """A plain number or a simple fraction written as text ("0.5", "-3/4"); anything else is refused."""
    cleaned = text.strip().replace("−", "-")
    try:
        if "/" in cleaned:
            numerator, denominator = cleaned.split("/", 1)
            return float(numerator) / float(denominator)
        return float(cleaned)
    except (ValueError, ZeroDivisionError):
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
    worst = float(np.max(np.abs(given - expected)))
    return ArrayComparison(
        False,
        f"{what}: {wrong} of {close.size} entries are wrong (largest difference {worst:.3g}).",
        wrong,
    )
