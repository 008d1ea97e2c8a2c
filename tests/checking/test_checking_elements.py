"""The per-element checkers: how answers are read, partial credit, named mistakes, and what is never shown."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from autograder.answers import Answer
from autograder.assignment import Mistake, Part, Problem, Symbol
from autograder.checking.array_answers import check_array
from autograder.checking.calls import Case, array_judge, array_matches, run_cases, shapes_label
from autograder.checking.elements import (
    Cell,
    Unreadable,
    check_choice,
    check_interval,
    check_number_set,
    check_table,
    read_number,
    read_shape,
)
from autograder.checking.formulas import check_formula, check_formula_tuple, check_growth, split_items
from autograder.sandbox.wire import ExprText, Opaque


def part(kind: str = "expression", **fields: Any) -> Part:
    if kind == "array":  # the data must state a shape; check_array itself holds answers to the expected array's
        fields["options"] = {"shape": [1], **fields.get("options", {})}
    return Part(id="t.p1a", answer="p1a", kind=kind, points=1, title="test part", file="t", **fields)


def answer(value: Any) -> Answer:
    return Answer("p1a", "t.py", value=value)


def problem(the_part: Part, *symbols: Symbol) -> Problem:
    return Problem(id="t.p1", number=1, title="t", file="t", symbols=list(symbols), parts=[the_part])


D_IN, D_OUT, C = Symbol(name="d_in"), Symbol(name="d_out"), Symbol(name="c", kind="positive_real")


# ----------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    "text, items",
    [
        ("(a, b, c)", ["a", "b", "c"]),
        ("a x b x F", ["a", "b", "F"]),
        ("floor((W-K)/S)+1 × floor((H-K)/S)+1 × C", ["floor((W-K)/S)+1", "floor((H-K)/S)+1", "C"]),
        ("(0, \\sqrt{3})", ["0", "\\sqrt{3}"]),
        ("max(a, b), c", ["max(a, b)", "c"]),
    ],
)
def test_items_split_at_the_top_level_only(text, items):
    assert split_items(text) == items


@pytest.mark.parametrize("written, value", [("sqrt(3)", math.sqrt(3)), ("3x3x1x10+10", 100), ("3 × 3 + 1", 10), ("-1/2", -0.5), (ExprText("7/2"), 3.5), (4, 4)])
def test_numbers_are_read_from_exact_text(written, value):
    assert read_number(written) == pytest.approx(value)


@pytest.mark.parametrize("written", ["__import__('os')", "x + 1", True, None, [1, 2]])
def test_non_numbers_are_refused(written):
    with pytest.raises(Unreadable):
        read_number(written)


def test_shapes_are_read_from_text_or_sequences():
    assert read_shape("14 x 14 x 10") == read_shape([14, 14, 10]) == read_shape("(14, 14, 10)") == (14, 14, 10)
    with pytest.raises(Unreadable):
        read_shape("14.5 x 2")


# ----------------------------------------------------------------------------- formulas


def test_given_symbol_is_substituted_but_its_value_never_shown():
    p = part(symbols=["d_in", "d_out", "c"], options={"given": {"c": "1/sqrt(d_in)"}})
    prob = problem(p, D_IN, D_OUT, C)
    right = check_formula(p, prob, answer("sqrt(d_out)/(c sqrt(d_in))"), "sqrt(d_out)")
    assert right.passed and "sqrt(d_in)" not in right.message.split("(graded")[1]
    wrong = check_formula(p, prob, answer("c"), "sqrt(d_out)")
    assert not wrong.passed and "1/sqrt(d_in)" not in wrong.message and wrong.key == "sqrt(d_out)"


def test_accepted_alternative_form():
    p = part(symbols=["d_in", "d_out"], options={"accept": ["sqrt(d_in)/d_out"]})
    assert check_formula(p, problem(p, D_IN, D_OUT), answer("d_in^(1/2) / d_out"), "1/sqrt(d_out)").passed


def test_tuple_components_earn_shares_and_item_mistakes_their_credit():
    p = part(
        symbols=["d_in", "d_out"],
        mistakes=[Mistake(answer={"item": "rows", "value": "2 d_out"}, message="doubled rows", hint="hint: the rows", credit=0.5)],
    )
    prob = problem(p, D_IN, D_OUT)
    verdict = check_formula_tuple(p, prob, answer(("2 d_out", "d_in")), ["d_out", "d_in"], ["rows", "columns"])
    assert verdict.fraction == pytest.approx(0.75) and "hint: the rows" in verdict.text() and "doubled rows" not in verdict.text()
    assert "doubled rows" in verdict.text(explicit=True)
    assert check_formula_tuple(p, prob, answer("d_out x d_in"), ["d_out", "d_in"], ["rows", "columns"]).passed
    assert check_formula_tuple(p, prob, answer(["d_out"]), ["d_out", "d_in"], ["rows", "columns"]).outcome == "invalid"


def test_growth_is_judged_by_order():
    n = Symbol(name="n")
    p = part(symbols=["n"], mistakes=[Mistake(answer="n^2", message="that is the variance", hint="hint: which quantity")])
    prob = problem(p, n)
    assert check_growth(p, prob, answer("O(n)"), "n", 1).passed
    assert check_growth(p, prob, answer("3 n + 7"), "n", 1).passed
    growth = check_growth(p, prob, answer("Theta(5 n^2)"), "n", 1)
    assert "hint: which quantity" in growth.message and "variance" in growth.text(explicit=True)
    assert not check_growth(p, prob, answer("n log(n)"), "n", 1).passed
    assert not check_growth(p, prob, answer("7"), "n", 1).passed


# ----------------------------------------------------------------------------- collections


def test_choice_synonyms_and_booleans():
    p = part("choice", choices=["yes", "no"], options={"synonyms": {"no": ["does not"]}})
    assert check_choice(p, answer(False), "no").passed
    assert check_choice(p, answer("Does-Not"), "no").passed
    assert check_choice(p, answer("perhaps"), "no").outcome == "invalid"


def test_sets_credit_members_and_charge_extras():
    p = part("set")
    assert check_number_set(p, answer(frozenset({0, 1, -1})), [-1, 0, 1], what="roots").passed
    assert check_number_set(p, answer([0, 1]), [-1, 0, 1], what="roots").fraction == pytest.approx(2 / 3)
    assert check_number_set(p, answer([0, 1, 5, 6]), [-1, 0, 1], what="roots").fraction == 0
    verdict = check_number_set(p, answer("{1, 0, -1, -1.0}"), [-1, 0, 1], what="roots")
    assert verdict.passed and "1" in verdict.key


def test_table_cells_with_number_keys_and_cell_mistakes():
    p = part("table", mistakes=[Mistake(answer={"item": "0", "value": 5}, message="five", hint="hint: cell zero", credit=0.5)])
    cells = [Cell("0", 1.0, read=read_number), Cell("1", 2.0, read=read_number)]
    assert check_table(p, answer({0.0: 1, "1": "4/2"}), cells, read_key=read_number).passed
    partial = check_table(p, answer({0: 5, 1: 2}), cells, read_key=read_number)
    assert partial.fraction == pytest.approx(0.75) and "hint: cell zero" in partial.text() and "five" not in partial.text()
    assert "five" in partial.text(explicit=True)
    assert check_table(p, answer([1, 2]), cells).outcome == "invalid"


def test_intervals_credit_each_end():
    p = part("interval", options={"rtol": 1e-4})
    assert check_interval(p, answer((0, "sqrt(3)")), (0.0, math.sqrt(3)), key="k").passed
    assert check_interval(p, answer((0, 1.732)), (0.0, math.sqrt(3)), key="k").passed
    assert check_interval(p, answer((0, 2)), (0.0, math.sqrt(3)), key="k").fraction == 0.5
    assert check_interval(p, answer((3, 2)), (0.0, math.sqrt(3)), key="k").outcome == "invalid"


# ----------------------------------------------------------------------------- arrays and functions


def test_arrays_accept_listed_shapes_and_name_mistakes_without_revealing():
    p = part("array", mistakes=[Mistake(answer="negated", message="sign flipped", hint="hint: signs")])
    expected = np.array([1.0, 2.0, 3.0])
    assert check_array(p, answer([[1], [2], [3]]), expected, also_shapes=[(3, 1)]).passed
    assert check_array(p, answer([[1], [2], [3]]), expected).outcome == "invalid"  # another shape: not usable
    named = check_array(p, answer([-1, -2, -3]), expected, variants={"negated": -expected})
    assert "hint: signs" in named.message and "sign flipped" in named.text(explicit=True) and named.key not in named.text(explicit=True)


@dataclass
class Outcome:
    ok: bool
    value: Any
    error: str = ""
    kind: str = "ok"


class FakeSubmission:
    """Calls a local function as if it ran in the child: only its outputs are used."""

    def __init__(self, function):
        self.function, self.calls = function, 0

    def call(self, name, args, **_):
        self.calls += 1
        try:
            return Outcome(True, self.function(*args))
        except TimeoutError:
            return Outcome(False, None, "timed out", "timeout")
        except Exception as error:  # noqa: BLE001 - the student's error, reported as such
            return Outcome(False, None, str(error), "error")


def cases() -> list[Case]:
    found = []
    for size in (2, 3):
        x = np.arange(size, dtype=float)
        found.append(Case((x,), 2 * x, f"x of {shapes_label(x)}", {"tripled": 3 * x}))
    return found


def test_function_cases_name_a_mistake_only_when_every_failure_matches():
    p = part("function", mistakes=[Mistake(answer="tripled", message="times three", hint="hint: scale", credit=0.25)])
    fn = answer(Opaque("function", "p1a"))
    judge, matches = array_judge(), array_matches()
    assert run_cases(p, fn, FakeSubmission(lambda x: 2 * x), cases(), what="f", judge=judge, matches=matches).passed
    tripled = run_cases(p, fn, FakeSubmission(lambda x: 3 * x), cases(), what="f", judge=judge, matches=matches)
    # The student reads the neutral hint; the exact name is kept for the answer key and the staff.
    assert tripled.fraction == 0.25 and "hint: scale" in tripled.message and "times three" not in tripled.message
    assert "times three" in tripled.text(explicit=True) and [d.message for d in tripled.detected] == ["times three"]
    mixed = run_cases(p, fn, FakeSubmission(lambda x: 3 * x if len(x) == 2 else x), cases(), what="f", judge=judge, matches=matches)
    assert mixed.fraction == 0 and "hint: scale" not in mixed.message and not mixed.detected
    assert run_cases(p, fn, FakeSubmission(lambda x: None), cases(), what="f", judge=judge).outcome == "missing"


def test_function_cases_stop_after_a_timeout():
    def hang(x):
        raise TimeoutError

    submission = FakeSubmission(hang)
    verdict = run_cases(part("function"), answer(Opaque("function", "p1a")), submission, cases(), what="f", judge=array_judge())
    assert submission.calls == 1 and "timed out" in verdict.message
