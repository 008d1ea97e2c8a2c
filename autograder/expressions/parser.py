"""Eval-free reading of a student's formula into a sympy expression.

Student text is hostile.  sympy's ``sympify``/``parse_expr`` run ``eval`` on it, so this
module never hands text to anything that evaluates it.  Reading happens in four steps:

1. *Normalise and scan* (:class:`_Scanner`): a hand-written scanner turns the text into
   tokens.  It understands ordinary notation (``^``, ``·``, ``×``, ``−``, ``²``, ``⌊x⌋``,
   ``|x|``) and the LaTeX a student pastes (``\\frac{a}{b}``, ``\\sqrt{x}``, ``\\left(``,
   ``\\lfloor``, ``\\begin{cases}``).  Every name is resolved here against the part's
   :class:`SymbolTable` or the small allow-lists of constants and functions; anything else
   stops with an :class:`ExpressionError`.  Numbers, symbols and constants become opaque
   placeholders, so the text handed to Python's parser contains only placeholders,
   integer literals, operators, parentheses, commas, ``and``/``or`` and ``True``.
2. *Implicit multiplication*: ``*`` is inserted between adjacent operands
   (``2 c d_out^2 d_in``, ``3(x+1)``, ``(a)(b)``).
3. ``ast.parse(..., mode="eval")`` supplies precedence and associativity only.
4. *Allow-listed walk* (:class:`_Builder`): each node type that may occur is built into
   sympy objects directly; every other node type is an error.

Resource guards (length, nesting, digits, exponent sizes, node count, degree, a time
limit) reject abusive input such as ``9**9**9`` before anything large is computed.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import sympy

from .symbols import GREEK_LETTERS, UNICODE_GREEK, SymbolTable, normalise_name
from .timeouts import TimeLimitExceeded, time_limit

MAX_LENGTH = 2000
MAX_NESTING = 50
MAX_DIGITS = 50
MAX_EXPONENT = 1000
MAX_RESULT_DIGITS = 5000
MAX_TOKENS = 600
MAX_NODES = 500
MAX_AST_DEPTH = 100
MAX_DEGREE = 2000
PARSE_SECONDS = 1.0


class ExpressionError(ValueError):
    """The answer cannot be read as a formula.

    The message is shown to the student: it says what was wrong and where, in their
    terms, and never mentions a reference answer (the parser never sees one).
    """


# ----------------------------------------------------------------------------- allow-lists

FUNCTIONS: dict[str, str] = {
    "sqrt": "sqrt", "floor": "floor", "ceiling": "ceiling", "ceil": "ceiling",
    "Abs": "Abs", "abs": "Abs", "Max": "Max", "max": "Max", "Min": "Min", "min": "Min",
    "log": "log", "ln": "log", "exp": "exp", "Piecewise": "Piecewise", "piecewise": "Piecewise",
    "Heaviside": "Heaviside", "heaviside": "Heaviside", "Rational": "Rational",
    "sign": "sign", "sgn": "sign",
}

CONSTANTS: dict[str, sympy.Expr] = {
    "pi": sympy.pi, "E": sympy.E, "e": sympy.E,
    "oo": sympy.oo, "inf": sympy.oo, "infty": sympy.oo, "infinity": sympy.oo,
}

# Names that only an attack would write; rejected with "not allowed" rather than
# "unknown symbol" so that the message is honest about why.
_FORBIDDEN_NAMES: frozenset[str] = frozenset({
    "eval", "exec", "compile", "open", "import", "getattr", "setattr", "delattr", "globals",
    "locals", "vars", "lambda", "input", "print", "breakpoint", "help", "dir", "type",
    "object", "class", "def", "sympy", "os", "sys", "subprocess", "builtins", "sympify",
    "parse_expr", "lambdify", "srepr", "system", "popen", "memoryview", "bytes",
})

_TRUE_WORDS = frozenset({"True", "true", "otherwise", "else"})
_FILLER_TEXT = frozenset({"", "if", "for", "when", "where", ","})
_LATEX_NAME_COMMANDS = frozenset(GREEK_LETTERS) | {
    "varepsilon", "vartheta", "varphi", "varsigma", "varrho", "varpi",
    "log", "ln", "exp", "max", "min", "infty",
}
_SKIPPED_COMMANDS = frozenset({
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "Biggl", "Biggr", "displaystyle", "textstyle", "quad", "qquad",
})
_TEXT_COMMANDS = frozenset({
    "text", "mathrm", "textrm", "mathit", "textit", "mathsf", "operatorname", "mathbf",
})
_COMMAND_OPERATORS: dict[str, tuple[str, str]] = {
    "cdot": ("op", "*"), "times": ("op", "*"), "ast": ("op", "*"), "div": ("op", "/"),
    "le": ("op", "<="), "leq": ("op", "<="), "leqslant": ("op", "<="),
    "ge": ("op", ">="), "geq": ("op", ">="), "geqslant": ("op", ">="),
    "lt": ("op", "<"), "gt": ("op", ">"), "ne": ("op", "!="), "neq": ("op", "!="),
    "land": ("and", "and"), "wedge": ("and", "and"), "lor": ("or", "or"), "vee": ("or", "or"),
}

_CHAR_MAP: dict[str, str] = {
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\ufe63": "-",
    "\uff0d": "-", "\u00b7": "*", "\u22c5": "*", "\u00d7": "*", "\u2219": "*", "\u2217": "*",
    "\u2715": "*", "\u00f7": "/", "\u2215": "/", "\u2264": "<=", "\u2a7d": "<=",
    "\u2265": ">=", "\u2a7e": ">=", "\u2260": "!=", "\u2227": " and ", "\u2228": " or ",
    "\u230a": " \\lfloor ", "\u230b": " \\rfloor ", "\u2308": " \\lceil ", "\u2309": " \\rceil ",
    "\u221a": " \\sqrt ", "\u221e": " oo ", "\u200b": "", "\ufeff": "",
}
_SUPERSCRIPT_RUN = re.compile("[\u2070\u00b9\u00b2\u00b3\u2074-\u207e\u207f]+")
_SUPERSCRIPT_TABLE = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b\u207c\u207d\u207e\u207f",
    "0123456789+-=()n",
)
_SUBSCRIPT_RUN = re.compile("[\u2080-\u2089]+")
_SUBSCRIPT_TABLE = str.maketrans("\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089", "0123456789")

_DIGITS = frozenset("0123456789")
_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_WORD_CHARS = _ASCII_WORD | frozenset(UNICODE_GREEK)
_WORD_START = _WORD_CHARS - _DIGITS
_CALL_AHEAD = re.compile(r"\s*(?:\\(?:left|bigl|big|Bigl|Big)\s*)?[({]")
_QUOTES = frozenset("'\"`\u2018\u2019\u201c\u201d")

_OPERAND_END = frozenset({"num", "atom", "rp"})
_OPERAND_START = frozenset({"num", "atom", "func", "lp"})


@dataclass(frozen=True)
class _Tok:
    """One scanned token; ``text`` is what the student wrote, for messages."""

    kind: str  # num | atom | func | op | lp | rp | comma | and | or | true
    text: str
    value: object = None


def _tok(kind: str, text: str, value: object = None) -> _Tok:
    return _Tok(kind, text, value)


_LP = _tok("lp", "(")
_RP = _tok("rp", ")")
_COMMA = _tok("comma", ",")


# ----------------------------------------------------------------------------- scanning


def _normalise_text(text: str) -> str:
    """Map unicode notation to the ASCII/LaTeX forms the scanner reads."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^(" + m.group().translate(_SUPERSCRIPT_TABLE) + ")", text)
    text = _SUBSCRIPT_RUN.sub(lambda m: "_" + m.group().translate(_SUBSCRIPT_TABLE), text)
    text = "".join(_CHAR_MAP.get(ch, ch) for ch in text)
    text = text.strip()
    while len(text) >= 2 and text.startswith("$") and text.endswith("$"):
        text = text[1:-1].strip()  # pasted LaTeX math delimiters
    return text


