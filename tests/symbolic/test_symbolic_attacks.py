"""Hostile input: rejected with ExpressionError and without anything evaluating it.

How quickly is measured by bench/bench_parser.py, which prints the time of each attack.
"""

from __future__ import annotations

import ast
import builtins
import pathlib
from collections.abc import Iterator

import pytest
import sympy
import sympy.parsing.sympy_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograder.symbolic
from autograder.symbolic import (
    ExpressionError,
    SymbolSpec,
    SymbolTable,
    compare,
    diagnose,
    parse_expression,
)

TABLE = SymbolTable([
    SymbolSpec("c", kind="positive_real"),
    SymbolSpec("d_in"),
    SymbolSpec("d_out"),
    SymbolSpec("n", kind="integer"),
    SymbolSpec("L"),
    SymbolSpec("x", kind="real"),
])

ATTACKS = [
    "__import__('os').system('echo pwned')",
    "__import__",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__bases__",
    "lambda: 1",
    "lambda x: x",
    "[x for x in ()]",
    "(x for x in ())",
    "{x: 1}",
    "9**9**9",
    "9^9^9",
    "10^10^10",
    "2^(2^100)",
    "2**2**2**2**2**2",
    "(10^1000)^(10^3)",
    "10^1000^1000",
    "'a'*10**9",
    '"a"*10**9',
    "a" * 100_000,
    "(" * 10_000 + "x" + ")" * 10_000,
    "(" * 60 + "x" + ")" * 60,
    "{" * 60 + "x" + "}" * 60,
    "\\frac{" * 60 + "1}{2}" * 60,
    "-" * 1_500 + "x",
    "x" + "^x" * 600,
    "+".join(["x"] * 900),
    "d_out.__class__",
    "getattr(d_out, 'x')",
    "getattr",
    "exec('1')",
    "eval('1')",
    "compile('1', 'f', 'eval')",
    "open('/etc/passwd')",
    "globals()",
    "sympy.srepr",
    "sympy",
    "os",
    "f'{x}'",
    "f\"{__import__('os')}\"",
    "b'x'",
    "x if True else 1",
    "(y := 1)",
    "x @ x",
    "x; import os",
    "import os",
    "\\input{/etc/passwd}",
    "\\include{x}",
    "\\def\\x{1}",
    "\x00",
    "x\x00",
    "1" * 2_000,
    "Rational(1, 0)",
    "floor(10^5000/3)^1000",
    "Max(" + ",".join(["10^1000"] * 200) + ")",
    "\\begin{cases}" * 30,
    "|" * 200,
]


@pytest.mark.parametrize("text", ATTACKS, ids=[repr(a[:40]) for a in ATTACKS])
def test_attack_is_rejected(text: str) -> None:
    # How fast: bench/bench_parser.py prints the time of every attack (tests never assert timings;
    # the parser's own time limit is what bounds it).
    with pytest.raises(ExpressionError):
        parse_expression(text, TABLE)


