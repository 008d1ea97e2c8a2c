"""Checks of Homework 4 Problem 3 (convolution as an FIR filter).

Expected values come from `signals.py` (the definitions of equations (3) and
(4)); so do the outputs of the named mistakes, chiefly the correlation that
forgets to flip h. Part (a) takes a formula (checked over the declared domain of
n and L) or a function p3a(n, L) (called on a grid of n and L). The property of
part (b), a choice, is data alone, graded by the default check.
"""

from __future__ import annotations

import sympy

from autograder.checking.array_answers import check_array
from autograder.checking.calls import Case, run_cases
from autograder.checking.custom import check
from autograder.checking.elements import Unreadable, read_number, same_number
from autograder.checking.formula_answers import symbol_table
from autograder.checking.formulas import check_formula
from autograder.part_options import ArrayOptions, ExpressionOptions
from autograder.sandbox.wire import Opaque
from autograder.symbolic import describe, parse_expression
from problems.hw4.p3_convolution_fir.signals import (
    H_2D,
    TIMES,
    X_2D,
    convolve_1d,
    convolve_2d,
    correlate_1d,
    correlate_2d,
)

#: Rect lengths and times at which a function answer to (a) is called: edges of each piece and far out.
LENGTHS = (1, 2, 3, 7, 10)
LENGTH_IN_B, DELAY_IN_B = 7, 5


def _times_for(length: int) -> list[int]:
    """Before time 0, at 0, around the end of the rect (n = L - 1, L) and long after it."""
    return sorted({-4, -1, 0, 1, length - 2, length - 1, length, length + 1, length + 6, 25})


def _judge_number(case: Case, output) -> str | None:
    try:
        value = read_number(output)
    except Unreadable as error:
        return f"the result is not a number ({error})"
    return None if same_number(value, case.expected) else "the value is not right"


def _matches_number(variant, output) -> bool:
    try:
        return same_number(read_number(output), variant)
    except Unreadable:
        return False


@check("hw4.p3a")
def check_p3a(part, problem, answer, submission, reference, settings):
    if not (answer.given and isinstance(answer.value, Opaque) and part.options_as(ExpressionOptions).function):
        return check_formula(part, problem, answer, reference.p3a)
    table = symbol_table(problem, part)
    n, length = table.symbol("n"), table.symbol("L")
    mistakes = {m.answer: parse_expression(m.answer, table) for m in part.mistakes}
    cases = []
    for size in LENGTHS:
        for time in _times_for(size):
            point = {n: sympy.Integer(time), length: sympy.Integer(size)}
            variants = {name: float(expr.xreplace(point)) for name, expr in mistakes.items()}
            cases.append(Case((time, size), convolve_1d(time, size), f"n = {time}, L = {size}", variants))
    key = describe(parse_expression(reference.p3a, table))
    return run_cases(part, answer, submission, cases, what="p3a(n, L)", judge=_judge_number, matches=_matches_number, key=key)


@check("hw4.p3a_values")
def check_p3a_values(part, answer):
    expected = [convolve_1d(t, 7) for t in TIMES]
    variants = {
        "correlation": [correlate_1d(t, 7) for t in TIMES],
        "from_zero": [convolve_1d(t, 7) for t in range(0, len(TIMES))],
    }
    return check_array(part, answer, expected, variants=variants, also_shapes=part.options_as(ArrayOptions).also_shapes)


@check("hw4.p3b_values")
def check_p3b_values(part, answer):
    expected = [convolve_1d(t, LENGTH_IN_B, DELAY_IN_B) for t in TIMES]
    variants = {
        "correlation": [correlate_1d(t, LENGTH_IN_B, DELAY_IN_B) for t in TIMES],
        "shifted_left": [convolve_1d(t + DELAY_IN_B, LENGTH_IN_B) for t in TIMES],
        "unshifted": [convolve_1d(t, LENGTH_IN_B) for t in TIMES],
    }
    return check_array(part, answer, expected, variants=variants, also_shapes=part.options_as(ArrayOptions).also_shapes)


@check("hw4.p3c")
def check_p3c(part, answer):
    return check_array(part, answer, convolve_2d(X_2D, H_2D), variants={"correlation": correlate_2d(X_2D, H_2D)})


@check("hw4.p3d_i")
def check_p3d_i(part, answer):
    return check_array(part, answer, convolve_2d(X_2D, H_2D, 1, 1), variants={"correlation": correlate_2d(X_2D, H_2D, 1, 1)})


@check("hw4.p3d_ii")
def check_p3d_ii(part, answer):
    return check_array(part, answer, convolve_2d(X_2D, H_2D, 1, 2), variants={"correlation": correlate_2d(X_2D, H_2D, 1, 2)})
