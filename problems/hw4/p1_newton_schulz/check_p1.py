"""Checks of Homework 4 Problem 1 (Newton-Schulz runtime)."""

from __future__ import annotations

import numpy as np

from autograder.checking.formulas import check_formula
from autograder.checking.function import check_matrix_function
from autograder.checking.verdict import Verdict
from autograder.checks import check

#: Small matrices, rectangular both ways and square, on which p(W) must be right.
SHAPES = [(6, 3), (3, 6), (5, 5), (1, 4), (4, 1)]


@check("hw4.p1a")
def check_p1a(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p1a)


@check("hw4.p1b")
def check_p1b(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p1b)


@check("hw4.p1b_fn")
def check_p1b_fn(part, answer, submission, reference):
    rng = np.random.default_rng(2025)
    inputs = [0.5 * rng.standard_normal(shape) for shape in SHAPES]
    verdict = check_matrix_function(answer, submission, inputs, reference.p1b_fn, what="p1b_fn(W)")
    if not verdict.passed:
        return verdict
    rows, cols = part.options["tall_rows"], part.options["tall_cols"]
    tall = 0.1 * rng.standard_normal((rows, cols))
    memory = part.options["memory_mb"]
    big = check_matrix_function(answer, submission, [tall], reference.p1b_fn, what=f"p1b_fn on a {rows} x {cols} W", memory_mb=memory)
    if big.passed:
        return Verdict.correct(f"Correct on {len(SHAPES)} small matrices and on a {rows} x {cols} matrix within {memory} MB.")
    return Verdict.wrong(
        f"Correct on small matrices, but not on a tall {rows} x {cols} W within {memory} MB: {big.message.rstrip('.')}. "
        "The Gram form never builds a d_out x d_out matrix: use W^T W (d_in x d_in).",
        fraction=0.5,
    )
