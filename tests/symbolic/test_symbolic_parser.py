"""Reading formulas: every accepted notation gives the intended sympy expression.

Expected values are built from sympy objects directly, never from text.
"""

from __future__ import annotations

import pytest
import sympy

from autograder.symbolic import ExpressionError, SymbolSpec, SymbolTable, describe, parse_expression

TABLE = SymbolTable([
    SymbolSpec("c", kind="positive_real"),
    SymbolSpec("d_in"),
    SymbolSpec("d_out"),
    SymbolSpec("d"),
    SymbolSpec("W"),
    SymbolSpec("K"),
    SymbolSpec("P", kind="nonnegative_integer"),
    SymbolSpec("S"),
    SymbolSpec("n", kind="integer"),
    SymbolSpec("L"),
    SymbolSpec("k"),
    SymbolSpec("sigma_x", kind="positive_real"),
    SymbolSpec("sigma_g", kind="positive_real"),
    SymbolSpec("x", kind="real"),
    SymbolSpec("a", kind="real"),
    SymbolSpec("b", kind="real"),
])
s = TABLE.symbol
c, d_in, d_out, d, W, K, P, S, n, L = (s(v) for v in ("c", "d_in", "d_out", "d", "W", "K", "P", "S", "n", "L"))
k, sigma_x, sigma_g, x, a, b = (s(v) for v in ("k", "sigma_x", "sigma_g", "x", "a", "b"))
CNN = sympy.floor((W - K + 2 * P) / S) + 1
NS = 2 * c * d_out**2 * d_in
CONV = sympy.Piecewise(
    (0, n < 0),
    (2 - 2 ** (-n), n <= L - 1),
    (2 ** (L - n) - 2 ** (-n), True),
)


