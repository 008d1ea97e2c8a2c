"""Checks of Discussion 4 Problem 1 (maximal update learning rates)."""

from __future__ import annotations

import numpy as np

from autograder.checking.calls import Case, array_judge, array_matches, run_cases, shapes_label
from autograder.checking.elements import check_choice
from autograder.checking.formulas import check_formula, check_formula_tuple
from autograder.checking.custom import check
from autograder.part_options import ExpressionOptions

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


@check("disc4.p1a_shape")
def check_p1a_shape(part, problem, answer, reference):
    return check_formula_tuple(part, problem, answer, reference.p1a_shape, part.options_as(ExpressionOptions).labels)


@check("disc4.p1b_exponent")
def check_p1b_exponent(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p1b_exponent)


@check("disc4.p1b_depends_dout")
def check_p1b_depends_dout(part, answer, reference):
    return check_choice(part, answer, reference.p1b_depends_dout)


@check("disc4.p1b_multiplier")
def check_p1b_multiplier(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p1b_multiplier)
