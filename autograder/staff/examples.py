"""The bundled example submissions: what each one is for, and what of its results is kept.

`submissions_examples/<assignment>/examples.toml` gives every example folder a one-line
`purpose` and what it is about:

- `targets`: the rows whose results are stored in `expected/<example>.json` (with the total
  score): a part id (`hw4.p3c`), a problem id (`hw4.p3`: all its parts and its answer key),
  a problem's answer key alone (`hw4.p3.answer_key`), or `summary` (the submission-wide
  output: which files ran, what the process did).
- `correct`: parts that must all be right, with full points (nothing stored).
- `missing`: parts that must all earn nothing and say the answer is missing (nothing stored).
  `correct` and `missing` also take the whole assignment (`hw4`) or an answer file
  (`hw4.py`, `HandDesignFilters.ipynb`: the parts answered in that file, in any of its forms);
  a targeted part is never in them (`correct = ["hw4.py"]` beside targets: the rest of hw4.py).

So an example stores only what it is for. A part added to the homework is absent from the
hand-kept examples: it scores nothing there and is nobody's target, so no stored file changes.
An example whose targets, `correct` and `missing` parts cover the whole assignment stores no
total: it follows from them (an example built from the reference gains the new part's answer,
and `correct` covers it). Any other example stores its total.
The tests (`tests/examples.py`) and the zip's proof read the examples through this module.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autograder.assignment import Assignment, Part, load_assignment
from autograder.paths import project_root
from autograder.results import Facts

EXAMPLES_FOLDER = "submissions_examples"
DECLARATIONS = "examples.toml"
EXPECTED_FOLDER = "expected"
#: The target that keeps the submission-wide output (files graded, what the process did).
SUMMARY = "summary"
#: A problem id with this suffix targets only that problem's answer-key row.
ANSWER_KEY = ".answer_key"


class Declaration(BaseModel):
    """One example's entry of examples.toml."""

    model_config = ConfigDict(extra="forbid")

    #: Required; left empty it is reported by `Example.problems`, naming the example, not at loading.
    purpose: str = ""
    targets: list[str] = Field(default_factory=list)
    correct: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


def examples_root() -> Path:
    return project_root() / EXAMPLES_FOLDER


def folders(assignment_id: str) -> list[Path]:
    """Every example submission of an assignment, by name."""
    root = examples_root() / assignment_id
    return sorted(p for p in root.glob("*") if p.is_dir() and p.name != EXPECTED_FOLDER)


def declarations(assignment_id: str) -> dict[str, Declaration]:
    """examples.toml of an assignment, validated entry by entry (an error names the example)."""
    path = examples_root() / assignment_id / DECLARATIONS
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    declared = {}
    for name, entry in raw.items():
        try:
            declared[name] = Declaration.model_validate(entry)
        except ValueError as error:
            raise ValueError(f"{path}: example {name}: {error}") from error
    return declared


