"""Choices, numbers, sets, mappings, tables and intervals: answers graded per element, with partial credit.

A number may be written as a plain number or as exact text the safe parser reads
("sqrt(3)", "-1/2", "3*3*1*10 + 10", "3 x 3 x 10 + 10"); nothing is evaluated
with eval. Words (choices) are compared after folding case, hyphens and
underscores, and through the synonyms the part's data lists in
`options.synonyms` (canonical choice -> other spellings).

Known mistakes of one element of a table (or of one component of a tuple) are
written in the part's data as `answer = {item = "<cell>", value = <wrong value>}`.

NaN or an infinity anywhere in an answer (a member of a set, an end of an
interval, a cell of a table) makes the whole answer unusable: it is invalid and
earns nothing, rather than partial credit for the members that happen to be right.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from autograder.answers import Answer
from autograder.assignment import Mistake, Part
from autograder.checking.formula_answers import missing_verdict
from autograder.checking.formulas import split_items
from autograder.checking.verdict import Detected, Verdict, known, say
from autograder.part_options import IntervalOptions, WordOptions
from autograder.symbolic import ExpressionError, NotFinite, SymbolTable, parse_expression
from autograder.sandbox.wire import ExprText

TOLERANCE = 1e-9
_NO_SYMBOLS = SymbolTable([])
_TIMES = re.compile(r"\\times|×|(?<=[\d)\s])[xX](?=[\s\d(])")


class Unreadable(ValueError):
    """An element cannot be read; the message says how it was read, in the student's terms."""


class NonFinite(Unreadable):
    """An element is NaN or infinite: the whole answer is unusable, not just this element."""


NOT_USABLE = "NaN or an infinity is not a usable answer"


# ----------------------------------------------------------------------------- words


def fold(text: str) -> str:
    """Case, hyphens, underscores and spacing do not matter in a word answer."""
    text = re.sub(r"[-_/]+", " ", str(text).strip().lower())
    return re.sub(r"\s+", " ", text).strip(" .!'\"")


def read_choice(part: Part, value: Any) -> str:
    """The canonical choice a word answer names (bools read as yes/no where those are the choices)."""
    if isinstance(value, bool):
        folded = "yes" if value else "no"
    elif isinstance(value, (str, ExprText)):
        folded = fold(value)
    else:
        raise Unreadable(f"should be one of the listed words, as a string; got a value of type {type(value).__name__}")
    synonyms: Mapping[str, Sequence[str]] = part.options.synonyms if isinstance(part.options, WordOptions) else {}
    for choice in part.choices:
        if folded == fold(choice) or folded in {fold(s) for s in synonyms.get(choice, ())}:
            return choice
    listed = ", ".join(repr(c) for c in part.choices)
    raise Unreadable(f"{str(value)[:60]!r} is not one of the choices ({listed})")


def check_choice(part: Part, answer: Answer, expected: str) -> Verdict:
    key = expected
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    try:
        chosen = read_choice(part, answer.value)
    except Unreadable as error:
        return Verdict.invalid(f"{answer.name} {error}.", key=key)
    if chosen == expected:
        return Verdict.correct(f"Correct. Read as: {chosen!r}.", key=key)
    for mistake in part.mistakes:
        if isinstance(mistake.answer, str) and fold(mistake.answer) == fold(chosen):
            return Verdict.mistaken([f"Read as: {chosen!r}.", known(mistake)], key=key, fraction=mistake.credit)
    return Verdict.wrong(f"Read as: {chosen!r}. This is not the right choice.", key=key)


# ----------------------------------------------------------------------------- numbers


