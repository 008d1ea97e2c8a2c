"""Staging finds the answer files first: no number or size of other files can keep them from being graded."""

from __future__ import annotations

import json
import shutil

from autograder.engine import grade
from autograder.submission import stage
from tests.conftest import EXAMPLES

FULL_MARKS = EXAMPLES / "hw4" / "full_marks"
PARTS = {"hw4.p1a", "hw4.p2b", "hw4.p5a"}


def crowded_submission(folder, files: int) -> None:
    """Full-marks answer files next to a data folder and a __MACOSX folder of `files` files each, sorted before them."""
    shutil.copy(FULL_MARKS / "hw4.py", folder)
    shutil.copy(FULL_MARKS / "HandDesignFilters.ipynb", folder / "zz_HandDesignFilters.ipynb")  # a misnamed copy
    (folder / "assets").mkdir()
    shutil.copy(FULL_MARKS / "HandDesignFilters.ipynb", folder / "assets")
    for name in ("data", "__MACOSX", "a_notes"):
        (folder / name).mkdir()
    for index in range(files):
        (folder / "data" / f"{index:05d}.csv").write_text("1,2,3\n")
        (folder / "__MACOSX" / f"._{index:05d}.csv").write_bytes(b"\0\5\26\7")
    for name in ("big1.bin", "big2.bin"):
        (folder / "a_notes" / name).write_bytes(b"x" * (600 * 1024))


def test_thousands_of_other_files_leave_the_answer_files_graded_and_are_one_line(tmp_path, fast_settings):
    crowded_submission(tmp_path, 1500)
    run = grade(tmp_path, "hw4", settings=fast_settings, parts=PARTS)
    data = json.loads(run.results.to_json())
    tests = {t["extra_data"]["part"]: t for t in data["tests"]}
    assert all(tests[part]["status"] == "passed" for part in PARTS), data["output"]
    ignored = [line for line in data["output"].splitlines() if "ignored" in line]
    beyond = 1500 + 5 - fast_settings.max_submission_files  # hw4.py, two notebooks, two big files, the data
    assert len(ignored) == 1, data["output"]
    assert f"ignored {beyond} files (beyond the limit of {fast_settings.max_submission_files} files: {beyond}): data/" in ignored[0]
    assert ignored[0].endswith(f" and {beyond - 3} more")
    assert "__MACOSX" not in data["output"]


def test_the_size_budget_goes_to_the_answer_files_first(tmp_path, sandbox_claim):
    crowded_submission(tmp_path, 10)
    staged = stage(tmp_path, max_total_mb=1, max_files=200, identity=sandbox_claim.identity, answer_names={"hw4.py", "HandDesignFilters.ipynb"})
    try:
        assert staged.files[:2] == ["hw4.py", "assets/HandDesignFilters.ipynb"]
        assert "zz_HandDesignFilters.ipynb" in staged.files and "data/00009.csv" in staged.files
        assert [str(item) for item in staged.skipped] == ["a_notes/big2.bin: too large (the limits are 20 MB a file, 1 MB in all)"]
        assert staged.ignored_line() == "ignored a_notes/big2.bin: too large (the limits are 20 MB a file, 1 MB in all)"
        assert not any(name.startswith("__MACOSX") for name in staged.files)
    finally:
        staged.cleanup()


def test_a_tree_too_large_to_look_at_still_gives_its_top_level_answer_file(tmp_path, sandbox_claim, monkeypatch):
    from autograder import submission

    monkeypatch.setattr(submission, "MAX_ENTRIES", 50)  # the real cap is 100,000 entries; the rule is the same
    for folder in ("a", "b"):
        (tmp_path / folder / "deeper").mkdir(parents=True)
        for index in range(60):
            (tmp_path / folder / f"{index}.txt").write_text("x")
    shutil.copy(FULL_MARKS / "hw4.py", tmp_path)
    staged = stage(tmp_path, max_total_mb=5, max_files=500, identity=sandbox_claim.identity, answer_names={"hw4.py"})
    try:
        assert staged.files[0] == "hw4.py" and len(staged.files) == 61  # the top level and folder a; b was never listed
        assert [str(item) for item in staged.skipped] == [
            "b/: not looked at (the submission has more than 50 entries)",
            "a/deeper/: not looked at (the submission has more than 50 entries)",
        ]
    finally:
        staged.cleanup()
