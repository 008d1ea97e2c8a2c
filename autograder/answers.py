"""The student's answers as the trusted side sees them: decoded plain data, or the reason there is none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograder.sandbox.session import ChildSession
from autograder.sandbox.wire import EncodingFailure


@dataclass(frozen=True)
class Answer:
    """One answer name. `value` is meaningful only when `problem` is None."""

    name: str
    file: str
    value: Any = None
    problem: str | None = None

    @property
    def given(self) -> bool:
        return self.problem is None and self.value is not None


class AnswerSheet:
    """Answers of one answer file, read from its child session on first use (one request for all names)."""

    def __init__(
        self, file_label: str, names: list[str], session: ChildSession | None, absent_reason: str | None, *, choice: str | None = None
    ) -> None:
        self.file_label = file_label
        #: Which of several submitted forms (hw4.py, hw4.ipynb) is graded and why; None when there was one.
        self.choice = choice
        self.names = names
        self.session = session
        self.absent_reason = absent_reason
        self._values: dict[str, Any] | None = None
        self.stopped: str | None = None

    def stop(self, reason: str) -> None:
        """Ask the child nothing more (grading was interrupted): answers not read by now report `reason`."""
        self.stopped = reason

    def _load(self) -> dict[str, Any]:
        if self._values is None:
            self._values = {} if self.session is None else self.session.values(self.names)
        return self._values

    def preload(self) -> None:
        """Read every answer now (before the child is closed to free its memory)."""
        self._load()

    def get(self, name: str) -> Answer:
        if self.session is None:
            return Answer(name, self.file_label, problem=self.absent_reason or f"{self.file_label} was not submitted")
        if self.stopped and self._values is None:
            return Answer(name, self.file_label, problem=self.stopped)
        values = self._load()
        report = self.session.load_report
        if name not in values:
            return Answer(name, self.file_label, problem=self._why_missing(name, report))
        value = values[name]
        if isinstance(value, EncodingFailure):
            return Answer(name, self.file_label, problem=f"{name} could not be read: {value.message}")
        return Answer(name, self.file_label, value=value)

    def _why_missing(self, name: str, report: Any) -> str:
        if report is None:
            return f"{self.file_label} could not be run"
        if not report.ok and not report.partial:
            return f"{self.file_label} could not be run: {report.describe()}"
        text = f"{name} is not defined in {self.file_label}"
        if not report.ok:
            text += f" (the code stopped with an error before defining it: {report.describe()})"
        return text
