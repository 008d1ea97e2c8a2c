"""Homework 4 Problems 3 and 7: formulas, arrays and functions written several ways, every named mistake."""

from __future__ import annotations

import numpy as np

from problems.hw4.p7_cnn_gradients.autograd import conv_weight_gradient, pool_input_gradient
from problems.hw4.p7_cnn_gradients.check_p7 import TIED_X, misplaced_blocks
from tests.problems.grading import Variant as V
from tests.problems.grading import grade_variants

CORRELATION_1D = "Piecewise((0, n >= L), (2 - 2^(n + 1 - L), n >= 0), (2^n*(2 - 2^(1 - L)), True))"

P3 = {
    "hw4.p3a": [
        V('p3a = "Heaviside(n) (2 - (1/2)^n) + Heaviside(n - L) ((2^L - 1) 2^(-n) - 2 + 2^(-n))"', 1),
        V('import sympy\nn, L = sympy.symbols("n L", integer=True)\n'
          'p3a = sympy.Piecewise((0, n < 0), (2 - sympy.Rational(1, 2)**n, n < L), ((2**L - 1) / 2**n, True))', 1),
        V("def p3a(n, L):\n    return sum(0.5 ** (n - i) for i in range(0, L) if i <= n)", 1),
        V(f'p3a = "{CORRELATION_1D}"', 0, "correlation"),
        V("def p3a(n, L):\n    return sum(0.5 ** i for i in range(0, 60) if 0 <= n + i <= L - 1)", 0, "definition of convolution in equation (3)"),
        V('p3a = "Piecewise((2 - 2^(-n), n <= L - 1), ((2^L - 1)*2^(-n), True))"', 0.5, "n < 0"),
        V('p3a = "Piecewise((0, n < 0), (2 - 2^(-n), n <= L), ((2^L - 1)*2^(-n), True))"', 0, "differ at"),
        V("def p3a(n, L):\n    raise ValueError('not yet')", 0, "failed"),
        V('p3a = "Piecewise((0, n < 0), (2 - 2^(-n), n <= L - 1), (2^L - 1) * 2^(-n))"', 0, "could not be read", "invalid"),
    ],
    "hw4.p3a_values": [
        V("p3a_values = [0] * 6 + [2 - 0.5 ** k for k in range(7)] + [127 / 2 ** k for k in range(7, 13)]", 1),
        V("import sympy\np3a_values = sympy.Matrix([0] * 6 + [2 - sympy.Rational(1, 2) ** k for k in range(7)] + [sympy.Rational(127, 2 ** k) for k in range(7, 13)]).T", 1),
        V("p3a_values = [2 - 2.0 ** (6 - n) if n <= 6 else 0 for n in range(-6, 13)]", 0),
        V("p3a_values = list(reversed([0] * 6 + [2 - 0.5 ** k for k in range(7)] + [127 / 2 ** k for k in range(7, 13)]))", 0, "correlation"),
        V("p3a_values = [2 - 0.5 ** k for k in range(7)] + [127 / 2 ** k for k in range(7, 19)]", 0.5, "n = -6"),
    ],
    "hw4.p3b_values": [
        V("import numpy as np\np3b_values = np.concatenate([np.zeros(5), _rect_response(7)[:14]])", 1),
        V("p3b_values = _rect_response(7)", 0, "delaying the input by N"),
        V("p3b_values = [0 if t < 0 else 2 - 0.5 ** t if t <= 6 else 127 * 0.5 ** t for t in range(-1, 18)]", 0, "moved the other way"),
    ],
    "hw4.p3b_property": [
        V('p3b_property = "Shift-invariance"', 1),
        V('p3b_property = "time_invariance"', 1),
        V('p3b_property = "commutativity"', 0, "swaps the roles"),
        V('p3b_property = "linearity"', 0, "sums and scalings"),
        V("p3b_property = 3", 0, "string", "invalid"),
    ],
    "hw4.p3c": [
        V("p3c = [[-40] * 3] * 3", 1),
        V("import numpy as np\np3c = np.full((3, 3), 40)", 0, "correlation"),
        V("import numpy as np\np3c = -40 * np.ones((3, 3, 1))", 0, "shape"),
        V("p3c = [[-40, -40, -40], [-40, -40], [-40, -40, -40]]", 0, "different lengths", "invalid"),
    ],
    "hw4.p3d_i": [
        V("import scipy.signal\np3d_i = scipy.signal.convolve2d(x2d, h2d, mode='same')", 1),
        V("import scipy.signal\np3d_i = scipy.signal.correlate2d(x2d, h2d, mode='same')", 0, "correlation"),
        V("p3d_i = p3c", 0, "shape"),
    ],
    "hw4.p3d_ii": [
        V("import torch\np3d_ii = -torch.nn.functional.conv2d(torch.tensor(x2d, dtype=torch.float64)[None, None], torch.tensor(h2d, dtype=torch.float64)[None, None], padding=1, stride=2)[0, 0]", 1),
        V("import torch\np3d_ii = torch.nn.functional.conv2d(torch.tensor(x2d, dtype=torch.float64)[None, None], torch.tensor(h2d, dtype=torch.float64)[None, None], padding=1, stride=2)[0, 0]", 0, "correlation"),
    ],
}

