"""Function answers judged case by case, naming a known mistake when the wrong outputs all match it.

The student's function runs in the sandbox child on inputs the grader chose;
only its outputs come back. Each `Case` carries its expected output and the
outputs of the part's known mistakes (`variants`, keyed by the names that the
part's data uses as `mistakes.answer`: "correlation", "transposed", ...), all
computed here in the trusted process. The student is told the input by its
shape or label, how many outputs were wrong, and the named mistake if the wrong
outputs all match one, or else a generic mistake (transposed, wrong sign, a
constant factor) that every output shares, found by the same rule as for an
array answer (`arrays.detect_array_mistake`) with the judge's tolerances: never an
expected value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.answers import Answer
from autograder.assignment import Mistake, Part
from autograder.checking.arrays import ATOL, RTOL, NotNumeric, compare_arrays, detect_array_mistake, to_array
from autograder.checking.function import function_problem
from autograder.checking.verdict import Verdict, known

#: Outcomes after which calling again is pointless (and slow): the child hung, ran out of memory, died or spoke garbage.
_FATAL = ("timeout", "memory", "died", "protocol", "load")
#: Outcomes that a limit on the call's time or memory caused (a size limit of the wire is named in the error itself).
_RESOURCE = ("timeout", "memory", "died")


@dataclass(frozen=True)
class Case:
    """One call of the student's function: its arguments, the expected output, the known mistakes' outputs."""

    args: tuple[Any, ...]
    expected: Any
    label: str
    variants: Mapping[str, Any] = field(default_factory=dict)


#: judge(case, output) -> None when the output is right, else what is wrong (in the student's terms).
Judge = Callable[[Case, Any], str | None]
#: matches(variant_output, output) -> whether the student's output is the mistake's output.
Matches = Callable[[Any, Any], bool]


def shapes_label(*arrays: Any) -> str:
    """"shape (5, 5)" or "shapes (5, 5) and (3, 3)": how an input is described to the student."""
    shapes = [str(tuple(np.shape(a))) for a in arrays]
    if len(shapes) == 1:
        return f"shape {shapes[0]}"
    return f"shapes {', '.join(shapes[:-1])} and {shapes[-1]}"


@dataclass(frozen=True)
class ArrayJudge:
    """Judges an output as an array: right when its shape is the expected one and every entry is close.

    Its tolerances are also those of the generic diagnosis in :func:`run_cases`, so an
    output is never called "transposed" or "the right one times a constant" by a test
    stricter or looser than the one that found it wrong.
    """

    rtol: float = RTOL
    atol: float = ATOL

    def __call__(self, case: Case, output: Any) -> str | None:
        try:
            given = to_array(output)
        except NotNumeric as error:
            return f"the result is not an array of numbers ({error})"
        comparison = compare_arrays(given, np.asarray(case.expected), rtol=self.rtol, atol=self.atol, what="the result")
        return None if comparison.ok else comparison.message


def array_judge(rtol: float = RTOL, atol: float = ATOL) -> ArrayJudge:
    return ArrayJudge(rtol, atol)


def array_matches(rtol: float = RTOL, atol: float = ATOL) -> Matches:
    def matches(variant: Any, output: Any) -> bool:
        try:
            given, wrong = to_array(output), np.asarray(variant, dtype=float)
        except (NotNumeric, ValueError, TypeError):
            return False
        return given.shape == wrong.shape and bool(np.all(np.isclose(given, wrong, rtol=rtol, atol=atol)))

    return matches


def run_cases(
    part: Part,
    answer: Answer,
    submission: Any,
    cases: Sequence[Case],
    *,
    what: str,
    judge: Judge,
    matches: Matches | None = None,
    key: str | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
    resource_hint: str | None = None,
) -> Verdict:
    """Call the function on every case; correct only if every output is right.

    `resource_hint` is added to the message only when a call ran out of time or
    memory (or was killed): advice such as "use the Gram form" is wrong when the
    cause was something else, a limit of what a result may be, say.

    A wrong function that no known mistake explains gets the generic diagnosis of
    all its outputs together, with an :class:`ArrayJudge`'s tolerances (another
    judge's outputs are diagnosed with the default ones, as numbers).
    """
    problem = function_problem(answer)
    if problem is not None:
        return problem.with_key(key)
    failures: list[tuple[Case, str, Any]] = []
    outputs: list[tuple[Case, Any]] = []
    returned_none = 0
    limited = False
    for case in cases:
        outcome = submission.call(answer.name, list(case.args), timeout=timeout, memory_mb=memory_mb)
        if not outcome.ok:
            limited = limited or outcome.kind in _RESOURCE
            failures.append((case, f"the call failed: {outcome.error}", _NO_OUTPUT))
            if outcome.kind in _FATAL:
                break
            continue
        outputs.append((case, outcome.value))
        returned_none += outcome.value is None
        complaint = judge(case, outcome.value)
        if complaint is not None:
            failures.append((case, complaint.rstrip("."), outcome.value))
    if not failures:
        return Verdict.correct(f"{what} is correct on all {len(cases)} test inputs.", key=key)
    if returned_none == len(cases):
        return Verdict.missing(f"{what} returned None on every test input: it is not answered yet.", key=key)
    first_case, first_complaint, _ = failures[0]
    summary = f"{what} is wrong on {len(failures)} of {len(cases)} test inputs; on {first_case.label}: {first_complaint}."
    if limited and resource_hint:
        summary = f"{summary} {resource_hint}"
    named = _named_mistake(part, failures, matches)
    if named is not None:
        return Verdict.mistaken([summary, known(named)], key=key, fraction=named.credit)
    pairs = output_pairs(outputs, len(cases))
    rtol, atol = (judge.rtol, judge.atol) if isinstance(judge, ArrayJudge) else (RTOL, ATOL)
    found = None if pairs is None else detect_array_mistake(pairs, rtol=rtol, atol=atol, subject=f"Every output of {what} is")
    return Verdict.wrong(summary, key=key) if found is None else Verdict.mistaken([summary, found], key=key)


def output_pairs(outputs: Sequence[tuple[Case, Any]], calls: int) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """(output, expected) as arrays for every call, for the generic diagnosis; None if a call gave no numbers.

    Every call must have returned numbers: all outputs are diagnosed together
    (`arrays.shared_mistake`), so a sign or a factor must be the same on every
    input (a scalar function whose every value is negated has a sign error, which
    no single value can show) and a transpose must hold on every input.
    """
    if len(outputs) != calls or not outputs:
        return None
    pairs = []
    for case, output in outputs:
        if isinstance(case.expected, str):
            return None  # a word outcome ("diverges"): not a number, whatever numpy would make of "+1"
        try:
            pairs.append((to_array(output), np.asarray(case.expected, dtype=float)))
        except (NotNumeric, ValueError, TypeError):
            return None
    return pairs


class _NoOutput:
    """Marks a failed call: no output, so no mistake can match it."""


_NO_OUTPUT = _NoOutput()


def _named_mistake(part: Part, failures: Sequence[tuple[Case, str, Any]], matches: Matches | None) -> Mistake | None:
    if matches is None:
        return None
    for mistake in part.mistakes:
        name = mistake.answer
        if not isinstance(name, str):
            continue
        if all(
            not isinstance(output, _NoOutput) and name in case.variants and matches(case.variants[name], output)
            for case, _, output in failures
        ):
            return mistake
    return None
