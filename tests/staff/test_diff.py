"""`autograder diff`: score changes between two batch runs, largest first, exit 1 when anything changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.results import Facts, Results, TestResult, write_results
from autograder.staff.diff import diff_runs
from autograder.staff.runs import RunPaths, with_facts, write_json

from .conftest import ROOT, GradedBatch


def make_run(folder: Path, scores: dict[str, dict[str, float]], status: dict[str, str] | None = None) -> Path:
    paths = RunPaths(folder)
    paths.make()
    write_json(paths.run_file, {"assignment": "hw4", "source": "synthetic"})
    for key, parts in scores.items():
        tests = [TestResult(name=f"{pid}: title", extra_data=Facts(part=pid), score=score, max_score=3.0, status="passed" if score == 3 else "failed") for pid, score in parts.items()]
        write_results(Results(tests=tests), paths.results(key))
        write_json(paths.meta(key), {"key": key, "status": (status or {}).get(key, "graded"), "seconds": 1.0, "submitters": []})
    return folder


def test_identical_runs_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores = {"s1": {"hw4.p1a": 3.0, "hw4.p1b": 0.0}}
    a = make_run(tmp_path / "a", scores)
    b = make_run(tmp_path / "b", scores)
    assert main(["diff", str(a), str(b)]) == 0
    assert "No score changed." in capsys.readouterr().out


def test_changes_are_listed_largest_first_and_exit_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make_run(tmp_path / "a", {"s1": {"hw4.p1a": 3.0, "hw4.p1b": 0.0}, "s2": {"hw4.p1a": 3.0, "hw4.p1b": 3.0}, "s3": {"hw4.p1a": 0.0}, "gone": {"hw4.p1a": 1.0}})
    b = make_run(
        tmp_path / "b",
        {"s1": {"hw4.p1a": 3.0, "hw4.p1b": 1.5}, "s2": {"hw4.p1a": 0.0, "hw4.p1b": 0.0}, "s3": {"hw4.p1a": 0.0}, "new": {"hw4.p1a": 3.0}},
        status={"s3": "timeout"},
    )
    result = diff_runs(a, b)
    assert [c.key for c in result.changes] == ["s2", "new", "s1", "gone", "s3"]
    assert [(p.part_id, p.delta) for p in result.changes[0].parts] == [("hw4.p1a", -3.0), ("hw4.p1b", -3.0)]
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "5 submission(s) changed" in out and "[graded -> timeout]" in out and "hw4.p1b: 2 submission(s)" in out
    assert main(["diff", str(a), str(b), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["changes"][0]["submission"] == "s2"


def test_parts_that_cancel_out_still_rank_by_points_moved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make_run(tmp_path / "a", {"swap": {"hw4.p1a": 3.0, "hw4.p1b": 0.0}, "small": {"hw4.p1a": 1.0, "hw4.p1b": 0.0}})
    b = make_run(tmp_path / "b", {"swap": {"hw4.p1a": 0.0, "hw4.p1b": 3.0}, "small": {"hw4.p1a": 2.0, "hw4.p1b": 0.0}})
    result = diff_runs(a, b)
    assert [(c.key, c.delta, c.moved) for c in result.changes] == [("swap", 0.0, 6.0), ("small", 1.0, 1.0)]
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert out.index("hw4.p1a: 2 submission(s), 4 points moved") < out.index("hw4.p1b: 1 submission(s), 3 points moved")


def test_a_submission_whose_every_part_changed_lists_a_few_and_says_how_many_more(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = {f"hw4.p{index}a": 3.0 for index in range(1, 11)}
    a = make_run(tmp_path / "a", {"crashed_later": parts})
    b = make_run(tmp_path / "b", {"crashed_later": {pid: 0.0 for pid in parts}})
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert out.count(": 3 -> 0 (-3)") == 6 and "... and 4 more parts (--json lists them all)" in out
    assert main(["diff", str(a), str(b), "--json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["changes"][0]["parts"]) == 10


def test_diff_of_a_real_run_against_a_regressed_copy(graded_batch: GradedBatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(graded_batch.out, copy)
    assert main(["diff", str(graded_batch.out), str(copy)]) == 0
    results = json.loads((copy / "results" / "submission_1001.json").read_text())
    results["tests"][0]["score"] = 0.0
    results["score"] -= 3.0
    (copy / "results" / "submission_1001.json").write_text(json.dumps(results))
    capsys.readouterr()
    assert main(["diff", str(graded_batch.out), str(copy)]) == 1
    assert "submission_1001" in capsys.readouterr().out


def test_a_run_written_before_rows_carried_their_facts_is_still_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`diff OLD NEW` spans autograder versions: an old run's rows named their part only in the test's name."""
    scores = {"s1": {"hw4.p1a": 3.0, "hw4.p1b": 0.0}}
    new = make_run(tmp_path / "new", scores)
    old = make_run(tmp_path / "old", scores)
    for path in (old / "results").glob("*.json"):
        data = json.loads(path.read_text())
        for test in data["tests"]:
            del test["extra_data"]
        data["tests"].append({"name": "hw4.p1: answer key", "score": 0, "max_score": 0, "status": "passed", "tags": ["answer-key"]})
        path.write_text(json.dumps(data))
    assert main(["diff", str(old), str(new)]) == 0, capsys.readouterr().out
    changed = make_run(tmp_path / "changed", {"s1": {"hw4.p1a": 0.0, "hw4.p1b": 0.0}})
    assert main(["diff", str(old), str(changed)]) == 1
    assert "hw4.p1a" in capsys.readouterr().out


