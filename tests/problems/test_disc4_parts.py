"""Discussion 4: right answers written several ways, every named mistake, and the simulation behind part 2(e)."""

from __future__ import annotations

import math

from problems.disc4.p2_newton_schulz_fixed_points.iteration import (
    ABOVE_SQRT5,
    BELOW_SQRT3,
    exact_limit,
    float_limit,
    graded_starts,
)
from tests.problems.grading import Variant as V
from tests.problems.grading import grade_variants

LIMIT_BY_CASES = """
import math
def p2e_limit(sigma):
    if math.isclose(sigma, math.sqrt(3), rel_tol=1e-12):
        return {at_sqrt3!r}
    if math.isclose(sigma, math.sqrt(5), rel_tol=1e-12):
        return {at_sqrt5!r}
    return "+1" if sigma < math.sqrt(3) else "diverges" if sigma > math.sqrt(5) else "-1"
"""

DISC4 = {
    "disc4.p1a": [
        V("import numpy as np\ndef p1a(x, g):\n    return g[:, None] * x[None, :]", 1),
        V("import torch\ndef p1a(x, g):\n    W = torch.zeros(len(g), len(x), dtype=torch.float64, requires_grad=True)\n"
          "    (torch.tensor(g) @ (W @ torch.tensor(x))).backward()\n    return W.grad", 1),
        V("import numpy as np\ndef p1a(x, g):\n    return np.outer(x, g)", 0, "how the gradient is laid out"),
        V("import numpy as np\ndef p1a(x, g):\n    return np.outer(g, x) * 2", 0, "entries are wrong"),
    ],
    "disc4.p1a_shape": [
        V('p1a_shape = "d_{out} x d_{in}"', 1),
        V('p1a_shape = ("d_in", "d_out")', 0, "laid out like W"),
        V('p1a_shape = "d_out"', 0, "should have 2", "invalid"),
    ],
    "disc4.p1b_exponent": [
        V('p1b_exponent = "2"', 1),
        V("p1b_exponent = 1", 0, "square of the RMS norm"),
        V("p1b_exponent = 0.5", 0, "zero-mean terms"),
        V("p1b_exponent = 3", 0, "not equivalent"),
    ],
    "disc4.p1b_depends_dout": [
        V("p1b_depends_dout = False", 1),
        V('p1b_depends_dout = "No"', 1),
        V('p1b_depends_dout = "yes"', 0, "average over the output features"),
        V('p1b_depends_dout = "maybe"', 0, "not one of the choices", "invalid"),
    ],
    "disc4.p1b_multiplier": [
        V('p1b_multiplier = "d_in^(-1)"', 1),
        V('p1b_multiplier = "1/d_in^2"', 0, "quadratic"),
        V('p1b_multiplier = "1/sqrt(d_in)"', 0, "sqrt(d_in)"),
        V('p1b_multiplier = "1/(d_in d_out)"', 0, "depends on d_out"),
        V('p1b_multiplier = "1/d_out"', 0, "swapped"),
    ],
    "disc4.p2b": [
        V("p2b = [1, -1, 0, 1.0]", 1),
        V('p2b = ["-1", "0", "1"]', 1),
        V("p2b = {0, 1}", 2 / 3, "missing"),
        V("p2b = {0, 1, -1, 2}", 2 / 3, "not among the fixed points"),
        V("p2b = {1, 2}", 0, "not among"),
        V("p2b = (1, 0, -1)", 1),
        V('p2b = "zero and one"', 0, "could not be read", "invalid"),
    ],
    "disc4.p2c": [
        V('p2c = {"0": "Unstable", "+1": "locally stable", "-1": "stable"}', 1),
        V('p2c = {0.0: "unstable", 1.0: "stable", -1.0: "attracting"}', 1),
        V('p2c = {0: "stable", 1: "stable", -1: "stable"}', 2 / 3, "|p'(0)| against 1"),
        V('p2c = {0: "unstable", 1: "unstable", -1: "unstable"}', 1 / 3, "|p'(1)| against 1"),
        V('p2c = {0: "unstable", 1: "stable"}', 2 / 3, "at least one fixed point has no entry"),
        V('p2c = {0: "unstable", 1: "stable", -1: "stable", 2: "stable"}', 1, "1 of your entries"),
        V('p2c = ["unstable", "stable", "stable"]', 0, "should be a dict", "invalid"),
    ],
    "disc4.p2e_to_one": [
        V('p2e_to_one = "(0, \\\\sqrt{3})"', 1),
        V("import math\np2e_to_one = [0.0, math.sqrt(3)]", 1),
        V('p2e_to_one = (0, "sqrt(5)")', 0, "too wide"),
        V('p2e_to_one = (1, "sqrt(3)")', 0.5, "below your low end"),
        V("p2e_to_one = (0, 1)", 0.5, "above your high end"),
        V("p2e_to_one = (0, 2)", 0.5, "high end"),
        V("p2e_to_one = (0, 1.732)", 1),
        V("p2e_to_one = (2, 1)", 0, "above its high end", "invalid"),
    ],
    "disc4.p2e_limit": [
        V(LIMIT_BY_CASES.format(at_sqrt3=0, at_sqrt5="oscillating"), 1),
        V(LIMIT_BY_CASES.format(at_sqrt3="zero", at_sqrt5="periodic"), 1),
        V(LIMIT_BY_CASES.format(at_sqrt3="+1", at_sqrt5="oscillates"), 0.5, "special starting values exactly"),
        V(LIMIT_BY_CASES.format(at_sqrt3=0, at_sqrt5="diverges"), 0.5, "special starting values exactly"),
        V(LIMIT_BY_CASES.format(at_sqrt3=1, at_sqrt5="diverges"), 0, "2 of 14"),
        V("def p2e_limit(sigma):\n    return float('inf') if sigma > 2.2 else 1.0", 0, "sigma = 1.73205"),
        V("def p2e_limit(sigma):\n    return 'converges'", 0, "could not be read"),
    ],
}


def test_discussion_4_answers_grade_as_expected():
    assert grade_variants("disc4", "disc4", DISC4) == []


def test_simulation_settles_the_definite_regions():
    assert all(float_limit(s) == "+1" for s in BELOW_SQRT3)
    assert all(float_limit(s) == "diverges" for s in ABOVE_SQRT5)
    import sympy

    assert exact_limit(sympy.sqrt(3)) == "0"
    assert exact_limit(sympy.sqrt(5)) == "oscillates"
    # In floating point sqrt(3) drifts back to +1: why the boundaries are iterated exactly.
    assert float_limit(math.sqrt(3)) == "+1"


def test_graded_starts_avoid_the_imprecise_stretch():
    for sigma, _ in graded_starts():
        assert not (math.sqrt(3) + 1e-9 < sigma < math.sqrt(5) - 1e-9)



def test_the_reference_fixed_points_and_their_stability_are_the_iterations():
    """2(b) and 2(c) are graded from the reference's values: they must be p's fixed points and |p'| < 1 there."""
    from autograder.engine import load_reference
    from autograder.assignment import load_assignment
    from problems.disc4.p2_newton_schulz_fixed_points.iteration import FIXED_POINTS, derivative

    reference = load_reference(load_assignment("disc4"))
    assert sorted(float(x) for x in reference.p2b) == sorted(FIXED_POINTS)
    assert {float(x): label for x, label in reference.p2c.items()} == {
        x: "stable" if abs(derivative(x)) < 1 else "unstable" for x in FIXED_POINTS
    }
