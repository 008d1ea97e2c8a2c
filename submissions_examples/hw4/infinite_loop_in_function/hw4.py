"""The expressions are right; the function never returns: only its part fails."""
p1a = "2 c d_out^2 d_in"
p1b = "2 c d_in^2 d_out"
def p1b_fn(W):
    while True:
        pass
