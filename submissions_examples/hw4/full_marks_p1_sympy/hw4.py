"""Problem 1 answered with sympy expressions and a torch function."""

import numpy as np
import sympy as sp
import torch

c, d_out, d_in = sp.symbols("c d_out d_in", positive=True)

# Problem 1: Newton-Schulz runtime ------------------------------------------------------

# (a) W W^T costs c*d_out*d_in*d_out; (3I - W W^T) W costs c*d_out*d_out*d_in.
p1a = c * d_out * d_in * d_out + c * d_out * d_out * d_in

# (b) W^T W costs c*d_in*d_out*d_in; W (3I - W^T W) costs c*d_out*d_in*d_in.
p1b = sp.expand(c * d_in * d_out * d_in * 2)


def p1b_fn(W):
    W = torch.as_tensor(W)
    return (1.5 * W - 0.5 * W @ (W.T @ W)).numpy()


p1b_explain = (
    "(W W^T) W = W (W^T W), so p(W) = 1/2 W (3 I_{d_in} - W^T W). "
    "Both products then have a d_in x d_in factor instead of a d_out x d_out one."
)