def read(text: str, table: SymbolTable = TABLE) -> sympy.Expr:
    return parse_expression(text, table)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # powers, products, implicit multiplication
        ("2 c d_out^2 d_in", NS),
        ("2*c*d_out**2*d_in", NS),
        ("2c d_out^2 d_in", NS),
        ("2 · c · d_out² · d_in", NS),
        ("2 × c ⋅ d_out^2 * d_in", NS),
        ("2 c d_{out}^2 d_{in}", NS),
        ("2 c d_{\\text{out}}^{2} d_{\\text{in}}", NS),
        ("2 c d_\\text{out}^2 d_\\text{in}", NS),
        ("2 c dout^2 din", NS),
        ("2 \\cdot c \\times d_{out}^2 \\cdot d_{in}", NS),
        ("$2 c d_{out}^2 d_{in}$", NS),
        ("cd_in", c * d_in),
        ("3(x+1)", 3 * (x + 1)),
        ("(a)(b)", a * b),
        ("(a+1)(b-1)", (a + 1) * (b - 1)),
        ("2 sqrt(d)", 2 * sympy.sqrt(d)),
        ("2sqrt(d)", 2 * sympy.sqrt(d)),
        ("x^2 a", x**2 * a),
        ("-x^2", -(x**2)),
        ("2^-1", sympy.Rational(1, 2)),
        ("x^2^3", x**8),
        ("1/2 x", x / 2),
        ("x − 1", x - 1),
        ("x⁻¹", 1 / x),
        ("0.5 c", c / 2),
        (".25", sympy.Rational(1, 4)),
        ("d_out", d_out),
        ("7", sympy.Integer(7)),
        # learning rates and roots
        ("1/sqrt(d_in d_out)", 1 / sympy.sqrt(d_in * d_out)),
        ("1/sqrt(d_in*d_out)", 1 / sympy.sqrt(d_in * d_out)),
        ("\\frac{1}{\\sqrt{d_{in}}}", 1 / sympy.sqrt(d_in)),
        ("\\frac{1}{\\sqrt{d_{in} d_{out}}}", 1 / sympy.sqrt(d_in * d_out)),
        ("\\dfrac{c}{d_{in}}", c / d_in),
        ("\\frac12", sympy.Rational(1, 2)),
        ("\\frac{1}{2}\\left(3 - x^2\\right) x", sympy.Rational(1, 2) * (3 - x**2) * x),
        ("√d_in", sympy.sqrt(d_in)),
        ("√(d_in + 1)", sympy.sqrt(d_in + 1)),
        ("\\sqrt[3]{x}", x ** sympy.Rational(1, 3)),
        ("sqrt(1/(d_in d_out))", sympy.sqrt(1 / (d_in * d_out))),
        # floors and ceilings
        ("floor((W-K+2P)/S)+1", CNN),
        ("⌊(W−K+2P)/S⌋+1", CNN),
        ("\\lfloor \\frac{W-K+2P}{S} \\rfloor + 1", CNN),
        ("\\left\\lfloor \\frac{W - K + 2P}{S} \\right\\rfloor + 1", CNN),
        ("(W-K+2P)//S + 1", CNN),
        ("ceiling(W/S)", sympy.ceiling(W / S)),
        ("ceil(W/S)", sympy.ceiling(W / S)),
        ("⌈W/S⌉", sympy.ceiling(W / S)),
        ("\\lceil W/S \\rceil", sympy.ceiling(W / S)),
        # other functions and constants
        ("Abs(x) + abs(x - 1)", sympy.Abs(x) + sympy.Abs(x - 1)),
        ("|x| + \\left| x - 1 \\right|", sympy.Abs(x) + sympy.Abs(x - 1)),
        ("\\lvert x \\rvert", sympy.Abs(x)),
        ("Max(d_in, d_out) + min(d_in, d_out)", sympy.Max(d_in, d_out) + sympy.Min(d_in, d_out)),
        ("log(x^2 + 1) + ln(d)", sympy.log(x**2 + 1) + sympy.log(d)),
        ("\\log(d)", sympy.log(d)),
        ("log(d, 2)", sympy.log(d, 2)),
        ("exp(-x)", sympy.exp(-x)),
        ("sign(x)", sympy.sign(x)),
        ("Rational(1, 3) d", d / 3),
        ("pi d^2", sympy.pi * d**2),
        ("\\pi d^2", sympy.pi * d**2),
        ("π d^2", sympy.pi * d**2),
        ("e^x", sympy.exp(x)),
        ("E^x", sympy.exp(x)),
        ("\\sigma_x^2 \\sigma_g^2 n k", sigma_x**2 * sigma_g**2 * n * k),
        ("σ_x² σ_g² n k", sigma_x**2 * sigma_g**2 * n * k),
        ("\\sigma_{x} \\sigma_{g}", sigma_x * sigma_g),
        ("Heaviside(n)", sympy.Heaviside(n, 1)),
        ("Heaviside(n, 1/2)", sympy.Heaviside(n, sympy.Rational(1, 2))),
        # Piecewise forms
        ("Piecewise((0, n < 0), (2 - 2^(-n), n <= L - 1), (2^(L-n) - 2^(-n), True))", CONV),
        ("Piecewise((0, n < 0), (2 - 2^(-n), 0 <= n <= L - 1), (2^(L-n) - 2^(-n), otherwise))", CONV),
        (
            "Piecewise((0, n < 0), (2 - 2^(-n), n >= 0 and n < L), (2^(L-n) - 2^(-n), True))",
            sympy.Piecewise((0, n < 0), (2 - 2 ** (-n), sympy.And(n >= 0, n < L)), (2 ** (L - n) - 2 ** (-n), True)),
        ),
        ("Piecewise((0, n < 0), (2 - 2^(-n), (n >= 0) & (n ≤ L - 1)), (2^(L-n) - 2^(-n), True))", CONV),
        (
            "\\begin{cases} 0 & n < 0 \\\\ 2 - 2^{-n} & 0 \\le n \\le L-1 \\\\ "
            "2^{L-n} - 2^{-n} & \\text{otherwise} \\end{cases}",
            CONV,
        ),
        (
            "\\begin{cases} 0 & \\text{if } n < 0 \\\\ 2 - 2^{-n} & \\text{if } 0 \\leq n \\leq L-1 \\\\ "
            "2^{L-n} - 2^{-n} & \\text{otherwise} \\\\ \\end{cases}",
            CONV,
        ),
        ("Piecewise((1, n = 0), (0, True))", sympy.Piecewise((1, sympy.Eq(n, 0)), (0, True))),
        ("Piecewise((1, n != 0), (0, True))", sympy.Piecewise((1, sympy.Ne(n, 0)), (0, True))),
    ],
)
def test_accepted_forms_parse_to_the_intended_expression(text: str, expected: sympy.Expr) -> None:
    assert read(text) == expected


def test_declared_e_is_a_symbol_and_undeclared_e_is_eulers_number() -> None:
    with_e = SymbolTable([SymbolSpec("e"), SymbolSpec("x", kind="real")])
    assert read("e^x", with_e) == with_e.symbol("e") ** with_e.symbol("x")
    assert read("E^x", with_e) == sympy.exp(with_e.symbol("x"))
    assert read("2e") == 2 * sympy.E


