"""results.json: the schema, the total, the cut at Gradescope's output limit, and atomic writing."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from autograder.results import OUTPUT_LIMIT, Results, TestResult, read_results, write_results

GRADESCOPE_TOP_KEYS = {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility", "tests"}
GRADESCOPE_TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "output_format", "tags", "visibility", "extra_data"}


def test_written_file_has_the_gradescope_schema_and_the_summed_score(tmp_path):
    results = Results(
        score=999,  # ignored: the total is always recomputed from the tests
        tests=[
            TestResult(name="a", number="1.a", score=1.5, max_score=2, status="failed", tags=["x"]),
            TestResult(name="b", number="1.b", score=3, max_score=3, status="passed", visibility="after_due_date"),
        ],
    )
    path = tmp_path / "out" / "results.json"
    write_results(results, path)
    data = json.loads(path.read_text())
    assert set(data) == GRADESCOPE_TOP_KEYS
    assert data["score"] == 4.5
    assert all(set(test) == GRADESCOPE_TEST_KEYS for test in data["tests"])
    assert data["tests"][0]["score"] == 1.5
    assert read_results(path).tests[1].visibility == "after_due_date"
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]  # no temp file left behind


def test_outputs_are_cut_below_gradescope_limit_with_a_note():
    test = TestResult(name="flood", output="x" * (OUTPUT_LIMIT * 3))
    assert len(test.output) <= OUTPUT_LIMIT
    assert test.output.endswith("output cut: too long ...]")


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "t", "status": "ok"},
        {"name": "t", "visibility": "public"},
        {"name": "t", "score": float("nan")},
        {"name": "t", "output_format": "pdf"},
        {"name": "t", "surprise": 1},
    ],
)
def test_invalid_tests_are_rejected(bad):
    with pytest.raises(ValidationError):
        TestResult(**bad)


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    write_results(Results(tests=[TestResult(name="old", score=1, max_score=1, status="passed")]), path)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("autograder.last_resort.os.replace", explode)  # the one atomic writer of results files
    with pytest.raises(OSError):
        write_results(Results(tests=[]), path)
    assert read_results(path).tests[0].name == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_unencodable_student_text_anywhere_is_written_not_fatal(tmp_path):
    lone = "\ud800"  # a lone surrogate: what `"\ud800"` in a student's file or a JSON escape gives
    results = Results(
        output=f"printed {lone}",
        tests=[TestResult(name=f"p {lone}", number=lone, output=f"your answer {lone}", tags=[lone], score=1, max_score=1, status="passed")],
        leaderboard=[{"name": lone, "value": lone}],
    )
    forged = results.model_copy(update={"output": lone})  # a copy skips validation: to_json must still clean
    path = tmp_path / "results.json"
    write_results(forged, path)
    data = json.loads(path.read_bytes().decode("utf-8"))  # strict UTF-8, as Gradescope reads it
    assert data["output"] == "\ufffd"
    assert data["tests"][0]["output"] == "your answer \ufffd" and data["tests"][0]["tags"] == ["\ufffd"]
    assert data["score"] == 1
    assert "\ufffd" in forged.to_json()


def test_results_files_are_readable_by_their_owner_only(tmp_path):
    # They hold the answer key (after-due-date tests); student code may run as another user here.
    path = tmp_path / "results.json"
    write_results(Results(tests=[]), path)
    assert path.stat().st_mode & 0o777 == 0o600
