# Discussion 4 with NaN and infinities in the answers: a set, an interval, a number and a shape.
import math


def p1a(x, g):
    return [[gi * xj for xj in x] for gi in g]


p1a_shape = ("d_out", "oo")
p1b_exponent = float("inf")
p1b_depends_dout = False
p1b_multiplier = "1/d_{in}"

p2a = "W W^T = U S^2 U^T, so p(W) = U p(S) V^T."
p2b = {math.nan, 0, 1}
p2c = {"0": "unstable", "1": "stable", "-1": "stable"}
p2d = "see PDF"
p2e_to_one = (0, math.nan)


def p2e_limit(sigma):
    if math.isclose(sigma, math.sqrt(3)):
        return "0"
    if math.isclose(sigma, math.sqrt(5)):
        return "oscillates"
    if sigma > math.sqrt(5):
        return "diverges"
    return "+1"


p2f = "It pushes every singular value to 1; first scale W so they are below sqrt(3)."
