"""The full-marks examples of hw4.py: the reference answers, some written in another form students use.

Each variant names only the answers it writes differently; every other answer (and any part
added later) is the reference's. `build_examples` writes them; tests hold the checked-in
files to it, and `submissions_examples/hw4/examples.toml` declares them all correct.
"""

from __future__ import annotations

from problems.example_builder import AsNotebook, Rewritten

P1 = ("hw4.p1",)

#: Arrays as plain lists, worked out by hand: no numpy at the top level of the file.
_PLAIN_ARRAYS = {
    "p3a_values": (
        "p3a_values = [0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375,\n"
        "              0.9921875, 0.49609375, 0.248046875, 0.1240234375, 0.06201171875, 0.031005859375]"
    ),
    "p3b_values": "p3b_values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375, 0.9921875]",
    "p3c": "p3c = [[-40, -40, -40], [-40, -40, -40], [-40, -40, -40]]",
    "p3d_i": "p3d_i = [[-19, -28, -32, -36, -29], [-30, -40, -40, -40, -30], [-30, -40, -40, -40, -30], [-30, -40, -40, -40, -30], [49, 68, 72, 76, 59]]",
    "p3d_ii": "p3d_ii = [[-19, -32, -29], [-30, -40, -30], [49, 72, 59]]",
    "p4f_g3": "p4f_g3 = [0, 0.8, 0]",
    "p4f_g4": "p4f_g4 = [0.8, 0, 0]",
}

#: Careful-student forms: LaTeX, other orders of the factors, arrays by hand, a Gram-matrix numpy function.
FULL_MARKS = Rewritten(
    '"""A full-marks submission written the way a careful student might: LaTeX, other orders, a numpy function."""',
    {
        "p1a": 'p1a = "2*c*d_{out}^2*d_{in}"',
        "p1b_fn": "def p1b_fn(W):\n    G = W.T @ W\n    return 0.5 * W @ (3 * np.eye(G.shape[0]) - G)",
        "p1b_explain": 'p1b_explain = "Use W (W^T W) instead of (W W^T) W: the Gram matrix is only d_in x d_in."',
        "p2b": r'p2b = "1/\\sqrt{d_{in}}"',
        "p2c": r'p2c = "\\sqrt{d_{out}}"',
        "p2d": 'p2d = "d_in^(-1/2)"',
        "p2e": 'p2e = "d_out^(1/2)"',
        "p2g_factor": r'p2g_factor = "1 / \\sqrt{d_\\text{out}}"',
        "p3a": 'p3a = "Piecewise((0, n < 0), (2 - 2^(-n), n <= L - 1), (2^(L - n) - 2^(-n), True))"',
        **_PLAIN_ARRAYS,
        "p4a_weights": 'p4a_weights = "K*K*C*F"',
        "p4a_output": 'p4a_output = "floor((W - K + 2P)/S) + 1 x floor((H - K + 2P)/S) + 1 x F"',
        "p4b": 'p4b = "(floor((W-K)/S)+1, floor((H-K)/S)+1, C)"',
        "p4c": 'p4c = "1 + L(K-1)"',
        "p7b_variance": r'p7b_variance = "(n - k + 1)^2 \\sigma_x^2 \\sigma_g^2"',
        "p7b_growth": 'p7b_growth = "Theta(n)"',
    },
)

_PLAIN_FUNCTIONS = {
    "p7a_dw": """
def p7a_dw(X, dY):
    n, m = len(X), len(dY)
    k = n - m + 1
    return [[sum(dY[i][j] * X[i + h][j + l] for i in range(m) for j in range(m)) for l in range(k)] for h in range(k)]
""",
    "p7a_step": """
def p7a_step(w, X, dY, lr):
    dw = p7a_dw(X, dY)
    return [[w[h][l] - lr * dw[h][l] for l in range(len(w))] for h in range(len(w))]
""",
    "p7c_maxpool": """
def p7c_maxpool(X, dY):
    n = len(X)
    dX = [[0.0] * n for _ in range(n)]
    for i in range(n // 2):
        for j in range(n // 2):
            cells = [(2 * i + a, 2 * j + b) for a in range(2) for b in range(2)]
            r, c = max(cells, key=lambda rc: X[rc[0]][rc[1]])  # first maximum on ties
            dX[r][c] = dY[i][j]
    return dX
""",
    "p7c_avgpool": """
def p7c_avgpool(X, dY):
    n = len(X)
    return [[dY[i // 2][j // 2] / 4 for j in range(n)] for i in range(n)]
""",
}

