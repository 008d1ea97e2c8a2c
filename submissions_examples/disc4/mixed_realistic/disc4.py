# A realistic submission: part 1 right, some slips in part 2.
# Discussion 4 -- answers as plain strings, sets and dicts.
import math


def p1a(x, g):
    return [[gi * xj for xj in x] for gi in g]


p1a_shape = "d_out, d_in"
p1b_exponent = 2
p1b_depends_dout = False
p1b_multiplier = "1/d_{in}"

p2a = "W W^T = U S^2 U^T, so p(W) = U p(S) V^T."
p2b = [0, 1, -1]
p2c = {0: "unstable", 1: "stable", -1: "stabel"}
p2d = "see PDF"
p2e_to_one = (0, 1.732)


def p2e_limit(sigma):
    x = sigma
    for _ in range(100):
        x = 1.5 * x - 0.5 * x ** 3
    return round(x)


p2f = "It pushes every singular value to 1; first scale W so they are below sqrt(3)."
