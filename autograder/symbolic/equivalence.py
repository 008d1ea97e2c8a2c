"""Deciding whether a student's formula equals the reference, and naming common mistakes.

Equivalence is decided in layers, cheapest and most certain first:

1. *structure*: the two sympy expressions are identical after sympy's automatic
   canonicalisation (argument order, collected powers, ...);
2. *simplify*: ``expand``/``simplify`` reduce the difference to 0, under a wall-clock
   limit (sympy may otherwise run for minutes); skipped off the main thread, where the
   limit cannot be enforced;
3. *random*: both sides are evaluated exactly at many random points of the declared
   domains.  A point where they differ is a counterexample and settles "not equivalent";
   agreement everywhere counts as equivalent.

A few random points are tried before ``simplify``: a counterexample is decisive, so a
wrong answer never waits for ``simplify``.  This changes speed only, not any verdict or
the reported method (``simplify`` can only ever prove equality).
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from autograder.checking.verdict import Detected

from .parser import describe
from .symbols import SymbolTable
from .timeouts import TimeLimitExceeded, time_limit, time_limits_available

REL_TOL = 1e-9
ABS_TOL = 1e-25
EVAL_DIGITS = 30
MAX_EVAL_DIGITS = 20_000
POINT_SECONDS = 1.0
RANDOM_STAGE_SECONDS = 10.0
PROBE_POINTS = 8
MAX_BOUNDARY_POINTS = 30


@dataclass(frozen=True)
class Comparison:
    """The verdict of :func:`compare`.

    ``method`` is the layer that decided: ``"structure"``, ``"simplify"`` or ``"random"``.
    ``counterexample`` maps symbol names to the values at which the two sides differ; it is
    ``None`` when they are equivalent, and also when too few random points could be
    evaluated to decide (then ``equivalent`` is False and ``note`` says so).
    """

    equivalent: bool
    method: str
    counterexample: dict[str, str] | None = None
    note: str = ""


def compare(
    student: sympy.Expr,
    reference: sympy.Expr,
    table: SymbolTable,
    *,
    samples: int = 40,
    seed: int = 0,
    simplify_seconds: float = 2.0,
) -> Comparison:
    """Decide whether ``student`` equals ``reference`` on the domain declared by ``table``.

    Deterministic for a given ``seed``.  Raises ValueError if either expression uses a
    symbol the table does not declare (a mistake in the part's data, not the student's).
    """
    used = _used_symbols(table, student, reference)
    if student == reference:
        return Comparison(True, "structure")
    points = _sample_points(table, used, samples, seed, exprs=(student, reference))
    probe = _random_check(student, reference, points[:PROBE_POINTS], used)
    if probe.counterexample is not None:
        return probe
    if _difference_simplifies_to_zero(student, reference, simplify_seconds):
        return Comparison(True, "simplify")
    return _random_check(student, reference, points, used)


def matches_any(
    student: sympy.Expr,
    candidates: Sequence[sympy.Expr],
    table: SymbolTable,
    *,
    samples: int = 24,
    seed: int = 0,
) -> int | None:
    """Index of the first candidate equivalent to ``student`` (the part's known mistakes)."""
    for index, candidate in enumerate(candidates):
        if compare(student, candidate, table, samples=samples, seed=seed, simplify_seconds=0.5).equivalent:
            return index
    return None


#: Neutral hints of the generic formula mistakes: where to look, never what the mistake is.
SIGN_HINT = "Check the sign convention of your derivation."
FACTOR_HINT = "Check the constants and scalings in your derivation."
OFF_BY_ONE_HINT = "Check your counting: where each count starts and where it ends."
SWAP_HINT = "Check where each dimension in your answer comes from."


def diagnose(
    student: sympy.Expr,
    reference: sympy.Expr,
    table: SymbolTable,
    *,
    swaps: Sequence[tuple[str, str]] = (),
    reveal_factor: bool = False,
    samples: int = 16,
    seed: int = 0,
) -> Detected | None:
    """The common mistake that explains a wrong formula, named and with a neutral hint, or None.

    Detects, in order: a wrong sign, a constant factor, an off-by-one, and each pair of
    ``swaps`` exchanged (e.g. ``("d_in", "d_out")``).  Messages never show the reference
    expression; the factor itself is shown only with ``reveal_factor=True`` because it
    would let the student reconstruct the answer.  The exact message still tells the
    answer to whoever applies it, hence the neutral ``hint`` (see :class:`Detected`).
    None when the answer is right or no detector applies.

    None, too, when the reference is a constant (no free symbols): every other number is
    a "constant factor" off a nonzero constant, and "off by one" or "wrong sign" on a
    number would tell the student the answer.
    """
    if not reference.free_symbols:
        return None

    def same(a: sympy.Expr, b: sympy.Expr) -> bool:
        return compare(a, b, table, samples=samples, seed=seed, simplify_seconds=0.5).equivalent

    if same(student, reference):
        return None
    ratio = _constant_ratio(student, reference, table, seed)
    if ratio is not None and same(student, ratio * reference):
        if ratio == -1:
            return Detected("sign", "The sign of your answer is wrong.", SIGN_HINT)
        if reveal_factor:
            return Detected("factor", f"Your answer is off by a factor of {describe(ratio)}.", FACTOR_HINT)
        return Detected("factor", "Your answer is off by a constant factor.", FACTOR_HINT)
    if same(student, reference + 1) or same(student, reference - 1):
        return Detected("off by one", "Your answer is off by one: it differs from the correct answer by exactly one.", OFF_BY_ONE_HINT)
    for first, second in swaps:
        a, b = table.symbol(first), table.symbol(second)
        if same(student.xreplace({a: b, b: a}), reference):
            return Detected(f"swapped {first} and {second}", f"Your answer has {first} and {second} swapped.", SWAP_HINT)
    return None


# ----------------------------------------------------------------------------- layers


def _used_symbols(table: SymbolTable, *exprs: sympy.Expr) -> list[sympy.Symbol]:
    """Symbols of the expressions, in table order; undeclared ones are a data error."""
    free: set[sympy.Basic] = set().union(*(expr.free_symbols for expr in exprs))
    declared = table.symbols()
    unknown = free - set(declared)
    if unknown:
        names = ", ".join(sorted(str(s) for s in unknown))
        raise ValueError(
            f"expression uses symbols not declared by the table (or with other assumptions): {names}"
        )
    return [symbol for symbol in declared if symbol in free]


def _difference_simplifies_to_zero(student: sympy.Expr, reference: sympy.Expr, seconds: float) -> bool:
    if seconds <= 0 or not time_limits_available():
        return False  # an unbounded simplify could hang the grader; rely on random points
    try:
        with time_limit(seconds):
            difference = student - reference
            if difference == 0 or sympy.expand(difference) == 0:
                return True
            return bool(sympy.simplify(difference) == 0)
    except TimeLimitExceeded:
        return False
    except Exception:  # sympy's simplifiers raise assorted errors on unusual input
        return False


def _sample_points(
    table: SymbolTable,
    used: Sequence[sympy.Symbol],
    count: int,
    seed: int,
    *,
    exprs: Sequence[sympy.Expr] = (),
) -> list[dict[sympy.Symbol, sympy.Rational]]:
    """``count`` random points, interleaved with boundary points of ``exprs``.

    The random points mix several kinds:

    * "large" points make one used symbol 16x-64x its usual range while the others stay
      typical or small, so d_out >> d_in (and the reverse) are both visited;
    * "coincidence" points set one integer symbol equal to another plus -1, 0 or 1;
    * "edge" points put integer symbols at the bottom of their range or at -1, 0, 1.

    Every point satisfies the table's relations (``k <= n``): a coincidence or edge move
    that would break one is not made, and a boundary point outside them is dropped.

    Boundary points (at most :data:`MAX_BOUNDARY_POINTS`, in addition to ``count``) sit
    exactly on, just below and just above each boundary found in either expression (a
    Piecewise condition, a Heaviside/Abs/sign argument, two Max/Min arguments), so that
    ``n <= L - 1`` and ``n <= L`` are told apart without luck.
    """
    rng = random.Random(seed)
    names = [str(symbol) for symbol in used]
    integers = [symbol for symbol in used if table.spec(str(symbol)).is_integer]
    randoms = []
    for k in range(count):
        pattern = k % 8
        large = [names[(k // 8) % len(names)]] if names and pattern in (3, 4) else []
        point = table.sample_point(rng, large=large, small=pattern in (1, 4, 6))
        drawn = dict(point)
        if pattern in (5, 6) and len(integers) >= 2:
            _make_coincide(table, point, integers, rng)
        elif pattern in (5, 6, 7):
            _move_to_edges(table, point, integers, rng)
        randoms.append(point if table.satisfies(point) else drawn)  # a move must not leave the domain
    boundary_points = _boundary_points(table, used, exprs, rng)
    points: list[dict[sympy.Symbol, sympy.Rational]] = []
    for k in range(max(len(randoms), len(boundary_points))):
        points.extend(group[k] for group in (randoms, boundary_points) if k < len(group))
    return points


def _boundaries(exprs: Sequence[sympy.Expr], used: Sequence[sympy.Symbol]) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    """(symbol, value) pairs where some condition of ``exprs`` switches, linear ones only."""
    gaps: list[sympy.Expr] = []
    for expr in exprs:
        for sub in sympy.preorder_traversal(expr):
            if isinstance(sub, sympy.core.relational.Relational):
                gaps.append(sub.lhs - sub.rhs)
            elif isinstance(sub, (sympy.Heaviside, sympy.Abs, sympy.sign)):
                gaps.append(sub.args[0])
            elif isinstance(sub, (sympy.Max, sympy.Min)):
                gaps.extend(a - b for a, b in itertools.combinations(sub.args[:6], 2))
    found: list[tuple[sympy.Symbol, sympy.Expr]] = []
    for gap in gaps:
        for symbol in used:
            if symbol not in gap.free_symbols:
                continue
            slope = sympy.expand(gap).coeff(symbol, 1) if gap.is_polynomial(symbol) else None
            if slope is None or not slope.is_Number or slope == 0:
                continue
            rest = sympy.expand(gap - slope * symbol)
            if symbol in rest.free_symbols:
                continue
            pair = (symbol, -rest / slope)
            if pair not in found:
                found.append(pair)
    return found


def _boundary_points(
    table: SymbolTable, used: Sequence[sympy.Symbol], exprs: Sequence[sympy.Expr], rng: random.Random
) -> list[dict[sympy.Symbol, sympy.Rational]]:
    try:
        with time_limit(POINT_SECONDS):
            boundaries = _boundaries(exprs, used)
    except TimeLimitExceeded:
        return []
    points = []
    for shift in (0, -1, 1):
        for symbol, value in boundaries:
            if len(points) >= MAX_BOUNDARY_POINTS:
                return points
            point = table.sample_point(rng, small=len(points) % 2 == 0)
            target = value.xreplace(point) + shift
            spec = table.spec(str(symbol))
            low, high = spec.bounds
            if not target.is_Rational or (spec.is_integer and not target.is_Integer):
                continue
            if low <= target <= high and not (spec.kind == "positive_real" and target <= 0):
                point[symbol] = target
                if table.satisfies(point):
                    points.append(point)
    return points


def _make_coincide(
    table: SymbolTable, point: dict[sympy.Symbol, sympy.Rational], integers: Sequence[sympy.Symbol],
    rng: random.Random,
) -> None:
    moved, anchor = rng.sample(list(integers), 2)
    value = point[anchor] + rng.choice((-1, 0, 1))
    low, high = table.spec(str(moved)).bounds
    if low <= value <= high:
        point[moved] = sympy.Integer(value)


def _move_to_edges(
    table: SymbolTable, point: dict[sympy.Symbol, sympy.Rational], integers: Sequence[sympy.Symbol],
    rng: random.Random,
) -> None:
    for symbol in integers:
        low, high = table.spec(str(symbol)).bounds
        choices = [v for v in {math.ceil(low), math.ceil(low) + 1, -1, 0, 1} if low <= v <= high]
        if choices and rng.random() < 0.5:
            point[symbol] = sympy.Integer(rng.choice(sorted(choices)))


def _random_check(
    student: sympy.Expr,
    reference: sympy.Expr,
    points: Sequence[dict[sympy.Symbol, sympy.Rational]],
    used: Sequence[sympy.Symbol],
) -> Comparison:
    usable = 0
    deadline = time.monotonic() + RANDOM_STAGE_SECONDS
    for point in points:
        if time.monotonic() > deadline:
            break
        verdict = _agree_at(student, reference, point)
        if verdict is None:
            continue
        usable += 1
        if not verdict:
            example = {str(symbol): str(point[symbol]) for symbol in used}
            return Comparison(False, "random", example)
    needed = min(len(points), max(3, len(points) // 4))
    if usable < needed:
        return Comparison(
            False, "random", None,
            note=f"only {usable} of {len(points)} random points could be evaluated; cannot decide",
        )
    return Comparison(True, "random")


def _agree_at(student: sympy.Expr, reference: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> bool | None:
    """True/False if both sides are defined at ``point`` and (dis)agree; None if unusable."""
    try:
        with time_limit(POINT_SECONDS):  # a no-op off the main thread; the size bound still holds
            return _compare_values(_value_at(student, point), _value_at(reference, point))
    except TimeLimitExceeded:
        return None


def _value_at(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> sympy.Expr | None:
    if _digits_bound(expr, point) > MAX_EVAL_DIGITS:
        return None  # exact evaluation would build an enormous number
    try:
        value = expr.xreplace(point)
    except Exception:  # e.g. a Piecewise with no branch for this point
        return None
    if not isinstance(value, sympy.Expr) or value.free_symbols or not value.is_number:
        return None
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    return value


def _compare_values(a: sympy.Expr | None, b: sympy.Expr | None) -> bool | None:
    if a is None or b is None:
        return None
    if a.is_Rational and b.is_Rational:
        return bool(a == b)
    try:
        fa, fb = a.evalf(EVAL_DIGITS), b.evalf(EVAL_DIGITS)
        difference = abs(fa - fb)
        scale = max(abs(fa), abs(fb))
        return bool(difference <= REL_TOL * scale) or bool(difference <= ABS_TOL)
    except TimeLimitExceeded:
        raise
    except Exception:  # not comparable as numbers (e.g. unevaluated functions): unusable
        return None


def _digits_bound(expr: sympy.Basic, point: dict[sympy.Symbol, sympy.Rational]) -> float:
    """Upper bound on the decimal digits of ``expr`` evaluated exactly at ``point``."""
    if expr.is_Symbol:
        value = point.get(expr)  # type: ignore[call-overload]
        return 1.0 if value is None else _rational_digits(value)
    if expr.is_Rational:
        return _rational_digits(expr)  # type: ignore[arg-type]
    if expr.is_Atom:
        return 20.0
    if isinstance(expr, sympy.Pow):
        base = _digits_bound(expr.base, point)
        exponent = expr.exp
        if exponent.is_Number:
            magnitude = abs(float(exponent))
        else:
            if _digits_bound(exponent, point) > 30:
                return math.inf
            try:
                magnitude = abs(complex(exponent.xreplace(point).evalf(15)))
            except Exception:
                return math.inf
        return base * max(1.0, magnitude) + 1.0
    return sum(_digits_bound(arg, point) for arg in expr.args) + 1.0


def _rational_digits(value: sympy.Rational) -> float:
    return max(abs(int(value.p)), int(value.q), 1).bit_length() * 0.30103 + 1.0


def _constant_ratio(
    student: sympy.Expr, reference: sympy.Expr, table: SymbolTable, seed: int
) -> sympy.Expr | None:
    """student/reference at the first point where both are defined and nonzero, if a number."""
    used = _used_symbols(table, student, reference)
    for point in _sample_points(table, used, PROBE_POINTS, seed):
        try:
            with time_limit(POINT_SECONDS):
                s, r = _value_at(student, point), _value_at(reference, point)
                if s is None or r is None or r.is_zero or s.is_zero:
                    continue
                ratio = s / r
                if not ratio.is_Rational:  # e.g. a ratio of radicals; never nsimplify (it evals)
                    ratio = sympy.simplify(ratio)
                if ratio.free_symbols or not ratio.is_number or ratio.has(sympy.zoo, sympy.nan):
                    return None
                if abs(complex(ratio.evalf(15)) - 1) < 1e-12:
                    return None
                return ratio
        except TimeLimitExceeded:
            continue
        except Exception:
            continue
    return None
