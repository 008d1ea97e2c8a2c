"""Right values in any reasonable Python form are numbers; NaN, infinities and wrong shapes are no usable answer.

Exact number types (Fraction, Decimal, sympy numbers, numpy scalars and object
arrays of them) are converted in the child by the wire encoder, so the trusted
side reads plain numbers, exact text or float arrays only; the readers then take
them wherever a number or an array of numbers is expected.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy

from autograder.assignment import Mistake
from autograder.checking.array_answers import check_array
from autograder.checking.arrays import HAND_RTOL, to_array
from autograder.checking.elements import (
    Cell,
    NonFinite,
    check_interval,
    check_number_set,
    check_table,
    read_number,
)
from autograder.checking.formula_answers import read_expression
from autograder.checking.formulas import check_formula, check_formula_tuple
from autograder.checking.verdict import Verdict
from autograder.symbolic import NotFinite, SymbolSpec, SymbolTable, parse_expression
from autograder.sandbox.wire import EncodingFailure, ExprText, decode, encode
from tests.checking.test_checking_elements import D_IN, D_OUT, answer, part, problem


def crossed(value: Any) -> Any:
    """The value as the trusted side receives it: encoded in the child, decoded from plain data."""
    node = encode(value)
    assert node["t"] not in ("unsupported",), node
    return decode(node)


# ----------------------------------------------------------------------------- exact number types cross as plain data


@pytest.mark.parametrize(
    "value",
    [
        Fraction(127, 64),
        Decimal("1.984375"),
        sympy.Rational(127, 64),
        sympy.Float(1.984375),
        np.float64(1.984375),
        np.float32(1.984375),
    ],
    ids=lambda v: type(v).__name__,
)
def test_a_number_in_any_exact_or_numpy_type_is_a_number(value: Any) -> None:
    received = crossed(value)
    assert type(received) in (int, float, ExprText)  # plain data: never the student's object
    assert read_number(received) == pytest.approx(127 / 64, rel=1e-12)
    assert to_array(received).shape == () and float(to_array(received)) == pytest.approx(127 / 64, rel=1e-12)


@pytest.mark.parametrize(
    "value",
    [
        np.array([Fraction(1, 2), Fraction(-3, 4)]),
        np.array([Decimal("0.5"), Decimal("-0.75")]),
        np.array([sympy.Rational(1, 2), sympy.Rational(-3, 4)]),
        [Fraction(1, 2), Decimal("-0.75")],
        [sympy.Rational(1, 2), sympy.Float(-0.75)],
        sympy.Matrix([[sympy.Rational(1, 2), sympy.Rational(-3, 4)]]),
        [np.int64(1) / 2, np.float32(-0.75)],
    ],
    ids=["object-array-fractions", "object-array-decimals", "object-array-sympy", "list-mixed", "list-sympy", "sympy-matrix", "numpy-scalars"],
)
def test_an_array_of_exact_numbers_is_an_array_of_numbers(value: Any) -> None:
    array = to_array(crossed(value))
    assert np.allclose(array.ravel(), [0.5, -0.75], rtol=0, atol=1e-15)


def test_an_object_array_of_non_numbers_is_refused_in_the_child() -> None:
    received = crossed(np.array([sympy.Symbol("x"), 1], dtype=object))
    assert isinstance(received, EncodingFailure) and "not numbers" in received.message


def test_exact_text_from_sympy_is_read_by_the_safe_parser() -> None:
    array = to_array(crossed(sympy.Matrix([[sympy.sqrt(3) / 2, 1]])))
    assert array.shape == (1, 2) and array.ravel().tolist() == pytest.approx([math.sqrt(3) / 2, 1.0])


def test_exact_types_are_numbers_in_sets_tables_intervals_and_formulas() -> None:
    assert check_number_set(part("set"), answer(crossed({Fraction(-1), Decimal(0), sympy.Integer(1)})), [-1, 0, 1], what="roots").passed
    cells = [Cell("a", 100.0, read=read_number)]
    assert check_table(part("table"), answer(crossed({"a": np.int64(100)})), cells).passed
    assert check_table(part("table"), answer(crossed({"a": Fraction(200, 2)})), cells).passed
    interval = crossed((Fraction(0), Decimal("1.7320508")))
    assert check_interval(part("interval", options={"rtol": 1e-4}), answer(interval), (0.0, math.sqrt(3)), key="k").passed
    p = part(symbols=["d_in"])
    assert check_formula(p, problem(p, D_IN), answer(crossed(Fraction(2))), "2").passed
    assert check_formula(p, problem(p, D_IN), answer(crossed(Decimal("2"))), "2").passed


# ----------------------------------------------------------------------------- hand-computed values, rounded


EXACT = np.array([0.0, 127 / 64, 127 / 128, 127 / 1024, 127 / 4096])


@pytest.mark.parametrize("digits", [4, 5, 6])
def test_values_rounded_to_four_or_more_significant_digits_are_right(digits: int) -> None:
    rounded = [float(f"{v:.{digits}g}") for v in EXACT]
    assert check_array(part("array"), answer(rounded), EXACT).passed


def test_the_answer_keys_six_digit_values_are_right() -> None:
    assert check_array(part("array"), answer([0, 1.98438, 0.992188, 0.124023, 0.0310059]), EXACT).passed


def test_three_significant_digits_are_not_enough() -> None:
    rounded = [float(f"{v:.3g}") for v in EXACT]
    assert not check_array(part("array"), answer(rounded), EXACT).passed


def test_the_hand_tolerance_covers_the_worst_rounding_to_four_digits() -> None:
    worst = 1.0005  # rounds to 1.000 or 1.001: half a unit in the 4th digit
    assert np.isclose(1.000, worst, rtol=HAND_RTOL, atol=0) and np.isclose(1.001, worst, rtol=HAND_RTOL, atol=0)


def test_a_rounded_known_mistake_is_still_named_and_a_rounded_sign_error_still_found() -> None:
    negated = Mistake(answer="negated", message="exact: the sign is flipped", hint="hint: the sign convention")
    p = part("array", mistakes=[negated])
    flipped = [float(f"{-v:.4g}") for v in EXACT]
    named = check_array(p, answer(flipped), EXACT, variants={"negated": -EXACT})
    assert named.fraction == 0 and [d.message for d in named.detected] == ["exact: the sign is flipped"]
    generic = check_array(part("array"), answer(flipped), EXACT)
    assert [d.name for d in generic.detected] == ["sign"]


# ----------------------------------------------------------------------------- NaN and infinities: not a usable answer


@pytest.mark.parametrize("text", ["oo", "-oo", "inf", "infinity", "nan", "NaN", "2 d_in + oo", "\u221e"])
def test_a_formula_read_as_an_infinity_or_nan_is_invalid(text: str) -> None:
    table = SymbolTable([SymbolSpec(name="d_in")])
    with pytest.raises(NotFinite):
        parse_expression(text, table)
    p = part(symbols=["d_in"])
    verdict = check_formula(p, problem(p, D_IN), answer(text), "2 d_in")
    assert verdict.outcome == "invalid" and verdict.fraction == 0 and "not a usable answer" in verdict.message


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), ExprText("oo"), ExprText("nan")])
def test_a_non_finite_number_is_invalid_wherever_a_formula_is_read(value: Any) -> None:
    table = SymbolTable([SymbolSpec(name="d_in")])
    assert isinstance(read_expression(answer(value), table), Verdict)
    with pytest.raises(NonFinite):
        read_number(value)


@pytest.mark.parametrize(
    "members", [{float("nan"), 0, 1}, [float("nan"), -1, 0, 1], "{nan, 0, 1}", (float("inf"), -1, 0, 1), {ExprText("oo"), 0}]
)
def test_a_set_with_nan_or_infinity_earns_nothing(members: Any) -> None:
    verdict = check_number_set(part("set"), answer(members), [-1, 0, 1], what="fixed points")
    assert verdict.outcome == "invalid" and verdict.fraction == 0


@pytest.mark.parametrize("pair", [(0, float("nan")), (0, float("inf")), (float("-inf"), 1.7320508), "(0, oo)", "(nan, sqrt(3))"])
def test_an_interval_with_a_nan_or_infinite_end_earns_nothing(pair: Any) -> None:
    verdict = check_interval(part("interval", options={"rtol": 1e-4}), answer(pair), (0.0, math.sqrt(3)), key="k")
    assert verdict.outcome == "invalid" and verdict.fraction == 0 and "not a usable answer" in verdict.message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_an_array_with_nan_or_infinity_is_invalid(bad: float) -> None:
    verdict = check_array(part("array"), answer([1.0, bad, 3.0]), np.array([1.0, 2.0, 3.0]))
    assert verdict.outcome == "invalid" and verdict.fraction == 0 and "NaN or infinite" in verdict.message


def test_a_table_with_a_nan_cell_earns_nothing_for_its_right_cells() -> None:
    cells = [Cell("a", 1.0, read=read_number), Cell("b", 2.0, read=read_number)]
    verdict = check_table(part("table"), answer({"a": 1, "b": float("nan")}), cells)
    assert verdict.outcome == "invalid" and verdict.fraction == 0 and "b" in verdict.message


def test_a_tuple_with_an_infinite_component_earns_nothing_for_its_right_ones() -> None:
    p = part(symbols=["d_in", "d_out"])
    verdict = check_formula_tuple(p, problem(p, D_IN, D_OUT), answer(("d_out", "oo")), ["d_out", "d_in"], ["rows", "columns"])
    assert verdict.outcome == "invalid" and verdict.fraction == 0 and "columns" in verdict.message


# ----------------------------------------------------------------------------- wrong shapes: not a usable answer


def test_an_array_of_another_shape_is_invalid_and_says_what_the_part_asks_for() -> None:
    p = part("array", options={"format": "a 3 x 3 array"})
    verdict = check_array(p, answer([[1, 2, 3], [4, 5, 6]]), np.arange(9.0).reshape(3, 3))
    assert verdict.outcome == "invalid" and verdict.fraction == 0
    assert "(2, 3)" in verdict.message and "a 3 x 3 array" in verdict.message


@pytest.mark.parametrize(
    ("part_id", "value", "usable"),
    [
        ("hw4.p3c", np.full(9, -40.0), False),  # a 3 x 3 array written flat: which entry goes where is a guess
        ("hw4.p3c", np.full((3, 3), -40.0), True),
        ("hw4.p3c", np.full((3, 3, 1), -40.0), False),
        ("hw4.p3a_values", np.zeros((19, 1)), True),  # a column of the 19 values
        ("hw4.p4f_g3", np.zeros((1, 3)), True),
        ("hw4.p4f_g3", np.array([0.0, np.nan, 0.0]), False),
    ],
)
def test_the_format_check_and_the_grader_agree_on_shapes_and_finiteness(part_id: str, value: np.ndarray, usable: bool) -> None:
    """`autograder check --format-only` (the kit) and results.json call the same arrays not usable."""
    from autograder.assignment import load_assignment
    from autograder.formatcheck import check_part
    from autograder.checking.defaults import judge_by_default
    from autograder.engine import load_reference
    from problems.hw4.p3_convolution_fir import check_p3

    assignment = load_assignment("hw4")
    the_part = assignment.part(part_id)
    status, _ = check_part(the_part, assignment.problem_of(the_part), answer(value))
    graders = {
        "hw4.p3c": check_p3.check_p3c,
        "hw4.p3a_values": check_p3.check_p3a_values,
        "hw4.p4f_g3": lambda p, a: judge_by_default(p, assignment.problem_of(p), a, load_reference(assignment)),
    }
    verdict = graders[part_id](the_part, answer(value))
    assert (status != "invalid") is usable
    assert (verdict.outcome != "invalid") is usable
