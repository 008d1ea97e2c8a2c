"""The folder of one batch run, and reading it back (for the CSV, the report, resuming and diffs).

    DIR/run.json              what was graded, and with what: assignment, submissions folder,
                              autograder version and source hash, the whole settings, the time
                              limit (a rerun into DIR must match it: runs never mix)
    DIR/results/<key>.json    Gradescope's results.json of each submission
    DIR/meta/<key>.json       per submission: students, status, seconds, staff notes (written last:
                              its presence marks the submission as done, which is what resuming reads)
    DIR/logs/<key>.log        the worker's own output (pytest log, tracebacks)
    DIR/grades.csv, DIR/report.html
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from autograder import __version__
from autograder.config import Settings
from autograder.errors import CommandError
from autograder.paths import project_root
from autograder.results import Facts, Outcome, Results, TestResult, read_results

RUN_FILE = "run.json"

#: Status of a submission in a batch: graded normally, or what went wrong with the grading itself.
GRADED, TIMEOUT, CRASHED = "graded", "timeout", "crashed"

#: What decides a grading, hashed into run.json: the engine, the problems' checks, the references.
SOURCE_FOLDERS = ("autograder", "problems", "reference")


def format_score(value: float | None) -> str:
    """A score as staff read it everywhere (CSV, report, diff, progress): at most two decimals."""
    if value is None:
        return "-"
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@lru_cache(maxsize=1)
def source_hash() -> str:
    """SHA-256 of every file that decides a grade, so a run graded by other code is never resumed or mixed."""
    digest = hashlib.sha256()
    root = project_root()
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def describe_run(assignment: str, source: Path, settings: Settings, timeout: float) -> dict[str, Any]:
    """run.json's facts that decide a run's grades: a rerun into the same folder must match them all."""
    return {
        "assignment": assignment,
        "source": str(Path(source).resolve()),
        "autograder_version": __version__,
        "source_hash": source_hash(),
        "settings": settings.model_dump(mode="json"),
        "timeout_seconds": timeout,
    }


RUN_FACTS = {
    "assignment": "the assignment",
    "source": "the submissions folder",
    "autograder_version": "the autograder's version",
    "source_hash": "the autograder's source (engine, checks or references changed)",
    "settings": "the settings",
    "timeout_seconds": "the time limit per submission (--timeout)",
}


def _setting_changes(before: Any, after: Any, prefix: str = "") -> list[str]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [f"{prefix or 'settings'}: {before!r} -> {after!r}"] if before != after else []
    changes = []
    for key in sorted(before.keys() | after.keys()):
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(before.get(key), dict) and isinstance(after.get(key), dict):
            changes += _setting_changes(before[key], after[key], name)
        elif before.get(key) != after.get(key):
            changes.append(f"{name}: {before.get(key, '(unset)')!r} -> {after.get(key, '(unset)')!r}")
    return changes


def run_differences(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between the run recorded in a folder and the one asked for now, in staff words."""
    found = []
    for key, label in RUN_FACTS.items():
        if previous.get(key) == current.get(key):
            continue
        if key == "settings":
            changes = _setting_changes(previous.get(key), current.get(key))
            found.append(f"{label} ({'; '.join(changes[:4])}{'; ...' if len(changes) > 4 else ''})")
        elif key == "source_hash":
            found.append(label)
        else:
            found.append(f"{label} ({previous.get(key, '(not recorded)')} -> {current.get(key)})")
    return found


