"""Equivalence in layers, counterexamples, known-mistake matching and diagnosis."""

from __future__ import annotations

import time

import pytest
import sympy

from autograder.symbolic import (
    Comparison,
    SymbolSpec,
    SymbolTable,
    compare,
    describe,
    diagnose,
    matches_any,
    parse_expression,
)

TABLE = SymbolTable([
    SymbolSpec("c", kind="positive_real"),
    SymbolSpec("d_in"),
    SymbolSpec("d_out"),
    SymbolSpec("W"),
    SymbolSpec("K"),
    SymbolSpec("P", kind="nonnegative_integer"),
    SymbolSpec("S"),
    SymbolSpec("n", kind="integer"),
    SymbolSpec("L"),
    SymbolSpec("x", kind="real"),
])
CONV = "Piecewise((0, n < 0), (2 - 2^(-n), n <= L - 1), (2^(L-n) - 2^(-n), True))"


def read(text: str) -> sympy.Expr:
    return parse_expression(text, TABLE)


def check(student: str, reference: str, **kwargs: object) -> Comparison:
    return compare(read(student), read(reference), TABLE, **kwargs)  # type: ignore[arg-type]


def differ_at(student: str, reference: str, counterexample: dict[str, str]) -> bool:
    """The counterexample really separates the two (checked independently of compare)."""
    point = {TABLE.symbol(name): sympy.Rational(value) for name, value in counterexample.items()}
    left, right = read(student).xreplace(point), read(reference).xreplace(point)
    return bool(sympy.simplify(left - right) != 0)


@pytest.mark.parametrize(
    ("student", "reference"),
    [
        ("2 c d_out^2 d_in", "2*c*d_in*d_out**2"),
        ("(d_in + d_out)^2", "d_in^2 + 2 d_in d_out + d_out^2"),
        ("c d_in (d_out + 1)", "c d_in d_out + c d_in"),
        ("floor((W-K+2P)/S) + 1", "floor((W-K+2P+S)/S)"),
        ("ceiling(W/S)", "floor((W+S-1)/S)"),
        ("1/sqrt(d_in*d_out)", "sqrt(1/(d_in d_out))"),
        ("\\frac{1}{\\sqrt{d_{in}}}", "sqrt(d_in)/d_in"),
        ("sqrt(4 d_in)", "2 sqrt(d_in)"),
        ("sqrt(x^2)", "Abs(x)"),
        ("0.5 c", "c/2"),
        ("Max(d_in, d_out) + Min(d_in, d_out)", "d_in + d_out"),
        ("log(d_in^2)", "2 log(d_in)"),
        (
            CONV,
            "\\begin{cases} 0 & n < 0 \\\\ 2(1-(1/2)^{n+1}) & 0 \\le n \\le L-1 \\\\ "
            "2((1/2)^{n-L+1}-(1/2)^{n+1}) & \\text{otherwise}\\end{cases}",
        ),
        (CONV, "(2 - 2^(-n)) Heaviside(n) - (2 - 2^(L-n)) Heaviside(n - L)"),
    ],
)
def test_equivalent_forms_are_accepted(student: str, reference: str) -> None:
    result = check(student, reference)
    assert result.equivalent, result
    assert result.counterexample is None
    assert result.method in ("structure", "simplify", "random")


def test_layers_report_the_method_that_decided() -> None:
    assert check("2 c d_out^2 d_in", "2*c*d_in*d_out**2").method == "structure"
    assert check("(d_in + d_out)^2", "d_in^2 + 2 d_in d_out + d_out^2").method == "simplify"
    assert check("d_in + 1", "d_in").method == "random"


