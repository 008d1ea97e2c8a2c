"""Reading expression answers: the student's value as text, parsed without eval with the part's symbols.

`checking.formulas` judges what is read here (equivalence, known mistakes,
generic diagnosis); both never show the expected expression outside the answer key.
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from autograder.answers import Answer
from autograder.assignment import Part, Problem, Symbol
from autograder.checking.verdict import Verdict
from autograder.symbolic import (
    ExpressionError,
    SymbolSpec,
    SymbolTable,
    parse_expression,
    parse_relation,
    with_relations,
)
from autograder.sandbox.wire import ExprText, Opaque

_LEADING_NAME = re.compile(r"^\s*[A-Za-z_\\][\w{}\\ ]*\s*=(?!=)")


def _spec(symbol: Symbol) -> SymbolSpec:
    return SymbolSpec(name=symbol.name, kind=symbol.kind, aliases=tuple(symbol.aliases), low=symbol.low, high=symbol.high)


def symbol_table(problem: Problem, part: Part) -> SymbolTable:
    """The part's symbols with the relations that hold between them (the problem's and the part's own).

    A problem-level relation applies to a part only if the part declares all its symbols
    (``k <= n`` says nothing to a part without ``k``); a part's own relation must use the
    part's symbols, or the data is wrong and reading it raises.
    """
    table = SymbolTable([_spec(s) for s in problem.symbol_specs(part)])
    if not problem.relations and not part.relations:
        return table
    everything = SymbolTable([_spec(s) for s in problem.symbols])
    declared = set(table.names())
    shared = [
        relation  # same names and assumptions: the very same sympy symbols
        for text in problem.relations
        for relation in parse_relation(text, everything)
        if {str(s) for s in relation.free_symbols} <= declared
    ]
    return with_relations(SymbolTable(table.specs, shared), part.relations)


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
