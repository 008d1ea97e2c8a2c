"""Relations between a part's symbols (``k <= n``), read from the problem's data.

A relation narrows where the equivalence checker samples: the homework's formulas only
mean something on part of the symbols' ranges (a k x k kernel on an n x n image needs
k <= n), and a counterexample outside that part would be a false verdict shown to a
student.  Relations are written by the course staff, not by students, but they go
through the same eval-free parser all the same: one reader for every formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sympy

from .errors import ExpressionError
from .parser import parse_expression
from .symbols import SymbolTable

_OPERATORS = {"<=": sympy.Le, "<": sympy.Lt, ">=": sympy.Ge, ">": sympy.Gt, "≤": sympy.Le, "≥": sympy.Ge}
_SPLIT = re.compile(r"(<=|>=|≤|≥|<|>)")


def parse_relation(text: str, table: SymbolTable) -> list[sympy.Basic]:
    """``"k <= n"`` or a chain ``"1 <= k <= n"`` as sympy comparisons over ``table``'s symbols.

    Raises ExpressionError when the text is not a comparison of formulas (a data error,
    found by the tests of the problem data, never by a student).
    """
    pieces = _SPLIT.split(text)
    if len(pieces) < 3:
        raise ExpressionError(f"{text!r} is not a relation such as 'k <= n'")
    sides = [parse_expression(piece, table) for piece in pieces[0::2]]
    operators = pieces[1::2]
    relations = []
    for left, operator, right in zip(sides, operators, sides[1:]):
        relation = _OPERATORS[operator](left, right)
        if relation is sympy.true or relation is sympy.false:
            raise ExpressionError(f"{text!r} holds or fails whatever the symbols are: it is not a relation between them")
        relations.append(relation)
    return relations


def with_relations(table: SymbolTable, texts: Iterable[str]) -> SymbolTable:
    """``table`` with the relations ``texts`` added to those it already has."""
    relations = list(table.relations)
    for text in texts:
        relations.extend(parse_relation(text, table))
    return SymbolTable(table.specs, relations)
