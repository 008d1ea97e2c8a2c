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
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, ValidationError, ValidationInfo, field_validator, model_validator

from autograder.errors import CommandError
from autograder.part_options import OPTIONS_BY_KIND, ArrayOptions, ModelThresholdOptions, Options, WordOptions
from autograder.paths import project_root
from autograder.results import Visibility

OptionsModel = TypeVar("OptionsModel", bound=Options)

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


class VisibilityDefault(Protocol):
    """What a part needs of the course settings to know who sees it (config.Settings is one; config imports this module)."""

    @property
    def default_visibility(self) -> Visibility: ...


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
    #: The kind's own settings (see part_options): validated against the kind's model when the data is loaded,
    #: and dumped with that model's fields (SerializeAsAny), not only the base's.
    options: SerializeAsAny[Options] = Field(default_factory=dict, validate_default=True)  # type: ignore[arg-type]

    @field_validator("options", mode="before")
    @classmethod
    def _options_of_the_kind(cls, value: Any, info: ValidationInfo) -> Any:
        """Read `options` with the model of the part's kind (the kind is validated first: it comes first)."""
        model = OPTIONS_BY_KIND.get(info.data.get("kind", ""), Options)
        return value if type(value) is model else model.model_validate(value)

    def options_as(self, model: type[OptionsModel]) -> OptionsModel:
        """The options, as the model a reader needs (a kind's own, or a base such as WordOptions)."""
        if not isinstance(self.options, model):
            raise TypeError(f"{self.id}: a part of kind {self.kind} has no {model.__name__}")
        return self.options

    @property
    def manual(self) -> bool:
        return self.kind == "manual"

    @property
    def answer_names(self) -> list[str]:
        """Every name this part reads: its answer and any companions (6.4 reads three numbers)."""
        extra = self.options.extra_answers if isinstance(self.options, ModelThresholdOptions) else []
        return [self.answer, *extra]

    def effective_visibility(self, settings: VisibilityDefault) -> Visibility:
        """Who sees this part's row: its own visibility, else the course's default.

        The one place the default is applied: grading, the results, the format check,
        the student kit and `autograder parts` all ask here, so they cannot disagree.
        """
        return self.visibility or settings.default_visibility

    def is_public(self, settings: VisibilityDefault) -> bool:
        """Shown to students at once: checked by the student's own tools, graded by `--public-only`."""
        return self.effective_visibility(settings) == "visible"

    @property
    def label(self) -> str:
        """`hw4.p3d_i` -> `3d_i`: what the homework calls the part."""
        return self.id.split(".", 1)[-1].removeprefix("p")

    @model_validator(mode="after")
    def _manual_parts_score_nothing(self) -> "Part":
        if self.kind == "manual" and self.points:
            raise ValueError(f"{self.id}: manual parts carry no autograded points")
        return self

    @model_validator(mode="after")
    def _options_name_the_parts_own_data(self) -> "Part":
        """Synonyms are of the part's choices; an array's variants are of its known mistakes."""
        if isinstance(self.options, WordOptions):
            unknown = sorted(set(self.options.synonyms) - set(self.choices))
            if unknown:
                raise ValueError(f"options.synonyms: {unknown} are not among the part's choices {self.choices}")
        if isinstance(self.options, ArrayOptions):
            named = {str(m.answer) for m in self.mistakes}
            unknown = sorted(set(self.options.variants) - named)
            if unknown:
                raise ValueError(f"options.variants: {unknown} are not the answer of any of the part's mistakes")
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


class ProblemDataError(CommandError, ValueError):
    """A problem's data does not hold: the message names the file, the part and the key (one line, as any command error)."""


def problems_root() -> Path:
    return project_root() / "problems"


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(project_root()))
    except ValueError:
        return str(path)


def data_errors(path: Path, data: dict[str, Any], error: ValidationError) -> str:
    """Each error of a problem.toml as `file: part <id>: <key>: what is wrong` (the part by its id, not its index)."""
    lines = []
    parts = data.get("parts") if isinstance(data.get("parts"), list) else []
    for item in error.errors():
        location = list(item["loc"])
        where = [_shown_path(path)]
        if len(location) >= 2 and location[0] == "parts" and isinstance(location[1], int):
            index = location[1]
            raw = parts[index] if index < len(parts) and isinstance(parts[index], dict) else {}
            where.append(f"part {raw.get('id', f'number {index + 1}')}")
            location = location[2:]
        if location:
            where.append(".".join(str(piece) for piece in location))
        said = item["ctx"]["error"] if item["type"] == "value_error" else item["msg"]  # without pydantic's "Value error, "
        lines.append(f"{': '.join(where)}: {said}")
    return "\n".join(lines)


def load_problem(path: Path) -> Problem:
    """One problem.toml, validated; a ProblemDataError names the file, the part and the key of every fault."""
    data = _read_toml(path)
    try:
        return Problem.model_validate({**data, "folder": path.parent})
    except ValidationError as error:
        raise ProblemDataError(data_errors(path, data, error)) from None


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
        problems.append(load_problem(folder / name / "problem.toml"))
    return Assignment.model_validate({**data, "folder": folder, "problems": problems})


def available_assignments() -> list[str]:
    return sorted(p.parent.name for p in problems_root().glob("*/assignment.toml"))


def assignments_help() -> str:
    """The assignments a command accepts, for its --help: read from problems/, never a list kept in code."""
    return "one of " + ", ".join(available_assignments())
