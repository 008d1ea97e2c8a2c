"""A full-marks submission written the way a careful student might: plain strings, a numpy function."""
import numpy as np

p1a = "2*c*d_{out}^2*d_{in}"
p1b = "2 c d_in^2 d_out"


def p1b_fn(W):
    G = W.T @ W
    return 0.5 * W @ (3 * np.eye(G.shape[0]) - G)


p1b_explain = "Use W (W^T W) instead of (W W^T) W: the Gram matrix is only d_in x d_in."
