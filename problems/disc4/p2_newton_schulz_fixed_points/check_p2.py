"""Checks of Discussion 4 Problem 2 (Newton-Schulz fixed points and where singular values go).

Fixed points and their stability come from `iteration.py` (p and p'); part (e)
is graded against the simulated iteration at starting values in the regions
where the answer is definite.
"""

from __future__ import annotations

import math

from autograder.checking.calls import Case, run_cases
from autograder.checking.elements import (
    Cell,
    Unreadable,
    check_interval,
    check_number_set,
    check_table,
    read_choice,
    read_number,
)
from autograder.checking.custom import check
from problems.disc4.p2_newton_schulz_fixed_points.iteration import FIXED_POINTS, derivative, graded_starts

LIMIT_KEY = "+1 on (0, sqrt(3)); 0 at sqrt(3); oscillates at sqrt(5); diverges above sqrt(5)"


def fixed_point_label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@check("disc4.p2b")
def check_p2b(part, answer):
    return check_number_set(part, answer, FIXED_POINTS, what="fixed points")


@check("disc4.p2c")
def check_p2c(part, answer):
    cells = [
        Cell(fixed_point_label(x), "stable" if abs(derivative(x)) < 1 else "unstable", read=lambda v: read_choice(part, v))
        for x in sorted(FIXED_POINTS)
    ]
    return check_table(part, answer, cells, read_key=read_number, what="fixed point", names_are_answers=True)


@check("disc4.p2e_to_one")
def check_p2e_to_one(part, answer):
    return check_interval(part, answer, (0.0, math.sqrt(3)), key="(0, sqrt(3))")


def read_outcome(part, value) -> str:
    """An outcome from a number (1, 0, -1, inf) or a word; see the part's synonyms."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isinf(value):
            return "diverges"
        for number, label in ((1.0, "+1"), (0.0, "0"), (-1.0, "-1")):
            if value == number:
                return label
        raise Unreadable(f"{value!r} is not 1, 0, -1 or one of the words")
    return read_choice(part, value)


@check("disc4.p2e_limit")
def check_p2e_limit(part, answer, submission, settings):
    cases = []
    for sigma, limit in graded_starts():
        variants = {"closed_at_sqrt3": limit, "sqrt5_diverges": limit}
        if math.isclose(sigma, math.sqrt(3)):
            variants["closed_at_sqrt3"] = "+1"
        if math.isclose(sigma, math.sqrt(5)):
            variants["sqrt5_diverges"] = "diverges"
        cases.append(Case((sigma,), limit, f"sigma = {sigma:.6g}", variants))

    def judge(case, output):
        try:
            outcome = read_outcome(part, output)
        except Unreadable as error:
            return f"the result could not be read ({error})"
        return None if outcome == case.expected else f"read as {outcome!r}, which is not where the iteration goes"

    def matches(variant, output):
        try:
            return read_outcome(part, output) == variant
        except Unreadable:
            return False

    return run_cases(part, answer, submission, cases, what="p2e_limit(sigma)", judge=judge, matches=matches, key=LIMIT_KEY)
