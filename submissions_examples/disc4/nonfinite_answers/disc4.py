# Discussion 4 with NaN and infinities in the answers: a set, an interval, a number and a shape.

import math

import numpy as np

# Problem 1: maximal update learning rates -----------------------------------------------


def p1a(x, g):
    """dL/dW_ij = g_i x_j: the outer product g x^T."""
    return np.outer(np.asarray(g, dtype=float), np.asarray(x, dtype=float))


p1a_shape = ("d_out", "oo")

# (b) dy_j = eta sign(g_j) sum_i |x_i|, so E[RMS^2] = eta^2 E[(sum_i |x_i|)^2] ~ c d_in^2.
p1b_exponent = float("inf")
p1b_depends_dout = "no"
p1b_multiplier = "1/d_in"


# Problem 2: understanding Newton-Schulz -------------------------------------------------

p2a = "W W^T = U Sigma^2 U^T, so p(W) = U (3/2 I - 1/2 Sigma^2) U^T U Sigma V^T = U p(Sigma) V^T."

# (b) x = 3/2 x - 1/2 x^3  <=>  x (x^2 - 1) = 0.
p2b = {math.nan, 0, 1}

# (c) p'(x) = 3/2 - 3/2 x^2: |p'(0)| = 3/2, |p'(+-1)| = 0.
p2c = {0: "unstable", 1: "stable", -1: "stable"}

p2d = "Cobwebs from 0.5 and 1.5 both settle on 1 within a few steps; from -0.5 on -1."

# (e) p(sigma) in (0, 1] for sigma in (0, sqrt 3) (and above sigma below 1), so the values go to +1.
p2e_to_one = (0, math.nan)


def p2e_limit(sigma):
    if abs(sigma - math.sqrt(3)) < 1e-9:
        return 0  # p(sqrt 3) = 0, a fixed point
    if abs(sigma - math.sqrt(5)) < 1e-9:
        return "oscillates"  # p(sqrt 5) = -sqrt 5, p(-sqrt 5) = sqrt 5
    if sigma > math.sqrt(5):
        return "diverges"  # |p(sigma)| > sigma
    if sigma < math.sqrt(3):
        return 1
    return -1  # between sqrt 3 and sqrt 5: not graded


p2f = (
    "Each step maps every singular value through p, pushing it towards 1 (a stable fixed point), so W tends to "
    "U V^T. The singular values must first be scaled into (0, sqrt 3), e.g. by dividing W by its Frobenius norm."
)
