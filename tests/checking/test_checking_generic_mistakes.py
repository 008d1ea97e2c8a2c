"""Generic mistakes of arrays and function outputs, coarse error sizes, and answers given as a scaling."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from autograder.assignment import Mistake, Symbol
from autograder.checking.array_answers import check_array
from autograder.checking.arrays import _MISTAKE_HINT, array_mistake, compare_arrays, error_size
from autograder.checking.calls import Case, array_judge, run_cases
from autograder.checking.formulas import check_scaling, scaling_text
from autograder.sandbox.wire import Opaque
from tests.checking.test_checking_elements import FakeSubmission, answer, part, problem

SQUARE = np.array([[1.0, 2.0], [3.0, 4.0]])
SIGN_HINT, FACTOR_HINT, LAYOUT_HINT = _MISTAKE_HINT["sign"], _MISTAKE_HINT["factor"], _MISTAKE_HINT["transposed"]


# ----------------------------------------------------------------------------- how far off, coarsely


@pytest.mark.parametrize(
    ("given", "words"),
    [
        (np.zeros((3, 3)), "more than 50 %"),
        (np.full((3, 3), 1e6), "more than 50 %"),
        (np.full((3, 3), -40.0 * 1.005), "at most 1 %"),
        (np.full((3, 3), -40.0 * 1.05), "at most 10 %"),
        (np.full((3, 3), -40.0 * 1.3), "at most 50 %"),
    ],
)
def test_the_error_is_said_relative_to_the_expected_size(given: np.ndarray, words: str) -> None:
    expected = np.full((3, 3), -40.0)
    message = compare_arrays(given, expected, what="p3c").message
    assert words in message and "9 of 9 entries" in message
    assert "40" not in message  # neither the expected entries nor the absolute difference


def test_an_all_zero_reference_gives_no_size_away() -> None:
    assert "more than 50 %" in error_size(np.array([0.5, 0.0]), np.zeros(2))


# ----------------------------------------------------------------------------- generic array mistakes


@pytest.mark.parametrize(
    ("given", "expected", "kind"),
    [
        (SQUARE.T, SQUARE, "transposed"),
        (-SQUARE, SQUARE, "sign"),
        (2.5 * SQUARE, SQUARE, "factor"),
        (np.array([0.0, -1.0, -2.0]), np.array([0.0, 1.0, 2.0]), "sign"),
        (SQUARE + 1, SQUARE, None),
        (np.eye(2) * 3, np.eye(2) * 2, None),  # symmetric and a single distinct nonzero value
        (np.full((3, 3), 40.0), np.full((3, 3), -40.0), None),  # a constant array: any multiple reveals it
        (np.array([0.0, 0.4, 0.0]), np.array([0.0, 0.8, 0.0]), None),  # one nonzero entry: the same
        (np.zeros((2, 2)), SQUARE, None),  # all zeros is not "a factor of 0"
        (np.ones((2, 3)), SQUARE, None),  # another shape
        (SQUARE, SQUARE, None),
    ],
)
def test_array_mistake_names_only_whole_array_mistakes(given: np.ndarray, expected: np.ndarray, kind: str | None) -> None:
    assert array_mistake(given, expected) == kind


def test_check_array_adds_a_generic_mistake_after_the_named_ones() -> None:
    p = part("array", mistakes=[Mistake(answer="negated", message="named: sign flipped", hint="named hint: look at signs")])
    expected = np.array([1.0, 2.0, 3.0])
    named = check_array(p, answer([-1, -2, -3]), expected, variants={"negated": -expected})
    assert "named hint: look at signs" in named.message and "named: sign flipped" in named.text(explicit=True)
    assert "sign flipped" not in named.text() and SIGN_HINT not in named.text()
    generic = check_array(p, answer([-1, -2, -3]), expected)
    assert SIGN_HINT in generic.message and "opposite sign" not in generic.text() and generic.fraction == 0
    assert "opposite sign" in generic.text(explicit=True) and [d.name for d in generic.detected] == ["sign"]
    scaled = check_array(p, answer([[2, 4], [6, 8]]), SQUARE)
    hint = scaled.text(explicit=True).split(").", 1)[1]
    assert "constant factor" in hint and not re.search(r"\d", hint)  # the factor itself is never shown
    transposed = check_array(p, answer(SQUARE.T.tolist()), SQUARE)
    assert "transpose" in transposed.text(explicit=True) and "transpose" not in transposed.text()
    assert "transpose" not in check_array(p, answer([[1, 2], [3, 5]]), SQUARE).message


# ----------------------------------------------------------------------------- generic mistakes of function outputs


def outputs_cases() -> list[Case]:
    rng = np.random.default_rng(0)
    return [Case((m,), m @ np.diag([1.0, 2.0]), f"M of shape {m.shape}") for m in (rng.standard_normal((2, 2)) for _ in range(3))]


def run(function: Any, cases: list[Case]) -> str:
    verdict = run_cases(part("function"), answer(Opaque("function", "p1a")), FakeSubmission(function), cases, what="f(M)", judge=array_judge())
    assert not verdict.passed
    return verdict.message


def test_function_outputs_that_all_share_a_sign_error_get_its_hint() -> None:
    assert SIGN_HINT in run(lambda m: -(m @ np.diag([1.0, 2.0])), outputs_cases())


def test_function_outputs_that_all_share_a_factor_get_its_hint() -> None:
    assert FACTOR_HINT in run(lambda m: 0.5 * (m @ np.diag([1.0, 2.0])), outputs_cases())


def test_function_outputs_that_are_all_transposed_get_its_hint() -> None:
    message = run(lambda m: (m @ np.diag([1.0, 2.0])).T, outputs_cases())
    assert LAYOUT_HINT in message and "transpose" not in message


def test_scalar_outputs_are_judged_together() -> None:
    cases = [Case((x,), float(x * x + 1), f"x = {x}") for x in (1, 2, 3)]
    assert SIGN_HINT in run(lambda x: -(x * x + 1), cases)
    assert SIGN_HINT not in run(lambda x: -(x * x + 1) if x < 3 else x * x + 1, cases)  # not every output


def test_no_generic_mistake_when_outputs_differ_in_kind_or_a_call_fails() -> None:
    def half_wrong(m: np.ndarray) -> np.ndarray:
        out = m @ np.diag([1.0, 2.0])
        return -out if m[0, 0] > 0 else 2 * out

    message = run(half_wrong, outputs_cases())
    assert SIGN_HINT not in message and FACTOR_HINT not in message

    def failing(m: np.ndarray) -> np.ndarray:
        if m[0, 0] < 0:
            raise ValueError("boom")
        return -(m @ np.diag([1.0, 2.0]))

    assert SIGN_HINT not in run(failing, outputs_cases())
    words = [Case((1,), "diverges", "sigma = 1"), Case((2,), "+1", "sigma = 2")]
    verdict = run_cases(
        part("function"), answer(Opaque("function", "p1a")), FakeSubmission(lambda s: "-1"), words, what="f(s)",
        judge=lambda case, output: None if output == case.expected else "not where it goes",
    )
    assert verdict.fraction == 0 and SIGN_HINT not in verdict.message


def test_matrix_functions_are_diagnosed_over_all_their_outputs() -> None:
    inputs = [np.arange(6.0).reshape(3, 2) + 1, np.arange(4.0).reshape(1, 4) - 1.5]
    cases = [Case((w,), 2 * w, f"W of shape {w.shape}") for w in inputs]
    assert SIGN_HINT in run(lambda w: -2 * w, cases)
    message = run(lambda w: -2 * w if w.shape[0] == 3 else 2 * w, cases)  # one input wrong, one right: no shared sign
    assert "1 of 2 test inputs" in message and SIGN_HINT not in message


def test_the_diagnosis_uses_the_tolerances_that_judged_the_answer() -> None:
    expected = np.array([1.0, 2.0, 3.0])
    almost_negated = -expected * (1 + 1e-3)  # the sign flipped, within 1 % but not within the default 1e-6
    loose, strict = {"rtol": 1e-2, "atol": 1e-8}, {}
    p = part("array")
    strict = {"rtol": 1e-6, "atol": 1e-8}
    assert SIGN_HINT in check_array(p, answer(almost_negated.tolist()), expected, **loose).message
    assert SIGN_HINT not in check_array(p, answer(almost_negated.tolist()), expected, **strict).message
    cases = [Case((x,), x * expected, f"x = {x}") for x in (1.0, 2.0)]

    def judged(**tolerances: float) -> str:
        verdict = run_cases(
            part("function"), answer(Opaque("function", "p1a")), FakeSubmission(lambda x: x * almost_negated), cases,
            what="f(x)", judge=array_judge(**tolerances),
        )
        assert verdict.fraction == 0
        return verdict.message

    assert SIGN_HINT in judged(**loose)
    assert SIGN_HINT not in judged(**strict)
    # a square output that is transposed only within the judge's tolerance
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    nearly_transposed = square.T * (1 + 1e-3)
    assert "transpose" in check_array(p, answer(nearly_transposed.tolist()), square, **loose).text(explicit=True)
    assert "transpose" not in check_array(p, answer(nearly_transposed.tolist()), square, **strict).text(explicit=True)


# ----------------------------------------------------------------------------- scalings


@pytest.mark.parametrize(
    ("text", "read"),
    [("x2", "2"), ("2x", "2"), ("×2", "2"), ("a factor of 2", "2"), ("by a factor of 2.", "2"), ("2 times", "2"),
     ("doubles", "2"), ("2 r", "2 r"), ("r + 1", "r + 1"), ("2", "2")],
)
def test_scaling_text_strips_the_wording_of_a_factor(text: str, read: str) -> None:
    assert scaling_text(text, {"doubles": "2"}) == read


SCALING = part(
    "expression",
    symbols=["r"],
    options={"scaling": "r", "accept": ["r + 1"], "words": {"doubles": "2"}},
    mistakes=[Mistake(answer="4", message="named: an area", hint="hint: what is measured", credit=0.5)],
)


@pytest.mark.parametrize("value", ["2", 2, 2.0, "x2", "2x", "a factor of 2", "doubles", "2 r", "r + r", "2*R", "r + 1"])
def test_a_scaling_may_be_a_factor_or_a_formula(value: Any) -> None:
    verdict = check_scaling(SCALING, problem(SCALING, Symbol(name="r", aliases=["R"])), answer(value), "2", variable="r")
    assert verdict.passed, verdict.message


@pytest.mark.parametrize(("value", "fraction", "says"), [("4", 0.5, "hint: what is measured"), ("4 r", 0.5, "hint: what is measured"), ("3", 0, "not equivalent"), ("-2", 0, "not equivalent"), ("2 r + 1", 0, "not equivalent")])
def test_a_wrong_scaling_gets_no_generic_diagnosis(value: str, fraction: float, says: str) -> None:
    verdict = check_scaling(SCALING, problem(SCALING, Symbol(name="r", aliases=["R"])), answer(value), "2", variable="r")
    assert verdict.fraction == fraction and says in verdict.message
    assert "sign" not in verdict.message and "factor" not in verdict.message.replace("a factor alone", "")
    assert verdict.key == "2*r" and "2*r" not in verdict.message.split(". ", 1)[1]  # past the echo of the answer


def test_an_unreadable_scaling_is_invalid() -> None:
    verdict = check_scaling(SCALING, problem(SCALING, Symbol(name="r")), answer("twice as big"), "2", variable="r")
    assert verdict.outcome == "invalid"
    assert check_scaling(SCALING, problem(SCALING, Symbol(name="r")), answer([2]), "2", variable="r").outcome == "invalid"


@pytest.mark.parametrize(("value", "status"), [("x2", "ok"), ("doubles", "ok"), ("2 r", "ok"), (2, "ok"), ("2 L", "invalid"), ([2], "invalid")])
def test_the_format_check_reads_a_scaling_as_the_grader_does(value: Any, status: str) -> None:
    from autograder.assignment import load_assignment
    from autograder.formatcheck import check_part

    assignment = load_assignment("hw4")
    p4d = assignment.part("hw4.p4d")
    found, message = check_part(p4d, assignment.problem_of(p4d), answer(value))
    assert found == status, message