#: Plain text and plain Python lists: no array type, functions in pure Python.
STRINGS = Rewritten(
    "# Homework 4 -- every answer written as plain text or plain Python lists.",
    {
        "p1a": 'p1a = "2*c*d_out**2*d_in"',
        "p1b": 'p1b = "2 c d_{in}^2 d_{out}"',
        **_PLAIN_ARRAYS,
        "p4a_output": 'p4a_output = "floor((W - K + 2P)/S) + 1 x floor((H - K + 2P)/S) + 1 x F"',
        "p4b": 'p4b = "(floor((W-K)/S)+1, floor((H-K)/S)+1, C)"',
        "p4d": 'p4d = "x2"',
        "p4e": 'p4e = {"conv1_params": "3x3x1x10+10", "conv2_activations": "14x14x10", "pool2_params": "0", "pool2_activations": "7x7x10", "fc3_params": "490x3+3"}',
        **_PLAIN_FUNCTIONS,
    },
)

_SYMBOLS = """
c, d_in, d_out = sp.symbols("c d_in d_out", positive=True)
n, L = sp.symbols("n L", integer=True)
W, H, C, K, P, S, F = sp.symbols("W H C K P S F", positive=True, integer=True)
k, sigma_x, sigma_g = sp.symbols("k sigma_x sigma_g", positive=True)
"""

#: Formulas built with sympy (c kept where it cancels), arrays from sympy, numpy and torch, gradients from scipy and torch.
SYMPY = Rewritten(
    "# Homework 4 -- formulas built with sympy, arrays with numpy/torch, gradients with scipy/torch.",
    {
        "p1a": "p1a = 2 * c * d_out**2 * d_in",
        "p1b": "p1b = 2 * c * d_in**2 * d_out",
        "p1b_fn": "def p1b_fn(W):\n    gram = W.T @ W\n    return W @ (1.5 * np.eye(gram.shape[0]) - 0.5 * gram)",
        "p2b": "p2b = 1 / sp.sqrt(d_in)",
        "p2c": "p2c = sp.sqrt(d_out) / (c * sp.sqrt(d_in))",
        "p2d": "p2d = 1 / (c * d_in)",
        "p2e": "p2e = sp.sqrt(d_out) / (c * sp.sqrt(d_in))",
        "p2g": 'p2g = "Exploding"',
        "p2g_factor": "p2g_factor = 1 / (c * sp.sqrt(d_in * d_out))",
        "p3a": "p3a = sp.Piecewise((0, n < 0), (2 - sp.Rational(1, 2) ** n, n < L), ((2**L - 1) / 2**n, True))",
        "p3a_values": (
            "_y = lambda t: 0 if t < 0 else (2 - sp.Rational(1, 2) ** t if t < 7 else sp.Rational(2**7 - 1, 2**t))\n"
            "p3a_values = sp.Matrix([_y(t) for t in range(-6, 13)])"
        ),
        "p3b_values": "p3b_values = np.array([float(_y(t - 5)) for t in range(-6, 13)])",
        "p3b_property": 'p3b_property = "Time-Invariance"',
        "p3c": (
            "x = torch.arange(1.0, 26.0, dtype=torch.float64).reshape(1, 1, 5, 5)\n"
            "h = torch.tensor([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=torch.float64)\n"
            "flipped = torch.flip(h, dims=(0, 1)).reshape(1, 1, 3, 3)  # torch correlates: flip for a true convolution\n"
            "p3c = torch.nn.functional.conv2d(x, flipped)[0, 0]"
        ),
        "p3d_i": "p3d_i = torch.nn.functional.conv2d(x, flipped, padding=1)[0, 0]",
        "p3d_ii": "p3d_ii = torch.nn.functional.conv2d(x, flipped, padding=1, stride=2)[0, 0]",
        "p4a_weights": "p4a_weights = K**2 * C * F",
        "p4a_biases": "p4a_biases = F",
        "p4a_output": "p4a_output = (sp.floor((W - K + 2 * P) / S) + 1, sp.floor((H - K + 2 * P) / S) + 1, F)",
        "p4b": "p4b = [sp.floor((W - K) / S) + 1, sp.floor((H - K) / S) + 1, C]",
        "p4c": "p4c = L * (K - 1) + 1",
        "p4d": 'p4d = 2 * sp.Symbol("r", positive=True)  # the receptive field r before the pool, doubled',
        "p4e": (
            'p4e = {"conv1_params": 3 * 3 * 1 * 10 + 10, "conv2_activations": (14, 14, 10), "pool2_params": 0,\n'
            '       "pool2_activations": [7, 7, 10], "fc3_params": 490 * 3 + 3}'
        ),
        "p4f_g3": "p4f_g3 = np.array([[0.0], [0.8], [0.0]])",
        "p4f_g4": "p4f_g4 = torch.tensor([0.8, 0.0, 0.0])",
        "p7a_dw": 'def p7a_dw(X, dY):\n    return scipy.signal.correlate2d(X, dY, mode="valid")',
        "p7a_step": "def p7a_step(w, X, dY, lr):\n    return w - lr * p7a_dw(X, dY)",
        "p7b_mean": "p7b_mean = sp.Integer(0)",
        "p7b_variance": "p7b_variance = (n - k + 1) ** 2 * sigma_x**2 * sigma_g**2",
        "p7b_growth": "p7b_growth = n",
        "p7c_maxpool": (
            "def p7c_maxpool(X, dY):\n"
            "    x = torch.tensor(X, requires_grad=True)\n"
            "    torch.nn.functional.max_pool2d(x[None, None], 2).backward(torch.tensor(dY)[None, None])\n"
            "    return x.grad.numpy()"
        ),
        "p7c_avgpool": (
            "def p7c_avgpool(X, dY):\n"
            "    x = torch.tensor(X, requires_grad=True)\n"
            "    torch.nn.functional.avg_pool2d(x[None, None], 2).backward(torch.tensor(dY)[None, None])\n"
            "    return x.grad"
        ),
    },
    preamble="import scipy.signal\nimport sympy as sp\nimport torch\n" + _SYMBOLS,
)

