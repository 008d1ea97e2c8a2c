"""Checks of Homework 4 Problem 7 (weights and gradients in a CNN).

Function answers are called in the sandbox on seeded random inputs; the
expected outputs are torch autograd's, computed once and stored (`tables.py`:
importing torch on every grading would cost seconds). Max pooling is checked
strictly on inputs without ties, then by the stated tie rule on an input with
ties in every block. The mean, variance and growth rate of (b) are data alone
(problem.toml and the reference), graded by the default checks.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.arrays import NotNumeric, compare_arrays, to_array
from autograder.checking.calls import Case, array_judge, array_matches, run_cases, shapes_label
from autograder.checking.verdict import Verdict
from autograder.checking.custom import check
from problems.hw4.p7_cnn_gradients.tables import CONV_SIZES, POOL_SIDES, STEP_SIZES, TIED_DY, TIED_X, load

TIE_SHARE = 0.25

DW_KEY = "dw[h, l] = sum_{i, j} dy[i, j] x[i + h - 1, j + l - 1]: X correlated with dY, no flip ('valid')"
STEP_KEY = "w - lr * dw"
MAX_KEY = "each block's dy goes to the position of its maximum (first in row-major order on ties); 0 elsewhere"
AVG_KEY = "dX = dY / 4 on every entry of its 2 x 2 block"


def spread(dY: np.ndarray) -> np.ndarray:
    """Each upstream entry copied onto its 2 x 2 block."""
    return np.kron(dY, np.ones((2, 2)))


def weight_cases() -> list[Case]:
    table, cases = load(), []
    for index in range(len(CONV_SIZES)):
        X, dY, expected = table[f"dw{index}_X"], table[f"dw{index}_dY"], table[f"dw{index}_expected"]
        variants = {"flipped": table[f"dw{index}_flipped"], "transposed": expected.T}
        cases.append(Case((X, dY), expected, f"X and dY of {shapes_label(X, dY)}", variants))
    return cases


@check("hw4.p7a_dw")
def check_p7a_dw(part, answer, submission, settings):
    cases = weight_cases()
    return run_cases(part, answer, submission, cases, what="p7a_dw(X, dY)", judge=array_judge(), matches=array_matches(), key=DW_KEY)


@check("hw4.p7a_step")
def check_p7a_step(part, answer, submission, settings):
    table, cases = load(), []
    for index, (_, lr) in enumerate(STEP_SIZES):
        w, X, dY, expected = (table[f"step{index}_{name}"] for name in ("w", "X", "dY", "expected"))
        variants = {"ascent": 2 * w - expected}
        cases.append(Case((w, X, dY, lr), expected, f"w, X, dY of {shapes_label(w, X, dY)} and lr = {lr}", variants))
    return run_cases(part, answer, submission, cases, what="p7a_step(w, X, dY, lr)", judge=array_judge(), matches=array_matches(), key=STEP_KEY)


def pool_cases(kind: str) -> list[Case]:
    """Random inputs without ties; the variants are the other pool's gradient and dY copied onto each block."""
    table, cases = load(), []
    other_name = "average" if kind == "max" else "max_rule"
    for index in range(len(POOL_SIDES)):
        X, dY = table[f"{kind}{index}_X"], table[f"{kind}{index}_dY"]
        variants = {"copied": spread(dY), other_name: table[f"{kind}{index}_other"]}
        cases.append(Case((X, dY), table[f"{kind}{index}_expected"], f"X and dY of {shapes_label(X, dY)}", variants))
    return cases


def misplaced_blocks(X: np.ndarray, dY: np.ndarray, dX: np.ndarray, tol: float = 1e-8) -> int:
    """Blocks whose gradient is not all on tied maxima, or not the whole dy, or not a convex split of it."""
    wrong = 0
    for i in range(dY.shape[0]):
        for j in range(dY.shape[1]):
            block, grads = X[2 * i : 2 * i + 2, 2 * j : 2 * j + 2], dX[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            on_max = block == block.max()
            upstream = dY[i, j]
            shares = grads[on_max] / upstream
            fine = (
                np.all(np.abs(grads[~on_max]) <= tol)
                and abs(grads[on_max].sum() - upstream) <= tol * max(1.0, abs(upstream))
                and np.all(shares >= -tol)
            )
            wrong += not fine
    return wrong


def tie_judge(case: Case, output) -> str | None:
    X, dY = case.args
    try:
        dX = to_array(output)
    except NotNumeric as error:
        return f"the result is not an array of numbers ({error})"
    if dX.shape != X.shape or not np.all(np.isfinite(dX)):
        return compare_arrays(dX, np.zeros_like(X), what="the result").message
    wrong = misplaced_blocks(X, dY, dX)
    return None if wrong == 0 else f"in {wrong} of {dY.size} blocks the gradient does not go (whole) to the block's maxima"


@check("hw4.p7c_maxpool")
def check_p7c_maxpool(part, answer, submission, settings):
    strict = run_cases(
        part, answer, submission, pool_cases("max"),
        what="p7c_maxpool(X, dY)", judge=array_judge(), matches=array_matches(), key=MAX_KEY,
    )
    if not strict.passed:
        return strict
    tied = Case((TIED_X, TIED_DY), load()["tied_expected"], "a 4 x 4 X with tied maxima in every block", {})
    ties = run_cases(part, answer, submission, [tied], what="p7c_maxpool(X, dY)", judge=tie_judge, key=MAX_KEY)
    if ties.passed:
        return Verdict.correct(f"{strict.message} Ties within a block are handled correctly too.", key=MAX_KEY)
    return Verdict.wrong(f"Correct on inputs without ties, but not with ties: {ties.message}", key=MAX_KEY, fraction=1 - TIE_SHARE)


@check("hw4.p7c_avgpool")
def check_p7c_avgpool(part, answer, submission, settings):
    cases = pool_cases("avg")
    return run_cases(part, answer, submission, cases, what="p7c_avgpool(X, dY)", judge=array_judge(), matches=array_matches(), key=AVG_KEY)