P7 = {
    "hw4.p7a_dw": [
        V("import scipy.signal\ndef p7a_dw(X, dY):\n    return scipy.signal.correlate2d(X, dY, mode='valid')", 1),
        V("import scipy.signal\ndef p7a_dw(X, dY):\n    return scipy.signal.convolve2d(X, dY, mode='valid')", 0, "indices of equation (10)"),
        V("import scipy.signal\ndef p7a_dw(X, dY):\n    return scipy.signal.correlate2d(X, dY, mode='valid').T", 0, "how dw is laid out"),
        V("def p7a_dw(X, dY):\n    return X[: X.shape[0] - dY.shape[0] + 1, : X.shape[0] - dY.shape[0] + 1] * dY.sum()", 0, "entries are wrong"),
        V("def p7a_dw(X, dY):\n    while True:\n        pass", 0, "failed"),
        V("p7a_dw = [[1.0]]", 0, "should be a function", "invalid"),
    ],
    "hw4.p7a_step": [
        V("def p7a_step(w, X, dY, lr):\n    return w - lr * p7a_dw(X, dY)", 1),
        V("import scipy.signal\ndef p7a_step(w, X, dY, lr):\n    return w + lr * scipy.signal.correlate2d(X, dY, mode='valid')", 0, "direction in which an SGD step"),
    ],
    "hw4.p7b_mean": [V("p7b_mean = 0", 1), V('p7b_mean = "sigma_x sigma_g"', 0, "not equivalent")],
    "hw4.p7b_variance": [
        V('p7b_variance = "(n-k+1)^2 * σ_x^2 * σ_g^2"', 1),
        V('p7b_variance = "\\\\sigma_x^2 \\\\sigma_g^2 (n - k + 1)^2"', 1),
        V('p7b_variance = "(n-k+1) sigma_x^2 sigma_g^2"', 0, "how many terms"),
        V('p7b_variance = "n^2 sigma_x^2 sigma_g^2"', 0.5, "exact number of terms"),
        V('p7b_variance = "(n-k+1)^2 sigma_x sigma_g"', 0, "standard deviations, not variances"),
        V('p7b_variance = "k^2 sigma_x^2 sigma_g^2"', 0, "every place where it is used"),
        V('p7b_variance = "(n-k+1)^2 sigma_x^2 sigma_y^2"', 0, "could not be read", "invalid"),
    ],
    "hw4.p7b_growth": [
        V('p7b_growth = "O(n)"', 1),
        V('p7b_growth = "(n - k + 1) sigma_x sigma_g"', 1),
        V('p7b_growth = "linear"', 1),
        V('p7b_growth = "\\\\Theta(n^2)"', 0, "variance"),
        V('p7b_growth = "sqrt(n)"', 0, "independent terms"),
        V('p7b_growth = "log(n)"', 0, "not like a power"),
        V('p7b_growth = "n^3"', 0, "like n^3"),
    ],
    "hw4.p7c_maxpool": [
        V("import torch\ndef p7c_maxpool(X, dY):\n    x = torch.tensor(X, requires_grad=True)\n"
          "    torch.nn.functional.max_pool2d(x[None, None], 2).backward(torch.tensor(dY)[None, None])\n    return x.grad", 1),
        V("import numpy as np\ndef p7c_maxpool(X, dY):\n    up = np.kron(dY, np.ones((2, 2)))\n    big = np.kron(X.reshape(X.shape[0] // 2, 2, -1, 2).max(axis=(1, 3)), np.ones((2, 2)))\n"
          "    mask = (X == big)\n    counts = np.kron(mask.reshape(X.shape[0] // 2, 2, -1, 2).sum(axis=(1, 3)), np.ones((2, 2)))\n    return up * mask / counts", 1, "ties"),
        V("import numpy as np\ndef p7c_maxpool(X, dY):\n    up = np.kron(dY, np.ones((2, 2)))\n    big = np.kron(X.reshape(X.shape[0] // 2, 2, -1, 2).max(axis=(1, 3)), np.ones((2, 2)))\n"
          "    return up * (X == big)", 0.75, "with ties"),
        V("import numpy as np\ndef p7c_maxpool(X, dY):\n    return np.kron(dY, np.ones((2, 2))) / 4", 0, "which entries of a block can change its maximum."),
        V("import numpy as np\ndef p7c_maxpool(X, dY):\n    return np.kron(dY, np.ones((2, 2)))", 0, "change its maximum"),
    ],
    "hw4.p7c_avgpool": [
        V("def p7c_avgpool(X, dY):\n    return [[dY[i // 2][j // 2] / 4 for j in range(len(X))] for i in range(len(X))]", 1),
        V("import numpy as np\ndef p7c_avgpool(X, dY):\n    return np.kron(dY, np.ones((2, 2)))", 0, "its block's average"),
        V("def p7c_avgpool(X, dY):\n    return p7c_maxpool(X, dY)", 0, "which entries of a block change its average"),
        V("def p7c_avgpool(X, dY):\n    return None", 0, "not answered", "missing"),
    ],
}


def test_problem_3_answers_grade_as_expected():
    assert grade_variants("hw4", "hw4", P3) == []


def test_problem_7_answers_grade_as_expected():
    assert grade_variants("hw4", "hw4", P7) == []


def test_weight_gradient_from_autograd_is_the_correlation_of_x_with_dy():
    rng = np.random.default_rng(0)
    for n, k in [(5, 3), (4, 1), (4, 4)]:
        m = n - k + 1
        X, dY = rng.standard_normal((n, n)), rng.standard_normal((m, m))
        by_definition = [[np.sum(dY * X[h : h + m, l : l + m]) for l in range(k)] for h in range(k)]
        assert np.allclose(conv_weight_gradient(X, dY), by_definition)


def test_autograd_max_pool_gradient_obeys_the_tie_rule():
    dY = np.array([[1.5, -2.0], [0.5, 3.0]])
    assert misplaced_blocks(TIED_X, dY, pool_input_gradient(TIED_X, dY, "max")) == 0
    assert misplaced_blocks(TIED_X, dY, np.kron(dY, np.ones((2, 2))) / 4) == 3  # all four tie in the last block
