"""The default check of each answer kind: a part that is data alone needs no Python.

An expression, number, choice, set, interval, table or array part is graded from
its problem.toml entry (symbols, known mistakes, typed options) and the reference
solution's value under its answer name, by the judge of its kind below. A
problem's own `check_*.py` is written only where a part needs judgement of its
own (functions, notebooks, trained models, arrays whose known mistakes are
computed by code); a course check for a part overrides its default.

The engine runs this module as one more check module: `check_by_default` is a
single check that the plugin parametrizes with every selected part of a kind
listed here (`part_id`), and then drops the items of parts that a course check
claims.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from autograder.answers import Answer
from autograder.assignment import Part, Problem
from autograder.checking.array_answers import check_array
from autograder.checking.arrays import ATOL, HAND_RTOL
from autograder.checking.elements import (
    Cell,
    check_choice,
    check_interval,
    check_number_set,
    check_table,
    describe_number,
    read_choice,
    read_number,
    same_number,
)
from autograder.checking.formulas import check_formula, check_formula_tuple, check_growth, check_scaling, growth_exponent
from autograder.checking.verdict import Verdict
from autograder.part_options import ArrayOptions, ExpressionOptions, SetOptions, TableOptions

#: Marks the default check for the plugin (the engine imports this file by path, so identity would not do).
DEFAULT_ATTRIBUTE = "__default_check__"

Judge = Callable[[Part, Problem, Answer, Any], Verdict]


def judge_expression(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    """A formula; a tuple of formulas (`labels`), a scaling (`scaling`) or a growth rate (`growth`)."""
    options = part.options_as(ExpressionOptions)
    if options.labels:
        return check_formula_tuple(part, problem, answer, expected, options.labels)
    if options.scaling:
        return check_scaling(part, problem, answer, str(expected))
    if options.growth:
        exponent = growth_exponent(part, problem, str(expected), options.growth)
        return check_growth(part, problem, answer, variable=options.growth, exponent=exponent)
    return check_formula(part, problem, answer, expected)


def judge_number(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    """A number is read and compared as a formula without symbols: "2", 2.0 and "4/2" agree exactly."""
    return check_formula(part, problem, answer, expected)


def judge_choice(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    return check_choice(part, answer, read_choice(part, expected))


def judge_set(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    return check_number_set(part, answer, [read_number(member) for member in expected], what=part.options_as(SetOptions).what)


def _written(end: Any) -> str:
    """An end of the reference interval as its author wrote it ("sqrt(3)"), for the answer key."""
    return end if isinstance(end, str) else describe_number(read_number(end))


def judge_interval(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    low, high = expected
    key = f"({_written(low)}, {_written(high)})"
    return check_interval(part, answer, (read_number(low), read_number(high)), key=key)


def _cell(part: Part, name: str, value: Any) -> Cell:
    """A cell of the reference table: one of the part's choices if it lists any, else a number."""
    if part.choices:
        return Cell(name, read_choice(part, value), read=lambda entry: read_choice(part, entry))
    return Cell(name, read_number(value), read=read_number, show=describe_number, same=same_number)


def judge_table(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    """Cells from the reference dict, in its order (by value where the keys are numbers)."""
    options = part.options_as(TableOptions)
    entries = list(dict(expected).items())
    if options.keys == "numbers":
        entries.sort(key=lambda entry: read_number(entry[0]))
        cells = [_cell(part, describe_number(read_number(key)), value) for key, value in entries]
        read_key = read_number
    else:
        cells = [_cell(part, str(key), value) for key, value in entries]
        read_key = None
    return check_table(part, answer, cells, read_key=read_key, what=options.what, names_are_answers=options.names_are_answers)


def judge_array(part: Part, problem: Problem, answer: Answer, expected: Any) -> Verdict:
    options = part.options_as(ArrayOptions)
    variants: Mapping[str, np.ndarray] = {name: np.asarray(value, dtype=float) for name, value in options.variants.items()}
    return check_array(
        part,
        answer,
        np.asarray(expected, dtype=float),
        variants=variants,
        also_shapes=options.also_shapes,
        rtol=HAND_RTOL if options.rtol is None else options.rtol,
        atol=ATOL if options.atol is None else options.atol,
    )


#: The judge of each kind that needs no Python of its own.
JUDGES: dict[str, Judge] = {
    "expression": judge_expression,
    "number": judge_number,
    "choice": judge_choice,
    "set": judge_set,
    "interval": judge_interval,
    "table": judge_table,
    "array": judge_array,
}


def has_default(part: Part) -> bool:
    return part.kind in JUDGES


def judge_by_default(part: Part, problem: Problem, answer: Answer, reference: Any) -> Verdict:
    """The part's answer judged by its kind against the reference solution's value of the same name."""
    return JUDGES[part.kind](part, problem, answer, getattr(reference, part.answer))


def check_by_default(part_id: str, part: Part, problem: Problem, answer: Answer, reference: Any) -> Verdict:
    """The default check; `part_id` is the parameter the plugin gives each part (the `part` fixture reads it)."""
    return judge_by_default(part, problem, answer, reference)


setattr(check_by_default, DEFAULT_ATTRIBUTE, True)
