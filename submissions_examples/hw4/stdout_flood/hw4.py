"""Prints megabytes before answering; the answers themselves are right."""
import numpy as np
for i in range(300000):
    print("flood " * 10, i)
p1a = "2 c d_out^2 d_in"
p1b = "2 c d_in^2 d_out"
def p1b_fn(W):
    print("x" * 10**6)
    return 0.5 * W @ (3 * np.eye(W.shape[1]) - W.T @ W)
