"""The last-resort writer: standard library only, and it always leaves a valid results.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import last_resort
from autograder.results import Results, TestResult, read_results, write_results

SCRIPT = Path(last_resort.__file__)


def run(path: Path, status: str = "1") -> subprocess.CompletedProcess[str]:
    # -S -I: no site-packages at all, as when the virtual environment is broken
    return subprocess.run([sys.executable, "-S", "-I", str(SCRIPT), str(path), status], capture_output=True, text=True)


@pytest.mark.parametrize("content", [None, "", "{not json", "[]", '{"tests": []}', '{"score": "high"}', '{"score": 1, "tests": [{"evil": 1}]}'])
def test_missing_or_invalid_results_are_replaced_by_a_clear_failure(tmp_path, content):
    path = tmp_path / "results" / "results.json"
    if content is not None:
        path.parent.mkdir()
        path.write_text(content)
    completed = run(path, "137")
    assert completed.returncode == 1
    results = read_results(path)  # valid under the full schema
    assert results.score == 0
    assert "contact the course staff" in results.output
    assert "engine exit status 137" in results.tests[0].output
    assert path.stat().st_mode & 0o777 == 0o600  # owner only, like the engine's results


def test_valid_results_are_left_alone(tmp_path):
    path = tmp_path / "results.json"
    write_results(Results(tests=[TestResult(name="p", score=2, max_score=2, status="passed")]), path)
    before = path.read_text()
    assert run(path, "0").returncode == 0
    assert path.read_text() == before


def test_fallback_passes_the_engine_schema():
    Results.model_validate(last_resort.fallback_results("why"))
    assert json.dumps(last_resort.fallback_results("x"))
