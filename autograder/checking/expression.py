"""Checking expression answers: read the student's text without eval, then decide equivalence in layers.

Order of verdicts: unreadable (invalid, with how it was read) -> equivalent
(correct) -> a known mistake of the part (its own message and credit) -> a
generic diagnosis (constant factor, sign, off by one, swapped symbols) -> wrong,
with a point where the two differ. No message shows the expected expression;
it goes to the answer key only.
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from autograder.answers import Answer
from autograder.assignment import Part, Problem
from autograder.checking.verdict import Verdict
from autograder.expressions import (
    ExpressionError,
    SymbolSpec,
    SymbolTable,
    compare,
    describe,
    diagnose,
    matches_any,
    parse_expression,
)
from autograder.sandbox.wire import ExprText, Opaque

_LEADING_NAME = re.compile(r"^\s*[A-Za-z_\\][\w{}\\ ]*\s*=(?!=)")


def symbol_table(problem: Problem, part: Part) -> SymbolTable:
    specs = [
        SymbolSpec(name=s.name, kind=s.kind, aliases=tuple(s.aliases), low=s.low, high=s.high)
        for s in problem.symbol_specs(part)
    ]
    return SymbolTable(specs)


def answer_text(value: Any) -> str | None:
    """The answer as text to parse: strings, sympy-made text and plain numbers; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, ExprText)):
        return _LEADING_NAME.sub("", str(value), count=1).strip()
    if isinstance(value, (int, float)):
        return repr(value)
    return None


def type_name(value: Any) -> str:
    """The student's type as they wrote it (a function, complex, list), not our wire wrapper."""
    if isinstance(value, Opaque):
        return value.name if value.kind == "object" else "function"
    return type(value).__name__


def missing_verdict(answer: Answer) -> Verdict:
    if answer.problem:
        return Verdict.missing(answer.problem)
    return Verdict.missing(f"{answer.name} is still None in {answer.file}: no answer given.")


def read_expression(answer: Answer, table: SymbolTable) -> sympy.Expr | Verdict:
    """The parsed answer, or the verdict that says why it could not be read."""
    if not answer.given:
        return missing_verdict(answer)
    text = answer_text(answer.value)
    if text is None:
        return Verdict.invalid(
            f"{answer.name} should be a formula (a string such as \"k n^2 + 1\" or a sympy expression); "
            f"got a value of type {type_name(answer.value)}."
        )
    try:
        return parse_expression(text, table)
    except ExpressionError as error:
        return Verdict.invalid(f"{answer.name} = {text[:200]!r} could not be read: {error}")


def check_expression(part: Part, problem: Problem, answer: Answer, expected: str | sympy.Expr) -> Verdict:
    table = symbol_table(problem, part)
    reference = expected if isinstance(expected, sympy.Expr) else parse_expression(str(expected), table)
    key = describe(reference)
    student = read_expression(answer, table)
    if isinstance(student, Verdict):
        return student.with_key(key)
    read_as = f"Read as: {describe(student)}."
    comparison = compare(student, reference, table)
    if comparison.equivalent:
        return Verdict.correct(f"Correct. {read_as}", key=key)
    mistakes = [parse_expression(str(m.answer), table) for m in part.mistakes]
    index = matches_any(student, mistakes, table)
    if index is not None:
        mistake = part.mistakes[index]
        return Verdict.wrong(f"{read_as} {mistake.message}", key=key, fraction=mistake.credit)
    hint = diagnose(student, reference, table, swaps=[tuple(s) for s in part.swaps])
    message = f"{read_as} This is not equivalent to the expected answer"
    if comparison.counterexample:
        point = ", ".join(f"{k}={v}" for k, v in comparison.counterexample.items())
        message += f" (they differ at {point})"
    message += "."
    if hint:
        message += f" {hint}"
    return Verdict.wrong(message, key=key)
