"""Discussion 4: answer file `disc4.py`.

Fill in each name below and keep the names as they are. Before you submit, run the
student kit's check in the kit's folder: `python3 check.py` (Windows: `py check.py`).
It runs this file as Gradescope does, calls your functions on small public inputs and
says what is missing or unreadable (not whether an answer is right).
Manual parts are graded by hand from your written PDF; text you put here is shown to the graders.
"""


# ============================================================================
# Problem 1: Maximal update learning rates during training
# ============================================================================
# Note: Minibatch of size 1; x in R^{d_in} with i.i.d. N(0, 1) entries, W is d_out x d_in, y = W x + b, g = grad_y L.

# disc4.p1a (3 pts): The gradient of L with respect to W, from x and g
def p1a(x, g):
    """Return grad_W L as a 2D numpy array (its shape is what p1a_shape asks for), for numpy vectors x (length d_in) and g (length d_out)."""
    return None  # TODO

# disc4.p1a_shape (1 pt): The shape of the gradient (rows, columns)
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: (rows, columns), each a formula in d_in and d_out
p1a_shape = None

# disc4.p1b_exponent (2 pts): The power of d_in with which E[RMS(dy)^2] grows
# Answer: a number (int or float).
# Format: a number: E[RMS(dy)^2] grows like d_in to this power
p1b_exponent = None

# disc4.p1b_depends_dout (1 pt): Does E[RMS(dy)^2] depend on d_out?
# Answer: one of the strings listed.
# Choices: 'yes', 'no'
p1b_depends_dout = None

# disc4.p1b_multiplier (3 pts): The constant to multiply the SignGD update by so that E[RMS(dy)^2] depends on neither d_in nor d_out
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in d_in and d_out
p1b_multiplier = None

# ============================================================================
# Problem 2: Understanding Newton-Schulz
# ============================================================================
# Note: The iteration acts on each singular value: sigma <- p(sigma) = (3/2) sigma - (1/2) sigma^3.

# disc4.p2a (0 pts): Show that p(W) = U p(Sigma) V^T
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p2a = ""

# disc4.p2b (2 pts): All fixed points of p(x) = (3/2) x - (1/2) x^3
# Answer: a Python set or list of values.
# Format: a set of numbers, such as {2, 3}
p2b = None

# disc4.p2c (3 pts): Which fixed points are locally stable
# Answer: a dict from cell name to value, as in the comment.
# Choices: 'stable', 'unstable'
# Format: {fixed point: "stable" or "unstable", ...}, one entry per fixed point
p2c = None

# disc4.p2d (0 pts): Cobweb diagrams of the iteration
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p2d = ""

# disc4.p2e_to_one (2 pts): The interval of starting values sigma > 0 that converge to +1
# Answer: a pair (low, high).
# Format: (low, high), each a number or exact text such as "sqrt(2)"
p2e_to_one = None

# disc4.p2e_limit (3 pts): Where a starting singular value sigma > 0 ends up
def p2e_limit(sigma):
    """Return where the iteration from sigma ends: 1, 0 or -1 for a limit, 'oscillates' or 'diverges'. sigma is a float > 0; an exact value such as sqrt(2) is passed as math.sqrt(2), so compare with a tolerance (1e-9)."""
    return None  # TODO

# disc4.p2f (0 pts): Why the iteration approximately orthogonalises W, and what must hold before using it
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p2f = ""
