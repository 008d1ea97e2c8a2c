"""Eval-free reading and equivalence checking of formula answers.

Student text is read by :func:`parse_expression` (an allow-listed walk over Python's syntax
tree; nothing is ever passed to ``eval``, ``sympify`` or ``parse_expr``) with the symbols a
part declares in a :class:`SymbolTable`, then compared with the reference by
:func:`compare` (structure, then time-limited simplification, then exact evaluation at
random points).  :func:`diagnose` and :func:`matches_any` turn wrong answers into
specific feedback.  :func:`with_relations` adds relations between symbols (``k <= n``)
that narrow where random points are drawn.
"""

from .equivalence import Comparison, compare, diagnose, matches_any
from .errors import NotFinite
from .parser import ExpressionError, describe, parse_expression
from .relations import parse_relation, with_relations
from .symbols import SymbolKind, SymbolSpec, SymbolTable, normalise_name
from .timeouts import TimeLimitExceeded, time_limit, time_limits_available

__all__ = [
    "Comparison",
    "ExpressionError",
    "NotFinite",
    "SymbolKind",
    "SymbolSpec",
    "SymbolTable",
    "TimeLimitExceeded",
    "compare",
    "describe",
    "diagnose",
    "matches_any",
    "normalise_name",
    "parse_expression",
    "parse_relation",
    "time_limit",
    "time_limits_available",
    "with_relations",
]
