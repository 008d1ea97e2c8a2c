"""Rehearse a Gradescope zip on this machine exactly as Gradescope lays it out (root only).

Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh` there as root
when it builds the image, copies `run_autograder` to `/autograder/run_autograder`,
and for each submission puts the files in `/autograder/submission` and the metadata
in `/autograder/submission_metadata.json`, then runs `./run_autograder` from
`/autograder`. A proof that runs `source/run_autograder`, or from any other folder,
does not show that the copy works; this one does it the same way, in the same
places, and removes everything it made afterwards (the folders and any sandbox user
that setup.sh created).

It refuses to touch an `/autograder` it did not make (a real image, or someone's
work): only one holding its own marker file is cleared.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import CommandError
from autograder.results import Results
from autograder.staff.archive import unpack_zip
from autograder.staff.zip_proof import clean_environment

AUTOGRADER = Path("/autograder")
MARKER = ".autograder-rehearsal"
#: Every key Gradescope's results schema allows (top level and per test).
TOP_KEYS = {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility", "tests", "leaderboard", "extra_data"}
TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "output_format", "tags", "visibility", "extra_data"}


@dataclass(frozen=True)
class Grading:
    """One submission graded through /autograder/run_autograder: its results and what it cost."""

    results: Results
    raw: dict
    seconds: float
    log: str


def require_root() -> None:
    if os.geteuid() != 0:
        raise CommandError(
            "the Gradescope rehearsal needs root: Gradescope runs setup.sh and run_autograder as root, "
            "in /autograder, with a sandbox user for student code (run it as root, as CI does)"
        )


def schema_problems(raw: object) -> list[str]:
    """What in a parsed results.json Gradescope would not accept (empty when it is valid)."""
    if not isinstance(raw, dict):
        return ["the top level is not an object"]
    problems = [f"unknown top-level key {k!r}" for k in sorted(set(raw) - TOP_KEYS)]
    if not isinstance(raw.get("score"), (int, float)):
        problems.append("no numeric top-level score")
    tests = raw.get("tests", [])
    if not isinstance(tests, list):
        return [*problems, "tests is not a list"]
    for index, test in enumerate(tests):
        if not isinstance(test, dict):
            problems.append(f"test {index} is not an object")
            continue
        problems += [f"test {index}: unknown key {k!r}" for k in sorted(set(test) - TEST_KEYS)]
        if test.get("status") not in (None, "passed", "failed"):
            problems.append(f"test {index}: status {test.get('status')!r}")
        if test.get("visibility") not in (None, "hidden", "after_due_date", "after_published", "visible"):
            problems.append(f"test {index}: visibility {test.get('visibility')!r}")
        for key in ("score", "max_score"):
            if key in test and not isinstance(test[key], (int, float)):
                problems.append(f"test {index}: {key} is not a number")
    if isinstance(raw.get("score"), (int, float)) and all(isinstance(t, dict) for t in tests):
        total = sum(float(t.get("score", 0)) for t in tests)
        if abs(total - raw["score"]) > 1e-6:
            problems.append(f"score {raw['score']} is not the sum of the tests ({total})")
    return problems


def _users() -> set[str]:
    return {entry.pw_name for entry in pwd.getpwall()}


class Installation:
    """The zip installed in /autograder by setup.sh, ready to grade submissions as Gradescope does."""

    def __init__(self, setup_seconds: float, setup_log: str) -> None:
        self.setup_seconds = setup_seconds
        self.setup_log = setup_log
        self.source = AUTOGRADER / "source"

    def grade(self, submission: Path, *, timeout: float = 900, metadata: dict | None = None) -> Grading:
        """Lay out one submission and its metadata, run `cd /autograder && ./run_autograder`, read the results."""
        folder, results = AUTOGRADER / "submission", AUTOGRADER / "results"
        for path in (folder, results):
            shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(submission, folder, symlinks=True)
        results.mkdir()
        (AUTOGRADER / "submission_metadata.json").write_text(json.dumps(metadata or default_metadata()), encoding="utf-8")
        started = time.monotonic()
        try:
            done = subprocess.run(
                ["./run_autograder"], cwd=AUTOGRADER, env=clean_environment(), capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise CommandError(f"{submission}: /autograder/run_autograder did not finish within {timeout:.0f} s") from None
        seconds = time.monotonic() - started
        log = done.stdout + done.stderr
        path = results / "results.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{submission}: no readable {path} ({error}); run_autograder said:\n{log[-3000:]}") from None
        problems = schema_problems(raw)
        if problems:
            raise CommandError(f"{submission}: {path} breaks Gradescope's schema: {'; '.join(problems)}")
        return Grading(Results.model_validate(raw), raw, seconds, log)


def default_metadata() -> dict:
    return {
        "id": 1,
        "created_at": "2026-01-01T12:00:00.000000-08:00",
        "assignment": {"due_date": "2026-01-02T23:59:00.000000-08:00", "title": "rehearsal"},
        "users": [{"name": "Rehearsal Student", "email": "student@example.invalid", "sid": "0"}],
    }


def _clear() -> None:
    if AUTOGRADER.exists() or AUTOGRADER.is_symlink():
        shutil.rmtree(AUTOGRADER)


@contextmanager
def installed(zip_path: Path, *, torch_index: str | None = None, setup_timeout: float = 1800) -> Iterator[Installation]:
    """Unpack `zip_path` into /autograder/source, copy run_autograder, run setup.sh; clean up afterwards.

    `torch_index`: passed to setup.sh as AUTOGRADER_TORCH_INDEX_URL ("" uses pip's configured
    index, for a machine that cannot reach PyTorch's CPU index). None leaves setup.sh's default.
    """
    require_root()
    if AUTOGRADER.exists() and not (AUTOGRADER / MARKER).exists():
        raise CommandError(f"{AUTOGRADER} exists and was not made by a rehearsal; refusing to touch it")
    _clear()  # an interrupted rehearsal's leftovers
    users_before = _users()
    try:
        source = AUTOGRADER / "source"
        # Closed while unpacking: until setup.sh's first step locks reference/ and problems/, other users
        # of this machine (other tests' sandboxed children) must not read them. Opened as Gradescope has it.
        AUTOGRADER.mkdir(mode=0o700)
        source.mkdir()
        (AUTOGRADER / MARKER).write_text("made by the autograder's Gradescope rehearsal; removed when it ends\n")
        skipped = unpack_zip(zip_path, source)
        if skipped:
            raise CommandError(f"the zip holds entries Gradescope would not unpack: {skipped}")
        if not os.access(source / "run_autograder", os.X_OK) or not os.access(source / "setup.sh", os.X_OK):
            raise CommandError("setup.sh and run_autograder must be executable at the zip's root")
        shutil.copy2(source / "run_autograder", AUTOGRADER / "run_autograder")
        AUTOGRADER.chmod(0o755)
        extra = {} if torch_index is None else {"AUTOGRADER_TORCH_INDEX_URL": torch_index}
        started = time.monotonic()
        try:
            done = subprocess.run(
                ["./setup.sh"], cwd=source, env=clean_environment(**extra), capture_output=True, text=True, timeout=setup_timeout
            )
        except subprocess.TimeoutExpired:
            raise CommandError(f"setup.sh did not finish within {setup_timeout:.0f} s") from None
        setup_seconds = time.monotonic() - started
        if done.returncode != 0:
            raise CommandError(f"setup.sh failed (exit {done.returncode}):\n{(done.stdout + done.stderr)[-4000:]}")
        yield Installation(setup_seconds, done.stdout + done.stderr)
    finally:
        _clear()
        for name in sorted(_users() - users_before):
            subprocess.run(["userdel", name], capture_output=True, check=False)
