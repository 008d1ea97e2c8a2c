"""Course settings: every default a course may change lives here, overridable by one TOML file.

The file is `settings.toml` at the project root (it ships inside the Gradescope zip);
`AUTOGRADER_SETTINGS` points elsewhere. Unknown keys are an error, so a typo in the
settings file fails the build instead of being silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from autograder.assignment import load_assignment
from autograder.paths import project_root
from autograder.results import Visibility


class SandboxSettings(BaseModel):
    """Limits for each child process that runs student code."""

    model_config = ConfigDict(extra="forbid")

    memory_mb: int = Field(2048, ge=256, description="address-space limit of the child (RLIMIT_AS)")
    cpu_seconds: int = Field(120, ge=1, description="CPU time of one child before it is killed")
    file_size_mb: int = Field(64, ge=1, description="largest file the child may write")
    processes: int = Field(64, ge=4, description="processes/threads the sandbox user may run")
    load_seconds: float = Field(60.0, gt=0, description="wall clock for importing an answer module")
    call_seconds: float = Field(20.0, gt=0, description="default wall clock of one graded function call")
    cell_seconds: float = Field(60.0, gt=0, description="wall clock of one notebook cell")
    notebook_seconds: float = Field(240.0, gt=0, description="wall clock of all graded cells of a notebook")
    output_bytes: int = Field(20_000, ge=1000, description="captured stdout/stderr kept per child")
    user: str = Field("ag-sandbox", description="unprivileged user the child runs as when the grader is root (the first of the pool of sandbox uids)")


#: The assignment graded when neither the settings nor the submission's answer files say which.
DEFAULT_ASSIGNMENT = "hw4"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignment: str | None = Field(None, description="assignment graded by run_autograder (hw4 or disc4)")
    deadline_seconds: float = Field(480.0, gt=0, description="the engine's own total time budget")
    default_visibility: Visibility = "visible"
    answer_key_visibility: Visibility = "after_due_date"
    explicit_mistakes: bool = Field(
        False,
        description="name a detected mistake exactly in the part's own feedback (it tells the answer to whoever applies it); "
        "by default the student sees a neutral hint, and the exact mistake in the answer key after the due date",
    )
    max_submission_mb: int = Field(50, ge=1)
    max_submission_files: int = Field(200, ge=1)
    thresholds: dict[str, float] = Field(default_factory=dict, description="per-part accuracy bars that override the problem's")
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)

    @field_validator("thresholds")
    @classmethod
    def _thresholds_name_model_threshold_parts(cls, thresholds: dict[str, float]) -> dict[str, float]:
        """Reject a bar the grader would silently ignore, or one no training run could mean.

        An override is looked up by part id, so a misspelt id (or the id of a part
        that trains nothing) would leave the problem's own bar in force without a
        word; an accuracy outside (0, 1] is a typo (90 for 0.90) that would fail
        or pass everyone.
        """
        faults = [fault for part_id, value in thresholds.items() if (fault := threshold_fault(part_id, value))]
        if faults:
            raise ValueError("; ".join(faults))
        return thresholds


def threshold_fault(part_id: str, value: float) -> str | None:
    """Why ``thresholds[part_id] = value`` cannot be applied, or None when it can."""
    assignment_id = part_id.split(".", 1)[0]
    try:
        part = load_assignment(assignment_id).part(part_id)
    except KeyError:
        return f"thresholds: {part_id!r} is not a part id (for example 'hw4.p6_3')"
    if part.kind != "model_threshold":
        return f"thresholds: {part_id!r} is a {part.kind} part, not a model-threshold part"
    if not 0 < value <= 1:
        return f"thresholds: {part_id!r} = {value!r} is not an accuracy in (0, 1]"
    return None


def settings_path() -> Path:
    return Path(os.environ.get("AUTOGRADER_SETTINGS", project_root() / "settings.toml"))


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Settings:
    with path.open("rb") as handle:
        return Settings.model_validate(tomllib.load(handle))


def load_settings() -> Settings:
    """The course settings, or the defaults when there is no settings file."""
    path = settings_path()
    if not path.exists():
        return Settings()
    return _load(path, path.stat().st_mtime)
