"""Wrong in ways with no named message: generic diagnoses (sign, swapped symbols, unrelated)."""
import numpy as np
p1a = "-2 c d_out^2 d_in"
p1b = "2 c d_in d_out^2 + d_in"
def p1b_fn(W):
    return W.T @ W
