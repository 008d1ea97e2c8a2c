"""Assignments, problems and parts: the data that says what is graded, for how much, and how it is shown.

Each problem folder under problems/<assignment>/ has a `problem.toml`; the
assignment's `assignment.toml` lists the folders in order and the answer files.
This is the single source of truth behind `autograder parts`, the student
template check, and the Gradescope test list.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from autograder.paths import project_root
from autograder.results import Visibility

PartKind = Literal[
    "expression",
    "number",
    "array",
    "table",
    "set",
    "interval",
    "function",
    "choice",
    "loader",
    "model_threshold",
    "text",
    "manual",
]
SymbolKindName = Literal["positive_integer", "nonnegative_integer", "integer", "positive_real", "real"]


class Symbol(BaseModel):
    """A symbol that may appear in expression answers, with its domain and accepted spellings."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: SymbolKindName = "positive_integer"
    aliases: list[str] = Field(default_factory=list)
    low: float | None = None
    high: float | None = None


class Mistake(BaseModel):
    """A known wrong answer: recognised, optionally worth partial credit.

    `message` names the mistake exactly; applied, it would give the answer away, so
    the student sees the neutral `hint` (where to look) by default and the message
    after the due date (or at once where the course's settings ask for explicit
    mistakes).
    """

    model_config = ConfigDict(extra="forbid")

    answer: Any
    message: str
    hint: str
    credit: float = Field(0.0, ge=0.0, le=1.0)


class Part(BaseModel):
    """One gradable part: one row in results.json."""

    model_config = ConfigDict(extra="forbid")

    id: str
    answer: str
    kind: PartKind
    points: float = Field(ge=0.0)
    title: str
    file: str = ""
    visibility: Visibility | None = None
    symbols: list[str] = Field(default_factory=list)
    #: Relations between this part's symbols on top of the problem's, such as "K <= W" (see Problem.relations).
    relations: list[str] = Field(default_factory=list)
    swaps: list[tuple[str, str]] = Field(default_factory=list)
    mistakes: list[Mistake] = Field(default_factory=list)
    assumption: str | None = None
    choices: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)

    @property
    def manual(self) -> bool:
        return self.kind == "manual"

    @property
    def answer_names(self) -> list[str]:
        """Every name this part reads: its answer and any companions (6.4 reads three numbers)."""
        return [self.answer, *self.options.get("extra_answers", [])]

    @property
    def label(self) -> str:
        """`hw4.p3d_i` -> `3d_i`: what the homework calls the part."""
        return self.id.split(".", 1)[-1].removeprefix("p")

    @model_validator(mode="after")
    def _manual_parts_score_nothing(self) -> "Part":
        if self.kind == "manual" and self.points:
            raise ValueError(f"{self.id}: manual parts carry no autograded points")
        return self


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    number: int
    title: str
    file: str
    folder: Path = Path()
    symbols: list[Symbol] = Field(default_factory=list)
    #: Relations between symbols that hold wherever the problem makes sense ("k <= n": the kernel fits the
    #: image). Formulas are compared only where they hold; each applies to the parts that use all its symbols.
    relations: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    parts: list[Part]

    @model_validator(mode="after")
    def _parts_inherit_file(self) -> "Problem":
        for part in self.parts:
            if not part.file:
                part.file = self.file
        declared = {s.name for s in self.symbols}
        for part in self.parts:
            unknown = set(part.symbols) - declared
            if unknown:
                raise ValueError(f"{part.id}: undeclared symbols {sorted(unknown)}")
        return self

    def symbol_specs(self, part: Part) -> list[Symbol]:
        wanted = set(part.symbols)
        return [s for s in self.symbols if s.name in wanted]


class AnswerFile(BaseModel):
    """A file the student hands in, with the forms it may take (`hw4.py` or `hw4.ipynb`)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    forms: list[str]


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    folder: Path = Path()
    files: list[AnswerFile]
    problem_folders: list[str]
    reference: str
    problems: list[Problem] = Field(default_factory=list)

    @property
    def parts(self) -> list[Part]:
        return [part for problem in self.problems for part in problem.parts]

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def problem_of(self, part: Part) -> Problem:
        for problem in self.problems:
            if part in problem.parts:
                return problem
        raise KeyError(part.id)

    def answer_file(self, name: str) -> AnswerFile:
        for answer_file in self.files:
            if answer_file.name == name or name in answer_file.forms:
                return answer_file
        raise KeyError(name)

    @property
    def max_score(self) -> float:
        return sum(part.points for part in self.parts)

    @model_validator(mode="after")
    def _ids_unique(self) -> "Assignment":
        seen: set[str] = set()
        names: set[tuple[str, str]] = set()
        for part in self.parts:
            if part.id in seen:
                raise ValueError(f"part id {part.id} appears twice")
            seen.add(part.id)
            key = (part.file, part.answer)
            if key in names and part.kind != "manual":
                raise ValueError(f"answer name {part.answer} in {part.file} is graded twice")
            names.add(key)
        files = {f.name for f in self.files}
        for part in self.parts:
            if part.file not in files:
                raise ValueError(f"{part.id}: file {part.file!r} is not one of the assignment's files {sorted(files)}")
        return self


def problems_root() -> Path:
    return project_root() / "problems"


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=8)
def load_assignment(assignment_id: str) -> Assignment:
    """Read problems/<id>/assignment.toml and every problem.toml it lists."""
    folder = problems_root() / assignment_id
    path = folder / "assignment.toml"
    if not path.exists():
        raise KeyError(f"unknown assignment {assignment_id!r} (no {path})")
    data = _read_toml(path)
    problems = []
    for name in data.get("problem_folders", []):
        problem_folder = folder / name
        problem_data = _read_toml(problem_folder / "problem.toml")
        problems.append(Problem.model_validate({**problem_data, "folder": problem_folder}))
    return Assignment.model_validate({**data, "folder": folder, "problems": problems})


def available_assignments() -> list[str]:
    return sorted(p.parent.name for p in problems_root().glob("*/assignment.toml"))
