"""Python source without docstrings and comments, for the copy of the engine in the student kit.

Why: the engine's documentation uses worked examples, and an example can be a
homework answer (a docstring of the parser once showed `2 c d_out^2 d_in`, the
answer of hw4.p1a). The kit's leak test searches every kit file for every
reference answer; shipping the engine without docstrings and comments removes
that whole class of accidental leaks. Line numbers are kept (a docstring becomes
`""` followed by as many newlines), so tracebacks still point at the right line.
"""

from __future__ import annotations

import ast
import io
import tokenize


def _docstring_spans(tree: ast.AST) -> list[tuple[int, int, int, int]]:
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                value = first.value
                spans.append((value.lineno, value.col_offset, value.end_lineno or value.lineno, value.end_col_offset or 0))
    return spans


def strip_source(source: str) -> str:
    """The source with docstrings replaced by "" and comments removed; unchanged if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    for start, col, end, end_col in sorted(_docstring_spans(tree), reverse=True):
        head = _prefix(lines[start - 1], col)
        tail = _suffix(lines[end - 1], end_col)
        replacement = head + '""' + "\n" * (end - start) + tail
        lines[start - 1 : end] = replacement.splitlines(keepends=True) or [replacement]
    text = "".join(lines)
    text = _drop_comments(text)
    try:
        compile(text, "<stripped>", "exec")
    except SyntaxError:
        return source
    return text


def _prefix(line: str, column: int) -> str:
    return line.encode("utf-8")[:column].decode("utf-8")


def _suffix(line: str, column: int) -> str:
    return line.encode("utf-8")[column:].decode("utf-8")


def _drop_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT and not token.string.startswith("#!"):
            row, col = token.start
            line = lines[row - 1]
            cut = line[:col]
            newline = "\n" if line.endswith("\n") else ""
            lines[row - 1] = cut.rstrip() + newline if cut.strip() else newline
    return "".join(lines)
