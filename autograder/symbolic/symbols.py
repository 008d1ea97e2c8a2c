"""Declared symbols of an expression part: names, aliases, assumptions, sampling domains.

Every expression part declares the symbols a student may use. The declaration does three
jobs: it is the allow-list of names the parser accepts (anything else is an "unknown
symbol", not a guess), it carries the mathematical assumptions that make simplification
correct (dimensions are positive integers, so ``sqrt(d**2) == d``), and it says where the
equivalence checker may draw random points.

Name spelling.  Students write the same symbol many ways.  :func:`normalise_name` maps the
LaTeX-ish spellings to one plain spelling before lookup:

* ``d_{out}``, ``d_{\\text{out}}``, ``d_\\text{out}``, ``d_\\mathrm{out}`` -> ``d_out``
* ``\\sigma_x``, ``\\sigma_{x}``, ``σ_x`` -> ``sigma_x``; ``\\varepsilon`` -> ``epsilon``

Lookup (:meth:`SymbolTable.resolve`) is case-sensitive and accepts, in this order:

1. the canonical name or a declared alias (both compared after normalisation);
2. the canonical name written without its underscores (``dout`` for ``d_out``,
   ``sigmax`` for ``sigma_x``), but only when the written name has no underscore itself
   and exactly one declared name collapses to it.  This is unambiguous by construction
   and saves declaring the commonest alias on every part; anything fancier must be
   declared as an alias.

Relations.  A table may also hold relations between its symbols (``k <= n``: a kernel
is no larger than the image).  They narrow the sampling domain only: a formula that is
right wherever the problem makes sense is right, and no counterexample shown to a
student lies outside the problem (``n=50, k=54`` would be meaningless to them).
:mod:`.relations` reads them from text; :meth:`SymbolTable.sample_point` draws only
points that satisfy them.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

import sympy

SymbolKind = Literal["positive_integer", "nonnegative_integer", "integer", "positive_real", "real"]

_KINDS: frozenset[str] = frozenset(get_args(SymbolKind))

# Default sampling ranges per kind.  Small enough that exact arithmetic stays cheap, wide
# enough that formulas which agree only on a few small values are told apart.
_DEFAULT_RANGES: dict[str, tuple[int | float, int | float]] = {
    "positive_integer": (1, 64),
    "nonnegative_integer": (0, 64),
    "integer": (-20, 20),
    "positive_real": (0, 10),
    "real": (-10, 10),
}

# Draws per request before a relation is given up as unsatisfiable from that start.
_RELATION_TRIES = 200

# Denominators used for real-valued samples: exact rationals keep comparisons exact.
_REAL_DENOMINATORS: tuple[int, ...] = (1, 2, 3, 4, 5, 7, 8, 10, 16)

GREEK_LETTERS: tuple[str, ...] = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
    "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
)

# LaTeX variant letters read as the plain letter (students do not distinguish them).
_GREEK_VARIANTS: dict[str, str] = {
    "varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varsigma": "sigma",
    "varrho": "rho", "varpi": "pi",
}

UNICODE_GREEK: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho",
    "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_TEXT_COMMAND_RE = re.compile(
    r"\\(?:text|mathrm|textrm|mathit|textit|mathsf|operatorname|mathbf|boldsymbol)\s*\{([^{}]*)\}"
)
_COMMAND_RE = re.compile(r"\\([A-Za-z]+)")


def normalise_name(written: str) -> str:
    """Return the plain spelling of a written symbol name (see the module docstring).

    Pure string rewriting: it never decides whether the name exists, so the parser and the
    table agree on one spelling and the table alone decides what is declared.
    """
    name = "".join(UNICODE_GREEK.get(ch, ch) for ch in written)
    previous = None
    while previous != name:  # \text{...} may be nested in braces; strip until stable
        previous = name
        name = _TEXT_COMMAND_RE.sub(lambda m: m.group(1), name)
    name = _COMMAND_RE.sub(lambda m: _GREEK_VARIANTS.get(m.group(1), m.group(1)), name)
    name = name.replace("{", "").replace("}", "")
    return "".join(name.split())


@dataclass(frozen=True)
class SymbolSpec:
    """One declared symbol: its canonical name, its kind, accepted aliases, sampling range.

    ``low``/``high`` bound the random points used by the equivalence checker; ``None``
    means the default for the kind.  For ``positive_real`` the lower bound is exclusive.
    """

    name: str
    kind: SymbolKind = "positive_integer"
    aliases: tuple[str, ...] = ()
    low: int | float | None = None
    high: int | float | None = None

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.name) or "__" in self.name:
            raise ValueError(f"symbol name {self.name!r} must be a plain identifier like 'd_out'")
        if self.kind not in _KINDS:
            raise ValueError(f"symbol {self.name!r}: unknown kind {self.kind!r}")
        if isinstance(self.aliases, str):
            raise TypeError(f"symbol {self.name!r}: aliases must be a tuple of strings")
        low, high = self.bounds
        if low > high:
            raise ValueError(f"symbol {self.name!r}: low {low} is above high {high}")
        if self.kind == "positive_integer" and low < 1:
            raise ValueError(f"symbol {self.name!r}: a positive integer needs low >= 1")
        if self.kind == "nonnegative_integer" and low < 0:
            raise ValueError(f"symbol {self.name!r}: a nonnegative integer needs low >= 0")
        if self.kind == "positive_real" and high <= 0:
            raise ValueError(f"symbol {self.name!r}: a positive real needs high > 0")
        if self.kind.endswith("integer") and math.floor(high) < math.ceil(low):
            raise ValueError(f"symbol {self.name!r}: no integer between {low} and {high}")

    @property
    def bounds(self) -> tuple[int | float, int | float]:
        """The sampling range with the kind's defaults filled in."""
        default_low, default_high = _DEFAULT_RANGES[self.kind]
        low = default_low if self.low is None else self.low
        high = default_high if self.high is None else self.high
        return low, high

    @property
    def is_integer(self) -> bool:
        return self.kind.endswith("integer")

    def assumptions(self) -> dict[str, bool]:
        """Sympy assumptions for the kind; they are what make simplification sound."""
        return {
            "positive_integer": {"integer": True, "positive": True},
            "nonnegative_integer": {"integer": True, "nonnegative": True},
            "integer": {"integer": True},
            "positive_real": {"real": True, "positive": True},
            "real": {"real": True},
        }[self.kind]


