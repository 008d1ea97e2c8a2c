# Problem 1: the gradient written as x g^T, the RMS norm's exponent instead of its square's.
# Discussion 4 -- answers as plain strings, sets and dicts.
import math


def p1a(x, g):
    return [[xi * gj for gj in g] for xi in x]


p1a_shape = ("d_in", "d_out")
p1b_exponent = 1
p1b_depends_dout = "yes"
p1b_multiplier = "1/d_in^2"

p2a = "W W^T = U S^2 U^T, so p(W) = U p(S) V^T."
p2b = {0, 1, -1}
p2c = {"0": "unstable", "1": "stable", "-1": "stable"}
p2d = "see PDF"
p2e_to_one = "(0, \\sqrt{3})"


def p2e_limit(sigma):
    if math.isclose(sigma, math.sqrt(3)):
        return "0"
    if math.isclose(sigma, math.sqrt(5)):
        return "oscillates"
    if sigma > math.sqrt(5):
        return "diverges"
    return "+1"


p2f = "It pushes every singular value to 1; first scale W so they are below sqrt(3)."
