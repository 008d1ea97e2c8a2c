# Discussion 4 with numbers as exact or numpy types and the dimensions written fan_in / fan_out: all right.
from decimal import Decimal
from fractions import Fraction

import numpy as np
import sympy
import math


def p1a(x, g):
    return [[gi * xj for xj in x] for gi in g]


p1a_shape = ("fan_out", "fan_{in}")
p1b_exponent = np.float64(2.0)
p1b_depends_dout = False
p1b_multiplier = "1/fan_in"

p2a = "W W^T = U S^2 U^T, so p(W) = U p(S) V^T."
p2b = {Fraction(-1), Decimal(0), sympy.Integer(1)}
p2c = {"0": "unstable", "1": "stable", "-1": "stable"}
p2d = "see PDF"
p2e_to_one = (Fraction(0), Decimal('1.7320508'))


def p2e_limit(sigma):
    if math.isclose(sigma, math.sqrt(3)):
        return "0"
    if math.isclose(sigma, math.sqrt(5)):
        return "oscillates"
    if sigma > math.sqrt(5):
        return "diverges"
    return "+1"


p2f = "It pushes every singular value to 1; first scale W so they are below sqrt(3)."