def test_a_declared_symbol_named_like_a_function_is_multiplied_not_called() -> None:
    table = SymbolTable([SymbolSpec("sign"), SymbolSpec("x", kind="real")])
    assert read("sign(x)", table) == table.symbol("sign") * table.symbol("x")


def test_names_written_together_split_only_when_unambiguous() -> None:
    table = SymbolTable([SymbolSpec("a"), SymbolSpec("b"), SymbolSpec("ab_c")])
    assert read("ab", table) == table.symbol("a") * table.symbol("b")
    ambiguous = SymbolTable([SymbolSpec("a"), SymbolSpec("b"), SymbolSpec("ab")])
    assert read("ab", ambiguous) == ambiguous.symbol("ab")  # a declared name wins over a split
    two_ways = SymbolTable([SymbolSpec("a"), SymbolSpec("aa")])
    with pytest.raises(ExpressionError, match="unknown symbol 'aaa'"):
        read("aaa", two_ways)  # a*aa or aa*a: refused rather than guessed


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the answer is empty"),
        ("   ", "the answer is empty"),
        ("$ $", "the answer is empty"),
        ("2 c y", "unknown symbol 'y': this part uses c, d_in, d_out"),
        ("(x + 1", "unbalanced parentheses"),
        ("x + 1)", "unbalanced parentheses"),
        ("(x + 1]", "unbalanced parentheses"),
        ("\\frac{1}{2", "unbalanced parentheses"),
        ("\\lfloor x", "never closed"),
        ("x \\rfloor", "no matching"),
        ("1" * 60, "number too large"),
        ("2^5000", "exponent too large"),
        ("__import__", "'__import__' is not allowed"),
        ("x +", "ends with '+'"),
        ("x * / 2", "near '/'"),
        ("2 3", "two numbers in a row"),
        ("sqrt", "must be followed by parentheses"),
        ("sqrt(x, 2)", "takes 1 argument"),
        ("Max()", "empty brackets"),
        ("Max(*x)", "plain arguments only"),
        ("sqrt(**x)", "plain arguments only"),
        ("x < 1", "only allowed in Piecewise conditions"),
        ("p1a = 2c", "unknown symbol 'p1a'"),
        ("x = 2c", "only allowed in Piecewise conditions"),
        ("(x, 1)", "unexpected ','"),
        ("()", "empty brackets"),
        ("1/0", "divides by zero"),
        ("x/(2-2)", "divides by zero"),
        ("log(1, 1)", "undefined"),
        ("x!", "factorial"),
        ("x % 2", "'%' is not allowed"),
        ("x ; y", "';' is not allowed"),
        ("Piecewise((1, x))", "must be a comparison"),
        ("Piecewise((1, n < 0, 2))", "pair (value, condition)"),
        ("Piecewise()", "empty brackets"),
        ("True", "only allowed as the last condition"),
        ("Rational(x, 2)", "two whole numbers"),
        ("sqrt(x=2)", "only allowed in Piecewise conditions"),
        ("\\dots", "closed form"),
        ("\\begin{matrix} 1 \\end{matrix}", "not supported"),
        ("\\foo x", "'\\foo' is not supported"),
        ("x_{i,j}", "unknown symbol 'x_{i,j}'"),
        ("хx", "U+0445"),  # a Cyrillic look-alike letter
        ("2^(2^n)", "towers of powers"),
        ("((x+1)^1000 + 1)^1000", "too large"),
    ],
)
def test_invalid_answers_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        read(text)
    assert fragment in str(caught.value)


def test_non_text_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(42, TABLE)  # type: ignore[arg-type]


def test_table_without_symbols_expects_a_number() -> None:
    empty = SymbolTable([])
    assert read("3/4", empty) == sympy.Rational(3, 4)
    with pytest.raises(ExpressionError, match="no symbols"):
        read("x", empty)


def test_expression_error_is_a_value_error() -> None:
    assert issubclass(ExpressionError, ValueError)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2 c d_out^2 d_in", "2*c*d_in*d_out^2"),
        ("1/2x", "x/2"),
        ("\\frac{1}{\\sqrt{d_{in} d_{out}}}", "1/(sqrt(d_in)*sqrt(d_out))"),
        ("floor((W-K+2P)/S)+1", "floor((-K + 2*P + W)/S) + 1"),
    ],
)
def test_describe_shows_how_the_answer_was_read(text: str, shown: str) -> None:
    assert describe(read(text)) == shown


def test_describe_is_bounded() -> None:
    long_sum = read(" + ".join(["x^%d" % i for i in range(1, 100)]))
    assert len(describe(long_sum)) <= 300
    assert describe(long_sum).endswith("...")
