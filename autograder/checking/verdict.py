"""What a check decides about one part: the fraction of its points, and what the student is told."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from autograder.assignment import Mistake
from autograder.results import Outcome



@dataclass(frozen=True)
class Detected:
    """A mistake that a detector recognised in the answer.

    A detector that names the mistake exactly ("the sign is wrong", "this is the
    transpose") tells the answer to anyone who applies it, so the student sees the
    neutral `hint` (where to look) by default. The exact `message` is shown after
    the due date, or at once where the course's settings ask for explicit mistakes;
    `name` says which detector fired (a known mistake of the part's data, or a
    generic one such as "sign"), for the staff.
    """

    name: str
    message: str
    hint: str

    def words(self, explicit: bool) -> str:
        return self.message if explicit else self.hint


def say(*pieces: str | Detected | None, explicit: bool = False) -> str:
    """Text made of plain pieces and detected mistakes (each as its hint, or its exact message)."""
    words = [piece.words(explicit) if isinstance(piece, Detected) else piece for piece in pieces if piece]
    return " ".join(word for word in words if word)


@dataclass(frozen=True)
class Verdict:
    """The result of checking one part.

    `message` and `details` are shown to the student with the part's visibility, so
    they must never reveal a reference value; a detected mistake appears in them as
    its neutral hint. `explicit` is the same text with each detected mistake named
    exactly (None when nothing was detected). `detected` lists those mistakes.
    `key` is the expected answer, shown only in the answer key (after the due
    date). `staff` is for staff-only data (batch reports).
    """

    outcome: Outcome
    fraction: float
    message: str
    key: str | None = None
    staff: str | None = None
    details: list[str] = field(default_factory=list)
    detected: tuple[Detected, ...] = ()
    explicit: str | None = None

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

    @classmethod
    def mistaken(
        cls,
        pieces: Sequence[str | Detected | None],
        *,
        key: str | None = None,
        fraction: float = 0.0,
        details: Sequence[Sequence[str | Detected | None]] = (),
    ) -> "Verdict":
        """A wrong (or partly right) answer whose text names detected mistakes: neutral, with the explicit text kept."""
        detected = tuple(
            piece for line in [pieces, *details] for piece in line if isinstance(piece, Detected)
        )
        neutral = [say(*line) for line in details]
        explicit = "\n".join([say(*pieces, explicit=True), *(say(*line, explicit=True) for line in details)])
        return cls(
            "partial" if fraction > 0 else "wrong",
            fraction,
            say(*pieces),
            key=key,
            details=neutral,
            detected=detected,
            explicit=explicit if detected else None,
        )

    def with_key(self, key: str | None) -> "Verdict":
        return dataclasses.replace(self, key=key, details=list(self.details))

    def text(self, explicit: bool = False) -> str:
        """What the student reads: detected mistakes as neutral hints, or named exactly with `explicit`."""
        if explicit and self.explicit is not None:
            return self.explicit
        return "\n".join([self.message, *self.details])


def known(mistake: Mistake) -> Detected:
    """A known mistake of the part's data, as detected: named for the staff by the answer it stands for."""
    return Detected(f"known mistake {mistake.answer!r}", mistake.message, mistake.hint)
