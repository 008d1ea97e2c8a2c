"""Reference solution of Homework 4, written exactly as a student's hw4.py would be.

It is graded through the same path as every submission and must score full marks.
"""

import numpy as np

# Problem 1: Newton-Schulz runtime ------------------------------------------------------

# (a) W W^T costs c*d_out*d_in*d_out; (3I - W W^T) W costs c*d_out*d_out*d_in.
p1a = "2 c d_out^2 d_in"

# (b) W^T W costs c*d_in*d_out*d_in; W (3I - W^T W) costs c*d_out*d_in*d_in.
p1b = "2 c d_in^2 d_out"


def p1b_fn(W):
    """p(W) = W (3I - W^T W) / 2: the same matrix, with only d_in x d_in intermediates."""
    W = np.asarray(W, dtype=float)
    gram = W.T @ W
    return W @ (1.5 * np.eye(W.shape[1]) - 0.5 * gram)


p1b_explain = (
    "(W W^T) W = W (W^T W), so p(W) = 1/2 W (3 I_{d_in} - W^T W). "
    "Both products then have a d_in x d_in factor instead of a d_out x d_out one."
)
