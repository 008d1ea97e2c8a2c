# Homework 4 -- formulas built with sympy, arrays with numpy/torch, gradients with scipy/torch.

import numpy as np
import scipy.signal
import sympy as sp
import torch

c, d_in, d_out = sp.symbols("c d_in d_out", positive=True)
n, L = sp.symbols("n L", integer=True)
W, H, C, K, P, S, F = sp.symbols("W H C K P S F", positive=True, integer=True)
k, sigma_x, sigma_g = sp.symbols("k sigma_x sigma_g", positive=True)

# Problem 1: Newton-Schulz runtime ------------------------------------------------------

# (a) W W^T costs c*d_out*d_in*d_out; (3I - W W^T) W costs c*d_out*d_out*d_in.
p1a = 2 * c * d_out**2 * d_in

# (b) W^T W costs c*d_in*d_out*d_in; W (3I - W^T W) costs c*d_out*d_in*d_in.
p1b = 2 * c * d_in**2 * d_out


def p1b_fn(W):
    gram = W.T @ W
    return W @ (1.5 * np.eye(gram.shape[0]) - 0.5 * gram)


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
p2b = 1 / sp.sqrt(d_in)

# (c) RMS(dy) <= c ||dW|| ||x||_2 / sqrt(d_out) = ||dW|| / sqrt(d_out) <= 1.
p2c = sp.sqrt(d_out) / (c * sp.sqrt(d_in))

# (d) sign(g x^T) = sign(g) sign(x)^T has spectral norm sqrt(d_out d_in).
p2d = 1 / (c * d_in)

# (e) U V^T has spectral norm 1.
p2e = sp.sqrt(d_out) / (c * sp.sqrt(d_in))

p2f = (
    "If every layer's update is normalised (sign, Adam, orthogonalisation), only the direction of the "
    "backpropagated gradient matters, so its global scale can be ignored as long as it stays representable."
)

# (g) grad x_n = c W^T grad x_{n+1}, and ||c W^T|| = c sqrt(d_in d_out) = sqrt(d_out) > 1.
p2g = "Exploding"
p2g_factor = 1 / (c * sp.sqrt(d_in * d_out))


# Problem 3: convolution as an FIR filter ------------------------------------------------

# (a) y[n] = sum_{i=0}^{min(n, L-1)} (1/2)^(n-i): a geometric sum.
p3a = sp.Piecewise((0, n < 0), (2 - sp.Rational(1, 2) ** n, n < L), ((2**L - 1) / 2**n, True))


_y = lambda t: 0 if t < 0 else (2 - sp.Rational(1, 2) ** t if t < 7 else sp.Rational(2**7 - 1, 2**t))
p3a_values = sp.Matrix([_y(t) for t in range(-6, 13)])
p3a_plot = "Stem plot of p3a_values against n = -6..12: rising to 2 - 2^-6 at n = 6, then halving."

# (b) Shifting the input by 5 shifts the output by 5.
p3b_values = np.array([float(_y(t - 5)) for t in range(-6, 13)])
p3b_property = "Time-Invariance"


x = torch.arange(1.0, 26.0, dtype=torch.float64).reshape(1, 1, 5, 5)
h = torch.tensor([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=torch.float64)
flipped = torch.flip(h, dims=(0, 1)).reshape(1, 1, 3, 3)  # torch correlates: flip for a true convolution
p3c = torch.nn.functional.conv2d(x, flipped)[0, 0]
p3d_i = torch.nn.functional.conv2d(x, flipped, padding=1)[0, 0]
p3d_ii = torch.nn.functional.conv2d(x, flipped, padding=1, stride=2)[0, 0]


# Problem 4: feature dimensions --------------------------------------------------------

p4a_weights = K**2 * C * F
p4a_biases = F
p4a_output = (sp.floor((W - K + 2 * P) / S) + 1, sp.floor((H - K + 2 * P) / S) + 1, F)
p4b = [sp.floor((W - K) / S) + 1, sp.floor((H - K) / S) + 1, C]
p4c = L * (K - 1) + 1
p4d = 2 * sp.Symbol("r", positive=True)  # the receptive field r before the pool, doubled
p4d_explain = "Halving width and height divides the positions the next layer computes by 4, so its cost drops 4x."
p4e = {"conv1_params": 3 * 3 * 1 * 10 + 10, "conv2_activations": (14, 14, 10), "pool2_params": 0,
       "pool2_activations": [7, 7, 10], "fc3_params": 490 * 3 + 3}
# Circular padding + GAP: shifting an edge does not change the features.
p4f_g3 = np.array([[0.0], [0.8], [0.0]])
p4f_g4 = torch.tensor([0.8, 0.0, 0.0])


# Problem 7: weights and gradients in a CNN ---------------------------------------------


def p7a_dw(X, dY):
    return scipy.signal.correlate2d(X, dY, mode="valid")


def p7a_step(w, X, dY, lr):
    return w - lr * p7a_dw(X, dY)


p7b_mean = sp.Integer(0)
# (n - k + 1)^2 independent zero-mean terms, each of variance sigma_x^2 sigma_g^2.
p7b_variance = (n - k + 1) ** 2 * sigma_x**2 * sigma_g**2
p7b_growth = n


def p7c_maxpool(X, dY):
    x = torch.tensor(X, requires_grad=True)
    torch.nn.functional.max_pool2d(x[None, None], 2).backward(torch.tensor(dY)[None, None])
    return x.grad.numpy()


def p7c_avgpool(X, dY):
    x = torch.tensor(X, requires_grad=True)
    torch.nn.functional.avg_pool2d(x[None, None], 2).backward(torch.tensor(dY)[None, None])
    return x.grad


p7d = "Max pooling keeps the strongest response (robust to small shifts); average pooling keeps every input's contribution (smoother gradients)."
