"""Homework 4: answer file `hw4.py`.

Fill in each name below and keep the names as they are. Run `autograder check` in this
folder before you submit: it shows what Gradescope's public checks will say.
Manual parts are graded by hand from your written PDF; text you put here is shown to the graders.
"""


# ============================================================================
# Problem 1: Newton-Schulz runtime
# ============================================================================
# Note: Runtime counts matrix products only: an n x m times m x p product costs c*m*n*p.
# Note: 3I - WW^T is a subtraction and the 1/2 a scalar scaling: neither is a matrix product.

# hw4.p1a (3 pts): Runtime of one iteration of p(W) = (3I - WW^T)W/2
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
p1a = None

# hw4.p1b (3 pts): Runtime of one iteration with the Gram matrix W^T W
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
p1b = None

# hw4.p1b_fn (4 pts): p(W) computed with the Gram matrix W^T W
def p1b_fn(W):
    """Return p(W) for a numpy array W of shape (d_out, d_in), computed with the Gram matrix W^T W."""
    return None  # TODO

# hw4.p1b_explain (0 pts): Explain how p(W) can be computed faster when d_out >> d_in
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p1b_explain = ""
