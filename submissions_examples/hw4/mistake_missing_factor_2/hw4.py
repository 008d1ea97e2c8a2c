import numpy as np
p1a = "c d_out^2 d_in"
p1b = "c d_in^2 d_out"
def p1b_fn(W):
    return 0.5 * W @ (3 * np.eye(W.shape[1]) - W.T @ W)
