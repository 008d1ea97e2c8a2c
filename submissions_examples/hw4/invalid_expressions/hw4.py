"""Answers that cannot be read: unknown symbols, attacks, unbalanced parentheses."""
p1a = "__import__('os').system('echo pwned')"
p1b = "2 c (d_in^2 d_out"
def p1b_fn(W):
    return eval("W")
