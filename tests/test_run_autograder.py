"""run_autograder as Gradescope calls it: always a valid results.json, even when the engine dies."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from autograder.results import read_results

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "run_autograder"


def run(submission: Path, results: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AUTOGRADER_SETTINGS": str(ROOT / "submissions_examples" / "settings.toml"), **env}
    return subprocess.run(
        [str(SCRIPT), "--submission", str(submission), "--results", str(results), "--assignment", "hw4"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def test_grades_a_submission_and_writes_results(tmp_path):
    results = tmp_path / "results" / "results.json"
    completed = run(ROOT / "submissions_examples" / "hw4" / "full_marks", results)
    assert completed.returncode == 0
    data = read_results(results)
    assert data.score == sum(t.score for t in data.tests) > 0
    assert any(t.name.startswith("hw4.p1a") and t.status == "passed" for t in data.tests)
    # Private by default (umask 077): student code runs as another user and must read none of it.
    assert results.stat().st_mode & 0o777 == 0o600
    assert results.parent.stat().st_mode & 0o777 == 0o700


def test_engine_death_still_leaves_a_valid_results_file(tmp_path):
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"score": 1000, "tests": []}))  # a stale or forged file is replaced
    completed = run(ROOT / "submissions_examples" / "hw4" / "full_marks", results, AUTOGRADER_ROOT=str(tmp_path / "nowhere"))
    assert completed.returncode == 0
    data = read_results(results)
    assert data.score == 0
    assert "contact the course staff" in data.output
    assert data.tests[0].name == "Autograder error"


def test_hard_time_limit_still_leaves_a_valid_results_file(tmp_path):
    results = tmp_path / "results.json"
    completed = run(ROOT / "submissions_examples" / "hw4" / "full_marks", results, AUTOGRADER_HARD_LIMIT="1")
    assert completed.returncode == 0
    assert "engine exit status 124" in read_results(results).tests[0].output
