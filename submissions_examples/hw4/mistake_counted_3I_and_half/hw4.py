import numpy as np
p1a = "3 c d_out^2 d_in"        # counted 3I - W W^T as a product
p1b = "4 c d_in^2 d_out"        # counted the 3I and the 1/2
def p1b_fn(W):
    return 0.5 * W @ (3 * np.eye(W.shape[1]) - W.T @ W)
