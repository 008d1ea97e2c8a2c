"""Our pytest plugin: runs the checks of one submission and records a verdict per part.

Pytest's own outcomes are mapped so that nothing disappears: a check that
returns a Verdict is scored by it; one that passes by plain asserts earns full
credit (or the share gradescope-utils' `set_score` said); an assertion failure,
an exception, a fixture error, a skip, a collection error or the engine's
deadline each become a failed part with a message.

A record holds what the check decided (its verdict, a leaderboard value) and
nothing about the part: points, visibility, number and tags are the part's data,
applied once when the results are assembled (autograder.feedback).

Besides the problems' own checks (`@check`), one default check
(checking/defaults.py) is parametrized here with every selected part whose kind
has a default judge; its item for a part is dropped where a course check claims
that part (the course check overrides the default), or where a check module of
the part's problem failed to load (whatever it held for the part is unknown).
Two course checks of one part are an error ("two checks"), as ever.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autograder.answers import Answer, AnswerSheet
from autograder.assignment import Assignment, Part
from autograder.checking.custom import PART_ATTRIBUTE
from autograder.checking.defaults import DEFAULT_ATTRIBUTE, has_default
from autograder.checking.verdict import Verdict
from autograder.config import Settings
from autograder.symbolic.timeouts import TimeLimitExceeded, time_limit

#: Part kinds whose checks call the student's code in its child process during the check.
CALLING_KINDS = ("function",)
CHECK_SECONDS = 180.0  # trained-model checks train a small CNN a few times


@dataclass
class PartRecord:
    """What the check of one part decided: its verdict, and a leaderboard entry if the check set one."""

    part_id: str
    verdict: Verdict
    leaderboard: tuple[str, Any, str] | None = None
    seconds: float = 0.0


class GradingPlugin:
    """Fixtures for checks (`part`, `answer`, `answers`, `submission`, `reference`, `problem`, `settings`) and outcome recording."""

    def __init__(
        self,
        assignment: Assignment,
        sheets: dict[str, AnswerSheet],
        references: dict[str, Any],
        selected: set[str],
        deadline: float,
        settings: Settings | None = None,
    ) -> None:
        self.settings_in_force = settings or Settings()
        self.assignment = assignment
        self.sheets = sheets
        self.references = references
        self.selected = selected
        self.deadline = deadline
        self.records: dict[str, PartRecord] = {}
        self.collection_errors: dict[str, str] = {}
        self.duplicates: list[str] = []
        self.rootdir = "."
        self.order: list[str | None] = []
        self.interrupted = False

    # ------------------------------------------------------------------ fixtures
    @pytest.fixture
    def part(self, request: pytest.FixtureRequest) -> Part:
        return self.assignment.part(_part_id(request.node))

    @pytest.fixture
    def problem(self, part: Part) -> Any:
        return self.assignment.problem_of(part)

    @pytest.fixture
    def answers(self, part: Part) -> AnswerSheet:
        return self.sheets[part.file]

    @pytest.fixture
    def answer(self, part: Part, answers: AnswerSheet) -> Answer:
        return answers.get(part.answer)

    @pytest.fixture
    def submission(self, answers: AnswerSheet) -> Any:
        return answers.session

    @pytest.fixture
    def reference(self, part: Part) -> Any:
        """The reference solution of the part's answer file; for a notebook's part, that of the first Python file."""
        if part.file in self.references:
            return self.references[part.file]
        return next(iter(self.references.values()), None)

    @pytest.fixture
    def settings(self) -> Settings:
        """The course settings this grading runs under (a batch may pass its own file), e.g. for threshold overrides."""
        return self.settings_in_force

    # ------------------------------------------------------------------ collection
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            path = Path(str(report.fspath))
            if not path.is_absolute():
                path = Path(self.rootdir) / path
            self.collection_errors[str(path.resolve())] = _short(str(report.longrepr))

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """SIGTERM or Ctrl-C (see cli.main): the checks stop here; the engine reports the rest as not run."""
        self.interrupted = True

    def pytest_configure(self, config: pytest.Config) -> None:
        self.rootdir = str(config.rootpath)

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """The default check gets one item per selected part that its kind's judge can grade."""
        if _is_default(metafunc.function):
            parts = [p.id for p in self.assignment.parts if p.id in self.selected and has_default(p)]
            metafunc.parametrize("part_id", parts, ids=parts)

    def load_error(self, part_id: str) -> str | None:
        """Why a check module of the part's problem failed to load (it may have held this part's own check), if one did."""
        folder = str(self.assignment.problem_of(self.assignment.part(part_id)).folder.resolve())
        return next((error for path, error in self.collection_errors.items() if path.startswith(folder + "/")), None)

    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
        claimed = {_part_id(item) for item in items if not _is_default(getattr(item, "obj", None))}
        keep, drop, seen = [], [], set()
        for item in items:
            part_id = _part_id(item)
            if part_id is None or part_id not in self.selected:
                drop.append(item)
                continue
            if _is_default(getattr(item, "obj", None)) and (part_id in claimed or self.load_error(part_id) is not None):
                drop.append(item)
                continue
            if part_id in seen:
                self.duplicates.append(part_id)
                drop.append(item)
                continue
            seen.add(part_id)
            keep.append(item)
        position = {part.id: index for index, part in enumerate(self.assignment.parts)}
        keep.sort(key=lambda item: position.get(_part_id(item) or "", len(position)))  # the homework's order
        items[:] = keep
        self.order = [_part_id(item) for item in keep]
        if drop:
            config.hook.pytest_deselected(items=drop)

    # ------------------------------------------------------------------ running
    def _release_idle_sessions(self, part_id: str | None) -> None:
        """Close children that no remaining check will call into, so their memory is free for the rest.

        Their answers are read first: the values (and manual parts' text) stay cached.
        """
        remaining = self.order[self.order.index(part_id) :] if part_id in self.order else []
        calling = {self.assignment.part(pid).file for pid in remaining if pid and self.assignment.part(pid).kind in CALLING_KINDS}
        for file_name, sheet in self.sheets.items():
            if file_name not in calling and sheet.session is not None and sheet.session.process is not None:
                sheet.preload()
                sheet.session.close()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
        if time.monotonic() < self.deadline:
            self._release_idle_sessions(_part_id(item))
            return None
        self._record(item, Verdict("not_run", 0.0, "Not run: the autograder's time budget ran out before this part was reached."))
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> bool:
        function = pyfuncitem.obj
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        started = time.monotonic()
        try:
            with time_limit(min(CHECK_SECONDS, max(1.0, self.deadline - started))):
                returned = function(**arguments)
        finally:
            # Taken off the function whatever happened, so the next grading in this process starts without them.
            extras = pyfuncitem.stash[_EXTRAS] = CallExtras.taken_from(function)
        record = self._record(pyfuncitem, _verdict_of(function, returned, extras.score))
        record.seconds = time.monotonic() - started
        return True

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
        outcome = yield
        report = outcome.get_result()
        part_id = _part_id(item)
        if part_id is None or part_id in self.records and report.when != "teardown":
            return
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            self._record(item, Verdict("error", 0.0, f"This part was not checked ({_short(reason)})."))
        elif report.failed and report.when in ("setup", "call"):
            self._record(item, self._failure_verdict(item, call, report.when))

    def _failure_verdict(self, item: pytest.Item, call: pytest.CallInfo[Any], when: str) -> Verdict:
        hidden = getattr(getattr(item, "obj", None), "__hide_errors__", None)
        excinfo = call.excinfo
        if excinfo is not None and excinfo.errisinstance(AssertionError):
            message = hidden or _short(str(excinfo.value)) or "The check failed."
            return Verdict("wrong", 0.0, message)
        if excinfo is not None and excinfo.errisinstance(TimeLimitExceeded):
            return Verdict("error", 0.0, "The check of this part ran out of time; the staff have been told.", staff=str(excinfo.value))
        detail = _short(excinfo.exconly()) if excinfo is not None else "unknown error"
        stage = "preparing" if when == "setup" else "running"
        return Verdict(
            "error",
            0.0,
            hidden or f"The autograder hit an internal error while {stage} the check of this part. "
            "This is not a verdict on your answer; please tell the course staff.",
            staff=detail,
        )

    def _record(self, item: pytest.Item, verdict: Verdict) -> PartRecord:
        function = getattr(item, "obj", None)
        part_id = _part_id(item) or item.nodeid
        leaderboard = None
        value = item.stash.get(_EXTRAS, CallExtras()).leaderboard_value
        if value is not None and hasattr(function, "__leaderboard_column__"):
            leaderboard = (function.__leaderboard_column__, value, getattr(function, "__leaderboard_sort_order__", "desc"))
        record = PartRecord(part_id=part_id, verdict=verdict, leaderboard=leaderboard)
        self.records[part_id] = record
        return record


