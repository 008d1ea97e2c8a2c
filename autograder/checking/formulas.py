"""Judging formula answers: equivalence in layers, then known mistakes, then a generic diagnosis.

Order of verdicts: unreadable (invalid, with how it was read) -> equivalent
(correct) -> a known mistake of the part (its own message and credit) -> a
generic diagnosis (constant factor, sign, off by one, swapped symbols) -> wrong,
with a point where the two differ. Beyond a single plain expression it covers:

* *given symbols*: a part may let the student keep a symbol fixed by an earlier
  part (Homework 4 Problem 2 keeps the multiplier `c` of part (b) symbolic). The
  part's `options.given` maps such a symbol to its value (`c = "2/k"`, say);
  the student's formula is judged after substituting it, so an answer in terms
  of `c` is right exactly when it is right for the `c` of part (b);
* *alternative accepted forms* (`options.accept`): a second answer that the
  problem's wording also supports, stated in the part's `assumption`;
* *tuples of formulas* (an output shape `W' x H' x F`), graded per component
  with partial credit, and *growth rates* (`O(n)`), judged by their order.

Every message says how the answer was read and never shows the reference; the
reference goes to the verdict's `key` only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from autograder.answers import Answer
from autograder.assignment import Mistake, Part, Problem
from autograder.checking.formula_answers import answer_text, missing_verdict, read_expression, symbol_table
from autograder.checking.verdict import Detected, Verdict, known
from autograder.part_options import ExpressionOptions, FormulaOptions
from autograder.symbolic import (
    ExpressionError,
    NotFinite,
    SymbolTable,
    compare,
    describe,
    diagnose,
    matches_any,
    parse_expression,
)
from autograder.sandbox.wire import ExprText

# ----------------------------------------------------------------------------- given symbols and accepted forms


def given_values(part: Part, table: SymbolTable) -> dict[sympy.Symbol, sympy.Expr]:
    """The part's `options.given` as a substitution (symbol -> value), parsed with the part's own symbols."""
    given = part.options.given if isinstance(part.options, FormulaOptions) else {}
    return {table.symbol(name): parse_expression(str(text), table) for name, text in given.items()}


def _substituted(expr: sympy.Expr, given: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    return expr.xreplace(dict(given)) if given else expr


def _read_as(student: sympy.Expr, given: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    """How the answer was read; given symbols are named but their values never shown (they are answers too)."""
    text = f"Read as: {describe(student)}"
    used = [str(symbol) for symbol in given if symbol in student.free_symbols]
    if used:
        text += f" (graded with {', '.join(used)} set to {'its value' if len(used) == 1 else 'their values'} from the earlier part)"
    return text + "."


def judge_formula(
    part: Part,
    table: SymbolTable,
    student: sympy.Expr,
    expected: sympy.Expr,
    *,
    accepted: Sequence[sympy.Expr] = (),
    mistakes: Sequence[Mistake] | None = None,
    given: Mapping[sympy.Symbol, sympy.Expr] | None = None,
    generic: bool = True,
) -> tuple[float, list[str | Detected | None]]:
    """(fraction, what to say) for one formula already read; shared by single formulas and tuple components.

    What to say is plain text and the mistake detected, if any (a known mistake of the
    part or a generic one), which the verdict words as a neutral hint or exactly.

    `generic=False` leaves out the generic diagnosis, for answers where it would tell
    the student the answer (a factor read as a multiple of one symbol: "wrong sign"
    on -2 r would say that the answer is 2 r).
    """
    given = given or {}
    student_value = _substituted(student, given)
    reference = _substituted(expected, given)
    comparison = compare(student_value, reference, table)
    if comparison.equivalent or any(compare(student_value, _substituted(a, given), table).equivalent for a in accepted):
        return 1.0, ["Correct."]
    mistakes = list(part.mistakes if mistakes is None else mistakes)
    formulas = [(m, parse_expression(str(m.answer), table)) for m in mistakes if isinstance(m.answer, str)]
    index = matches_any(student_value, [_substituted(f, given) for _, f in formulas], table)
    if index is not None:
        mistake = formulas[index][0]
        return mistake.credit, [known(mistake)]
    message = "This is not equivalent to the expected answer"
    if comparison.counterexample:
        point = ", ".join(f"{k}={v}" for k, v in comparison.counterexample.items())
        message += f" (they differ at {point})"
    message += "."
    found = diagnose(student_value, reference, table, swaps=[tuple(s) for s in part.swaps]) if generic else None
    return 0.0, [message, found]


def check_formula(part: Part, problem: Problem, answer: Answer, expected: str | sympy.Expr) -> Verdict:
    """One formula, with the part's given symbols, accepted forms, known mistakes and generic diagnosis."""
    table = symbol_table(problem, part)
    reference = expected if isinstance(expected, sympy.Expr) else parse_expression(str(expected), table)
    key = describe(reference)
    student = read_expression(answer, table)
    if isinstance(student, Verdict):
        return student.with_key(key)
    given = given_values(part, table)
    accepted = [parse_expression(text, table) for text in _accepted(part)]
    fraction, said = judge_formula(part, table, student, reference, accepted=accepted, given=given)
    if fraction >= 1:
        return Verdict.correct(f"Correct. {_read_as(student, given)}", key=key)
    return Verdict.mistaken([_read_as(student, given), *said], key=key, fraction=fraction)


