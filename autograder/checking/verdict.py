"""What a check decides about one part: the fraction of its points, and what the student is told."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["correct", "partial", "wrong", "invalid", "missing", "error", "not_run"]


@dataclass(frozen=True)
class Verdict:
    """The result of checking one part.

    `message` is shown to the student with the part's visibility, so it must never
    reveal a reference value. `key` is the expected answer, shown only in the answer
    key (after the due date). `staff` is for staff-only data (batch reports).
    """

    outcome: Outcome
    fraction: float
    message: str
    key: str | None = None
    staff: str | None = None
    details: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"fraction must be within [0, 1], got {self.fraction}")

    @property
    def passed(self) -> bool:
        return self.fraction >= 1.0

    @classmethod
    def correct(cls, message: str = "Correct.", key: str | None = None) -> "Verdict":
        return cls("correct", 1.0, message, key=key)

    @classmethod
    def wrong(cls, message: str, key: str | None = None, fraction: float = 0.0) -> "Verdict":
        return cls("partial" if fraction > 0 else "wrong", fraction, message, key=key)

    @classmethod
    def invalid(cls, message: str, key: str | None = None) -> "Verdict":
        return cls("invalid", 0.0, message, key=key)

    @classmethod
    def missing(cls, message: str, key: str | None = None) -> "Verdict":
        return cls("missing", 0.0, message, key=key)

    def with_key(self, key: str | None) -> "Verdict":
        return Verdict(self.outcome, self.fraction, self.message, key, self.staff, list(self.details))

    def text(self) -> str:
        return "\n".join([self.message, *self.details])
