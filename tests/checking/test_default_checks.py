"""The default check of each kind grades a part from its data and the reference's value alone."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from autograder.assignment import Mistake, Part, Symbol
from autograder.checking.defaults import JUDGES, has_default, judge_by_default
from tests.checking.test_checking_elements import answer, problem


def data_part(kind: str, **fields: Any) -> Part:
    return Part(id="t.p1a", answer="p1a", kind=kind, points=1, title="test part", file="t", **fields)


def judged(part: Part, value: Any, reference: Any, *symbols: Symbol):
    return judge_by_default(part, problem(part, *symbols), answer(value), SimpleNamespace(p1a=reference))


N = Symbol(name="n")


def test_the_kinds_that_need_no_python_have_a_default() -> None:
    assert set(JUDGES) == {"expression", "number", "choice", "set", "interval", "table", "array"}
    assert not has_default(data_part("function"))


def test_an_expression_is_compared_with_the_reference_formula() -> None:
    part = data_part("expression", symbols=["n"], mistakes=[Mistake(answer="n^2", message="squared", hint="look at powers")])
    assert judged(part, "n (n + 1) / 2", "n^2/2 + n/2", N).passed
    mistaken = judged(part, "n^2", "n^2/2 + n/2", N)
    assert not mistaken.passed and "look at powers" in mistaken.message and mistaken.key == "n^2/2 + n/2"


def test_an_expression_with_labels_is_a_tuple_graded_per_component() -> None:
    part = data_part("expression", symbols=["n"], options={"labels": ["rows", "columns"]})
    verdict = judged(part, ("n", "2"), ("n", "n"), N)
    assert verdict.fraction == pytest.approx(0.5)


def test_a_growth_rate_takes_its_order_from_the_reference() -> None:
    part = data_part("expression", symbols=["n"], options={"growth": "n", "words": {"quadratic": "n^2"}})
    assert judged(part, "quadratic", "O(n^2)", N).passed
    assert not judged(part, "O(n)", "O(n^2)", N).passed
    assert judged(part, "3 n", "O(n)", N).key == "Theta(n)"


def test_a_number_choice_set_and_interval() -> None:
    assert judged(data_part("number"), 2.0, 2).passed
    choice = data_part("choice", choices=["yes", "no"], options={"synonyms": {"no": ["does not"]}})
    assert judged(choice, "Does not", "no").passed and not judged(choice, "yes", "no").passed
    members = judged(data_part("set", options={"what": "roots"}), [1, 0], {-1, 0, 1})
    assert members.fraction == pytest.approx(2 / 3) and "roots" in members.message
    interval = data_part("interval", options={"rtol": 1e-4})
    verdict = judged(interval, (0, 1.732), (0, "sqrt(3)"))
    assert verdict.passed and verdict.key == "(0, sqrt(3))"


def test_a_table_of_choices_keyed_by_numbers() -> None:
    part = data_part(
        "table",
        choices=["stable", "unstable"],
        options={"what": "fixed point", "keys": "numbers", "names_are_answers": True},
    )
    reference = {0: "unstable", 1: "stable", -1: "stable"}
    assert judged(part, {"1": "stable", -1.0: "stable", 0: "unstable"}, reference).passed
    partly = judged(part, {1: "stable", 0: "stable"}, reference)
    assert partly.fraction == pytest.approx(1 / 3) and partly.key == "-1: stable; 0: unstable; 1: stable"


def test_a_table_of_numbers_keyed_by_names() -> None:
    verdict = judged(data_part("table"), {"weights": "3 x 3", "biases": 1}, {"weights": 9, "biases": 3})
    assert verdict.fraction == pytest.approx(0.5)


def test_an_array_with_its_other_shapes_and_its_mistakes_as_data() -> None:
    mistake = Mistake(answer="swapped", message="these are swapped", hint="look at the order")
    options = {"shape": [3], "also_shapes": [[3, 1]], "variants": {"swapped": [0.8, 0.0, 0.0]}}
    part = data_part("array", options=options, mistakes=[mistake])
    assert judged(part, [[0.0], [0.8], [0.0]], np.array([0.0, 0.8, 0.0])).passed
    verdict = judged(part, [0.8, 0.0, 0.0], np.array([0.0, 0.8, 0.0]))
    assert not verdict.passed and "look at the order" in verdict.message
    assert judged(part, [0.0, math.nan, 0.0], np.array([0.0, 0.8, 0.0])).outcome == "invalid"
