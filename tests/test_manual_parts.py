"""Manual parts pass the student's answer on to the graders, whatever its type, for 0 points."""

from __future__ import annotations

from pathlib import Path

from autograder.engine import grade


def test_manual_answers_reach_the_graders_as_written(tmp_path: Path, fast_settings) -> None:
    (tmp_path / "hw4.py").write_text('p8c = 12\np1b_explain = "  W^T W is d_in x d_in.  "\np2a = None\n')
    tests = {t.extra_data.part: t for t in grade(tmp_path, "hw4", settings=fast_settings, parts={"hw4.p8c", "hw4.p1b_explain", "hw4.p2a"}).results.tests}
    assert set(tests) == {"hw4.p8c", "hw4.p1b_explain", "hw4.p2a"}
    assert tests["hw4.p8c"].output.endswith("hw4.py:\n\n12")  # a number is an answer too, not "no text"
    assert tests["hw4.p1b_explain"].output.endswith(":\n\nW^T W is d_in x d_in.")
    assert "no answer text for this part was found" in tests["hw4.p2a"].output
    assert all(t.max_score == 0 and t.score == 0 and t.extra_data.role == "manual" for t in tests.values())
