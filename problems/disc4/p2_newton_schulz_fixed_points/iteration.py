"""The Newton-Schulz iteration on one singular value, simulated: the ground truth of Discussion 4 Problem 2.

Generic starting values are iterated in floating point. The two boundary
values sqrt(3) and sqrt(5) are iterated in exact arithmetic, because in floating
point p(sqrt(3)) is a rounding error away from 0 and the rounding error then grows.
"""

from __future__ import annotations

import math

import sympy

OUTCOMES = ("+1", "0", "-1", "oscillates", "diverges")
FIXED_POINTS = (-1.0, 0.0, 1.0)
_STEPS = 200
_LARGE = 1e6


def p(value):
    """p(x) = (3/2) x - (1/2) x^3, for floats or exact sympy numbers."""
    return sympy.Rational(3, 2) * value - sympy.Rational(1, 2) * value**3 if isinstance(value, sympy.Basic) else 1.5 * value - 0.5 * value**3


def derivative(value: float) -> float:
    return 1.5 - 1.5 * value**2


def float_limit(sigma: float) -> str:
    """Where the iteration from sigma ends, by iterating in floating point."""
    x = sigma
    for _ in range(_STEPS):
        x = p(x)
        if abs(x) > _LARGE:
            return "diverges"
    for point, label in ((1.0, "+1"), (-1.0, "-1"), (0.0, "0")):
        if abs(x - point) < 1e-9:
            return label
    return "oscillates"


def exact_limit(sigma: sympy.Expr, steps: int = 20) -> str:
    """Where the iteration from an exact sigma ends: a fixed point, a cycle (oscillates) or growth (diverges)."""
    seen = [sympy.nsimplify(sigma) if sigma.is_Float else sigma]
    for _ in range(steps):
        nxt = sympy.expand(p(seen[-1]))
        if nxt == seen[-1]:
            return {1: "+1", 0: "0", -1: "-1"}[int(nxt)]
        if nxt in seen:
            return "oscillates"
        if abs(float(nxt)) > _LARGE:
            return "diverges"
        seen.append(nxt)
    return float_limit(float(seen[-1]))


#: Starting values graded, with the exact value where the float stands for one.
BELOW_SQRT3 = (0.05, 0.3, 0.7, 1.0, 1.3, 1.6, 1.72)
ABOVE_SQRT5 = (2.25, 2.5, 3.0, 5.0, 12.0)
EXACT = {math.sqrt(3): sympy.sqrt(3), math.sqrt(5): sympy.sqrt(5)}


def graded_starts() -> list[tuple[float, str]]:
    """(sigma as passed to the student, its limit by simulation) in the regions where the answer is definite."""
    starts = [(s, float_limit(s)) for s in BELOW_SQRT3]
    starts += [(value, exact_limit(exact)) for value, exact in EXACT.items()]
    starts += [(s, float_limit(s)) for s in ABOVE_SQRT5]
    return starts
