import numpy as np
p1a = "2 c d_in^2 d_out"
p1b = "2 c d_out^2 d_in"
def p1b_fn(W):
    return 0.5 * W @ (3 * np.eye(W.shape[1]) - W.T @ W)