#: Numbers as exact or numpy types, and Problem 2's dimensions under other names (fan_in, n_out).
EXACT_NUMBER_TYPES = Rewritten(
    "# Numbers as exact or numpy types (Fraction, Decimal, sympy, numpy scalars and object arrays) and\n"
    "# Problem 2's dimensions written fan_in / fan_out: every graded part of this file is right.",
    {
        "p2b": 'p2b = "1/sqrt(fan_in)"',
        "p2c": r'p2c = "\\sqrt{fan_{out}}"',
        "p2d": 'p2d = "fan_in^(-1/2)"',
        "p2e": 'p2e = "sqrt(n_out)"',
        "p2g_factor": 'p2g_factor = "1 / sqrt(fan_out)"',
        "p3a_values": (
            "p3a_values = np.array([Fraction(0)] * 6 + [2 - Fraction(1, 2) ** k for k in range(7)]\n"
            "                      + [Fraction(127, 2 ** k) for k in range(7, 13)], dtype=object)"
        ),
        "p3b_values": "p3b_values = [sympy.Integer(0)] * 11 + [2 - sympy.Rational(1, 2) ** k for k in range(7)] + [sympy.Rational(127, 128)]",
        "p3c": "p3c = [[Decimal(-40)] * 3 for _ in range(3)]",
        "p3d_ii": "p3d_ii = sympy.Matrix([[-19, -32, -29], [-30, -40, -30], [49, 72, 59]])",
        "p4e": (
            'p4e = {"conv1_params": np.int64(100), "conv2_activations": np.array([14, 14, 10]), "pool2_params": Fraction(0),\n'
            '       "pool2_activations": (7, 7, 10), "fc3_params": Decimal(1473)}'
        ),
        "p4f_g3": "p4f_g3 = [Fraction(0), Decimal('0.8'), np.float32(0)]",
        "p4f_g4": "p4f_g4 = np.array([sympy.Rational(4, 5), 0, 0])",
    },
    preamble="from decimal import Decimal\nfrom fractions import Fraction\n\nimport sympy",
)

NOTEBOOK = AsNotebook(
    "# Homework 4 answers\nWritten in a notebook; graded by name.",
    STRINGS,
    ("print('checked', p7a_dw([[1, 2], [3, 4]], [[1]]))",),
)

#: example folder -> how its hw4.py (or hw4.ipynb) is written from the reference.
VARIANTS: dict[str, Rewritten | AsNotebook] = {
    "full_marks": FULL_MARKS,
    "full_marks_strings": STRINGS,
    "full_marks_sympy": SYMPY,
    "exact_number_types": EXACT_NUMBER_TYPES,
    "full_marks_p1_sympy": Rewritten(
        '"""Problem 1 answered with sympy expressions and a torch function."""',
        {
            "p1a": "p1a = c * d_out * d_in * d_out + c * d_out * d_out * d_in",
            "p1b": "p1b = sp.expand(c * d_in * d_out * d_in * 2)",
            "p1b_fn": "def p1b_fn(W):\n    W = torch.as_tensor(W)\n    return (1.5 * W - 0.5 * W @ (W.T @ W)).numpy()",
        },
        preamble='import sympy as sp\nimport torch\n\nc, d_out, d_in = sp.symbols("c d_out d_in", positive=True)',
        problems=P1,
    ),
    "full_marks_notebook": NOTEBOOK,
    "both_forms_notebook_finished": NOTEBOOK,  # beside the template's hw4.py: see build_examples
    "full_marks_p1_notebook": AsNotebook(
        "# Homework 4 answers\nProblem 1 in a notebook, with the same names as hw4.py.",
        Rewritten("# Only Problem 1 is answered here.", problems=P1),
        ("%matplotlib inline\nimport matplotlib.pyplot as plt", "!echo shell lines are skipped\np1b_fn(np.ones((3, 2)))"),
    ),
}
