"""The accuracy bar of 6.3 comes from the settings the grading runs under (a batch may pass its own file)."""

from __future__ import annotations

from pathlib import Path

from autograder.config import Settings
from autograder.engine import grade


def _grade_one_epoch(tmp_path: Path, settings: Settings) -> str:
    (tmp_path / "edge_detection.py").write_text("# %%\np6_3_num_epochs = 1\n")
    results = grade(tmp_path, "hw4", settings=settings, parts={"hw4.p6_3"}).results
    (test,) = [t for t in results.tests if t.extra_data.part == "hw4.p6_3"]
    return test.status


def test_a_threshold_override_in_the_given_settings_is_the_bar(tmp_path: Path) -> None:
    assert _grade_one_epoch(tmp_path, Settings()) == "failed"  # one epoch is far below the problem's 90 %
    assert _grade_one_epoch(tmp_path, Settings(thresholds={"hw4.p6_3": 0.01})) == "passed"
