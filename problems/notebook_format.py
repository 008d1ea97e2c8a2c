"""Notebook cells and the file format Jupyter writes: shared by every builder of notebooks in the project.

The homework's notebook generator (``problems/hw4/build_notebooks.py``) and the example
builder (``problems/example_builder.py``) both write notebooks; one definition of a cell and
of the file's layout keeps their files byte-for-byte what Jupyter itself would save.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cell:
    """One notebook cell; ``mark`` is None, "setup" or "graded"."""

    kind: str
    source: str
    mark: str | None = None


def md(text: str) -> Cell:
    """A markdown cell; indentation of the triple-quoted text is removed."""
    return Cell("markdown", textwrap.dedent(text).strip())


def code(text: str, mark: str | None = None) -> Cell:
    """A code cell; a marked cell gets its ``# autograder: <mark>`` first line."""
    body = textwrap.dedent(text).strip()
    if mark is not None:
        body = f"# autograder: {mark}\n{body}"
    return Cell("code", body, mark)


def notebook_json(cells: list[Cell], prefix: str) -> dict[str, Any]:
    """nbformat 4.5 JSON with outputs cleared and stable cell ids."""
    return {
        "cells": [_cell_json(cell, f"{prefix}-{index:02d}") for index, cell in enumerate(cells)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _cell_json(cell: Cell, cell_id: str) -> dict[str, Any]:
    metadata = {"tags": [cell.mark]} if cell.mark else {}
    data: dict[str, Any] = {"cell_type": cell.kind, "id": cell_id, "metadata": metadata}
    data["source"] = cell.source.splitlines(keepends=True)
    if cell.kind == "code":
        data.update(execution_count=None, outputs=[])
    return data


def render(notebook: dict[str, Any]) -> str:
    """The file text: the JSON layout Jupyter itself writes (indent 1, trailing newline)."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
