# Answers that are not numbers at all: NaN and infinities (from a division by zero or a diverging sum), and an
# array of the wrong shape. Each is reported as not usable and earns nothing, not partial credit.
import math

p1a = "2*c*d_out**2*d_in"
p1b = "2 c d_{in}^2 d_{out}"


def p1b_fn(W):
    import numpy as np

    W = np.asarray(W, dtype=float)
    return 0.5 * W @ (3 * np.eye(W.shape[1]) - W.T @ W)


p1b_explain = "Use W W^T W = W (W^T W): only d_in x d_in products."

p2a = "fp8 has few values, dense near 1; N(0,1) uses them, Xavier-size weights would underflow."
p2b = "oo"
p2c = math.inf
p2d = "d_in^(-1/2)"
p2e = "d_out^(1/2)"
p2f = "When updates are normalised per layer (sign, Adam, Muon), only directions matter."
p2g = "explode"
p2g_factor = "1 / \\sqrt{d_\\text{out}}"

p3a = "Piecewise((0, n < 0), (2 - 2^(-n), n <= L - 1), (2^(L - n) - 2^(-n), True))"
p3a_values = [0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375,
              0.9921875, 0.49609375, 0.248046875, 0.1240234375, 0.06201171875, math.nan]
p3a_plot = "stem plot attached in the PDF"
p3b_values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375, 0.9921875]
p3b_property = "shift invariance"
p3c = [[-40, -40, -40], [-40, -40, -40]]
p3d_i = [
    [-19, -28, -32, -36, -29],
    [-30, -40, -40, -40, -30],
    [-30, -40, -40, -40, -30],
    [-30, -40, -40, -40, -30],
    [49, 68, 72, 76, 59],
]
p3d_ii = [[-19, -32, -29], [-30, -40, -30], [49, 72, 59]]

p4a_weights = "K*K*C*F"
p4a_biases = "F"
p4a_output = ("floor((W - K + 2P)/S) + 1", "infinity", "F")
p4b = "(floor((W-K)/S)+1, floor((H-K)/S)+1, C)"
p4c = "1 + L(K-1)"
p4d = "x2"
p4d_explain = "4x fewer positions for the next layer to compute."
p4e = {
    "conv1_params": "3x3x1x10+10",
    "conv2_activations": "14x14x10",
    "pool2_params": float("nan"),
    "pool2_activations": "7x7x10",
    "fc3_params": "490x3+3",
}
p4f_g3 = [0, 0.8, 0]
p4f_g4 = [0.8, 0, 0]


def p7a_dw(X, dY):
    n, m = len(X), len(dY)
    k = n - m + 1
    return [[sum(dY[i][j] * X[i + h][j + l] for i in range(m) for j in range(m)) for l in range(k)] for h in range(k)]


def p7a_step(w, X, dY, lr):
    dw = p7a_dw(X, dY)
    return [[w[h][l] - lr * dw[h][l] for l in range(len(w))] for h in range(len(w))]


p7b_mean = "nan"
p7b_variance = "(n - k + 1)^2 \\sigma_x^2 \\sigma_g^2"
p7b_growth = "Theta(n)"


def p7c_maxpool(X, dY):
    n = len(X)
    dX = [[0.0] * n for _ in range(n)]
    for i in range(n // 2):
        for j in range(n // 2):
            cells = [(2 * i + a, 2 * j + b) for a in range(2) for b in range(2)]
            r, c = max(cells, key=lambda rc: X[rc[0]][rc[1]])  # first maximum on ties
            dX[r][c] = dY[i][j]
    return dX


def p7c_avgpool(X, dY):
    n = len(X)
    return [[dY[i // 2][j // 2] / 4 for j in range(n)] for i in range(n)]


p7d = "max: keeps strongest feature; avg: uses all inputs, smoother."
