"""Array answers (values of a signal, an output image, a feature vector) with named known mistakes.

Shape first (no broadcasting; a part may list other shapes that hold the same
numbers, such as a column vector written flat), then finiteness: an array of
another shape, or with NaN or an infinity in it, is not a usable answer (invalid,
as the format check says too). Then tolerance: values worked out by hand may be
rounded to 4 significant digits (`arrays.HAND_RTOL`).
A wrong array that matches one of the part's known mistakes is said to have it
(its hint, or exactly after the due date): the mistake's array (`variants`, keyed by
the name the part's data gives as `mistakes.answer`) is written in the part's options
where it is a fixed array, or computed by the part's own check where code makes it
(Homework 4 Problem 3's signals). A wrong array that no known mistake explains may still be
a generic one (transposed, wrong sign, a constant factor), found without any value,
by the rule and the tolerances that judged it (`arrays.detect_array_mistake`, as
for function outputs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from autograder.answers import Answer
from autograder.assignment import Part
from autograder.checking.arrays import ATOL, HAND_RTOL, NotNumeric, compare_arrays, detect_array_mistake, to_array
from autograder.checking.formula_answers import missing_verdict
from autograder.checking.verdict import Verdict, known


def show_array(array: np.ndarray) -> str:
    """The expected array for the answer key, compact."""
    return np.array2string(
        np.asarray(array, dtype=float), separator=", ", max_line_width=200, formatter={"float_kind": lambda v: f"{v:.6g}"}
    )


def check_array(
    part: Part,
    answer: Answer,
    expected: np.ndarray,
    *,
    variants: Mapping[str, np.ndarray] | None = None,
    also_shapes: Sequence[tuple[int, ...]] = (),
    rtol: float = HAND_RTOL,
    atol: float = ATOL,
) -> Verdict:
    expected = np.asarray(expected, dtype=float)
    key = show_array(expected)
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    try:
        given = to_array(answer.value)
    except NotNumeric as error:
        return Verdict.invalid(f"{answer.name} should be an array of numbers: {error}.", key=key)
    if given.shape != expected.shape and given.shape in [tuple(s) for s in also_shapes]:
        given = given.reshape(expected.shape)
    comparison = compare_arrays(given, expected, rtol=rtol, atol=atol, what=answer.name)
    if given.shape != expected.shape or not np.all(np.isfinite(given)):
        asked = part.options.format
        return Verdict.invalid(f"{comparison.message}{f' The part asks for {asked}.' if asked else ''} Not a usable answer.", key=key)
    if comparison.ok:
        return Verdict.correct(f"Correct: {answer.name} has the expected shape {given.shape} and every entry matches.", key=key)
    for mistake in part.mistakes:
        wrong = (variants or {}).get(str(mistake.answer))
        if wrong is None:
            continue
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == given.shape and np.all(np.isclose(given, wrong, rtol=rtol, atol=atol)):
            return Verdict.mistaken([comparison.message, known(mistake)], key=key, fraction=mistake.credit)
    found = detect_array_mistake([(given, expected)], rtol=rtol, atol=atol)
    return Verdict.mistaken([comparison.message, found], key=key)