@dataclass(frozen=True)
class Example:
    """An example folder with its declaration (None when examples.toml does not mention it)."""

    assignment: Assignment
    folder: Path
    declaration: Declaration | None

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def expected_path(self) -> Path:
        return self.folder.parent / EXPECTED_FOLDER / f"{self.name}.json"

    @cached_property
    def stored_parts(self) -> frozenset[str]:
        """Ids of the parts whose rows are stored."""
        return frozenset(part.id for target in self._targets() for part in self._parts_of_target(target))

    @cached_property
    def stored_keys(self) -> frozenset[str]:
        """Ids of the problems whose answer-key row is stored."""
        keys = set()
        for target in self._targets():
            if target.endswith(ANSWER_KEY):
                keys.add(target.removesuffix(ANSWER_KEY))
            elif any(problem.id == target for problem in self.assignment.problems):
                keys.add(target)
        return frozenset(keys)

    @cached_property
    def correct_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self._scope(self._declared().correct) if p.id not in self.stored_parts)

    @cached_property
    def missing_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self._scope(self._declared().missing) if p.id not in self.stored_parts)

    @property
    def covers_all(self) -> bool:
        """Whether every part is a target, declared correct or declared missing: then the total follows."""
        declared = self.stored_parts | {p.id for p in self.correct_parts} | {p.id for p in self.missing_parts}
        return all(part.id in declared for part in self.assignment.parts)

    @property
    def keeps_results(self) -> bool:
        """Whether results are stored at all: only for an example with targets."""
        return bool(self._declared().targets)

    @property
    def keeps_summary(self) -> bool:
        return SUMMARY in self._declared().targets

    def stores(self, facts: Facts) -> bool:
        """Whether a results row with these facts is one of the example's targets."""
        if facts.role == "answer_key":
            return facts.part in self.stored_keys
        if facts.role == "failure":
            return self.keeps_summary
        return facts.part in self.stored_parts

    def stored(self) -> dict[str, Any] | None:
        """The stored results (total score, targeted rows), or None where nothing is stored."""
        if not self.keeps_results or not self.expected_path.is_file():
            return None
        return json.loads(self.expected_path.read_text(encoding="utf-8"))

    def expected_score(self) -> float:
        """The total this example must score: stored, or else its stored rows' scores and the points of its `correct` parts."""
        stored = self.stored() or {}
        if "score" in stored:
            return float(stored["score"])
        rows = sum(float(t["score"]) for t in stored.get("tests", []) if t["extra_data"]["role"] == "part")
        return round(rows + sum(part.points for part in self.correct_parts), 6)  # as results total their tests

    def problems(self) -> list[str]:
        """What is wrong with the declaration itself (no purpose, a target that names nothing)."""
        if self.declaration is None:
            return [f"{self.name}: no purpose declared in {self.folder.parent / DECLARATIONS}"]
        found = []
        declared = self.declaration
        if not declared.purpose.strip():
            found.append(f"{self.name}: no purpose given in {self.folder.parent / DECLARATIONS}")
        if not (declared.targets or declared.correct or declared.missing):
            found.append(f"{self.name}: declares no targets, correct or missing parts")
        for target in declared.targets:
            if target == self.assignment.id or self._answer_file(target):
                found.append(f"{self.name}: target {target!r} would store every row of it; name parts or problems, or use correct/missing")
            elif target != SUMMARY and not target.endswith(ANSWER_KEY) and not self._named_parts(target):
                found.append(f"{self.name}: target {target!r} names no part or problem of {self.assignment.id}")
            elif target.endswith(ANSWER_KEY) and target.removesuffix(ANSWER_KEY) not in {p.id for p in self.assignment.problems}:
                found.append(f"{self.name}: target {target!r} names no problem's answer key")
        for scope in [*declared.correct, *declared.missing]:
            if not self._scope([scope]):
                found.append(f"{self.name}: {scope!r} names no part, problem, answer file or assignment")
        return found

    # --------------------------------------------------------------------- resolving names

    def _declared(self) -> Declaration:
        if self.declaration is None:
            raise ValueError(f"example {self.name} has no entry in {DECLARATIONS}")
        return self.declaration

    def _targets(self) -> list[str]:
        return self.declaration.targets if self.declaration is not None else []

    def _parts_of_target(self, target: str) -> list[Part]:
        return [] if target == SUMMARY or target.endswith(ANSWER_KEY) else self._named_parts(target)

    def _named_parts(self, name: str) -> list[Part]:
        """The parts a problem id or a part id names."""
        for problem in self.assignment.problems:
            if problem.id == name:
                return list(problem.parts)
        return [part for part in self.assignment.parts if part.id == name]

    def _answer_file(self, name: str) -> str | None:
        for answer_file in self.assignment.files:
            if name in answer_file.forms:
                return answer_file.name
        return None

    def _scope(self, names: list[str]) -> list[Part]:
        """The parts of an assignment, answer files, problems or parts, in the assignment's order."""
        chosen: set[str] = set()
        for name in names:
            if name == self.assignment.id:
                chosen.update(part.id for part in self.assignment.parts)
            elif (file := self._answer_file(name)) is not None:
                chosen.update(part.id for part in self.assignment.parts if part.file == file)
            else:
                chosen.update(part.id for part in self._named_parts(name))
        return [part for part in self.assignment.parts if part.id in chosen]


def examples(assignment_id: str) -> list[Example]:
    """Every example folder of an assignment, declared or not (an undeclared one is a test failure)."""
    assignment = load_assignment(assignment_id)
    declared = declarations(assignment_id)
    return [Example(assignment, folder, declared.get(folder.name)) for folder in folders(assignment_id)]


def assignments_with_examples() -> list[str]:
    return sorted(p.name for p in examples_root().glob("*") if p.is_dir())


def example(assignment_id: str, name: str) -> Example:
    for found in examples(assignment_id):
        if found.name == name:
            return found
    raise KeyError(f"no example {name} of {assignment_id}")
