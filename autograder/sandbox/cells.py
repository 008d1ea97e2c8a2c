"""Splitting notebooks (and their `.py` exports) into cells, and choosing which cells grading runs.

Used in the child, which parses the student's notebook; standard library only.
Starter notebooks mark the cells grading needs with a metadata tag (`setup`,
`graded`) and the same word in a first-line comment (`# autograder: graded`),
so grading never re-runs the long experiments. A notebook with no marks at all
is run whole, cell by cell, under the same limits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

MARKS = ("setup", "graded")
_COMMENT_MARK = re.compile(r"^\s*#\s*autograder:\s*(setup|graded)\b", re.IGNORECASE)
_PY_CELL_SPLIT = re.compile(r"^#\s?(?:%%.*|In\[[ 0-9]*\]:)\s*$", re.MULTILINE)
_MARKDOWN_SEPARATOR = re.compile(r"^#\s?%%.*\[(?:markdown|md)\]", re.IGNORECASE)
# nbconvert writes `%magic` as `get_ipython().run_line_magic(...)`, `!cmd` as
# `get_ipython().system(...)` and `x = !cmd` as `x = get_ipython().getoutput(...)`.
_IPYTHON_STATEMENT = re.compile(r"^(\s*)get_ipython\(\)\.")
_IPYTHON_ASSIGNMENT = re.compile(r"^(\s*[\w.\[\], ]+?\s*=\s*)get_ipython\(\)\..*$")


class NotebookError(ValueError):
    """The notebook file cannot be read as a notebook; the message is for the student."""


@dataclass
class Cell:
    index: int  # 1-based position among all cells, as a student counts them
    source: str
    marks: set[str] = field(default_factory=set)

    @property
    def headline(self) -> str:
        for line in self.source.splitlines():
            if line.strip() and not _COMMENT_MARK.match(line):
                return line.strip()[:60]
        return "(empty)"


def _marks(source: str, tags: list[str]) -> set[str]:
    found = {tag for tag in tags if tag in MARKS}
    first = source.lstrip().splitlines()[:1]
    if first:
        match = _COMMENT_MARK.match(first[0])
        if match:
            found.add(match.group(1).lower())
    return found


def cells_from_ipynb(text: str) -> list[Cell]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise NotebookError(f"the file is not valid notebook JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("the file is JSON but not a Jupyter notebook (no list of cells)")
    cells = []
    for position, raw in enumerate(data["cells"], start=1):
        if not isinstance(raw, dict) or raw.get("cell_type") != "code":
            continue
        source = raw.get("source", "")
        if isinstance(source, list):
            source = "".join(str(piece) for piece in source)
        if not isinstance(source, str):
            raise NotebookError(f"cell {position} has a malformed source")
        metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
        tags = metadata.get("tags") if isinstance(metadata.get("tags"), list) else []
        cells.append(Cell(position, source, _marks(source, [str(t) for t in tags])))
    return cells


def cells_from_py_export(text: str) -> list[Cell]:
    """Cells of a notebook exported as a script (`# %%` or nbconvert's `# In[ ]:` separators).

    Cells are numbered from 1 at the first separator, so cell n is the n-th cell
    the export shows. Text before the first separator is a cell only when it
    holds code: nbconvert's `#!/usr/bin/env python` / `# coding: utf-8` header,
    or a jupytext header, is not one (counting it shifted every number by one).
    A `# %% [markdown]` cell takes its number, as in the notebook, but is not run.
    """
    separators = list(_PY_CELL_SPLIT.finditer(text))
    if not separators:
        return [Cell(1, text, _marks(text, []))] if text.strip() else []
    pieces: list[tuple[str, str]] = []  # (separator line, source)
    preamble = text[: separators[0].start()]
    if _holds_code(preamble):
        pieces.append(("", preamble))
    for current, following in zip(separators, separators[1:] + [None]):
        end = following.start() if following is not None else len(text)
        pieces.append((current.group(0), text[current.end() : end]))
    cells = []
    for position, (separator, source) in enumerate(pieces, start=1):
        if _MARKDOWN_SEPARATOR.match(separator) or not source.strip():
            continue
        cells.append(Cell(position, source, _marks(source, [])))
    return cells


def _holds_code(text: str) -> bool:
    """True when some line is neither blank nor a comment."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def has_cell_markers(text: str) -> bool:
    return bool(_PY_CELL_SPLIT.search(text))


def cells_to_run(cells: list[Cell]) -> list[Cell]:
    """Marked cells if the notebook has any marks, otherwise every code cell."""
    marked = [cell for cell in cells if cell.marks]
    return marked if marked else cells


def strip_magics(source: str) -> str:
    """Drop IPython-only lines that plain Python cannot run; `%%` cells become empty.

    `%magic` and `!shell` lines become blank. nbconvert's spelling of the same,
    `get_ipython().run_line_magic(...)` and friends, becomes `pass` (at its
    indentation, so an enclosing block stays valid), and `x = get_ipython()...`
    becomes `x = None`: there is no IPython in the sandbox, and a magic's effect
    (inline plots, timing, installing packages) is never what grading needs.
    """
    if source.lstrip().startswith("%%"):
        return ""
    kept = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            kept.append("")
        elif statement := _IPYTHON_STATEMENT.match(line):
            kept.append(f"{statement.group(1)}pass")
        elif assignment := _IPYTHON_ASSIGNMENT.match(line):
            kept.append(f"{assignment.group(1)}None")
        else:
            kept.append(line)
    return "\n".join(kept)