class SymbolTable:
    """The symbols of one part, looked up by any accepted spelling, and the relations that hold between them."""

    def __init__(self, specs: Iterable[SymbolSpec], relations: Iterable[sympy.Basic] = ()) -> None:
        self._specs: dict[str, SymbolSpec] = {}
        self._symbols: dict[str, sympy.Symbol] = {}
        self._lookup: dict[str, str] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"symbol {spec.name!r} is declared twice")
            self._specs[spec.name] = spec
            self._symbols[spec.name] = sympy.Symbol(spec.name, **spec.assumptions())
        for spec in self._specs.values():
            for spelling in (spec.name, *spec.aliases):
                key = normalise_name(spelling)
                owner = self._lookup.get(key)
                if owner is not None and owner != spec.name:
                    raise ValueError(f"spelling {spelling!r} is claimed by {owner!r} and {spec.name!r}")
                self._lookup[key] = spec.name
        flat: dict[str, list[str]] = {}
        for name in self._specs:
            flat.setdefault(name.replace("_", ""), []).append(name)
        # Underscore-free spellings: only unambiguous ones that do not shadow a declared spelling.
        self._flat: dict[str, str] = {
            key: names[0] for key, names in flat.items() if len(names) == 1 and key not in self._lookup
        }
        self._relations: tuple[sympy.Basic, ...] = tuple(relations)
        declared = set(self._symbols.values())
        for relation in self._relations:
            if not isinstance(relation, sympy.core.relational.Relational):
                raise TypeError(f"relation {relation!r} is not a comparison such as k <= n")
            unknown = relation.free_symbols - declared
            if unknown:
                names = ", ".join(sorted(str(s) for s in unknown))
                raise ValueError(f"relation {relation} uses symbols the table does not declare: {names}")

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __repr__(self) -> str:
        extra = f", relations={list(self._relations)!r}" if self._relations else ""
        return f"SymbolTable({list(self._specs.values())!r}{extra})"

    @property
    def specs(self) -> tuple[SymbolSpec, ...]:
        return tuple(self._specs.values())

    def names(self) -> list[str]:
        """Canonical names in declaration order (used in "this part uses ..." messages)."""
        return list(self._specs)

    def spec(self, name: str) -> SymbolSpec:
        return self._specs[name]

    def symbol(self, name: str) -> sympy.Symbol:
        """The sympy Symbol for a canonical name; KeyError for anything else."""
        try:
            return self._symbols[name]
        except KeyError:
            raise KeyError(f"symbol {name!r} is not declared (declared: {', '.join(self._specs)})") from None

    def symbols(self) -> list[sympy.Symbol]:
        return list(self._symbols.values())

    @property
    def relations(self) -> tuple[sympy.Basic, ...]:
        """The relations every sampled point satisfies (``k <= n``), as sympy comparisons."""
        return self._relations

    def satisfies(self, point: dict[sympy.Symbol, sympy.Rational]) -> bool:
        """Whether ``point`` (all symbols of the relations given) lies in the declared domain."""
        for relation in self._relations:
            try:
                holds = relation.xreplace(point)
            except Exception:  # a relation that cannot be evaluated there: outside the domain
                return False
            if holds is not sympy.true:
                return False
        return True

    def resolve(self, written: str) -> sympy.Symbol | None:
        """The symbol a student meant by ``written``, or None if it is not declared."""
        key = normalise_name(written)
        name = self._lookup.get(key)
        if name is None and "_" not in key:
            name = self._flat.get(key)
        return None if name is None else self._symbols[name]

    def sample_point(
        self,
        rng: random.Random,
        *,
        large: Collection[str] = (),
        small: bool = False,
    ) -> dict[sympy.Symbol, sympy.Rational]:
        """A random point of the declared domain, as exact sympy numbers.

        ``large`` names symbols drawn far above their usual range (16x to 64x ``high``),
        so that formulas that only agree when dimensions are similar (d_out >> d_in) are
        told apart.  ``small`` draws the others from the bottom of their range, where
        off-by-one and floor/ceiling differences show.

        With relations, points are drawn until one satisfies them all.  A large symbol
        that cannot satisfy a relation alone (``k`` large, ``k <= n``) takes the other
        symbols of that relation up with it, and if that fails too it is drawn at its
        usual size.  ValueError if no point is found: the declared domain is empty.
        """
        if not self._relations:
            return self._draw(rng, large, small)
        attempts = [set(large), self._with_related(large)] if large else [set()]
        if large:
            attempts.append(set())
        for names in attempts:
            for _ in range(_RELATION_TRIES):
                point = self._draw(rng, names, small)
                if self.satisfies(point):
                    return point
        relations = ", ".join(str(r) for r in self._relations)
        raise ValueError(f"no point of the declared ranges satisfies {relations}")

    def _draw(self, rng: random.Random, large: Collection[str], small: bool) -> dict[sympy.Symbol, sympy.Rational]:
        point: dict[sympy.Symbol, sympy.Rational] = {}
        for name, spec in self._specs.items():
            point[self._symbols[name]] = _sample(spec, rng, large=name in large, small=small)
        return point

    def _with_related(self, names: Collection[str]) -> set[str]:
        """``names`` and every symbol that shares a relation with one of them."""
        grown = set(names)
        for relation in self._relations:
            involved = {str(s) for s in relation.free_symbols}
            if involved & set(names):
                grown |= involved
        return grown


def _sample(spec: SymbolSpec, rng: random.Random, *, large: bool, small: bool) -> sympy.Rational:
    low, high = spec.bounds
    if large:
        scale = max(abs(high), 1)
        low, high = 16 * scale, 64 * scale
    elif small:
        high = min(high, low + 4)
    if spec.is_integer:
        return sympy.Integer(rng.randint(math.ceil(low), math.floor(high)))
    denominator = rng.choice(_REAL_DENOMINATORS)
    num_low, num_high = math.ceil(low * denominator), math.floor(high * denominator)
    if spec.kind == "positive_real":
        num_low = max(num_low, 1)
    if num_low > num_high:  # range narrower than 1/denominator: use its midpoint exactly
        middle = Fraction(low) / 2 + Fraction(high) / 2
        return sympy.Rational(middle.numerator, middle.denominator)
    return sympy.Rational(rng.randint(num_low, num_high), denominator)
