"""Gradescope's submission_metadata.json: read leniently, since grading must not depend on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Submitter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = ""
    email: str = ""
    sid: str | None = None


class SubmissionMetadata(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int | str | None = None
    created_at: str | None = None
    users: list[Submitter] = Field(default_factory=list)
    assignment: dict[str, Any] = Field(default_factory=dict)

    @property
    def due_date(self) -> str | None:
        return self.assignment.get("due_date")


def read_metadata(path: Path | None) -> SubmissionMetadata | None:
    """The metadata, or None when the file is absent or unreadable (noted, never fatal)."""
    if path is None or not Path(path).is_file():
        return None
    try:
        return SubmissionMetadata.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
