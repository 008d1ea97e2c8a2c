# Discussion 4 -- named mistakes: a multiplier that also divides by d_out, and the interval (0, 1) that stops at 1; otherwise full marks.
import math


def p1a(x, g):
    return [[gi * xj for xj in x] for gi in g]


p1a_shape = "d_out x d_in"
p1b_exponent = 2
p1b_depends_dout = False
p1b_multiplier = "1/(d_in*d_out)"

p2a = "W W^T = U S^2 U^T, so p(W) = U p(S) V^T."
p2b = {0, 1, -1}
p2c = {"0": "unstable", "1": "stable", "-1": "stable"}
p2d = "see PDF"
p2e_to_one = [0, 1]


def p2e_limit(sigma):
    if math.isclose(sigma, math.sqrt(3)):
        return "0"
    if math.isclose(sigma, math.sqrt(5)):
        return "oscillates"
    if sigma > math.sqrt(5):
        return "diverges"
    return "+1"


p2f = "It pushes every singular value to 1; first scale W so they are below sqrt(3)."