def _accepted(part: Part) -> list[str]:
    return part.options.accept if isinstance(part.options, FormulaOptions) else []


def _words(part: Part) -> dict[str, str]:
    """The part's words read as formulas ("doubles" -> "2"), folded to lower case."""
    words = part.options.words if isinstance(part.options, ExpressionOptions) else {}
    return {key.lower(): value for key, value in words.items()}


# ----------------------------------------------------------------------------- scalings

_FACTOR_WORDING = re.compile(
    r"^\s*(?:(?:by\s+)?(?:a\s+)?factor\s+(?:of\s+)?|times\s+|[x×*]\s*)(?P<lead>.+?)\s*$"
    r"|^\s*(?P<trail>.+?)\s*(?:[x×]|times|fold)\s*$",
    re.IGNORECASE,
)


def scaling_text(text: str, words: Mapping[str, str]) -> str:
    """The formula in "a factor of 2", "x2", "2x", "2 times", "doubles": the number or formula itself."""
    folded = text.strip().rstrip(".").strip()
    if folded.lower() in words:
        return words[folded.lower()]
    match = _FACTOR_WORDING.match(folded)
    if match is None:
        return folded
    return (match.group("lead") or match.group("trail")).strip()


def read_scaling(part: Part, table: SymbolTable, value: object, variable: str) -> tuple[sympy.Expr, bool]:
    """A scaling answer as a formula in `variable`, and whether it was a factor alone.

    "x2", "a factor of 2", "doubles" and "2" all read as 2 r. Shared by the grader
    and the format check, so both read an answer alike. Raises ExpressionError (the
    text cannot be read) or TypeError (neither text nor a number).
    """
    text = answer_text(value)
    if text is None:
        raise TypeError(type(value).__name__)
    return as_scaling(parse_expression(scaling_text(text, _words(part)), table), table, variable)


def as_scaling(formula: sympy.Expr, table: SymbolTable, variable: str) -> tuple[sympy.Expr, bool]:
    """`formula` as a formula in `variable`, and whether it was a factor alone (a formula without it: "2" is 2 r).

    The one rule by which a student's answer, the reference, the accepted forms and
    the known mistakes of a scaling part are all read.
    """
    symbol = table.symbol(variable)
    return (formula, False) if symbol in formula.free_symbols else (formula * symbol, True)


def check_scaling(
    part: Part, problem: Problem, answer: Answer, expected: str | sympy.Expr, variable: str | None = None
) -> Verdict:
    """A quantity after a change, as a formula in its value `variable` before, or as the factor alone.

    "2 r", "r + r", "2", "x2", "a factor of 2" and the part's `options.words`
    ("doubles") all read as 2 r; a formula without `variable` is a factor.
    `variable` defaults to the part's `options.scaling`, as the format check reads
    it. The generic diagnosis is left out: on a multiple of one symbol it would
    reveal the factor.
    """
    variable = part.options_as(ExpressionOptions).scaling if variable is None else variable
    if variable is None:
        raise ValueError(f"{part.id}: a scaling needs the variable it is written in (options.scaling)")
    table = symbol_table(problem, part)

    def read(value: str | sympy.Expr) -> sympy.Expr:
        formula = value if isinstance(value, sympy.Expr) else parse_expression(str(value), table)
        return as_scaling(formula, table, variable)[0]

    reference = read(expected)
    key = describe(reference)
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    try:
        student, factor_only = read_scaling(part, table, answer.value, variable)
    except TypeError:
        return Verdict.invalid(
            f"{answer.name} should be a formula in {variable} or a factor (a string such as \"3 {variable}\" or \"x3\"); "
            f"got a value of type {type(answer.value).__name__}.",
            key=key,
        )
    except ExpressionError as error:
        return Verdict.invalid(f"{answer.name} = {str(answer_text(answer.value))[:200]!r} could not be read: {error}", key=key)
    read_as = f"Read as: {describe(student)}" + (f" (a factor alone is read as a multiple of {variable})" if factor_only else "") + "."
    accepted = [read(text) for text in _accepted(part)]
    scaled = [
        Mistake(answer=describe(read(str(m.answer))), message=m.message, hint=m.hint, credit=m.credit)
        for m in part.mistakes
        if isinstance(m.answer, str)
    ]
    fraction, said = judge_formula(part, table, student, reference, accepted=accepted, mistakes=scaled, generic=False)
    if fraction >= 1:
        return Verdict.correct(f"Correct. {read_as}", key=key)
    return Verdict.mistaken([read_as, *said], key=key, fraction=fraction)


