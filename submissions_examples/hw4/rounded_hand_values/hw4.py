# Problem 3 worked out by hand: values rounded to 4 to 6 significant digits, as a student copies them from a calculator.
# Right values rounded are right; mistakes rounded are still recognised (shifted the wrong way, transposed, not flipped).

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


# Problem 2: MuP at the unit scale -------------------------------------------------------

p2a = (
    "fp8 represents few values, densest around magnitude 1. N(0, 1) weights use that range well; "
    "Xavier weights of size 1/sqrt(d_in) would crowd into the few tiny values near 0 (or underflow)."
)

# (b) Var(y_i) = c^2 d_in Var(x_j): keep it equal to Var(x_j).
p2b = "1/sqrt(d_in)"

# (c) RMS(dy) <= c ||dW|| ||x||_2 / sqrt(d_out) = ||dW|| / sqrt(d_out) <= 1.
p2c = "sqrt(d_out)"

# (d) sign(g x^T) = sign(g) sign(x)^T has spectral norm sqrt(d_out d_in).
p2d = "sqrt(d_out) / sqrt(d_out * d_in)"

# (e) U V^T has spectral norm 1.
p2e = "sqrt(d_out)"

p2f = (
    "If every layer's update is normalised (sign, Adam, orthogonalisation), only the direction of the "
    "backpropagated gradient matters, so its global scale can be ignored as long as it stays representable."
)

# (g) grad x_n = c W^T grad x_{n+1}, and ||c W^T|| = c sqrt(d_in d_out) = sqrt(d_out) > 1.
p2g = "explode"
p2g_factor = "1/sqrt(d_out)"


# Problem 3: convolution as an FIR filter ------------------------------------------------

# (a) y[n] = sum_{i=0}^{min(n, L-1)} (1/2)^(n-i): a geometric sum.
p3a = "Piecewise((0, n < 0), (2 - (1/2)^n, n <= L - 1), ((2^L - 1) * (1/2)^n, True))"


p3a_values = [0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.938, 1.969, 1.984,
              0.9922, 0.4961, 0.2480, 0.1240, 0.06201, 0.03101]
p3a_plot = "Stem plot of p3a_values against n = -6..12: rising to 2 - 2^-6 at n = 6, then halving."

# (b) Shifting the input by 5 shifts the output by 5.
p3b_values = [0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.98438, 0.992188, 0.496094, 0.248047, 0.124023, 0.0620117, 0.0310059, 0.0155029, 0.00775146, 0.00387573, 0.00193787, 0.000968933]  # y[n + 5], to 6 digits
p3b_property = "time invariance"


p3c = [[-40, -40, -40], [-40, -40, -40], [-40, -40, -40]]
p3d_i = [
    [-19, -30, -30, -30, 49],
    [-28, -40, -40, -40, 68],
    [-32, -40, -40, -40, 72],
    [-36, -40, -40, -40, 76],
    [-29, -30, -30, -30, 59],
]  # rows and columns exchanged
p3d_ii = [[19, 32, 29], [30, 40, 30], [-49, -72, -59]]  # h slid without flipping


# Problem 4: feature dimensions --------------------------------------------------------

p4a_weights = "K^2 C F"
p4a_biases = "F"
p4a_output = ("(W - K + 2P)//S + 1", "(H - K + 2P)//S + 1", "F")
p4b = ("(W - K)//S + 1", "(H - K)//S + 1", "C")
p4c = "L (K - 1) + 1"
p4d = 2
p4d_explain = "Halving width and height divides the positions the next layer computes by 4, so its cost drops 4x."
p4e = {
    "conv1_params": "3 x 3 x 1 x 10 + 10",
    "conv2_activations": "14 x 14 x 10",
    "pool2_params": 0,
    "pool2_activations": "7 x 7 x 10",
    "fc3_params": "490 x 3 + 3",
}
# Circular padding + GAP: shifting an edge does not change the features.
p4f_g3 = np.array([0.0, 0.8, 0.0])
p4f_g4 = np.array([0.8, 0.0, 0.0])


# Problem 7: weights and gradients in a CNN ---------------------------------------------


def p7a_dw(X, dY):
    """dw[h, l] = sum_{i, j} dY[i, j] X[i + h, j + l] (0-based)."""
    X, dY = np.asarray(X, dtype=float), np.asarray(dY, dtype=float)
    m = dY.shape[0]
    k = X.shape[0] - m + 1
    return np.array([[np.sum(dY * X[h : h + m, l : l + m]) for l in range(k)] for h in range(k)])


def p7a_step(w, X, dY, lr):
    return np.asarray(w, dtype=float) - lr * p7a_dw(X, dY)


p7b_mean = "0"
# (n - k + 1)^2 independent zero-mean terms, each of variance sigma_x^2 sigma_g^2.
p7b_variance = "(n - k + 1)^2 sigma_x^2 sigma_g^2"
p7b_growth = "O(n)"


def p7c_maxpool(X, dY):
    """Each block's gradient goes to its first maximum (row-major)."""
    X, dY = np.asarray(X, dtype=float), np.asarray(dY, dtype=float)
    dX = np.zeros_like(X)
    for i in range(dY.shape[0]):
        for j in range(dY.shape[1]):
            block = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            r, c = np.unravel_index(np.argmax(block), block.shape)
            dX[2 * i + r, 2 * j + c] = dY[i, j]
    return dX


def p7c_avgpool(X, dY):
    return np.kron(np.asarray(dY, dtype=float), np.ones((2, 2))) / 4


p7d = "Max pooling keeps the strongest response (robust to small shifts); average pooling keeps every input's contribution (smoother gradients)."