class _Scanner:
    """Recursive scanner; recursion depth is bounded by :data:`MAX_NESTING`."""

    def __init__(self, text: str, table: SymbolTable) -> None:
        self.s = text
        self.i = 0
        self.table = table
        self.depth = 0

    # -- helpers
    def _peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def _skip_space(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    @contextmanager
    def _nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"the answer is nested too deeply (more than {MAX_NESTING} levels)")
        try:
            yield
        finally:
            self.depth -= 1

    def tokens(self) -> list[_Tok]:
        out, _ = self.scan(frozenset(), None)
        return out

    # -- the main loop
    def scan(self, closers: frozenset[str], opener: str | None) -> tuple[list[_Tok], str | None]:
        """Scan until one of ``closers`` (consumed and returned) or, at top level, the end."""
        out: list[_Tok] = []
        while True:
            self._skip_space()
            if self.i >= len(self.s):
                if closers:
                    raise ExpressionError(f"unbalanced parentheses: '{opener}' is never closed")
                return out, None
            c = self.s[self.i]
            if c in _DIGITS or (c == "." and self._peek(1) in _DIGITS and self._peek(1) != ""):
                out.append(self._number())
            elif c in _WORD_START:
                raw = self._word()
                out.extend(self._classify(raw))
            elif c == "\\":
                closer = self._command(out, closers)
                if closer is not None:
                    return out, closer
            elif c in "([{":
                close = {"(": ")", "[": "]", "{": "}"}[c]
                self.i += 1
                out.extend(self._group(c, close))
            elif c in ")]}":
                self.i += 1
                if c in closers:
                    return out, c
                if opener is None:
                    raise ExpressionError(f"unbalanced parentheses: '{c}' has no matching opening bracket")
                raise ExpressionError(f"unbalanced parentheses: '{c}' does not match '{opener}'")
            elif c == "|":
                self.i += 1
                if "|" in closers and out and out[-1].kind in _OPERAND_END:
                    return out, "|"
                out.extend(self._abs_group("|", "|"))
            elif c == "&":
                self.i += 1
                if "&" in closers:
                    return out, "&"
                out.append(_tok("and", "&"))
            else:
                out.append(self._operator(c))

    def _group(self, opener: str, closer: str) -> list[_Tok]:
        with self._nested():
            inner, _ = self.scan(frozenset({closer}), opener)
        if not inner:
            raise ExpressionError(f"empty brackets '{opener}{closer}' in the answer")
        return [_LP, *inner, _RP]

    def _abs_group(self, opener: str, closer: str) -> list[_Tok]:
        with self._nested():
            inner, _ = self.scan(frozenset({closer}), opener)
        if not inner:
            raise ExpressionError("empty absolute value bars '||' in the answer")
        return [_tok("func", "|", "Abs"), _LP, *inner, _RP]

    def _number(self) -> _Tok:
        start = self.i
        while self._peek() in _DIGITS and self._peek():
            self.i += 1
        if self._peek() == "." and self._peek(1) in _DIGITS and self._peek(1):
            self.i += 1
            while self._peek() in _DIGITS and self._peek():
                self.i += 1
        elif self._peek() == "." and not (self._peek(1) in _WORD_START and self._peek(1)):
            self.i += 1  # "2." is the integer 2
        text = self.s[start:self.i]
        digits = sum(ch in _DIGITS for ch in text)
        if digits > MAX_DIGITS:
            raise ExpressionError(f"number too large: '{text[:12]}...' has more than {MAX_DIGITS} digits")
        if "." in text.rstrip("."):
            exact = Fraction(text)
            return _tok("atom", text, sympy.Rational(exact.numerator, exact.denominator))
        return _tok("num", text, int(text.rstrip(".")))

    def _word(self) -> str:
        start = self.i
        while self._peek() and self._peek() in _WORD_CHARS:
            self.i += 1
        raw = self.s[start:self.i]
        if raw.endswith("_") and self._peek() in ("{", "\\") and self._peek():
            raw += self._subscript_tail()
        return raw

    def _subscript_tail(self) -> str:
        """The ``{...}`` or ``\\text{...}`` after a trailing underscore, verbatim."""
        if self._peek() == "{":
            return self._raw_braces()
        match = re.compile(r"\\[A-Za-z]+\s*").match(self.s, self.i)
        if match is None:
            raise ExpressionError("a subscript after '_' could not be read")
        self.i = match.end()
        tail = match.group()
        if self._peek() == "{":
            tail += self._raw_braces()
        return tail

    def _raw_braces(self) -> str:
        start = self.i
        level = 0
        while self.i < len(self.s):
            ch = self.s[self.i]
            self.i += 1
            if ch == "{":
                level += 1
                if level > 5:
                    raise ExpressionError("a subscript is nested too deeply")
            elif ch == "}":
                level -= 1
                if level == 0:
                    return self.s[start:self.i]
        raise ExpressionError("unbalanced braces: a '{' in a subscript is never closed")

    def _calls_next(self) -> bool:
        return _CALL_AHEAD.match(self.s, self.i) is not None

    def _classify(self, raw: str) -> list[_Tok]:
        """Resolve a written name: declared symbol, keyword, constant, function, or error."""
        name = normalise_name(raw)
        symbol = self.table.resolve(raw)
        if symbol is not None:
            return [_tok("atom", raw, symbol)]
        if name in ("and", "or"):
            return [_tok(name, raw)]
        if name in _TRUE_WORDS:
            return [_tok("true", raw)]
        if name in CONSTANTS:
            return [_tok("atom", raw, CONSTANTS[name])]
        if name in FUNCTIONS:
            if self._calls_next():
                return [_tok("func", raw, FUNCTIONS[name])]
            raise ExpressionError(f"'{raw}' must be followed by parentheses, as in {name}(x)")
        if raw == name and (name.startswith("_") or "__" in name or name in _FORBIDDEN_NAMES):
            raise ExpressionError(f"'{raw}' is not allowed in an answer")
        pieces = self._split(name)
        if pieces is not None:
            return [_tok("atom", piece, self._piece_value(piece)) for piece in pieces]
        uses = ", ".join(self.table.names()) or "no symbols (a number is expected)"
        raise ExpressionError(f"unknown symbol '{raw}': this part uses {uses}")

    def _piece_value(self, piece: str) -> sympy.Expr:
        symbol = self.table.resolve(piece)
        return CONSTANTS["pi"] if symbol is None else symbol

    def _split(self, name: str) -> list[str] | None:
        """The unique way to read ``name`` as a product of declared names (``cd`` -> c*d)."""
        if len(name) > 60:
            return None
        known = lambda piece: self.table.resolve(piece) is not None or piece == "pi"  # noqa: E731
        # ways[i]: number of readings of name[i:] (capped at 2) and the first one found.
        ways: list[tuple[int, list[str]]] = [(0, [])] * len(name) + [(1, [])]
        for i in range(len(name) - 1, -1, -1):
            count, best = 0, []
            for j in range(i + 1, len(name) + 1):
                piece = name[i:j]
                if ways[j][0] and known(piece):
                    if count == 0:
                        best = [piece, *ways[j][1]]
                    count = min(2, count + ways[j][0])
            ways[i] = (count, best)
        count, best = ways[0]
        return best if count == 1 and len(best) > 1 else None

    def _operator(self, c: str) -> _Tok:
        two = self.s[self.i:self.i + 2]
        if two in ("**", "//", "<=", ">=", "==", "!="):
            self.i += 2
            return _tok("op", two)
        self.i += 1
        if c in "+-*/<>":
            return _tok("op", c)
        if c == "^":
            return _tok("op", "**")
        if c == "=":
            return _tok("op", "==")
        if c == ",":
            return _COMMA
        if c in _QUOTES:
            raise ExpressionError("quotes are not allowed: write the formula itself, not text in quotes")
        if c == "!":
            raise ExpressionError("'!' (factorial) is not allowed in an answer")
        if c == ".":
            raise ExpressionError("'.' is only allowed inside a number, such as 0.5")
        if c.isprintable() and not c.isspace():
            hint = "" if c.isascii() else f" (U+{ord(c):04X})"
            raise ExpressionError(f"the character '{c}'{hint} is not allowed in an answer")
        raise ExpressionError(f"an invisible control character (U+{ord(c):04X}) is not allowed in an answer")

    # -- LaTeX commands
    def _command(self, out: list[_Tok], closers: frozenset[str]) -> str | None:
        """Read one backslash command, appending its tokens; return a closer if it is one."""
        start = self.i
        self.i += 1
        nxt = self._peek()
        if nxt == "\\":
            self.i += 1
            if "\\\\" in closers:
                return "\\\\"
            raise ExpressionError("'\\\\' (a new line) is only allowed inside \\begin{cases}")
        if nxt and nxt in ",;:! ":
            self.i += 1
            return None
        if nxt in ("{", "}") and nxt:
            self.i += 1
            if nxt == "}":
                if "\\}" in closers:
                    return "\\}"
                raise ExpressionError("unbalanced braces: '\\}' has no matching '\\{'")
            out.extend(self._group("\\{", "\\}"))
            return None
        match = re.compile(r"[A-Za-z]+").match(self.s, self.i)
        if match is None:
            raise ExpressionError(f"'{self.s[start:start + 2]}' is not supported in an answer")
        name = match.group()
        self.i = match.end()
        written = "\\" + name
        if name in _SKIPPED_COMMANDS:
            self._skip_space()
            if name in ("left", "right") and self._peek() == ".":
                self.i += 1
            return None
        if name in _COMMAND_OPERATORS:
            kind, value = _COMMAND_OPERATORS[name]
            out.append(_tok(kind, value))
            return None
        if name in ("frac", "dfrac", "tfrac"):
            numerator = self._argument(written, single_char=True)
            denominator = self._argument(written, single_char=True)
            out.extend([_LP, _LP, *numerator, _RP, _tok("op", "/"), _LP, *denominator, _RP, _RP])
            return None
        if name == "sqrt":
            out.extend(self._sqrt())
            return None
        if name in ("lfloor", "lceil"):
            function = "floor" if name == "lfloor" else "ceiling"
            closer = "\\r" + name[1:]
            with self._nested():
                inner, _ = self.scan(frozenset({closer}), written)
            if not inner:
                raise ExpressionError(f"empty '{written} {closer}' in the answer")
            out.extend([_tok("func", written, function), _LP, *inner, _RP])
            return None
        if name in ("lvert", "vert"):
            if name == "vert" and "|" in closers and out and out[-1].kind in _OPERAND_END:
                return "|"
            out.extend(self._abs_group(written, "\\rvert" if name == "lvert" else "|"))
            return None
        if name in ("rfloor", "rceil", "rvert"):
            if written in closers:
                return written
            if name == "rvert" and "|" in closers:
                return "|"
            raise ExpressionError(f"unbalanced brackets: '{written}' has no matching opening bracket")
        if name == "begin":
            environment = self._environment_name()
            if environment != "cases":
                raise ExpressionError(f"'\\begin{{{environment}}}' is not supported in an answer")
            out.extend(self._cases())
            return None
        if name == "end":
            closer = "\\end{" + self._environment_name() + "}"
            if closer in closers:
                return "\\end{cases}"
            raise ExpressionError(f"'{closer}' has no matching \\begin")
        if name in _TEXT_COMMANDS:
            out.extend(self._text_command(written))
            return None
        if name in ("dots", "ldots", "cdots"):
            raise ExpressionError(f"'{written}' cannot be graded: write the formula in closed form")
        if name in _LATEX_NAME_COMMANDS:
            raw = written
            if self._peek() == "_":
                self.i += 1
                raw += "_" + self._subscript_after_underscore()
            out.extend(self._classify(raw))
            return None
        raise ExpressionError(f"'{written}' is not supported in an answer")

    def _subscript_after_underscore(self) -> str:
        if self._peek() in ("{", "\\") and self._peek():
            return self._subscript_tail()
        start = self.i
        while self._peek() and self._peek() in _WORD_CHARS:
            self.i += 1
        if start == self.i:
            raise ExpressionError("a subscript after '_' is missing")
        return self.s[start:self.i]

    def _environment_name(self) -> str:
        match = re.compile(r"\s*\{([A-Za-z*]*)\}").match(self.s, self.i)
        if match is None:
            raise ExpressionError("\\begin and \\end need an environment name, as in \\begin{cases}")
        self.i = match.end()
        name = match.group(1).rstrip("*")
        return "cases" if name == "dcases" else name

    def _argument(self, command: str, *, single_char: bool) -> list[_Tok]:
        """One argument of ``\\frac``/``\\sqrt``: a braced group, ``(...)``, or one atom."""
        self._skip_space()
        c = self._peek()
        if not c:
            raise ExpressionError(f"'{command}' is missing an argument, as in \\frac{{a}}{{b}}")
        if c == "{":
            self.i += 1
            return self._group("{", "}")
        if c == "(" and not single_char:
            self.i += 1
            return self._group("(", ")")
        if c in _DIGITS:
            if single_char:
                self.i += 1
                return [_tok("num", c, int(c))]
            return [self._number()]
        if c in _WORD_START:
            if single_char:
                self.i += 1
                return self._classify(c)
            return self._classify(self._word())
        if c == "\\":
            tokens: list[_Tok] = []
            with self._nested():
                if self._command(tokens, frozenset()) is not None or not tokens:
                    raise ExpressionError(f"'{command}' is missing an argument")
            return [_LP, *tokens, _RP]
        raise ExpressionError(f"'{command}' is missing an argument, as in {command}{{x}}")

    def _sqrt(self) -> list[_Tok]:
        self._skip_space()
        index: list[_Tok] | None = None
        if self._peek() == "[":
            self.i += 1
            index = self._group("[", "]")
        radicand = self._argument("\\sqrt", single_char=False)
        if index is None:
            return [_tok("func", "\\sqrt", "sqrt"), _LP, *radicand, _RP]
        one = _tok("num", "1", 1)
        return [_LP, _LP, *radicand, _RP, _tok("op", "**"), _LP, one, _tok("op", "/"), *index, _RP, _RP]

    def _text_command(self, written: str) -> list[_Tok]:
        match = re.compile(r"\s*\{([^{}\\]*)\}").match(self.s, self.i)
        if match is None:
            raise ExpressionError(f"'{written}' must be followed by plain text in braces, as in {written}{{out}}")
        self.i = match.end()
        content = match.group(1).strip()
        if content in _FILLER_TEXT:
            return []
        if content in _TRUE_WORDS:
            return [_tok("true", content)]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", content):
            raise ExpressionError(f"'{written}{{{content}}}' could not be read as a name")
        return self._classify(content)

    def _cases(self) -> list[_Tok]:
        """``\\begin{cases} v & c \\\\ ... \\end{cases}`` -> ``Piecewise((v, c), ...)``."""
        rows: list[list[_Tok]] = []
        end = "\\end{cases}"
        with self._nested():
            while True:
                value, closer = self.scan(frozenset({"&", "\\\\", end}), "\\begin{cases}")
                if closer == end and not value and rows:
                    break  # a trailing \\ before \end{cases}
                if closer != "&" or not value:
                    raise ExpressionError("each row of \\begin{cases} must be 'value & condition'")
                condition, closer = self.scan(frozenset({"\\\\", end}), "\\begin{cases}")
                if not condition:
                    raise ExpressionError("a row of \\begin{cases} has no condition (use \\text{otherwise})")
                rows.append([_LP, *value, _COMMA, *condition, _RP])
                if closer == end:
                    break
        out: list[_Tok] = [_tok("func", "\\begin{cases}", "Piecewise"), _LP]
        for k, row in enumerate(rows):
            if k:
                out.append(_COMMA)
            out.extend(row)
        out.append(_RP)
        return out


