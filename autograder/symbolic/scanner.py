r"""Scanning a student's formula into tokens: notation, LaTeX, names, implicit products.

The scanner is where every name is decided: a declared symbol of the part's
:class:`SymbolTable`, an allowed constant, an allowed function, or an error.  What it hands
on contains no free text at all, only tokens whose meaning is fixed (see
:mod:`autograder.symbolic.parser` for the rest of the pipeline).

Accepted notation, besides plain Python-like arithmetic:

* ``^`` for powers, ``//`` for floor division, implicit products (``3 k n^2 m``,
  ``2c``, ``3(x+1)``, ``(a)(b)``), products of declared names written together (``cd``
  when c and d are declared and the split is unique);
* unicode: ``−``, ``·``, ``⋅``, ``×``, ``÷``, ``≤``, ``≥``, ``≠``, superscripts ``d²``
  ``x⁻¹``, subscript digits ``x₁``, ``⌊x⌋``, ``⌈x⌉``, ``√x``, ``∞``, Greek letters;
* LaTeX: ``\frac{a}{b}`` (also ``\dfrac``, ``\tfrac``, ``\frac12``), ``\sqrt{x}``,
  ``\sqrt[n]{x}``, ``\cdot``, ``\times``, ``\left( \right)``, ``{}`` as grouping,
  ``\lfloor \rfloor``, ``\lceil \rceil``, ``|x|``/``\lvert x \rvert``, Greek letters,
  ``\text{..}``/``\mathrm{..}``, ``\le``/``\ge``/``\ne``, and
  ``\begin{cases} v & cond \\ ... & \text{otherwise} \end{cases}`` as a Piecewise;
  surrounding ``$...$`` is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import sympy

from .errors import ExpressionError
from .symbols import GREEK_LETTERS, UNICODE_GREEK, SymbolTable, normalise_name

MAX_NESTING = 50
MAX_DIGITS = 50

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
    "nan": sympy.nan, "NaN": sympy.nan,  # read so that the answer is refused as not a number, not as an unknown symbol
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
class Tok:
    """One scanned token; ``text`` is what the student wrote, for messages."""

    kind: str  # num | atom | func | op | lp | rp | comma | and | or | true
    text: str
    value: object = None


def _tok(kind: str, text: str, value: object = None) -> Tok:
    return Tok(kind, text, value)


_LP = _tok("lp", "(")
_RP = _tok("rp", ")")
_COMMA = _tok("comma", ",")


# ----------------------------------------------------------------------------- scanning


def normalise_text(text: str) -> str:
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

    def tokens(self) -> list[Tok]:
        out, _ = self.scan(frozenset(), None)
        return out

    # -- the main loop
    def scan(self, closers: frozenset[str], opener: str | None) -> tuple[list[Tok], str | None]:
        """Scan until one of ``closers`` (consumed and returned) or, at top level, the end."""
        out: list[Tok] = []
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

    def _group(self, opener: str, closer: str) -> list[Tok]:
        with self._nested():
            inner, _ = self.scan(frozenset({closer}), opener)
        if not inner:
            raise ExpressionError(f"empty brackets '{opener}{closer}' in the answer")
        return [_LP, *inner, _RP]

    def _abs_group(self, opener: str, closer: str) -> list[Tok]:
        with self._nested():
            inner, _ = self.scan(frozenset({closer}), opener)
        if not inner:
            raise ExpressionError("empty absolute value bars '||' in the answer")
        return [_tok("func", "|", "Abs"), _LP, *inner, _RP]

    def _number(self) -> Tok:
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

    def _classify(self, raw: str) -> list[Tok]:
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

    def _operator(self, c: str) -> Tok:
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
    def _command(self, out: list[Tok], closers: frozenset[str]) -> str | None:
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

    def _argument(self, command: str, *, single_char: bool) -> list[Tok]:
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
            tokens: list[Tok] = []
            with self._nested():
                if self._command(tokens, frozenset()) is not None or not tokens:
                    raise ExpressionError(f"'{command}' is missing an argument")
            return [_LP, *tokens, _RP]
        raise ExpressionError(f"'{command}' is missing an argument, as in {command}{{x}}")

    def _sqrt(self) -> list[Tok]:
        self._skip_space()
        index: list[Tok] | None = None
        if self._peek() == "[":
            self.i += 1
            index = self._group("[", "]")
        radicand = self._argument("\\sqrt", single_char=False)
        if index is None:
            return [_tok("func", "\\sqrt", "sqrt"), _LP, *radicand, _RP]
        one = _tok("num", "1", 1)
        return [_LP, _LP, *radicand, _RP, _tok("op", "**"), _LP, one, _tok("op", "/"), *index, _RP, _RP]

    def _text_command(self, written: str) -> list[Tok]:
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

    def _cases(self) -> list[Tok]:
        """``\\begin{cases} v & c \\\\ ... \\end{cases}`` -> ``Piecewise((v, c), ...)``."""
        rows: list[list[Tok]] = []
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
        out: list[Tok] = [_tok("func", "\\begin{cases}", "Piecewise"), _LP]
        for k, row in enumerate(rows):
            if k:
                out.append(_COMMA)
            out.extend(row)
        out.append(_RP)
        return out


def with_implicit_multiplication(tokens: Sequence[Tok]) -> list[Tok]:
    """Insert ``*`` between adjacent operands; two bare numbers in a row are an error."""
    out: list[Tok] = []
    for token in tokens:
        if out and out[-1].kind in _OPERAND_END and token.kind in _OPERAND_START:
            if out[-1].kind == "num" and token.kind == "num":
                raise ExpressionError(
                    f"two numbers in a row ('{out[-1].text} {token.text}'): write the operator between them"
                )
            out.append(_tok("op", "*"))
        out.append(token)
    return out


def scan(text: str, table: SymbolTable) -> list[Tok]:
    """Tokens of already-normalised ``text``; names resolved against ``table``."""
    return _Scanner(text, table).tokens()