@dataclass(frozen=True)
class CallExtras:
    """What gradescope-utils' wrappers on a check set during one call: `set_score`'s and `set_leaderboard_value`'s values.

    The wrappers store them on the check function, where they would outlive the grading;
    they are taken off after each call and travel on the pytest item instead.
    """

    score: Any = None
    leaderboard_value: Any = None

    @classmethod
    def taken_from(cls, function: Any) -> "CallExtras":
        return cls(_take(function, "__score__"), _take(function, "__leaderboard_value__"))


_EXTRAS = pytest.StashKey[CallExtras]()


def _take(function: Any, name: str) -> Any:
    """Remove and return a value a gradescope-utils wrapper left on the check function (None if it left none).

    Each wrapper sets its value on itself, so with several stacked (`partial_credit` over
    `leaderboard`) it may sit on any layer: every layer is looked at and cleared.
    """
    found = None
    while function is not None:
        value = getattr(function, "__dict__", {}).pop(name, None)
        found = value if found is None else found
        function = getattr(function, "__wrapped__", None)
    return found


def _verdict_of(function: Any, returned: Any, score: Any) -> Verdict:
    """The check's verdict: the Verdict it returned, else its `set_score` share of `partial_credit`'s weight, else full credit.

    `set_score` counts in the units of `partial_credit(weight)`; only the share is kept, and the
    part's own points (from its data) turn it into a score when the results are assembled.
    """
    if isinstance(returned, Verdict):
        return returned
    weight = getattr(function, "__weight__", None)
    if score is not None and weight:
        fraction = max(0.0, min(1.0, float(score) / float(weight)))
        return Verdict("correct" if fraction >= 1 else "partial", fraction, "Partial credit." if fraction < 1 else "Correct.")
    return Verdict.correct()


def _is_default(function: Any) -> bool:
    return bool(getattr(function, DEFAULT_ATTRIBUTE, False))


def _part_id(item: Any) -> str | None:
    """The part an item checks: a course check's `@check` id, or the default check's `part_id` parameter."""
    function = getattr(item, "obj", None) or getattr(item, "function", None)
    if _is_default(function):
        callspec = getattr(item, "callspec", None)
        return callspec.params.get("part_id") if callspec is not None else None
    return getattr(function, PART_ATTRIBUTE, None)


def _short(text: str, limit: int = 1500) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."
