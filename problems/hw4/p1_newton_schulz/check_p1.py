"""Check of Homework 4 Problem 1's function p1b_fn; the runtime formulas (a), (b) are graded by their data alone."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checking.calls import Case, array_judge, run_cases, shapes_label
from autograder.checking.custom import check
from autograder.checking.verdict import Verdict
from autograder.part_options import FunctionOptions

#: Small matrices, rectangular both ways and square, on which p(W) must be right.
SHAPES = [(6, 3), (3, 6), (5, 5), (1, 4), (4, 1)]


def matrix_cases(matrices: list[np.ndarray], reference_fn: Callable[[np.ndarray], np.ndarray]) -> list[Case]:
    """One call per matrix, the expected p(W) from the reference function."""
    return [Case((W,), np.asarray(reference_fn(W)), f"W of {shapes_label(W)}") for W in matrices]


@check("hw4.p1b_fn")
def check_p1b_fn(part, answer, submission, reference):
    rng = np.random.default_rng(2025)
    inputs = [0.5 * rng.standard_normal(shape) for shape in SHAPES]
    verdict = run_cases(part, answer, submission, matrix_cases(inputs, reference.p1b_fn), what="p1b_fn(W)", judge=array_judge())
    if not verdict.passed:
        return verdict
    options = part.options_as(FunctionOptions)
    rows, cols, memory = options.tall_rows, options.tall_cols, options.memory_mb
    if rows is None or cols is None or memory is None:
        raise ValueError(f"{part.id} needs options tall_rows, tall_cols and memory_mb")
    tall = 0.1 * rng.standard_normal((rows, cols))
    gram = f"The Gram form never builds a d_out x d_out matrix: use W^T W (d_in x d_in), which fits in {memory} MB."
    big = run_cases(
        part, answer, submission, matrix_cases([tall], reference.p1b_fn), what="p1b_fn(W)", judge=array_judge(),
        memory_mb=memory, resource_hint=gram,
    )
    if big.passed:
        return Verdict.correct(f"Correct on {len(SHAPES)} small matrices and on a {rows} x {cols} matrix within {memory} MB.")
    return Verdict.wrong(f"Correct on small matrices, but not on a tall {rows} x {cols} W: {big.message}", fraction=0.5)
