# Homework 4 -- formulas built with sympy, arrays with numpy/torch, gradients with scipy/torch.
import numpy as np
import scipy.signal
import sympy as sp
import torch

c, d_in, d_out = sp.symbols("c d_in d_out", positive=True)
n, L = sp.symbols("n L", integer=True)
W, H, C, K, P, S, F = sp.symbols("W H C K P S F", positive=True, integer=True)
k, sigma_x, sigma_g = sp.symbols("k sigma_x sigma_g", positive=True)

p1a = 2 * c * d_out**2 * d_in
p1b = 2 * c * d_in**2 * d_out


def p1b_fn(W):
    gram = W.T @ W
    return W @ (1.5 * np.eye(gram.shape[0]) - 0.5 * gram)


p1b_explain = "Rewrite with the Gram matrix W^T W."

# Problem 2, keeping c symbolic where it appears.
p2a = "Unit-scale parameters use the fp8 grid; small Xavier weights would not."
p2b = 1 / sp.sqrt(d_in)
p2c = sp.sqrt(d_out) / (c * sp.sqrt(d_in))
p2d = 1 / (c * d_in)
p2e = sp.sqrt(d_out) / (c * sp.sqrt(d_in))
p2f = "With normalised optimisers the gradient scale drops out."
p2g = "Exploding"
p2g_factor = 1 / (c * sp.sqrt(d_in * d_out))

# Problem 3.
p3a = sp.Piecewise((0, n < 0), (sum(sp.Rational(1, 2) ** j for j in range(1)) * (2 - sp.Rational(1, 2) ** n), n < L), ((2**L - 1) / 2**n, True))
_y = lambda t: 0 if t < 0 else (2 - sp.Rational(1, 2) ** t if t < 7 else sp.Rational(2**7 - 1, 2**t))
p3a_values = sp.Matrix([_y(t) for t in range(-6, 13)])
p3a_plot = ""
p3b_values = np.array([float(_y(t - 5)) for t in range(-6, 13)])
p3b_property = "Time-Invariance"

x = torch.arange(1.0, 26.0, dtype=torch.float64).reshape(1, 1, 5, 5)
h = torch.tensor([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=torch.float64)
flipped = torch.flip(h, dims=(0, 1)).reshape(1, 1, 3, 3)  # torch correlates: flip for a true convolution
p3c = torch.nn.functional.conv2d(x, flipped)[0, 0]
p3d_i = torch.nn.functional.conv2d(x, flipped, padding=1)[0, 0]
p3d_ii = torch.nn.functional.conv2d(x, flipped, padding=1, stride=2)[0, 0]

# Problem 4.
p4a_weights = K**2 * C * F
p4a_biases = F
p4a_output = (sp.floor((W - K + 2 * P) / S) + 1, sp.floor((H - K + 2 * P) / S) + 1, F)
p4b = [sp.floor((W - K) / S) + 1, sp.floor((H - K) / S) + 1, C]
p4c = L * (K - 1) + 1
p4d = 2 * sp.Symbol("r", positive=True)  # the receptive field r before the pool, doubled
p4d_explain = ""
p4e = {
    "conv1_params": 3 * 3 * 1 * 10 + 10,
    "conv2_activations": (14, 14, 10),
    "pool2_params": 0,
    "pool2_activations": [7, 7, 10],
    "fc3_params": 490 * 3 + 3,
}
p4f_g3 = np.array([[0.0], [0.8], [0.0]])
p4f_g4 = torch.tensor([0.8, 0.0, 0.0])


# Problem 7.
def p7a_dw(X, dY):
    return scipy.signal.correlate2d(X, dY, mode="valid")


def p7a_step(w, X, dY, lr):
    return w - lr * p7a_dw(X, dY)


p7b_mean = sp.Integer(0)
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


p7d = ""