# ----------------------------------------------------------------------------- tuples of formulas

_SEPARATORS = re.compile(r"\\times|×|,|\s[xX]\s|;")


def split_items(text: str) -> list[str]:
    """Split "(a, b, c)", "a x b x c" or "a × b × c" at the top level (not inside brackets)."""
    text = text.strip()
    if len(text) >= 2 and text[0] in "([" and text[-1] in ")]" and _balanced(text[1:-1]):
        text = text[1:-1]
    items, depth, start = [], 0, 0
    position = 0
    while position < len(text):
        char = text[position]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            match = _SEPARATORS.match(text, position)
            if match:
                items.append(text[start:position])
                start = position = match.end()
                continue
        position += 1
    items.append(text[start:])
    return [item.strip() for item in items]


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if depth < 0:
            return False
    return depth == 0


def read_items(answer: Answer, count: int) -> list[Any] | Verdict:
    """The components of a tuple answer: a list/tuple of formulas, or one string with separators."""
    if not answer.given:
        return missing_verdict(answer)
    value = answer.value
    if isinstance(value, (str, ExprText)):
        items: list[Any] = split_items(str(value))
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        return Verdict.invalid(f"{answer.name} should be a tuple of {count} formulas; got a value of type {type(value).__name__}.")
    if len(items) != count:
        return Verdict.invalid(f"{answer.name} was read as {len(items)} component(s); it should have {count}.")
    return items


def item_mistakes(part: Part, label: str) -> list[Mistake]:
    """Known mistakes of one component: `answer = {item = "<label>", value = "<formula>"}` in the part's data."""
    found = []
    for mistake in part.mistakes:
        if isinstance(mistake.answer, dict) and mistake.answer.get("item") == label:
            found.append(Mistake(answer=str(mistake.answer["value"]), message=mistake.message, hint=mistake.hint, credit=mistake.credit))
    return found


def check_formula_tuple(
    part: Part, problem: Problem, answer: Answer, expected: Sequence[str | sympy.Expr], labels: Sequence[str]
) -> Verdict:
    """Per-component grading of a tuple of formulas; each component is worth an equal share."""
    table = symbol_table(problem, part)
    references = [e if isinstance(e, sympy.Expr) else parse_expression(str(e), table) for e in expected]
    key = "(" + ", ".join(describe(r) for r in references) + ")"
    items = read_items(answer, len(references))
    if isinstance(items, Verdict):
        return items.with_key(key)
    given = given_values(part, table)
    total, right, lines, read = 0.0, 0, [], []
    for label, item, reference in zip(labels, items, references):
        text = answer_text(item)
        if text is None:
            lines.append([f"{label}: not a formula (a value of type {type(item).__name__})."])
            read.append("?")
            continue
        try:
            student = parse_expression(text, table)
        except NotFinite as error:
            return Verdict.invalid(f"{answer.name}: the {label} {text[:100]!r} could not be used: {error}.", key=key)
        except ExpressionError as error:
            lines.append([f"{label}: {text[:100]!r} could not be read: {error}"])
            read.append("?")
            continue
        read.append(describe(student))
        fraction, said = judge_formula(part, table, student, reference, mistakes=item_mistakes(part, label), given=given)
        total += fraction
        right += fraction >= 1
        lines.append([f"{label}:", *said])
    fraction = total / len(references)
    header = f"Read as: ({', '.join(read)})."
    if fraction >= 1:
        return Verdict.correct(f"Correct. {header}", key=key)
    return Verdict.mistaken([f"{header} {right} of {len(references)} components are right."], key=key, fraction=fraction, details=lines)


# ----------------------------------------------------------------------------- growth rates

