p1a = "2 c d_out^2 d_in"
def p1b_fn(W)
    return W