@pytest.fixture
def evaluation_forbidden(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record (and refuse) every attempt to evaluate or compile *text*.

    Python's import machinery calls exec/compile on code objects and bytes when sympy
    imports a module lazily; that is not evaluation of text and is let through.  Compiling
    text to a syntax tree only (what ast.parse does) evaluates nothing and is allowed too.
    """
    calls: list[str] = []
    real = {"eval": builtins.eval, "exec": builtins.exec, "compile": builtins.compile}

    def guarded(name: str):  # type: ignore[no-untyped-def]
        def call(source: object, *args: object, **kwargs: object) -> object:
            flags = args[2] if len(args) > 2 else kwargs.get("flags", 0)
            if isinstance(source, str) and not (name == "compile" and int(flags) & ast.PyCF_ONLY_AST):  # type: ignore[call-overload]
                calls.append(f"{name}({source[:40]!r})")
                raise AssertionError(f"{name} was called on text")
            return real[name](source, *args, **kwargs)
        return call

    def refuse_parse_expr(*args: object, **kwargs: object) -> object:
        calls.append("parse_expr")
        raise AssertionError("parse_expr was called")

    for name in real:
        monkeypatch.setattr(builtins, name, guarded(name))
    # sympify(str) imports parse_expr from here at call time, so this catches it too.
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse_parse_expr)
    yield calls


@pytest.mark.parametrize(
    "text",
    ATTACKS[:20]
    + ["2 c d_out^2 d_in", "\\frac{1}{\\sqrt{d_{in} d_{out}}}", "floor((2^n - L)/3) + 1",
       "Piecewise((0, n < 0), (2 - 2^(-n), n <= L - 1), (2^(L-n) - 2^(-n), True))"],
)
def test_nothing_is_evaluated_while_reading(text: str, evaluation_forbidden: list[str]) -> None:
    try:
        parse_expression(text, TABLE)
    except ExpressionError:
        pass
    assert evaluation_forbidden == []


def test_nothing_is_evaluated_while_comparing(evaluation_forbidden: list[str]) -> None:
    student = parse_expression("4 c d_out^2 d_in", TABLE)
    reference = parse_expression("2 c d_in d_out^2", TABLE)
    assert not compare(student, reference, TABLE).equivalent
    assert diagnose(student, reference, TABLE, swaps=[("d_in", "d_out")]) is not None
    assert evaluation_forbidden == []


_FORBIDDEN_CALLS = {"eval", "exec", "compile", "sympify", "parse_expr", "lambdify", "nsimplify", "__import__"}


def test_package_source_calls_no_evaluating_function() -> None:
    package = pathlib.Path(autograder.symbolic.__file__).parent
    offenders = []
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    name = func.id
                elif isinstance(func, ast.Attribute) and func.attr != "compile":  # re.compile is fine
                    name = func.attr
                else:
                    continue
                if name in _FORBIDDEN_CALLS:
                    offenders.append(f"{path.name}:{node.lineno} {name}")
    assert offenders == []


FRAGMENTS = [
    "x", "c", "d_in", "d_out", "n", "L", "d_{out}", "\\sigma", "e", "E", "pi", "oo", "y",
    "0", "1", "2", "9", "1000", "0.5", ".", "+", "-", "*", "/", "//", "^", "**", "(", ")",
    "[", "]", "{", "}", "|", ",", "<", "<=", "=", "!=", "&", "and", "or", "True",
    "sqrt", "floor", "ceiling", "Abs", "Max", "Min", "log", "exp", "sign", "Heaviside",
    "Rational", "Piecewise", "\\frac", "\\sqrt", "\\left(", "\\right)", "\\lfloor",
    "\\rfloor", "\\cdot", "\\text{out}", "\\begin{cases}", "\\end{cases}", "\\\\", "_",
    "²", "⁻", "−", "·", "⌊", "⌋", "√", "'", "__", "lambda", ":", " ", "\\", "$",
]


def _check_contract(text: str) -> None:
    try:
        result: object = parse_expression(text, TABLE)
    except ExpressionError as error:
        result = error
    assert isinstance(result, (sympy.Expr, ExpressionError))
    assert str(result)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_fuzz_arbitrary_text_only_raises_expression_error(text: str) -> None:
    _check_contract(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_fuzz_formula_fragments_only_raise_expression_error(text: str) -> None:
    _check_contract(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS[:40]), min_size=1, max_size=14).map("".join),
    st.lists(st.sampled_from(FRAGMENTS[:40]), min_size=1, max_size=14).map("".join),
)
def test_fuzz_compare_never_crashes_on_readable_answers(first: str, second: str) -> None:
    try:
        student, reference = parse_expression(first, TABLE), parse_expression(second, TABLE)
    except ExpressionError:
        return
    result = compare(student, reference, TABLE, samples=8, simplify_seconds=0.2)
    assert isinstance(result.equivalent, bool)
    assert compare(student, student, TABLE, samples=8).equivalent


def test_the_evaluation_guard_itself_catches_sympify_and_eval(evaluation_forbidden: list[str]) -> None:
    with pytest.raises(AssertionError):
        sympy.sympify("1 + 1")
    with pytest.raises(AssertionError):
        eval("1 + 1")  # noqa: S307 - deliberately checking that the guard trips
    assert evaluation_forbidden[-1].startswith("eval(")
    assert len(evaluation_forbidden) == 2
