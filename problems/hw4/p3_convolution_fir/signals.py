"""The signals of Homework 4 Problem 3, computed by the definitions of equations (3) and (4).

Trusted code of the grader, written independently of the reference solution:
the expected values and the outputs of the known mistakes (correlation instead
of convolution, a shifted index range) both come from here.
"""

from __future__ import annotations

import numpy as np

#: The time indices on which the homework asks for values: -6, ..., 12.
TIMES = np.arange(-6, 13)

#: Problem 3(c): x[i, j] = 5 i + j + 1 and the kernel h.
X_2D = np.arange(1, 26, dtype=float).reshape(5, 5)
H_2D = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])


def rect(n: int, length: int, delay: int = 0) -> float:
    """x(n - delay) for the rect of the given length."""
    return 1.0 if 0 <= n - delay <= length - 1 else 0.0


def decay(n: int) -> float:
    """h(n) = (1/2)^n u(n)."""
    return 0.5**n if n >= 0 else 0.0


def convolve_1d(n: int, length: int, delay: int = 0) -> float:
    """y[n] = sum_i x[i] h[n - i]: only i in the rect's support contributes."""
    return sum(rect(i, length, delay) * decay(n - i) for i in range(delay, delay + length))


def correlate_1d(n: int, length: int, delay: int = 0) -> float:
    """The named mistake: sum_i x[n + i] h[i] (h not flipped)."""
    return sum(rect(n + i, length, delay) * decay(i) for i in range(0, max(0, delay + length - n) + 1))


def convolve_2d(x: np.ndarray, h: np.ndarray, pad: int = 0, stride: int = 1) -> np.ndarray:
    """Equation (4) on the zero-padded x, keeping the outputs where h lies on the padded x, every `stride`-th."""
    padded = np.pad(x, pad)
    flipped = h[::-1, ::-1]
    rows = padded.shape[0] - h.shape[0] + 1
    cols = padded.shape[1] - h.shape[1] + 1
    full = np.array([[np.sum(padded[i : i + h.shape[0], j : j + h.shape[1]] * flipped) for j in range(cols)] for i in range(rows)])
    return full[::stride, ::stride]


def correlate_2d(x: np.ndarray, h: np.ndarray, pad: int = 0, stride: int = 1) -> np.ndarray:
    """The named mistake: the same sliding sum without flipping h."""
    return convolve_2d(x, h[::-1, ::-1], pad, stride)
