"""Check of Discussion 4 Problem 2's function p2e_limit (where a singular value goes under Newton-Schulz).

It is graded against the simulated iteration of `iteration.py` at starting values
in the regions where the answer is definite. The fixed points, their stability
and the interval that converges to +1 are data alone (problem.toml and the
reference), graded by the default checks; tests/problems/test_disc4_parts.py holds
the reference to `iteration.py`.
"""

from __future__ import annotations

import math

from autograder.checking.calls import Case, run_cases
from autograder.checking.custom import check
from autograder.checking.elements import Unreadable, read_choice
from problems.disc4.p2_newton_schulz_fixed_points.iteration import graded_starts

LIMIT_KEY = "+1 on (0, sqrt(3)); 0 at sqrt(3); oscillates at sqrt(5); diverges above sqrt(5)"


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
