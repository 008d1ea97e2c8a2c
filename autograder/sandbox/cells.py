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
_PY_CELL_SPLIT = re.compile(r"^# (?:%%.*|In\[[ 0-9]*\]:)\s*$", re.MULTILINE)


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
    """Cells of a notebook exported as a script (`# %%` or `# In[ ]:` separators)."""
    pieces = _PY_CELL_SPLIT.split(text)
    cells = []
    for position, piece in enumerate(pieces, start=1):
        if piece.strip():
            cells.append(Cell(position, piece, _marks(piece, [])))
    return cells


def has_cell_markers(text: str) -> bool:
    return bool(_PY_CELL_SPLIT.search(text))


def cells_to_run(cells: list[Cell]) -> list[Cell]:
    """Marked cells if the notebook has any marks, otherwise every code cell."""
    marked = [cell for cell in cells if cell.marks]
    return marked if marked else cells


def strip_magics(source: str) -> str:
    """Drop IPython-only lines (`%magic`, `!shell`) that plain Python cannot run; `%%` cells become empty."""
    if source.lstrip().startswith("%%"):
        return ""
    kept = []
    for line in source.splitlines():
        stripped = line.lstrip()
        kept.append("" if stripped.startswith(("%", "!")) else line)
    return "\n".join(kept)
