"""A submission without a recognisable answer file gets a normal result that names what was expected."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from autograder import cli
from autograder.results import read_results

ROOT = Path(__file__).resolve().parent.parent
# The examples' settings leave `assignment` unset, as the repository's settings.toml does.
SETTINGS = ROOT / "submissions_examples" / "settings.toml"


def gradescope(submission: Path, results: Path) -> subprocess.CompletedProcess[str]:
    """run_autograder as Gradescope calls it for this folder: no --assignment."""
    return subprocess.run(
        [str(ROOT / "run_autograder"), "--submission", str(submission), "--results", str(results)],
        capture_output=True,
        text=True,
        env={**os.environ, "AUTOGRADER_SETTINGS": str(SETTINGS)},
        timeout=300,
    )


@pytest.mark.parametrize("files", [[], ["hw4 (1).py"]], ids=["empty", "misnamed"])
def test_gradescope_grades_the_default_assignment_and_says_which_files_were_expected(tmp_path, files):
    submission = tmp_path / "submission"
    submission.mkdir()
    for name in files:
        (submission / name).write_text("p1a = 'c*d_out^2*d_in'\n")
    results_path = tmp_path / "results" / "results.json"
    completed = gradescope(submission, results_path)
    assert completed.returncode == 0
    results = read_results(results_path)
    assert not any(t.extra_data.role == "failure" for t in results.tests), completed.stderr
    assert results.score == 0
    p1a = next(t for t in results.tests if t.extra_data.part == "hw4.p1a")
    assert p1a.status == "failed" and "No hw4.py or hw4.ipynb found" in p1a.output
    assert "No hw4.py or hw4.ipynb found in your submission." in results.output
    if files:
        assert "Found hw4 (1).py instead, which is not read: name your answer file exactly hw4.py" in results.output


def test_check_exits_1_when_the_answer_file_is_missing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_SETTINGS", str(SETTINGS))
    assert cli.main(["check", str(tmp_path)]) == 1
    assert "No hw4.py or hw4.ipynb found" in capsys.readouterr().out
    assert cli.main(["check", "--format-only", str(tmp_path)]) == 1


def test_grade_still_refuses_a_folder_it_cannot_place(tmp_path, capsys, monkeypatch):
    # Staff tool: with no answer file and no --assignment it asks, rather than guessing.
    monkeypatch.setenv("AUTOGRADER_SETTINGS", str(SETTINGS))
    assert cli.main(["grade", str(tmp_path)]) == 2
    assert "no answer file found" in capsys.readouterr().err