def read_number(value: Any) -> float:
    """A finite real number from a number or from exact text ("sqrt(3)", "3 x 3 + 1"); never evaluates code.

    NaN and infinities raise :class:`NonFinite`: they are no usable answer.
    """
    return _finite(_number(value), value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise Unreadable("True/False is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (str, ExprText)):
        text = _TIMES.sub("*", str(value))
        try:
            expr = parse_expression(text, _NO_SYMBOLS)
        except NotFinite as error:
            raise NonFinite(f"{str(value)[:60]!r} is not a finite number") from None
        except ExpressionError as error:
            raise Unreadable(f"{str(value)[:60]!r} could not be read as a number: {error}") from None
        try:
            return float(sympy.N(expr, 30))
        except (TypeError, ValueError):
            raise Unreadable(f"{str(value)[:60]!r} is not a real number") from None
    if hasattr(value, "shape") and getattr(value, "shape", None) == ():
        return float(value)
    raise Unreadable(f"expected a number, got a value of type {type(value).__name__}")


def _finite(number: float, value: Any) -> float:
    if not math.isfinite(number):
        raise NonFinite(f"{str(value)[:60]!r} is {'NaN' if math.isnan(number) else 'infinite'}")
    return number


def same_number(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=TOLERANCE)


def read_shape(value: Any) -> tuple[int, ...]:
    """An activation shape: (7, 9, 4), [7, 9, 4], "7 x 9 x 4" or "7×9×4"."""
    if isinstance(value, (str, ExprText)):
        pieces = [p for p in re.split(r"\\times|×|[xX*,]", str(value).strip().strip("()[]")) if p.strip()]
    elif isinstance(value, (list, tuple)):
        pieces = list(value)
    elif hasattr(value, "tolist"):
        pieces = list(value.tolist())
    else:
        raise Unreadable(f"expected a shape such as \"a x b x c\", got a value of type {type(value).__name__}")
    numbers = [read_number(p) for p in pieces]
    if not numbers or any(not n.is_integer() or n < 0 for n in numbers):
        raise Unreadable(f"{str(value)[:60]!r} is not a shape of whole numbers")
    return tuple(int(n) for n in numbers)


def describe_number(number: float) -> str:
    number = float(number)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else f"{number:.6g}"


# ----------------------------------------------------------------------------- sets


def read_members(answer: Answer) -> list[float] | Verdict:
    value = answer.value
    if isinstance(value, (frozenset, set, list, tuple)):
        items = list(value)
    elif hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1:
        items = list(value.tolist())
    elif isinstance(value, (str, ExprText)):
        items = [p for p in re.split(r",", str(value).strip().strip("{}()[]")) if p.strip()]
    else:
        return Verdict.invalid(f"{answer.name} should be a set of numbers such as {{1, 2}}; got a value of type {type(value).__name__}.")
    members: list[float] = []
    for item in items:
        try:
            number = read_number(item)
        except NonFinite as error:
            return Verdict.invalid(f"{answer.name}: one element {error}; {NOT_USABLE}, so the set cannot be graded.")
        except Unreadable as error:
            return Verdict.invalid(f"{answer.name}: one element {error}.")
        if not any(same_number(number, m) for m in members):
            members.append(number)
    return members


def check_number_set(part: Part, answer: Answer, expected: Sequence[float], *, what: str) -> Verdict:
    """Per element: each expected member found earns a share; each wrong member cancels one."""
    key = "{" + ", ".join(describe_number(e) for e in sorted(expected)) + "}"
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    members = read_members(answer)
    if isinstance(members, Verdict):
        return members.with_key(key)
    read_as = "Read as: {" + ", ".join(describe_number(m) for m in sorted(members)) + "}."
    found = sum(1 for e in expected if any(same_number(e, m) for m in members))
    extra = len(members) - found
    if found == len(expected) and extra == 0:
        return Verdict.correct(f"Correct. {read_as}", key=key)
    fraction = max(0.0, (found - extra) / len(expected))
    problems = []
    if extra:
        problems.append(f"{extra} of your values {'is' if extra == 1 else 'are'} not among the {what}")
    if found < len(expected):
        problems.append(f"at least one of the {what} is missing")
    text = "; ".join(problems)
    return Verdict.wrong(f"{read_as} {text[0].upper()}{text[1:]}.", key=key, fraction=fraction)


# ----------------------------------------------------------------------------- tables and mappings


@dataclass(frozen=True)
class Cell:
    """One gradable cell: its expected value, how to read the student's entry, how to show a value."""

    name: str
    expected: Any
    read: Callable[[Any], Any]
    show: Callable[[Any], str] = str
    same: Callable[[Any, Any], bool] = lambda a, b: a == b


def cell_mistakes(part: Part, name: str) -> list[Mistake]:
    """The part's known mistakes of cell `name`; each one's wrong value is `answer["value"]`."""
    return [m for m in part.mistakes if isinstance(m.answer, dict) and str(m.answer.get("item")) == name]


def lookup(entries: Mapping[Any, Any], name: str, read_key: Callable[[Any], Any] | None) -> tuple[bool, Any]:
    """The entry for cell `name`: keys compared as written, or after `read_key` (numbers as keys)."""
    if read_key is None:
        folded = fold(name)
        for key, value in entries.items():
            if fold(str(key)) == folded:
                return True, value
        return False, None
    wanted = read_key(name)
    for key, value in entries.items():
        try:
            if read_key(key) == wanted or (isinstance(wanted, float) and same_number(read_key(key), wanted)):
                return True, value
        except Unreadable:
            continue
    return False, None


def check_table(
    part: Part,
    answer: Answer,
    cells: Sequence[Cell],
    *,
    read_key: Callable[[Any], Any] | None = None,
    what: str = "cell",
    names_are_answers: bool = False,
) -> Verdict:
    """A dict of cells, each worth an equal share; a known mistake of a cell earns its credit of that share.

    With `names_are_answers` (the cells are themselves an answer, such as the fixed points
    whose stability is asked), feedback speaks only of the entries the student wrote: a
    missing cell or a stray entry is counted, never named.
    """
    key = "; ".join(f"{c.name}: {c.show(c.expected)}" for c in cells)
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    if not isinstance(answer.value, dict):
        names = ", ".join(repr(c.name) for c in cells)
        return Verdict.invalid(f"{answer.name} should be a dict with the {what}s {names}; got a value of type {type(answer.value).__name__}.", key=key)
    total, right, missing = 0.0, 0, 0
    lines: list[list[str | Detected | None]] = []
    for cell in cells:
        present, raw = lookup(answer.value, cell.name, read_key)
        if not present or raw is None:
            missing += 1
            if not names_are_answers:
                lines.append([f"{cell.name}: no entry."])
            continue
        try:
            value = cell.read(raw)
        except NonFinite as error:
            return Verdict.invalid(f"{answer.name}: the entry for {cell.name} {error}; {NOT_USABLE}, so the table cannot be graded.", key=key)
        except Unreadable as error:
            lines.append([f"{cell.name}: {error}."])
            continue
        shown = cell.show(value)
        if cell.same(value, cell.expected):
            total, right = total + 1, right + 1
            lines.append([f"{cell.name}: read as {shown}: correct."])
            continue
        for mistake in cell_mistakes(part, cell.name):
            if cell.same(value, cell.read(mistake.answer["value"])):
                total += mistake.credit
                lines.append([f"{cell.name}: read as {shown}:", known(mistake)])
                break
        else:
            lines.append([f"{cell.name}: read as {shown}: not right."])
    unknown = [str(k) for k in answer.value if not any(lookup({k: 0}, c.name, read_key)[0] for c in cells)]
    if names_are_answers and missing:
        lines.append([f"At least one {what} has no entry."])
    if unknown:
        ignored = f"{len(unknown)} of your entries" if names_are_answers else ", ".join(unknown[:5])
        lines.append([f"Ignored (not {what}s of this table): {ignored}."])
    if right == len(cells):
        return Verdict("correct", 1.0, f"Correct: all {len(cells)} {what}s are right.", key, details=[say(*line) for line in lines])
    fraction = total / len(cells)
    return Verdict.mistaken([f"{right} of {len(cells)} {what}s are right."], key=key, fraction=fraction, details=lines)


# ----------------------------------------------------------------------------- intervals


def read_pair(value: Any) -> tuple[float, float]:
    if isinstance(value, (str, ExprText)):
        pieces: list[Any] = split_items(str(value))
    elif isinstance(value, (list, tuple)):
        pieces = list(value)
    elif hasattr(value, "tolist"):
        pieces = list(value.tolist())
    else:
        raise Unreadable(f"should be a pair (low, high); got a value of type {type(value).__name__}")
    if len(pieces) != 2:
        raise Unreadable(f"was read as {len(pieces)} value(s); an interval is a pair (low, high)")
    low, high = (read_number(p) for p in pieces)  # NaN or an infinite end: NonFinite, an unusable interval
    if low > high:
        raise Unreadable(f"has its low end {describe_number(low)} above its high end {describe_number(high)}")
    return low, high


def check_interval(part: Part, answer: Answer, expected: tuple[float, float], *, key: str) -> Verdict:
    """An interval (low, high): each end is half the credit; known wrong intervals get their message.

    Ends are compared with the relative tolerance `options.rtol` of the part (default: exact up to
    rounding), so that a course may accept decimals such as 1.732 for sqrt(3).
    """
    rtol = part.options.rtol if isinstance(part.options, IntervalOptions) else TOLERANCE
    if not answer.given:
        return missing_verdict(answer).with_key(key)
    try:
        low, high = read_pair(answer.value)
    except NonFinite as error:
        return Verdict.invalid(f"{answer.name}: one end {error}; {NOT_USABLE}, so the interval cannot be graded.", key=key)
    except Unreadable as error:
        return Verdict.invalid(f"{answer.name} {error}.", key=key)
    read_as = f"Read as: ({describe_number(low)}, {describe_number(high)})."
    ends = [same_number(low, expected[0], rtol), same_number(high, expected[1], rtol)]
    if all(ends):
        return Verdict.correct(f"Correct. {read_as}", key=key)
    for mistake in part.mistakes:
        if isinstance(mistake.answer, list) and len(mistake.answer) == 2:
            wrong = tuple(read_number(v) for v in mistake.answer)
            if same_number(low, wrong[0], rtol) and same_number(high, wrong[1], rtol):
                return Verdict.mistaken([read_as, known(mistake)], key=key, fraction=mistake.credit)
    which = "low end" if not ends[0] and ends[1] else "high end" if ends[0] else "both ends"
    return Verdict.wrong(f"{read_as} The {which} {'is' if which != 'both ends' else 'are'} not right.", key=key, fraction=0.5 * sum(ends))
