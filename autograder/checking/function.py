"""Checking function answers: call them in the sandbox on inputs the grader chose, compare the outputs.

Only outputs cross back. Inputs are shown to the student by shape only, and a
wrong output is described by its shape or by how many entries differ, and by a
generic mistake (transposed, wrong sign, a constant factor) when one explains it.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from autograder.answers import Answer
from autograder.checking.arrays import NotNumeric, compare_arrays, diagnose_arrays, to_array
from autograder.checking.expression import missing_verdict, type_name
from autograder.checking.verdict import Verdict
from autograder.sandbox.wire import Opaque


def function_problem(answer: Answer) -> Verdict | None:
    """The verdict when the answer is not a function we can call, else None."""
    if not answer.given:
        return missing_verdict(answer)
    if not (isinstance(answer.value, Opaque) and answer.value.kind == "function"):
        return Verdict.invalid(f"{answer.name} should be a function (def {answer.name}(...)); got a value of type {type_name(answer.value)}.")
    return None


def check_matrix_function(
    answer: Answer,
    submission: Any,
    inputs: Sequence[np.ndarray | tuple[Any, ...]],
    expected: Callable[..., Any],
    *,
    what: str,
    memory_mb: int | None = None,
    timeout: float | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> Verdict:
    """Call the student's function on each input (a single array or a tuple of arguments)."""
    problem = function_problem(answer)
    if problem is not None:
        return problem
    for arguments in inputs:
        args = list(arguments) if isinstance(arguments, tuple) else [arguments]
        shapes = " and ".join(str(np.shape(a)) for a in args)
        outcome = submission.call(answer.name, args, memory_mb=memory_mb, timeout=timeout)
        if not outcome.ok:
            return Verdict.wrong(f"{what} failed on input of shape {shapes}: {outcome.error}")
        try:
            given = to_array(outcome.value)
        except NotNumeric as error:
            return Verdict.invalid(f"{what} on input of shape {shapes} returned something that is not an array: {error}.")
        wanted = np.asarray(expected(*args))
        comparison = compare_arrays(given, wanted, rtol=rtol, atol=atol, what=f"{what} on input of shape {shapes}")
        if not comparison.ok:
            hint = diagnose_arrays(given, wanted, rtol=rtol, atol=atol)
            return Verdict.wrong(comparison.message if hint is None else f"{comparison.message} {hint}")
    return Verdict.correct(f"{what} is correct on all {len(inputs)} test input(s).")