def test_facts_of_rows_written_before_they_carried_them() -> None:
    old = Results.model_validate(
        {
            "tests": [
                {"name": "hw4.p1a: Runtime", "tags": ["problem-1", "expression", "wrong"]},
                {"name": "hw4.p1b_explain: Why", "tags": ["manual", "problem-1"]},
                {"name": "hw4.p1: answer key", "tags": ["answer-key"]},
                {"name": "Autograder error", "tags": ["autograder-error"]},
                {"name": "renamed", "tags": ["manual"], "extra_data": {"role": "part", "part": "hw4.p2a", "outcome": "correct"}},
            ]
        }
    )
    assert [t.extra_data for t in with_facts(old).tests] == [
        Facts(part="hw4.p1a", outcome="wrong"),
        Facts(role="manual", part="hw4.p1b_explain"),
        Facts(role="answer_key", part="hw4.p1"),
        Facts(role="failure"),
        Facts(part="hw4.p2a", outcome="correct"),  # a row with its facts keeps them: its name and tags are not read
    ]


def test_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x").mkdir()
    assert main(["diff", str(tmp_path / "x"), str(tmp_path / "x")]) == 2
    assert "not a batch run folder" in capsys.readouterr().err


def test_an_added_or_removed_submission_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = {f"hw4.p{index}a": 1.0 / 3 for index in range(1, 9)}
    a = make_run(tmp_path / "a", {"kept": {"hw4.p1a": 3.0}, "gone": parts})
    b = make_run(tmp_path / "b", {"kept": {"hw4.p1a": 2.0 / 3}, "new": parts})
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert sum("gone" in line for line in out.splitlines()) == 1 and sum("new" in line for line in out.splitlines()) == 1
    assert f"new   added: only in {b} (score 2.67, graded)" in out
    assert f"gone  removed: only in {a} (score 2.67, graded)" in out
    assert "hw4.p2a" not in out  # no part rows for a submission in one run only
    assert "3 -> 0.67   (-2.33)" in out  # two decimals, not 0.666667


def test_diff_ends_quietly_when_its_reader_closes_the_pipe(tmp_path: Path) -> None:
    import subprocess
    import sys

    a = make_run(tmp_path / "a", {f"s{index:03d}": {"hw4.p1a": 3.0} for index in range(3000)})
    b = make_run(tmp_path / "b", {f"s{index:03d}": {"hw4.p1a": 0.0} for index in range(3000)})
    pipeline = f"{sys.executable} -m autograder diff {a} {b} | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.startswith("Comparing ")
    assert done.stderr == "", done.stderr  # no BrokenPipeError traceback, no "Exception ignored"
    assert done.returncode == 1  # the runs differ; a cut pipe says 1 too (never 120, Python's failed flush at exit)
