"""Homework 4: answer file `hw4.py`.

Fill in each name below and keep the names as they are. Before you submit, run the
student kit's check in the kit's folder: `python3 check.py` (Windows: `py check.py`).
It runs this file as Gradescope does, calls your functions on small public inputs and
says what is missing or unreadable (not whether an answer is right).
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

# ============================================================================
# Problem 2: MuP at the unit scale
# ============================================================================
# Note: W is d_out x d_in with N(0, 1) entries and y = c W x.
# Note: Parts (c) to (e) and (g) may keep the multiplier c of part (b) as the symbol c: it is graded with the value c must have.

# hw4.p2a (0 pts): Why initialise fp8 parameters from N(0, 1) rather than Xavier
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p2a = ""

# hw4.p2b (2 pts): The constant c in y = c W x that recovers Xavier initialisation
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in d_in and d_out
p2b = None

# hw4.p2c (2 pts): Largest spectral norm of dW that keeps the RMS norm of dy = c dW x at most 1
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in d_in, d_out (and c if you keep it)
p2c = None

# hw4.p2d (2 pts): SignSGD learning rate alpha for a rectangular W (minibatch of 1)
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in d_in, d_out (and c if you keep it)
p2d = None

# hw4.p2e (2 pts): Muon learning rate alpha for dW = alpha U V^T
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in d_in, d_out (and c if you keep it)
p2e = None

# hw4.p2f (0 pts): When can the scale of the backpropagated gradients be ignored
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p2f = ""

# hw4.p2g (1 pt): Do the backpropagated gradients explode, vanish or stay stable
# Answer: one of the strings listed.
# Choices: 'explode', 'vanish', 'stable'
p2g = None

# hw4.p2g_factor (1 pt): Constant to multiply each backpropagated gradient by to keep it stable
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in d_in, d_out (and c if you keep it)
p2g_factor = None

# ============================================================================
# Problem 3: Convolution as a finite impulse response filter
# ============================================================================
# Note: Convolution is the true (flipped) convolution of equations (3) and (4): y[n] = sum_i x[i] h[n - i].
# Note: Signals are listed on n = -6, -5, ..., 12 (19 values); 2D arrays are numpy arrays or nested lists, first index the row.

# hw4.p3a (4 pts): y[n] = x[n] * h[n] in closed form, for the rect of length L and h[n] = (1/2)^n u[n]
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in n and L (Piecewise((value, condition), ...) or Heaviside allowed), or a function p3a(n, L) returning y[n]
p3a = None

# hw4.p3a_values (3 pts): Values of y[n] for L = 7 on n = -6, ..., 12
# Answer: a numpy array or a nested list of numbers.
# Format: 19 numbers: y[-6], y[-5], ..., y[12]
p3a_values = None

# hw4.p3a_plot (0 pts): Plot of y[n] from n = -6 to 12
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p3a_plot = ""

# hw4.p3b_values (3 pts): Values of y2[n] = h[n] * x[n - 5] on n = -6, ..., 12
# Answer: a numpy array or a nested list of numbers.
# Format: 19 numbers: y2[-6], y2[-5], ..., y2[12]
p3b_values = None

# hw4.p3b_property (1 pt): The property of convolution that part (b) shows
# Answer: one of the strings listed.
# Choices: 'time invariance', 'linearity', 'commutativity', 'associativity', 'causality'
p3b_property = None

# hw4.p3c (3 pts): 2D convolution of x (5 x 5) with h (3 x 3), no padding, stride 1
# Answer: a numpy array or a nested list of numbers.
# Format: a 3 x 3 array
p3c = None

# hw4.p3d_i (3 pts): 2D convolution with stride 1 and padding 1
# Answer: a numpy array or a nested list of numbers.
# Format: a 5 x 5 array
p3d_i = None

# hw4.p3d_ii (3 pts): 2D convolution with stride 2 and padding 1
# Answer: a numpy array or a nested list of numbers.
# Format: a 3 x 3 array
p3d_ii = None

# ============================================================================
# Problem 4: Feature dimensions of a convolutional network
# ============================================================================
# Note: The input is W x H x C. Shapes are (width, height, channels): a tuple of three formulas or one string "a x b x c".
# Note: Write floor division as floor(a/b) or a // b where the division need not be exact.

# hw4.p4a_weights (2 pts): Number of weights of a convolutional layer (K, P, S, F) on a W x H x C input
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in W, H, C, K, P, S, F
p4a_weights = None

# hw4.p4a_biases (1 pt): Number of biases of the convolutional layer
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in W, H, C, K, P, S, F
p4a_biases = None

# hw4.p4a_output (3 pts): Output shape of the convolutional layer
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: (width, height, channels), each a formula in W, H, C, K, P, S, F
p4a_output = None

# hw4.p4b (2 pts): Output shape of a max pooling layer (stride S, filter size K)
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: (width, height, channels), each a formula in W, H, C, K, S
p4b = None

# hw4.p4c (2 pts): Receptive field of the last output after L convolutional layers (filter size K, stride 1)
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in L and K
p4c = None

# hw4.p4d (2 pts): How much a 2 x 2, stride-2 max pooling layer increases the receptive field
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: the receptive field after the pool as a formula in r, its side length before the pool (such as "3 r"), or the factor alone (such as "x3"); a bare number is read as a factor
p4d = None

# hw4.p4d_explain (0 pts): Why lowering the resolution saves computation
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p4d_explain = ""

# hw4.p4e (5 pts): The missing entries of the table of parameters and activation sizes
# Answer: a dict from cell name to value, as in the comment.
# Format: {"conv1_params": ..., "conv2_activations": ..., "pool2_params": ..., "pool2_activations": ..., "fc3_params": ...}; conv1 is the first CONV3-10, pool2 the second POOL2
p4e = None

# hw4.p4f_g3 (1.5 pts): GAP output g3 for the image x3
# Answer: a numpy array or a nested list of numbers.
# Format: 3 numbers
p4f_g3 = None

# hw4.p4f_g4 (1.5 pts): GAP output g4 for the image x4
# Answer: a numpy array or a nested list of numbers.
# Format: 3 numbers
p4f_g4 = None

# ============================================================================
# Problem 7: Weights and gradients in a CNN
# ============================================================================
# Note: The layer computes y[i, j] = sum_{h, l} x[i + h - 1, j + l - 1] w[h, l] (equation (10)): no padding, stride 1, one channel.
# Note: Function answers take and return numpy arrays; X is n x n, w is k x k, dY is m x m with m = n - k + 1.
# Note: Pooling is 2 x 2 with stride 2 on an n x n input with n even.

# hw4.p7a_dw (4 pts): The gradient dw of the loss with respect to the k x k weights
def p7a_dw(X, dY):
    """Return dw, the k x k gradient, for numpy arrays X (n x n) and dY (m x m), where k = n - m + 1."""
    return None  # TODO

# hw4.p7a_step (2 pts): The weight after one SGD step on a single image
def p7a_step(w, X, dY, lr):
    """Return the k x k weight after one SGD step with learning rate lr, for numpy arrays w (k x k), X (n x n), dY (m x m)."""
    return None  # TODO

# hw4.p7b_mean (1 pt): Mean of dw[h, l]
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in n, k, sigma_x, sigma_g
p7b_mean = None

# hw4.p7b_variance (3 pts): Variance of dw[h, l]
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: a formula in n, k, sigma_x, sigma_g
p7b_variance = None

# hw4.p7b_growth (2 pts): Growth rate of the standard deviation of dw[h, l] in the image size n
# Answer: a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression.
# Format: an expression in n such as "O(n^3)"
p7b_growth = None

# hw4.p7c_maxpool (4 pts): dX for a network of 2 x 2 max pooling
def p7c_maxpool(X, dY):
    """Return dX (n x n) for numpy arrays X (n x n, n even) and the upstream gradient dY (n/2 x n/2)."""
    return None  # TODO

# hw4.p7c_avgpool (4 pts): dX for a network of 2 x 2 average pooling
def p7c_avgpool(X, dY):
    """Return dX (n x n) for numpy arrays X (n x n, n even) and the upstream gradient dY (n/2 x n/2)."""
    return None  # TODO

# hw4.p7d (0 pts): Advantages of max pooling and average pooling
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p7d = ""

# ============================================================================
# Problem 8: Homework process and study group
# ============================================================================
# Note: Nothing in this problem is graded by machine: the answers are about you, so there is no answer to check them against.

# hw4.p8a (0 pts): What sources (if any) did you use as you worked through the homework?
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p8a = ""

# hw4.p8b (0 pts): If you worked with someone on this homework, who did you work with?
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p8b = ""

# hw4.p8c (0 pts): Roughly how many total hours did you work on this homework?
# Answer: optional: your answer as text (graded by hand; the PDF is what counts).
p8c = ""
