"""Right p(W), but computed with W W^T: fine on small matrices, out of memory on a tall one."""
import numpy as np
p1a = "2 c d_out^2 d_in"
p1b = "2 c d_in^2 d_out"
def p1b_fn(W):
    return 0.5 * (3 * np.eye(W.shape[0]) - W @ W.T) @ W