@pytest.mark.parametrize(
    ("student", "reference"),
    [
        ("2 c d_in^2 d_out", "2 c d_out^2 d_in"),
        ("(W-K+2P)/S + 1", "floor((W-K+2P)/S) + 1"),
        ("floor((W-K+P)/S) + 1", "floor((W-K+2P)/S) + 1"),
        ("floor((W-K+2P)/S)", "floor((W-K+2P)/S) + 1"),
        ("1/sqrt(d_in)", "1/sqrt(d_in d_out)"),
        ("Min(d_in, 64)", "d_in"),  # agrees on the usual range; only d_in >> 64 separates them
        ("d_in/d_out", "d_in/d_out + 1/(10^12 d_out)"),
        (CONV, "(2 - 2^(-n)) Heaviside(n)"),
        (CONV, "Piecewise((0, n < 0), (2 - 2^(-n), n <= L), (2^(L-n) - 2^(-n), True))"),
        (CONV, "Piecewise((0, n <= 0), (2 - 2^(-n), n <= L - 1), (2^(L-n) - 2^(-n), True))"),
        (CONV, "(2 - 2^(-n)) Heaviside(n) - (2 - 2^(L-n)) Heaviside(n - L - 1)"),
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_wrong_answers_get_a_real_counterexample(student: str, reference: str, seed: int) -> None:
    result = check(student, reference, seed=seed)
    assert not result.equivalent
    assert result.method == "random"
    assert result.counterexample is not None
    assert differ_at(student, reference, result.counterexample)


def test_counterexample_names_only_symbols_that_occur() -> None:
    result = check("d_in + 1", "d_in")
    assert result.counterexample is not None and set(result.counterexample) == {"d_in"}


def test_comparison_is_deterministic_for_a_seed() -> None:
    runs = [check("floor(d_in/3)", "floor(d_in/4)", seed=5) for _ in range(3)]
    assert runs[0].counterexample is not None
    assert runs[0] == runs[1] == runs[2]


def test_too_few_usable_points_is_not_equivalent_and_says_so() -> None:
    n = TABLE.symbol("n")
    never_defined = sympy.Piecewise((1, n < -1000))  # undefined (nan) on the whole domain
    result = compare(never_defined, sympy.Integer(1), TABLE)
    assert result == Comparison(False, "random", None, result.note)
    assert "could be evaluated" in result.note


def test_undeclared_symbols_are_a_data_error() -> None:
    with pytest.raises(ValueError, match="not declared"):
        compare(sympy.Symbol("d_in"), TABLE.symbol("d_in"), TABLE)  # same name, no assumptions


def test_simplify_time_limit_is_respected_on_a_nasty_expression() -> None:
    # Equal, but proving it symbolically means expanding a degree-200 polynomial in 3 symbols.
    student = read("((c + d_in)^2 + 2 (c + d_in)(d_out + 1) + (d_out + 1)^2)^100")
    reference = read("(c + d_in + d_out + 1)^200")
    started = time.perf_counter()
    result = compare(student, reference, TABLE, simplify_seconds=0.5, samples=16)
    elapsed = time.perf_counter() - started
    assert result.equivalent and result.method == "random"
    assert elapsed < 10  # an unbounded expand would take far longer; generous functional guard


def test_huge_values_at_large_points_are_skipped_not_computed() -> None:
    student = read("2^(d_in d_out)")  # 2^(4096*64) at a "large" point: skipped, not built
    started = time.perf_counter()
    result = compare(student, read("2^(d_out d_in)"), TABLE)
    assert result.equivalent
    result = compare(student, read("2^(d_out d_in) + 1"), TABLE)
    assert not result.equivalent
    assert time.perf_counter() - started < 10


REFERENCE = "2 c d_out^2 d_in"
SWAPS = [("d_in", "d_out")]


@pytest.mark.parametrize(
    ("student", "message"),
    [
        ("4 c d_out^2 d_in", "off by a constant factor"),
        ("c d_out^2 d_in", "off by a constant factor"),
        ("2 pi c d_out^2 d_in", "off by a constant factor"),
        ("-2 c d_out^2 d_in", "sign"),
        ("2 c d_out^2 d_in + 1", "off by one"),
        ("2 c d_out^2 d_in - 1", "off by one"),
        ("2 c d_in^2 d_out", "d_in and d_out swapped"),
    ],
)
def test_diagnose_names_the_kind_of_mistake(student: str, message: str) -> None:
    found = diagnose(read(student), read(REFERENCE), TABLE, swaps=SWAPS)
    assert found is not None and message in found.message
    for text in (found.message, found.hint):
        assert describe(read(REFERENCE)) not in text
        assert not any(char.isdigit() for char in text)  # neither the factor nor any value leaks
    # the hint says where to look, not what is wrong
    assert not any(word in found.hint for word in ("d_in", "swapped", "factor", "off by one", "wrong"))


def test_diagnose_reveals_the_factor_only_when_asked() -> None:
    student, reference = read("4 c d_out^2 d_in"), read(REFERENCE)
    assert "factor of 2" in diagnose(student, reference, TABLE, reveal_factor=True).message
    assert "2" not in diagnose(student, reference, TABLE).message


@pytest.mark.parametrize("student", ["c + d_in", "2 c d_out d_in", "2 c d_out^2 d_in + 2", REFERENCE])
def test_diagnose_returns_none_for_unrelated_or_correct_answers(student: str) -> None:
    assert diagnose(read(student), read(REFERENCE), TABLE, swaps=SWAPS) is None


def test_diagnose_swaps_need_to_be_requested() -> None:
    assert diagnose(read("2 c d_in^2 d_out"), read(REFERENCE), TABLE) is None


def test_diagnose_off_by_one_in_the_cnn_formula() -> None:
    found = diagnose(read("floor((W-K+2P)/S)"), read("floor((W-K+2P)/S) + 1"), TABLE)
    assert found is not None and "off by one" in found.message and found.name == "off by one"


def test_matches_any_returns_the_first_equivalent_candidate() -> None:
    candidates = [read("d_out"), read("d_in d_in"), read("d_in^2")]
    assert matches_any(read("d_in^2"), candidates, TABLE) == 1
    assert matches_any(read("d_in^3"), candidates, TABLE) is None
    assert matches_any(read("d_in"), [], TABLE) is None


def test_compare_off_the_main_thread_still_decides_without_simplify() -> None:
    import threading

    results: list[Comparison] = []
    thread = threading.Thread(
        target=lambda: results.extend([
            check("(d_in + d_out)^2", "d_in^2 + 2 d_in d_out + d_out^2"),
            check("d_in + 1", "d_in"),
        ])
    )
    thread.start()
    thread.join()
    assert [r.equivalent for r in results] == [True, False]
    assert results[0].method == "random"  # simplify is skipped where it cannot be time-limited