@dataclass(frozen=True)
class RunPaths:
    root: Path

    @property
    def run_file(self) -> Path:
        return self.root / RUN_FILE

    def results(self, key: str) -> Path:
        return self.root / "results" / f"{key}.json"

    def meta(self, key: str) -> Path:
        return self.root / "meta" / f"{key}.json"

    def notes(self, key: str) -> Path:
        return self.root / "meta" / f"{key}.notes.json"

    def log(self, key: str) -> Path:
        return self.root / "logs" / f"{key}.log"

    @property
    def csv(self) -> Path:
        return self.root / "grades.csv"

    @property
    def report(self) -> Path:
        return self.root / "report.html"

    def make(self) -> None:
        """Create the run folder, owner-only: it holds every student's results and the answer keys.

        In a batch run as root, student code runs as other uids; closing the run folder keeps
        one student's code away from everyone else's results (and from the expected answers).
        """
        for sub in ("results", "meta", "logs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)


@dataclass
class GradedSubmission:
    """One submission of a finished run: its results and what the batch recorded about it."""

    key: str
    results: Results
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return str(self.meta.get("status", GRADED))

    @property
    def seconds(self) -> float:
        return float(self.meta.get("seconds") or self.results.execution_time or 0.0)

    @property
    def submitters(self) -> list[dict[str, str]]:
        return list(self.meta.get("submitters") or [])


def write_json(path: Path, data: Any) -> None:
    """Atomic JSON write: a reader (or a resumed run) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_done(paths: RunPaths, key: str) -> bool:
    """Done means: metadata written (the last step) and a results.json that validates."""
    if not paths.meta(key).is_file():
        return False
    try:
        read_results(paths.results(key))
    except (OSError, ValueError, ValidationError):
        return False
    return True


def load_run(folder: Path) -> tuple[dict[str, Any], list[GradedSubmission]]:
    """The run's description and every submission it finished, sorted by key."""
    paths = RunPaths(Path(folder))
    if not paths.root.is_dir():
        raise CommandError(f"{folder} is not a folder")
    if not paths.run_file.is_file():
        raise CommandError(f"{folder} is not a batch run folder (no {RUN_FILE}); make one with `autograder batch`")
    run = read_json(paths.run_file)
    graded = []
    for meta_path in sorted((paths.root / "meta").glob("*.json")):
        if meta_path.name.endswith(".notes.json"):
            continue
        key = meta_path.stem
        try:
            results = read_results(paths.results(key))
        except (OSError, ValueError, ValidationError):
            continue
        graded.append(GradedSubmission(key, with_facts(results), read_json(meta_path)))
    return run, graded


def graded_parts(results: Results) -> dict[str, TestResult]:
    """A submission's rows of graded parts by part id (the stable key across runs), read from each row's facts.

    Manual parts, answer keys and the last-resort writer's row are not graded parts and are left out.
    """
    return {t.extra_data.part: t for t in results.tests if t.extra_data.role == "part" and t.extra_data.part}


#: Tags by which results written before rows carried their facts (extra_data) said what a row was.
_LEGACY_ROLES = {"manual": "manual", "answer-key": "answer_key", "autograder-error": "failure"}


def with_facts(results: Results) -> Results:
    """The results with every row's facts, also for a file written before rows carried them.

    `autograder diff OLD NEW` compares runs across autograder versions, so an old run must still
    be read. Its rows named the part (`<part id>: <title>`, the answer key `<problem id>: answer
    key`) and tagged the role and outcome; those are read here, once, the one place that knows
    that old layout. A row whose file has its facts is left as it is.
    """
    if all("extra_data" in t.model_fields_set for t in results.tests):
        return results
    tests = [t if "extra_data" in t.model_fields_set else t.model_copy(update={"extra_data": _legacy_facts(t)}) for t in results.tests]
    return results.model_copy(update={"tests": tests})


def _legacy_facts(test: TestResult) -> Facts:
    role = next((_LEGACY_ROLES[tag] for tag in test.tags if tag in _LEGACY_ROLES), "part")
    if role == "failure":
        return Facts(role="failure")
    part = test.name.split(":", 1)[0].strip()
    outcome = next((tag for tag in test.tags if tag in get_args(Outcome)), None) if role == "part" else None
    return Facts(role=role, part=part, outcome=outcome)  # type: ignore[arg-type]
