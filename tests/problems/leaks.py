"""Does a visible text give a part's answer away? The detectors behind the no-reveal tests.

An answer "appears" in a text when one of its printed forms does, compared after
folding case, spacing and `*` (so "w - lr dw" is "w - lr * dw"). Long forms (four
characters or more once folded) are looked for anywhere; a short one ("F", "0",
"no") only where the text states it ("is F", "= 0", "the answer is no"), since
such a token alone occurs in innocent text ("2 x 2 max pooling"). A key is also
cut into its pieces (the cells of a table, the two sides of "dX = dY / 4"), each
of which would give away part of the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import sympy

from autograder.assignment import Assignment
from autograder.symbolic import ExpressionError, SymbolTable, compare, parse_expression

LONG = 4
_STATEMENT = r"(?:=|\bis\b|\bare\b|\bequals\b|\bbe\b|\bgets\b|\bgives\b|\bto\b)\s*"
_ECHO = re.compile(r"Read as: .*?\.(?=\s|$)|read as [^:,.\n]*[:,]", re.DOTALL)


def fold(text: str) -> str:
    return re.sub(r"[\s*]+", "", text.lower())


def key_pieces(key: str) -> list[str]:
    """The whole key and the pieces it is made of: cells ("a: 1; b: 2"), clauses, both sides of "="."""
    pieces = [key]
    clauses = []
    for item in re.split(r";\s+|\n", key):
        label, _, value = item.partition(": ")
        if value and " " not in label.strip():
            clauses.append(value)  # "conv1_params: 100", "0: unstable": the label names a cell, the value is the answer
        else:
            clauses.extend(item.split(": "))  # "formula: what it means"
    for clause in clauses:
        clause = clause.strip()
        if clause and clause not in pieces:
            pieces.append(clause)
        if " = " not in clause:
            continue
        value = _balanced_core(clause.split(" = ", 1)[1].strip())  # the left side only names the thing
        head = _FORMULA_HEAD.match(value)
        for piece in (value, head.group(0) if head else ""):
            if piece and piece not in pieces:
                pieces.append(piece)
    return pieces


#: The formula a clause starts with, operands joined by operators: "dY / 4" in "dY / 4 on every entry".
_FORMULA_HEAD = re.compile(r"[\w\[\]{}()^.]+(?:\s*[-+*/^]\s*[\w\[\]{}()^.]+)+")


def _balanced_core(text: str) -> str:
    """`text` without brackets left open at its start or closed at its end ("dY / 4 on" stays, "(i, j)" stays)."""
    while text and text[-1] in ")]}" and text.count(text[-1]) > text.count({")": "(", "]": "[", "}": "{"}[text[-1]]):
        text = text[:-1].rstrip()
    while text and text[0] in "([{" and text.count(text[0]) > text.count({"(": ")", "[": "]", "{": "}"}[text[0]]):
        text = text[1:].lstrip()
    return text


def _states(text: str, form: str) -> bool:
    """`form` (short) stated as a value in `text`: "is F", "= 0", not a bare token of other words."""
    pattern = _STATEMENT + re.escape(form.lower()) + r"(?![\w^/(]|\.\d)"
    return re.search(pattern, text.lower()) is not None


def revealed(text: str, forms: Iterable[str], public: Sequence[str] = ()) -> str | None:
    """The first of `forms` that `text` gives away, or None.

    `public` lists words every student sees anyway (a part's choices): they count only
    when stated as the value, never by their mere presence.
    """
    folded = fold(text)
    for form in forms:
        piece = fold(form)
        if not piece:
            continue
        short = len(piece) < LONG or fold(form) in {fold(p) for p in public}
        if short:
            if _states(text, form.strip()):
                return form
        elif piece in folded:
            return form
    return None


def without_echo(output: str) -> str:
    """A test output without the echo of the student's own answer ("Read as: ...", "read as ...:")."""
    return _ECHO.sub(" ", output)


#: How the answer key names a mistake recognised in the student's answer (autograder.feedback.answer_key_lines).
RECOGNISED = "  recognised in your answer: "


def answer_keys(assignment: Assignment, outputs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{part id: key} from the answer-key tests of a results list (name, output pairs)."""
    prefixes = {f"{part.id} ({part.title}): ": part.id for part in assignment.parts}
    keys: dict[str, str] = {}
    for name, output in outputs:
        if not name.endswith(": answer key"):
            continue
        current = None
        for line in output.splitlines()[1:]:
            for prefix, part_id in prefixes.items():
                if line.startswith(prefix):
                    current = part_id
                    keys[part_id] = line[len(prefix):]
                    break
            else:
                if line.startswith(RECOGNISED):
                    continue  # a mistake named in the student's own answer, not part of the key
                if current is not None:
                    keys[current] += "\n" + line
    return keys


def formula_windows(text: str, table: SymbolTable, longest: int = 8) -> list[tuple[str, sympy.Expr]]:
    """Every run of up to `longest` words of `text` that reads as a formula over `table` (and uses a symbol)."""
    words = text.split()
    found = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + longest) + 1):
            candidate = " ".join(words[start:end]).strip(".,:;")
            try:
                formula = parse_expression(candidate, table)
            except ExpressionError:
                continue
            if formula.free_symbols and not formula.is_Symbol:  # naming a symbol states nothing about it
                found.append((candidate, formula))
    return found


def formula_revealed(text: str, reference: sympy.Expr, table: SymbolTable) -> str | None:
    """A formula written in `text` that is equivalent to `reference` (which has symbols), or None."""
    for candidate, formula in formula_windows(text, table):
        if formula.free_symbols == reference.free_symbols and compare(formula, reference, table, samples=12).equivalent:
            return candidate
    return None