_ORDER_WRAPPER = re.compile(r"^\s*(?:O|\\mathcal\{O\}|\\Theta|Theta|Θ|Omega|\\Omega)\s*\((.*)\)\s*$", re.DOTALL)
_PROBE_SIZES = (10**6, 10**9, 10**12)


@dataclass(frozen=True)
class Growth:
    """The order of a formula in one variable, measured at very large values of it."""

    exponent: float  # log-log slope between the two largest probe sizes
    steady: bool  # f(N) / N^exponent is the same at the probe sizes (a power law)


def measure_growth(expr: sympy.Expr, variable: sympy.Symbol, others: Mapping[sympy.Symbol, sympy.Expr]) -> Growth | None:
    """log-log slope of expr in `variable`, other symbols fixed; None where it is not positive and finite."""
    values = []
    for size in _PROBE_SIZES:
        value = expr.xreplace({**others, variable: sympy.Integer(size)})
        try:
            number = float(sympy.N(value, 30))
        except (TypeError, ValueError):
            return None
        if not math.isfinite(number) or number <= 0:
            return None
        values.append(number)
    slopes = [math.log(values[i + 1] / values[i]) / math.log(_PROBE_SIZES[i + 1] / _PROBE_SIZES[i]) for i in range(2)]
    return Growth(slopes[1], abs(slopes[1] - slopes[0]) < 1e-3)


def growth_text(answer: Answer) -> str | None:
    text = answer_text(answer.value)
    if text is None:
        return None
    return _unwrapped_order(text)


def _unwrapped_order(text: str) -> str:
    """"O(n^2)" -> "n^2": the formula inside an order symbol, or the text itself."""
    match = _ORDER_WRAPPER.match(text)
    return match.group(1) if match else text


def _fixed_values(table: SymbolTable, variable: sympy.Symbol) -> dict[sympy.Symbol, sympy.Expr]:
    """Values for the symbols other than `variable` while its growth is measured."""
    return {s: sympy.Integer(3) if table.spec(str(s)).is_integer else sympy.Rational(3, 2) for s in table.symbols() if s != variable}


def growth_exponent(part: Part, problem: Problem, expected: str, variable: str) -> float:
    """The order in `variable` of a growth rate as the reference writes it ("O(n)" -> 1), to check_growth's precision."""
    table = symbol_table(problem, part)
    symbol = table.symbol(variable)
    growth = measure_growth(parse_expression(_unwrapped_order(str(expected)), table), symbol, _fixed_values(table, symbol))
    if growth is None or not growth.steady:
        raise ValueError(f"{part.id}: the reference {expected!r} does not grow like a power of {variable}")
    return round(growth.exponent, 3)


def check_growth(part: Part, problem: Problem, answer: Answer, variable: str, exponent: float) -> Verdict:
    """A growth rate such as "n", "O(n)" or "(n-k+1) sigma_x sigma_g": right when it grows like variable^exponent."""
    key = f"Theta({variable}^{exponent:g})" if exponent != 1 else f"Theta({variable})"
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    table = symbol_table(problem, part)
    text = growth_text(answer)
    words = _words(part)
    if text is not None and text.strip().lower() in words:
        text = words[text.strip().lower()]
    if text is None:
        return Verdict.invalid(f"{answer.name} should be a formula in {variable} such as \"O({variable}^2)\"; got a value of type {type(answer.value).__name__}.", key=key)
    try:
        student = parse_expression(text, table)
    except ExpressionError as error:
        return Verdict.invalid(f"{answer.name} = {text[:200]!r} could not be read: {error}", key=key)
    symbol = table.symbol(variable)
    others = _fixed_values(table, symbol)
    growth = measure_growth(student, symbol, others)
    read_as = f"Read as: {describe(student)}."
    if growth is None or symbol not in student.free_symbols:
        return Verdict.wrong(f"{read_as} This does not grow with {variable} (it should be a positive quantity that increases with {variable}).", key=key)
    if growth.steady and abs(growth.exponent - exponent) < 1e-3:
        return Verdict.correct(f"Correct. {read_as}", key=key)
    for mistake in part.mistakes:
        candidate = parse_expression(str(mistake.answer), table)
        other = measure_growth(candidate, symbol, others)
        if other is not None and growth.steady == other.steady and abs(growth.exponent - other.exponent) < 1e-3:
            return Verdict.mistaken([read_as, known(mistake)], key=key, fraction=mistake.credit)
    shape = f"like {variable}^{growth.exponent:.3g}" if growth.steady else "not like a power of " + variable
    return Verdict.wrong(f"{read_as} This grows {shape} for large {variable}, which is not the right rate.", key=key)
