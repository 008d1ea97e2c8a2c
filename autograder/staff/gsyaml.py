"""A reader for the YAML that Gradescope writes into `submission_metadata.yml` (no PyYAML needed).

Gradescope's export is written by Ruby (Psych): block mappings and sequences,
keys that are Ruby symbols (`:submitters:`, `:name:`), plain and quoted
scalars, and sometimes long double-quoted strings folded over several lines
(inside `:results:`). This module reads that subset; anything fancier (anchors,
nested flow collections) is kept as raw text rather than guessed at. We only
need the submitters and a few scalars from it, so leniency beats completeness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class YamlError(ValueError):
    """The text is not in the YAML subset this reader understands."""


@dataclass
class _Line:
    number: int
    indent: int
    text: str  # without indentation, comments stripped
    raw: str = ""  # without indentation, comments kept (block scalars)


_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+)$")


def _strip_comment(text: str) -> str:
    """Drop a trailing `# comment` that is outside quotes."""
    quote: str | None = None
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"" and (index == 0 or text[index - 1] in " :-[{,"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index].rstrip()
    return text.rstrip()


def _lines(text: str) -> list[_Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.rstrip("\r")
        indent = len(raw) - len(raw.lstrip(" "))
        text = _strip_comment(raw[indent:])
        if raw.strip() in ("---", "...") or not text:
            lines.append(_Line(number, -1, "", raw[indent:]))  # kept for block scalars, skipped elsewhere
            continue
        if raw[indent:].startswith("\t"):
            raise YamlError(f"line {number}: tabs are not allowed for indentation")
        lines.append(_Line(number, indent, text, raw[indent:]))
    return lines


def _split_key(text: str) -> tuple[str, str] | None:
    """`key: value` -> (key, value); None when the line is not a mapping entry."""
    if text.startswith(("'", '"')):
        quote = text[0]
        end = text.find(quote, 1)
        while quote == "'" and end != -1 and text[end + 1 : end + 2] == "'":
            end = text.find(quote, end + 2)
        if end != -1 and text[end + 1 : end + 2] == ":" and text[end + 2 : end + 3] in ("", " "):
            return _scalar(text[: end + 1]), text[end + 2 :].strip()
        return None
    start = 1 if text.startswith(":") else 0  # Ruby symbol keys: `:name: value`
    position = start
    while True:
        position = text.find(":", position)
        if position == -1:
            return None
        if position + 1 == len(text) or text[position + 1] == " ":
            key = text[:position].strip()
            return (key, text[position + 1 :].strip()) if key else None
        position += 1


def _scalar(text: str) -> Any:
    text = text.strip()
    if text.startswith("!") and " " in text:  # a tag such as !ruby/object:Foo: ignore it
        text = text.split(" ", 1)[1].strip()
    if not text or text in ("~", "null", "Null", "NULL"):
        return None
    if text[0] == "'" and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    if text[0] == '"' and text.endswith('"') and len(text) >= 2:
        return _unescape(text[1:-1])
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if text.startswith("[") and text.endswith("]") and not any(c in text[1:-1] for c in "[]{}\"'"):
        return [_scalar(item) for item in text[1:-1].split(",") if item.strip()]
    if _PLAIN_NUMBER.match(text):
        try:
            return int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)
        except ValueError:
            return text
    return text


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "r": "\r", "0": "\0", " ": " ", "e": "\x1b"}


def _unescape(body: str) -> str:
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            nxt = body[index + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                index += 2
                continue
            if nxt in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[nxt]
                digits = body[index + 2 : index + 2 + width]
                try:
                    out.append(chr(int(digits, 16)))
                    index += 2 + width
                    continue
                except ValueError:
                    pass
        out.append(char)
        index += 1
    return "".join(out)


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = _lines(text)
        self.position = 0

    def _skip_blank(self) -> None:
        while self.position < len(self.lines) and self.lines[self.position].indent < 0:
            self.position += 1

    def _peek(self) -> _Line | None:
        self._skip_blank()
        return self.lines[self.position] if self.position < len(self.lines) else None

    def parse(self) -> Any:
        line = self._peek()
        if line is None:
            return None
        value = self._block(line.indent)
        rest = self._peek()
        if rest is not None:
            raise YamlError(f"line {rest.number}: unexpected indentation")
        return value

    def _block(self, indent: int) -> Any:
        line = self._peek()
        assert line is not None
        if line.text == "-" or line.text.startswith("- "):
            return self._sequence(indent)
        if _split_key(line.text) is not None:
            return self._mapping(indent)
        self.position += 1
        return _scalar(line.text)

    def _sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while (line := self._peek()) is not None and line.indent == indent and (line.text == "-" or line.text.startswith("- ")):
            rest = line.text[1:].lstrip(" ")
            if not rest:
                self.position += 1
                following = self._peek()
                items.append(self._block(following.indent) if following is not None and following.indent > indent else None)
                continue
            # `- key: value` opens a mapping whose entries sit at the column after the dash.
            inner = indent + (len(line.text) - len(rest))
            self.lines[self.position] = _Line(line.number, inner, rest)
            items.append(self._block(inner))
        return items

    def _mapping(self, indent: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        while (line := self._peek()) is not None and line.indent == indent:
            entry = _split_key(line.text)
            if entry is None:
                raise YamlError(f"line {line.number}: expected `key: value`, got {line.text[:60]!r}")
            key, rest = entry
            self.position += 1
            result[key] = self._value(rest, indent, line)
        following = self._peek()
        if following is not None and following.indent > indent:
            raise YamlError(f"line {following.number}: unexpected indentation")
        return result

    def _value(self, rest: str, indent: int, line: _Line) -> Any:
        if rest.startswith(("&", "*")):
            raise YamlError(f"line {line.number}: anchors and aliases are not supported")
        if rest[:1] in ("|", ">"):
            return self._block_scalar(indent, folded=rest[0] == ">")
        if rest[:1] in ("'", '"') and not _closed(rest):
            return self._multiline_quoted(rest, line)
        if rest:
            return _scalar(rest)
        following = self._peek()
        if following is None:
            return None
        if following.indent > indent:
            return self._block(following.indent)
        if following.indent == indent and (following.text == "-" or following.text.startswith("- ")):
            return self._sequence(indent)  # Ruby writes a key's list at the key's own indentation
        return None

    def _block_scalar(self, indent: int, folded: bool) -> str:
        collected: list[str] = []
        block_indent: int | None = None
        while self.position < len(self.lines):
            line = self.lines[self.position]
            if line.indent >= 0 and line.indent <= indent:
                break
            self.position += 1
            if line.indent < 0 and not line.raw.strip():
                collected.append("")
                continue
            indent_here = line.indent if line.indent >= 0 else len(line.raw) - len(line.raw.lstrip(" "))
            block_indent = indent_here if block_indent is None else block_indent
            collected.append(" " * max(0, indent_here - block_indent) + line.raw.strip(" ") if line.indent >= 0 else line.raw)
        while collected and not collected[-1]:
            collected.pop()
        return (" " if folded else "\n").join(collected) + "\n"

    def _multiline_quoted(self, first: str, line: _Line) -> str:
        pieces = [first]
        while self.position < len(self.lines):
            following = self.lines[self.position]
            self.position += 1
            pieces.append(following.text if following.indent >= 0 else "")
            if _closed(" ".join(pieces)):
                return _fold_quoted(pieces)
        raise YamlError(f"line {line.number}: quoted string is never closed")


def _closed(text: str) -> bool:
    """Whether a scalar that starts with a quote also ends with its closing quote."""
    quote = text[0]
    index = 1
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":
                index += 2
                continue
            return text[index + 1 :].strip() == ""
        index += 1
    return False


def _fold_quoted(pieces: list[str]) -> str:
    """YAML folding of a quoted scalar over lines: a line break is a space, an empty line a newline."""
    text = ""
    for index, piece in enumerate(pieces):
        if index == 0:
            text = piece.rstrip()
        elif piece == "":
            text += "\n"
        else:
            joiner = "" if text.endswith(("\n", "\\")) else " "
            if text.endswith("\\"):
                text = text[:-1]
            text += joiner + piece.strip()
    return _scalar(text)


def loads(text: str) -> Any:
    """Parse YAML text in the subset described above; raises YamlError with a line number."""
    return _Parser(text).parse()
