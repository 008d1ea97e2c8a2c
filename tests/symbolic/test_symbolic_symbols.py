"""Symbol declarations: spellings, assumptions and sampling domains."""

from __future__ import annotations

import random

import pytest
import sympy

from autograder.symbolic import SymbolSpec, SymbolTable, normalise_name


def _table() -> SymbolTable:
    return SymbolTable([
        SymbolSpec("c", kind="positive_real"),
        SymbolSpec("d_in", aliases=("n_in",)),
        SymbolSpec("d_out"),
        SymbolSpec("sigma_x", kind="positive_real"),
        SymbolSpec("n", kind="integer"),
        SymbolSpec("P", kind="nonnegative_integer"),
        SymbolSpec("x", kind="real"),
    ])


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("d_{out}", "d_out"),
        ("d_{\\text{out}}", "d_out"),
        ("d_\\text{out}", "d_out"),
        ("d_\\mathrm{out}", "d_out"),
        ("\\sigma_x", "sigma_x"),
        ("\\sigma_{x}", "sigma_x"),
        ("σ_x", "sigma_x"),
        ("σ", "sigma"),
        ("\\varepsilon", "epsilon"),
        ("d_out", "d_out"),
    ],
)
def test_normalise_name_maps_latex_and_unicode_to_plain_spelling(written: str, expected: str) -> None:
    assert normalise_name(written) == expected


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("d_out", "d_out"),
        ("d_{out}", "d_out"),
        ("d_{\\text{out}}", "d_out"),
        ("d_\\text{out}", "d_out"),
        ("dout", "d_out"),
        ("din", "d_in"),
        ("n_in", "d_in"),
        ("n_{in}", "d_in"),
        ("\\sigma_x", "sigma_x"),
        ("σ_x", "sigma_x"),
        ("sigmax", "sigma_x"),
    ],
)
def test_resolve_accepts_canonical_names_aliases_and_latex_forms(written: str, name: str) -> None:
    table = _table()
    assert table.resolve(written) == table.symbol(name)


@pytest.mark.parametrize("written", ["D_out", "d_o_ut", "y", "", "d_", "Dout", "sigma"])
def test_resolve_is_case_sensitive_and_rejects_undeclared_names(written: str) -> None:
    assert _table().resolve(written) is None


def test_underscore_free_spelling_is_dropped_when_ambiguous() -> None:
    table = SymbolTable([SymbolSpec("d_in"), SymbolSpec("di_n")])  # both collapse to "din"
    assert table.resolve("din") is None
    assert table.resolve("d_in") == table.symbol("d_in")


def test_underscore_free_spelling_never_shadows_a_declared_name() -> None:
    table = SymbolTable([SymbolSpec("d_in"), SymbolSpec("din", kind="real")])
    assert table.resolve("din") == table.symbol("din")
    assert table.symbol("din") != table.symbol("d_in")


def test_symbols_carry_assumptions_from_their_kind() -> None:
    table = _table()
    d = table.symbol("d_in")
    assert d.is_integer and d.is_positive
    assert table.symbol("P").is_nonnegative and table.symbol("P").is_integer
    assert table.symbol("P").is_positive is None
    assert table.symbol("n").is_integer and table.symbol("n").is_positive is None
    assert table.symbol("c").is_positive and table.symbol("c").is_integer is None
    assert table.symbol("x").is_real and table.symbol("x").is_positive is None
    assert sympy.sqrt(d**2) == d  # what the assumptions are for


def test_names_keep_declaration_order() -> None:
    assert _table().names() == ["c", "d_in", "d_out", "sigma_x", "n", "P", "x"]


def test_unknown_symbol_lookup_raises_key_error() -> None:
    with pytest.raises(KeyError):
        _table().symbol("y")


@pytest.mark.parametrize(
    "make",
    [
        lambda: SymbolSpec("d out"),
        lambda: SymbolSpec("__class__"),
        lambda: SymbolSpec("x", kind="complex"),  # type: ignore[arg-type]
        lambda: SymbolSpec("x", low=5, high=1),
        lambda: SymbolSpec("x", kind="positive_integer", low=0),
        lambda: SymbolSpec("x", kind="positive_real", high=0),
        lambda: SymbolSpec("x", aliases="xx"),  # type: ignore[arg-type]
        lambda: SymbolTable([SymbolSpec("x"), SymbolSpec("x")]),
        lambda: SymbolTable([SymbolSpec("x", aliases=("y",)), SymbolSpec("y")]),
    ],
)
def test_invalid_declarations_are_rejected(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((ValueError, TypeError)):
        make()


def test_sample_point_respects_kinds_and_ranges() -> None:
    table = _table()
    rng = random.Random(1)
    for _ in range(300):
        point = table.sample_point(rng)
        assert set(point) == set(table.symbols())
        assert 1 <= point[table.symbol("d_in")] <= 64 and point[table.symbol("d_in")].is_Integer
        assert -20 <= point[table.symbol("n")] <= 20 and point[table.symbol("n")].is_Integer
        assert 0 <= point[table.symbol("P")] <= 64
        assert 0 < point[table.symbol("c")] <= 10 and point[table.symbol("c")].is_Rational
        assert -10 <= point[table.symbol("x")] <= 10


def test_sample_point_large_and_small() -> None:
    table = _table()
    rng = random.Random(2)
    d_in, d_out = table.symbol("d_in"), table.symbol("d_out")
    for _ in range(100):
        point = table.sample_point(rng, large=["d_out"], small=True)
        assert point[d_out] >= 16 * 64
        assert 1 <= point[d_in] <= 5


def test_sample_point_is_deterministic_for_a_seed() -> None:
    table = _table()
    first = [table.sample_point(random.Random(7)) for _ in range(3)]
    second = [table.sample_point(random.Random(7)) for _ in range(3)]
    assert first == second


def test_declared_range_is_used() -> None:
    table = SymbolTable([SymbolSpec("K", low=3, high=3), SymbolSpec("r", kind="real", low=0.25, high=0.25)])
    point = table.sample_point(random.Random(0))
    assert point[table.symbol("K")] == 3
    assert point[table.symbol("r")] == sympy.Rational(1, 4)
