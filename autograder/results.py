"""The Gradescope results.json schema as pydantic models, and its one atomic writer.

Gradescope shows "the autograder failed" for a missing or malformed file, so the
file is only ever written from a validated model, in one rename.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from autograder.last_resort import write_atomically
from autograder.text import safe_text

Visibility = Literal["hidden", "after_due_date", "after_published", "visible"]
OutputFormat = Literal["text", "html", "simple_format", "md", "ansi"]
Status = Literal["passed", "failed"]
#: What a check decided about a part (see checking.verdict.Verdict).
Outcome = Literal["correct", "partial", "wrong", "invalid", "missing", "error", "not_run"]
#: What a row of the results is: a graded part, a part graded by hand, a problem's answer key,
#: or the one row a grading that failed as a whole leaves (the last-resort writer's).
Role = Literal["part", "manual", "answer_key", "failure"]

#: Gradescope truncates every output at this many characters; we cut first, with a note.
OUTPUT_LIMIT = 100_000
_CUT_NOTE = "\n[... output cut: too long ...]"


def cap_output(text: str, limit: int = OUTPUT_LIMIT) -> str:
    """Cut text to Gradescope's limit, saying so, instead of letting Gradescope cut silently."""
    if len(text) <= limit:
        return text
    return text[: limit - len(_CUT_NOTE)] + _CUT_NOTE


#: Any text in the results: much of it quotes student strings, which may hold characters
#: (lone surrogates) that UTF-8 cannot encode; they become U+FFFD instead of breaking the file.
Text = Annotated[str, AfterValidator(safe_text)]


class Facts(BaseModel):
    """What a row is, as fields: every reader (terminal table, batch runs, report, diff, tests) reads these.

    Stored under Gradescope's per-test `extra_data`, which Gradescope keeps and never shows;
    names, numbers and tags are for people and are never parsed back.
    """

    model_config = ConfigDict(extra="forbid")

    role: Role = "part"
    #: The part's id (`hw4.p2b`); for an answer key, the problem's id (`hw4.p2`); None for a failure row.
    part: str | None = None
    #: The check's outcome, for graded parts only.
    outcome: Outcome | None = None


class TestResult(BaseModel):
    """One row of the Gradescope results: for us, one gradable part."""

    __test__ = False  # not a pytest test class, despite the name Gradescope gives it
    model_config = ConfigDict(extra="forbid")

    name: Text
    number: Text | None = None
    score: float = 0.0
    max_score: float = 0.0
    status: Status = "failed"
    output: Text = ""
    output_format: OutputFormat = "text"
    tags: list[Text] = Field(default_factory=list)
    visibility: Visibility = "visible"
    extra_data: Facts = Field(default_factory=Facts)

    @field_validator("output")
    @classmethod
    def _cap(cls, value: str) -> str:
        return cap_output(value)

    @field_validator("score", "max_score")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("scores must be finite numbers")
        return value


class LeaderboardEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    value: float | Text
    order: Literal["asc", "desc"] | None = None


class Results(BaseModel):
    """Top level of results.json; `score` is always the sum of the tests' scores."""

    model_config = ConfigDict(extra="forbid")

    score: float = 0.0
    execution_time: float = 0.0
    output: Text = ""
    output_format: OutputFormat = "text"
    visibility: Visibility = "visible"
    stdout_visibility: Visibility = "hidden"
    tests: list[TestResult] = Field(default_factory=list)
    leaderboard: list[LeaderboardEntry] | None = None

    @field_validator("output")
    @classmethod
    def _cap(cls, value: str) -> str:
        return cap_output(value)

    def with_total(self) -> "Results":
        """Return a copy whose score is the sum of its tests (rounded against float noise)."""
        total = round(sum(t.score for t in self.tests), 6)
        return self.model_copy(update={"score": total})

    def to_json(self) -> str:
        """The file's text; revalidated first, because a `model_copy(update=...)` skips the cleaning."""
        return Results.model_validate(self.model_dump()).model_dump_json(indent=2, exclude_none=True)


def write_results(results: Results, path: Path) -> None:
    """Validate, total and write results.json atomically (temp file in the same folder, then rename)."""
    final = Results.model_validate(results.with_total().model_dump())
    text = final.to_json()
    json.loads(text)  # cheap paranoia: what we write must parse
    write_atomically(str(path), text)


def read_results(path: Path) -> Results:
    """Load and validate a results.json (batch runs and diffs read them back)."""
    return Results.model_validate_json(Path(path).read_text(encoding="utf-8"))
