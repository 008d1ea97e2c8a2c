"""Relations between symbols (k <= n): reading them, sampling inside them, and verdicts that respect them."""

from __future__ import annotations

import random

import pytest
import sympy

from autograder.symbolic import (
    ExpressionError,
    SymbolSpec,
    SymbolTable,
    compare,
    diagnose,
    parse_expression,
    parse_relation,
    with_relations,
)

PLAIN = SymbolTable([SymbolSpec("n"), SymbolSpec("k"), SymbolSpec("sigma", kind="positive_real")])
FITTING = with_relations(PLAIN, ["k <= n"])
CONV = with_relations(
    SymbolTable([SymbolSpec("W"), SymbolSpec("K", high=9), SymbolSpec("P", kind="nonnegative_integer", high=4)]),
    ["K <= W + 2*P"],
)


def read(text: str, table: SymbolTable = FITTING) -> sympy.Expr:
    return parse_expression(text, table)


def test_parse_relation_reads_comparisons_and_chains() -> None:
    n, k = PLAIN.symbol("n"), PLAIN.symbol("k")
    assert parse_relation("k <= n", PLAIN) == [sympy.Le(k, n)]
    assert parse_relation("k < n", PLAIN) == [sympy.Lt(k, n)]
    assert parse_relation("n ≥ k", PLAIN) == [sympy.Ge(n, k)]
    assert parse_relation("2 <= k <= n - 1", PLAIN) == [sympy.Le(2, k), sympy.Le(k, n - 1)]


@pytest.mark.parametrize("text", ["k", "k <= m", "k <= ", "1 <= 2", "k = n"])
def test_parse_relation_rejects_what_is_not_a_relation_of_declared_symbols(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_relation(text, PLAIN)


def test_a_table_refuses_relations_over_undeclared_symbols() -> None:
    with pytest.raises(ValueError):
        SymbolTable([SymbolSpec("n")], [sympy.Le(sympy.Symbol("k", integer=True, positive=True), sympy.Symbol("n"))])


@pytest.mark.parametrize("large", [[], ["n"], ["k"], ["sigma"]])
@pytest.mark.parametrize("small", [False, True])
def test_every_sampled_point_satisfies_the_relations(large: list[str], small: bool) -> None:
    rng = random.Random(3)
    n, k = FITTING.symbol("n"), FITTING.symbol("k")
    points = [FITTING.sample_point(rng, large=large, small=small) for _ in range(200)]
    assert all(point[k] <= point[n] for point in points)
    spread = len({(point[k], point[n]) for point in points})
    assert spread >= (15 if small else 100)  # small: every pair k <= n of 1..5; otherwise spread wide
    if large == ["k"]:
        assert max(point[k] for point in points) >= 16 * 64  # k still visits large values, with n above it


def test_sampling_with_relations_is_deterministic_for_a_seed() -> None:
    first = [FITTING.sample_point(random.Random(5), large=["k"]) for _ in range(5)]
    second = [FITTING.sample_point(random.Random(5), large=["k"]) for _ in range(5)]
    assert first == second


def test_an_empty_domain_is_a_data_error() -> None:
    impossible = with_relations(SymbolTable([SymbolSpec("n", high=3), SymbolSpec("k", low=5, high=9)]), ["k <= n"])
    with pytest.raises(ValueError):
        impossible.sample_point(random.Random(0))


def test_formulas_equal_only_inside_the_relations_are_equivalent() -> None:
    clipped, exact = "Max(n - k + 1, 0)^2 sigma^2", "(n - k + 1)^2 sigma^2"
    assert compare(read(clipped), read(exact), FITTING).equivalent
    assert not compare(read(clipped, PLAIN), read(exact, PLAIN), PLAIN).equivalent


@pytest.mark.parametrize("seed", range(12))
def test_counterexamples_lie_inside_the_relations(seed: int) -> None:
    verdict = compare(read("(n - k)^2 sigma^2"), read("(n - k + 1)^2 sigma^2"), FITTING, seed=seed)
    assert not verdict.equivalent and verdict.counterexample is not None
    assert int(verdict.counterexample["k"]) <= int(verdict.counterexample["n"])


@pytest.mark.parametrize("seed", range(6))
def test_counterexamples_of_a_padded_layer_let_the_filter_fit(seed: int) -> None:
    verdict = compare(read("W - K + P + 1", CONV), read("W - K + 2 P + 1", CONV), CONV, seed=seed)
    assert not verdict.equivalent and verdict.counterexample is not None
    point = {name: int(value) for name, value in verdict.counterexample.items()}
    assert point["K"] <= point["W"] + 2 * point["P"]


@pytest.mark.parametrize(("student", "reference"), [("3", "2"), ("-2", "2"), ("4", "2"), ("1", "0"), ("1/2", "1")])
def test_diagnose_says_nothing_when_the_reference_is_a_number(student: str, reference: str) -> None:
    assert diagnose(read(student), read(reference), FITTING, swaps=[("n", "k")]) is None


def test_diagnose_still_names_mistakes_of_formulas_with_symbols() -> None:
    found = diagnose(read("-(n - k + 1)^2"), read("(n - k + 1)^2"), FITTING)
    assert found is not None and found.name == "sign"
