"""Function answers: whether the answer is a function that can be called at all.

Calling it on the grader's inputs and judging the outputs is `checking.calls`
(`run_cases`): only outputs cross back, inputs are shown to the student by shape
or label, and wrong outputs are described without any expected value.
"""

from __future__ import annotations

from autograder.answers import Answer
from autograder.assignment import Part
from autograder.checking.expression import missing_verdict, type_name
from autograder.checking.verdict import Verdict
from autograder.config import Settings
from autograder.sandbox.wire import Opaque


def function_problem(answer: Answer) -> Verdict | None:
    """The verdict when the answer is not a function we can call, else None."""
    if not answer.given:
        return missing_verdict(answer)
    if not (isinstance(answer.value, Opaque) and answer.value.kind == "function"):
        return Verdict.invalid(f"{answer.name} should be a function (def {answer.name}(...)); got a value of type {type_name(answer.value)}.")
    return None


def as_students_read_it(part: Part, settings: Settings) -> Part:
    """The part with each known mistake worded as the student may read it: its neutral hint by default.

    `run_cases` puts the message of a recognised mistake into the verdict's text;
    given this copy, that text is the hint (a named mistake tells the answer to
    whoever applies it), or the exact message where the settings ask for explicit
    mistakes.
    """
    if settings.explicit_mistakes:
        return part
    return part.model_copy(update={"mistakes": [m.model_copy(update={"message": m.hint}) for m in part.mistakes]})
