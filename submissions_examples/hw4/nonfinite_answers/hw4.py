# Answers that are not numbers at all: NaN and infinities (from a division by zero or a diverging sum), and an
# array of the wrong shape. Each is reported as not usable and earns nothing, not partial credit.

import numpy as np
import math

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
p2b = "oo"

# (c) RMS(dy) <= c ||dW|| ||x||_2 / sqrt(d_out) = ||dW|| / sqrt(d_out) <= 1.
p2c = math.inf

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

TIMES = np.arange(-6, 13)


def _rect_response(length, delay=0):
    """y[n] on TIMES by direct convolution of the (delayed) rect with a long enough (1/2)^n."""
    x = np.zeros(40)
    x[delay : delay + length] = 1.0
    h = 0.5 ** np.arange(40)
    full = np.convolve(x, h)  # full[t] is y[t] for t >= 0
    return np.array([full[t] if t >= 0 else 0.0 for t in TIMES])


p3a_values = [0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375,
              0.9921875, 0.49609375, 0.248046875, 0.1240234375, 0.06201171875, math.nan]
p3a_plot = "Stem plot of p3a_values against n = -6..12: rising to 2 - 2^-6 at n = 6, then halving."

# (b) Shifting the input by 5 shifts the output by 5.
p3b_values = _rect_response(7, delay=5)
p3b_property = "time invariance"

# (c), (d) True 2D convolution: flip h, then slide.
x2d = np.arange(1, 26).reshape(5, 5)
h2d = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])


def _convolve(x, h, pad, stride):
    x = np.pad(x, pad)
    flipped = h[::-1, ::-1]
    size = x.shape[0] - h.shape[0] + 1
    out = np.array([[np.sum(x[i : i + 3, j : j + 3] * flipped) for j in range(size)] for i in range(size)])
    return out[::stride, ::stride]


p3c = [[-40, -40, -40], [-40, -40, -40]]
p3d_i = _convolve(x2d, h2d, 1, 1)
p3d_ii = _convolve(x2d, h2d, 1, 2)


# Problem 4: feature dimensions --------------------------------------------------------

p4a_weights = "K^2 C F"
p4a_biases = "F"
p4a_output = ("floor((W - K + 2P)/S) + 1", "infinity", "F")
p4b = ("(W - K)//S + 1", "(H - K)//S + 1", "C")
p4c = "L (K - 1) + 1"
p4d = 2
p4d_explain = "Halving width and height divides the positions the next layer computes by 4, so its cost drops 4x."
p4e = {
    "conv1_params": "3x3x1x10+10",
    "conv2_activations": "14x14x10",
    "pool2_params": float("nan"),
    "pool2_activations": "7x7x10",
    "fc3_params": "490x3+3",
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


p7b_mean = "nan"
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