def _with_implicit_multiplication(tokens: Sequence[_Tok]) -> list[_Tok]:
    """Insert ``*`` between adjacent operands; two bare numbers in a row are an error."""
    out: list[_Tok] = []
    for token in tokens:
        if out and out[-1].kind in _OPERAND_END and token.kind in _OPERAND_START:
            if out[-1].kind == "num" and token.kind == "num":
                raise ExpressionError(
                    f"two numbers in a row ('{out[-1].text} {token.text}'): write the operator between them"
                )
            out.append(_tok("op", "*"))
        out.append(token)
    return out


@dataclass
class _Source:
    """Python text for ``ast.parse`` plus what its placeholders stand for."""

    text: str
    atoms: list[sympy.Expr]
    functions: list[str]
    spans: list[tuple[int, int, _Tok]]


def _to_source(tokens: Sequence[_Tok]) -> _Source:
    atoms: list[sympy.Expr] = []
    functions: list[str] = []
    spans: list[tuple[int, int, _Tok]] = []
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
    "exp": (lambda a: sympy.exp(a[0]), (1,)),
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
    if result.has(sympy.zoo, sympy.nan):
        raise ExpressionError("the answer is undefined (for example, it divides by zero)")
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
    tokens = _Scanner(text, table).tokens()
    if not tokens:
        raise ExpressionError("the answer is empty")
    if tokens[-1].kind in ("op", "comma", "and", "or"):
        raise ExpressionError(f"the answer ends with '{tokens[-1].text}': something is missing after it")
    tokens = _with_implicit_multiplication(tokens)
    if len(tokens) > MAX_TOKENS:
        raise ExpressionError(f"the answer is too long ({len(tokens)} symbols and operators; at most {MAX_TOKENS})")
    source = _to_source(tokens)
    try:
        tree = ast.parse(source.text, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(_syntax_message(error, source)) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
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
    text = _normalise_text(text)
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
    """How the grader read an answer, in plain notation (``2*c*d_in*d_out^2``).

    Shown in feedback so that a student can spot a misreading (for example that
    ``1/2x`` was read as ``x/2``).
    """
    text = sympy.sstr(expr).replace("**", "^")
    if len(text) > max_length:
        text = text[: max_length - 3] + "..."
    return text
