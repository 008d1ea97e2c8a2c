"""Function answers: whether the answer is a function that can be called at all.

Calling it on the grader's inputs and judging the outputs is `checking.calls`
(`run_cases`): only outputs cross back, inputs are shown to the student by shape
or label, and wrong outputs are described without any expected value.
"""

from __future__ import annotations

from autograder.answers import Answer
from autograder.checking.formula_answers import missing_verdict, type_name
from autograder.checking.verdict import Verdict
from autograder.sandbox.wire import Opaque


def function_problem(answer: Answer) -> Verdict | None:
    """The verdict when the answer is not a function we can call, else None."""
    if not answer.given:
        return missing_verdict(answer)
    if not (isinstance(answer.value, Opaque) and answer.value.kind == "function"):
        return Verdict.invalid(f"{answer.name} should be a function (def {answer.name}(...)); got a value of type {type_name(answer.value)}.")
    return None
