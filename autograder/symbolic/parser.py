"""Eval-free reading of a student's formula into a sympy expression.

Student text is hostile.  sympy's ``sympify``/``parse_expr`` run ``eval`` on it, so this
module never hands text to anything that evaluates it.  Reading happens in four steps:

1. *Normalise and scan* (:mod:`.scanner`): a hand-written scanner turns the text into
   tokens.  It understands ordinary notation (``^``, ``·``, ``×``, ``−``, ``²``, ``⌊x⌋``,
   ``|x|``) and the LaTeX a student pastes (``\\frac{a}{b}``, ``\\sqrt{x}``, ``\\left(``,
   ``\\lfloor``, ``\\begin{cases}``).  Every name is resolved here against the part's
   :class:`SymbolTable` or the small allow-lists of constants and functions; anything else
   stops with an :class:`ExpressionError`.  Numbers, symbols and constants become opaque
   placeholders, so the text handed to Python's parser contains only placeholders,
   integer literals, operators, parentheses, commas, ``and``/``or`` and ``True``.
2. *Implicit multiplication*: ``*`` is inserted between adjacent operands
   (``3 k n^2 m``, ``3(x+1)``, ``(a)(b)``).
3. ``ast.parse(..., mode="eval")`` supplies precedence and associativity only.
4. *Allow-listed walk* (:class:`_Builder`): each node type that may occur is built into
   sympy objects directly; every other node type is an error.

Resource guards (length, nesting, digits, exponent sizes, node count, degree, a time
limit) reject abusive input such as ``9**9**9`` before anything large is computed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy

from .errors import ExpressionError, NotFinite
from .scanner import MAX_DIGITS, MAX_NESTING, Tok, normalise_text, scan, with_implicit_multiplication
from .symbols import SymbolTable
from .timeouts import TimeLimitExceeded, time_limit

__all__ = ["ExpressionError", "MAX_DIGITS", "MAX_NESTING", "describe", "parse_expression"]

MAX_LENGTH = 2000
MAX_EXPONENT = 1000
MAX_RESULT_DIGITS = 5000
MAX_TOKENS = 600
MAX_NODES = 500
MAX_AST_DEPTH = 100
MAX_DEGREE = 2000
PARSE_SECONDS = 0.8  # a backstop: the guards reject known abuse in milliseconds


@dataclass
class _Source:
    """Python text for ``ast.parse`` plus what its placeholders stand for."""

    text: str
    atoms: list[sympy.Expr]
    functions: list[str]
    spans: list[tuple[int, int, Tok]]


def _to_source(tokens: Sequence[Tok]) -> _Source:
    atoms: list[sympy.Expr] = []
    functions: list[str] = []
    spans: list[tuple[int, int, Tok]] = []
    parts: list[str] = []
    position = 0
    for token in tokens:
        if token.kind == "atom":
            piece = f"A{len(atoms)}"
            atoms.append(token.value)  # type: ignore[arg-type]
        elif token.kind == "func":
            piece = f"F{len(functions)}"
            functions.append(str(token.value))
        elif token.kind == "num":
            piece = str(token.value)
        elif token.kind == "true":
            piece = "True"
        elif token.kind in ("and", "or"):
            piece = token.kind
        elif token.kind == "lp":
            piece = "("
        elif token.kind == "rp":
            piece = ")"
        elif token.kind == "comma":
            piece = ","
        else:
            piece = str(token.text)
        spans.append((position, position + len(piece), token))
        parts.append(piece)
        position += len(piece) + 1
    return _Source(" ".join(parts), atoms, functions, spans)


# ----------------------------------------------------------------------------- building


_ADDITIVE = (ast.Add, ast.Sub)
_MULTIPLICATIVE = (ast.Mult, ast.Div, ast.FloorDiv)
_NODE_NAMES: dict[type, str] = {
    ast.Attribute: "attribute access ('.')", ast.Subscript: "indexing ('[...]')",
    ast.Lambda: "lambda", ast.ListComp: "a comprehension", ast.GeneratorExp: "a comprehension",
    ast.Starred: "'*' before an argument", ast.NamedExpr: "':='", ast.IfExp: "'if ... else'",
    ast.List: "a list", ast.Dict: "a dict", ast.Set: "a set", ast.JoinedStr: "an f-string",
}


def _ast_depth(root: ast.AST) -> int:
    """Depth of the tree, counting a chain like ``a+b+c+...`` as one level (iterative)."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ADDITIVE + _MULTIPLICATIVE):
            group = _ADDITIVE if isinstance(node.op, _ADDITIVE) else _MULTIPLICATIVE
            current: ast.AST = node
            while isinstance(current, ast.BinOp) and isinstance(current.op, group):
                stack.append((current.right, depth + 1))
                current = current.left
            stack.append((current, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _digits(number: sympy.Rational) -> int:
    """Decimal digits of the larger of numerator and denominator (cheap upper bound)."""
    return int(max(abs(int(number.p)), int(number.q)).bit_length() * 0.30103) + 1


class _Builder:
    """Turns an allow-listed Python syntax tree into sympy objects."""

    def __init__(self, source: _Source) -> None:
        self.atoms = source.atoms
        self.functions = source.functions

    def value(self, node: ast.AST) -> sympy.Expr:
        if isinstance(node, ast.Expression):
            return self.value(node.body)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self._checked(-self.value(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self.value(node.operand)
            raise ExpressionError("'not' and '~' are not allowed in an answer")
        if isinstance(node, ast.Constant):
            if type(node.value) is int:
                return sympy.Integer(node.value)
            if type(node.value) is float:  # not produced by the scanner; kept exact if it were
                exact = Fraction(repr(node.value))
                return sympy.Rational(exact.numerator, exact.denominator)
            if node.value is True:
                raise ExpressionError("'True'/'otherwise' is only allowed as the last condition of a Piecewise")
            raise ExpressionError("only numbers, symbols and functions are allowed in an answer")
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Compare):
            raise ExpressionError(
                "comparisons (<, >, =, ...) are only allowed in Piecewise conditions: write only the formula"
            )
        if isinstance(node, ast.BoolOp):
            raise ExpressionError("'and'/'or' are only allowed in Piecewise conditions")
        if isinstance(node, ast.Tuple):
            raise ExpressionError("unexpected ',': commas only separate the arguments of a function")
        raise ExpressionError(f"{_NODE_NAMES.get(type(node), type(node).__name__)} is not allowed in an answer")

    def _name(self, identifier: str) -> sympy.Expr:
        match = re.fullmatch(r"A(\d+)", identifier)
        if match is not None and int(match.group(1)) < len(self.atoms):
            return self.atoms[int(match.group(1))]
        match = re.fullmatch(r"F(\d+)", identifier)
        if match is not None and int(match.group(1)) < len(self.functions):
            function = self.functions[int(match.group(1))]
            raise ExpressionError(f"'{function}' must be followed by parentheses, as in {function}(x)")
        raise ExpressionError("the answer contains a name that is not allowed")

    def condition(self, node: ast.AST) -> sympy.Basic:
        """A Piecewise condition: comparisons joined by and/or, or True/otherwise."""
        if isinstance(node, ast.Constant) and node.value is True:
            return sympy.true
        if isinstance(node, ast.BoolOp):
            parts = [self.condition(value) for value in node.values]
            return sympy.And(*parts) if isinstance(node.op, ast.And) else sympy.Or(*parts)
        if isinstance(node, ast.Compare):
            relations = {
                ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
                ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
            }
            left = self.value(node.left)
            parts = []
            for op, comparator in zip(node.ops, node.comparators):
                relation = relations.get(type(op))
                if relation is None:
                    raise ExpressionError("only <, <=, >, >=, = and != are allowed in a condition")
                right = self.value(comparator)
                parts.append(relation(left, right))
                left = right
            return sympy.And(*parts)
        raise ExpressionError("a Piecewise condition must be a comparison such as n < 0, or 'otherwise'")

    def _binop(self, node: ast.BinOp) -> sympy.Expr:
        if isinstance(node.op, ast.Pow):
            return self._power(self.value(node.left), self.value(node.right))
        if not isinstance(node.op, _ADDITIVE + _MULTIPLICATIVE):
            raise ExpressionError("only + - * / // and ^ are allowed as operators")
        group = _ADDITIVE if isinstance(node.op, _ADDITIVE) else _MULTIPLICATIVE
        chain: list[tuple[ast.operator, ast.AST]] = []
        current: ast.AST = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, group):
            chain.append((current.op, current.right))
            current = current.left
        result = self.value(current)
        for op, right_node in reversed(chain):
            right = self.value(right_node)
            if isinstance(op, ast.Add):
                result = result + right
            elif isinstance(op, ast.Sub):
                result = result - right
            elif isinstance(op, ast.Mult):
                result = result * right
            else:
                if right.is_zero:
                    raise ExpressionError("the answer divides by zero")
                result = sympy.floor(result / right) if isinstance(op, ast.FloorDiv) else result / right
            result = self._checked(result)
        return result

    def _power(self, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        """``base ** exponent`` after checking that the result stays small."""
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise ExpressionError(f"exponent too large: exponents may be at most {MAX_EXPONENT} in size")
            if base.is_Rational and exponent.is_Rational:
                if base.is_zero and exponent.is_negative:
                    raise ExpressionError("the answer divides by zero (0 to a negative power)")
                if _digits(base) * abs(float(exponent)) > MAX_RESULT_DIGITS:
                    raise ExpressionError("number too large: the answer has a power with a huge value")
        elif exponent.free_symbols:
            for sub in sympy.preorder_traversal(exponent):
                if (isinstance(sub, sympy.Pow) and sub.exp.free_symbols) or (
                    isinstance(sub, sympy.exp) and sub.free_symbols
                ):
                    raise ExpressionError("towers of powers such as 2^(2^n) are not supported")
        else:  # a number that is not a literal, such as pi*10^1000: bound its size
            size = abs(complex(exponent.evalf(15)))
            if not size <= MAX_EXPONENT:
                raise ExpressionError(f"exponent too large: exponents may be at most {MAX_EXPONENT} in size")
        return self._checked(sympy.Pow(base, exponent))

    @staticmethod
    def _checked(value: sympy.Expr) -> sympy.Expr:
        if isinstance(value, sympy.Rational) and _digits(value) > 4 * MAX_RESULT_DIGITS:
            raise ExpressionError("number too large: the answer contains a huge number")
        return value

    def _call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name) or not re.fullmatch(r"F\d+", node.func.id):
            raise ExpressionError("only the functions sqrt, floor, ceiling, Abs, Max, Min, log, exp, "
                                  "sign, Heaviside, Rational and Piecewise can be called")
        index = int(node.func.id[1:])
        if index >= len(self.functions):
            raise ExpressionError("the answer calls something that is not an allowed function")
        function = self.functions[index]
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise ExpressionError(f"'{function}' takes plain arguments only (no name=value, no '*')")
        if function == "Piecewise":
            return self._piecewise(node.args)
        args = [self.value(arg) for arg in node.args]
        builder, arities = _FUNCTION_BUILDERS[function]
        if len(args) not in arities and not (arities == () and args):
            expected = " or ".join(str(a) for a in arities) if arities else "at least 1"
            raise ExpressionError(f"'{function}' takes {expected} argument(s), got {len(args)}")
        return self._checked(builder(args))

    def _piecewise(self, args: Sequence[ast.AST]) -> sympy.Expr:
        if not args:
            raise ExpressionError("Piecewise needs at least one (value, condition) pair")
        pairs = []
        for arg in args:
            if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                raise ExpressionError("each Piecewise argument must be a pair (value, condition)")
            pairs.append((self.value(arg.elts[0]), self.condition(arg.elts[1])))
        return sympy.Piecewise(*pairs)


def _power_of_e(exponent: sympy.Expr) -> sympy.Expr:
    """``exp(x)``, refusing a numeric x so large that rounding it (floor, ...) would hang."""
    if exponent.is_number and not abs(complex(exponent.evalf(15))) <= 3 * MAX_EXPONENT:
        raise ExpressionError(f"exponent too large: exp(x) needs |x| <= {3 * MAX_EXPONENT}")
    return sympy.exp(exponent)


def _rational(args: Sequence[sympy.Expr]) -> sympy.Expr:
    numerator, denominator = args
    if not (numerator.is_Integer and denominator.is_Integer):
        raise ExpressionError("Rational(p, q) needs two whole numbers")
    if denominator.is_zero:
        raise ExpressionError("the answer divides by zero")
    return sympy.Rational(int(numerator), int(denominator))


def _heaviside(args: Sequence[sympy.Expr]) -> sympy.Expr:
    # Discrete-time convention of the course: the unit step u(0) = 1.
    return sympy.Heaviside(args[0], 1 if len(args) == 1 else args[1])


_FUNCTION_BUILDERS: dict[str, tuple[Callable[[Sequence[sympy.Expr]], sympy.Expr], tuple[int, ...]]] = {
    "sqrt": (lambda a: sympy.sqrt(a[0]), (1,)),
    "floor": (lambda a: sympy.floor(a[0]), (1,)),
    "ceiling": (lambda a: sympy.ceiling(a[0]), (1,)),
    "Abs": (lambda a: sympy.Abs(a[0]), (1,)),
    "exp": (lambda a: _power_of_e(a[0]), (1,)),
    "sign": (lambda a: sympy.sign(a[0]), (1,)),
    "log": (lambda a: sympy.log(*a), (1, 2)),
    "Max": (lambda a: sympy.Max(*a), ()),
    "Min": (lambda a: sympy.Min(*a), ()),
    "Heaviside": (_heaviside, (1, 2)),
    "Rational": (_rational, (2,)),
}


def _degree_bound(expr: sympy.Basic) -> float:
    """Rough polynomial degree, to refuse inputs like ``((x+1)^1000+1)^1000``."""
    if expr.is_Symbol:
        return 1.0
    if expr.is_Atom:
        return 0.0
    if isinstance(expr, sympy.Pow):
        base = _degree_bound(expr.base)
        if expr.exp.is_Number:
            return base * float(abs(expr.exp))
        return base * (1.0 + _degree_bound(expr.exp))
    degrees = [_degree_bound(arg) for arg in expr.args]
    if isinstance(expr, sympy.Mul):
        return sum(degrees)
    return max(degrees, default=0.0)


def _check_result(result: object) -> sympy.Expr:
    if not isinstance(result, sympy.Expr):  # relationals and True/False are not Expr
        raise ExpressionError("the answer must be a formula, not a condition")
    if result.has(sympy.nan):
        raise NotFinite("the answer is undefined (NaN, not a number): not a usable answer")
    if result.has(sympy.zoo):
        raise NotFinite("the answer is undefined (for example, it divides by zero): not a usable answer")
    if result.has(sympy.oo, -sympy.oo):
        raise NotFinite("the answer is infinite: not a usable answer")
    for sub in sympy.preorder_traversal(result):
        if isinstance(sub, sympy.Pow) and sub.exp.is_Number and abs(sub.exp) > MAX_EXPONENT:
            raise ExpressionError(f"exponent too large: exponents may be at most {MAX_EXPONENT} in size")
    if _degree_bound(result) > MAX_DEGREE:
        raise ExpressionError("the answer's powers are too large to check")
    return result


def _syntax_message(error: SyntaxError, source: _Source) -> str:
    offset = (error.offset or 1) - 1
    if offset >= len(source.text.rstrip()):
        return "the answer ends too early: an operand or a closing bracket is missing"
    for start, end, token in source.spans:
        if start <= offset < end + 1:
            return f"could not read the answer near '{token.text}': check the operators and brackets"
    return "could not read the answer: check the operators and brackets"


def _parse(text: str, table: SymbolTable) -> sympy.Expr:
    tokens = scan(text, table)
    if not tokens:
        raise ExpressionError("the answer is empty")
    if tokens[-1].kind in ("op", "comma", "and", "or"):
        raise ExpressionError(f"the answer ends with '{tokens[-1].text}': something is missing after it")
    tokens = with_implicit_multiplication(tokens)
    if len(tokens) > MAX_TOKENS:
        raise ExpressionError(f"the answer is too long ({len(tokens)} symbols and operators; at most {MAX_TOKENS})")
    source = _to_source(tokens)
    try:
        tree = ast.parse(source.text, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(_syntax_message(error, source)) from None
    if sum(isinstance(node, ast.expr) for node in ast.walk(tree)) > MAX_NODES:
        raise ExpressionError("the answer is too complex to check (too many parts)")
    if _ast_depth(tree) > MAX_AST_DEPTH:
        raise ExpressionError("the answer is nested too deeply")
    try:
        result = _Builder(source).value(tree)
    except (ExpressionError, TimeLimitExceeded):
        raise
    except Exception:  # sympy rejects some well-formed but meaningless input in many ways
        raise ExpressionError("the answer could not be read as a formula (check function arguments "
                              "and conditions)") from None
    return _check_result(result)


def parse_expression(text: str, table: SymbolTable) -> sympy.Expr:
    """Read a student's formula with the part's declared symbols, without eval.

    Raises :class:`ExpressionError` (and nothing else) for anything that is not a
    well-formed formula over ``table``'s symbols, with a message meant for the student.
    """
    if not isinstance(text, str):
        raise ExpressionError("the answer must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the answer is too long ({len(text)} characters; at most {MAX_LENGTH})")
    text = normalise_text(text)
    if not text:
        raise ExpressionError("the answer is empty")
    try:
        with time_limit(PARSE_SECONDS):
            return _parse(text, table)
    except TimeLimitExceeded:
        raise ExpressionError("the answer took too long to read; write it more simply") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the answer is nested too deeply or is too large") from None


def describe(expr: sympy.Expr, *, max_length: int = 300) -> str:
    """How the grader read an answer, in plain notation (``3*k*m*n^2``).

    Shown in feedback so that a student can spot a misreading (for example that
    ``1/2x`` was read as ``x/2``).
    """
    text = sympy.sstr(expr).replace("**", "^")
    if len(text) > max_length:
        text = text[: max_length - 3] + "..."
    return text
