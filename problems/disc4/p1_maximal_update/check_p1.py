"""Check of Discussion 4 Problem 1's gradient function p1a (maximal update learning rates).

The other parts (the gradient's shape, the exponent, the choice, the multiplier)
are data alone: problem.toml and the reference, graded by the default checks.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.calls import Case, array_judge, array_matches, run_cases, shapes_label
from autograder.checking.custom import check

#: (d_in, d_out) of the test inputs: both rectangular orientations, vectors of length 1, square.
SIZES = [(3, 5), (5, 3), (4, 1), (1, 4), (4, 4)]
GRADIENT_KEY = "g x^T (entry (i, j) = g_i x_j), shape d_out x d_in"


@check("disc4.p1a")
def check_p1a(part, answer, submission, settings):
    rng = np.random.default_rng(41)
    cases = []
    for d_in, d_out in SIZES:
        x, g = rng.standard_normal(d_in), rng.standard_normal(d_out)
        cases.append(Case((x, g), np.outer(g, x), f"x and g of {shapes_label(x, g)}", {"transposed": np.outer(x, g)}))
    return run_cases(part, answer, submission, cases, what="p1a(x, g)", judge=array_judge(), matches=array_matches(), key=GRADIENT_KEY)
