"""Expected gradients of Homework 4 Problem 7, from torch autograd in the trusted process.

torch's conv2d is the sliding sum of equation (10) (no flip), so the gradient
it computes for the weight is the one the homework asks for. torch is imported
on first use: only these checks pay for it.
"""

from __future__ import annotations

import numpy as np


def _torch():
    import torch

    return torch


def _tensor(array: np.ndarray):
    """A float64 tensor from a fresh copy (torch refuses views with negative strides, such as a flipped array)."""
    return _torch().tensor(np.array(array, dtype=np.float64, order="C", copy=True))


def conv_weight_gradient(X: np.ndarray, dY: np.ndarray) -> np.ndarray:
    """dL/dw for Y = conv(X, w) and upstream gradient dY; w's value does not matter (Y is linear in w)."""
    torch = _torch()
    n, m = X.shape[0], dY.shape[0]
    k = n - m + 1
    x = _tensor(X).reshape(1, 1, n, n)
    w = torch.zeros((1, 1, k, k), dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.conv2d(x, w)
    y.backward(_tensor(dY).reshape(1, 1, m, m))
    return w.grad.reshape(k, k).numpy().copy()


def sgd_step(w: np.ndarray, X: np.ndarray, dY: np.ndarray, lr: float) -> np.ndarray:
    """The weight after one plain SGD step, w - lr * (autograd's gradient at w).

    torch.optim.SGD would do the same arithmetic but imports torch's compiler
    stack (seconds of start-up), so the step is written out.
    """
    torch = _torch()
    n, m, k = X.shape[0], dY.shape[0], w.shape[0]
    weight = _tensor(w).reshape(1, 1, k, k).requires_grad_(True)
    y = torch.nn.functional.conv2d(_tensor(X).reshape(1, 1, n, n), weight)
    y.backward(_tensor(dY).reshape(1, 1, m, m))
    with torch.no_grad():
        stepped = weight - lr * weight.grad
    return stepped.reshape(k, k).numpy().copy()


def pool_input_gradient(X: np.ndarray, dY: np.ndarray, kind: str) -> np.ndarray:
    """dL/dX through a 2 x 2, stride-2 max or average pool."""
    torch = _torch()
    n = X.shape[0]
    x = _tensor(X).reshape(1, 1, n, n).requires_grad_(True)
    pool = torch.nn.functional.max_pool2d if kind == "max" else torch.nn.functional.avg_pool2d
    y = pool(x, 2)
    y.backward(_tensor(dY).reshape(y.shape))
    return x.grad.reshape(n, n).numpy().copy()
