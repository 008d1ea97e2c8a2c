"""Hints do not hand over answers: a detected mistake reads as a neutral hint; its exact name waits for the due date.

The detectors still drive partial credit and the staff data; only the wording the
student reads changes, unless the course's settings ask for explicit mistakes.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from autograder.assignment import Mistake, load_assignment
from autograder.checking.array_answers import check_array
from autograder.checking.verdict import Detected, Verdict
from autograder.config import Settings
from autograder.feedback import answer_keys, checked_result, staff_notes
from tests.checking.test_checking_elements import answer, part

CORRELATION = Mistake(answer="correlation", message="exact: this is the correlation (h not flipped)", hint="hint: re-check the definition", credit=0.5)


def detected_verdict() -> Verdict:
    expected = np.array([1.0, 2.0, 3.0])
    return check_array(part("array", mistakes=[CORRELATION]), answer([3, 2, 1]), expected, variants={"correlation": expected[::-1]})


def test_the_student_reads_the_hint_and_the_staff_keep_the_detector() -> None:
    verdict = detected_verdict()
    assert verdict.fraction == 0.5 and verdict.outcome == "partial"  # the detector still gives its credit
    assert "hint: re-check the definition" in verdict.text() and "correlation" not in verdict.text()
    assert "exact: this is the correlation" in verdict.text(explicit=True)
    assert verdict.detected == (Detected("known mistake 'correlation'", CORRELATION.message, CORRELATION.hint),)


def test_a_verdict_without_a_detected_mistake_reads_the_same_either_way() -> None:
    verdict = Verdict.mistaken(["2 of 3 entries are wrong."], details=[["row 1: not right."]])
    assert verdict.explicit is None and verdict.text() == verdict.text(explicit=True) == "2 of 3 entries are wrong.\nrow 1: not right."


def test_details_carry_hints_line_by_line() -> None:
    found = Detected("sign", "exact: the sign is wrong", "hint: the sign convention")
    verdict = Verdict.mistaken(["1 of 2 cells are right."], fraction=0.5, details=[["a: correct."], ["b:", found]])
    assert verdict.details == ["a: correct.", "b: hint: the sign convention"]
    assert verdict.text(explicit=True).splitlines()[-1] == "b: exact: the sign is wrong"


@pytest.mark.parametrize("explicit", [False, True])
def test_the_setting_chooses_the_words_of_the_parts_own_feedback(explicit: bool) -> None:
    assignment = load_assignment("hw4")
    p3c = assignment.part("hw4.p3c")
    settings = Settings(explicit_mistakes=explicit)
    output = checked_result(assignment, p3c, detected_verdict(), settings).output
    assert ("exact: this is the correlation" in output) is explicit
    assert ("hint: re-check the definition" in output) is not explicit


def test_the_answer_key_names_the_mistake_exactly_after_the_due_date() -> None:
    assignment = load_assignment("hw4")
    verdict = detected_verdict().with_key("[1, 2, 3]")
    keys = answer_keys(assignment, {"hw4.p3c": verdict}, Settings())
    assert len(keys) == 1 and keys[0].visibility == "after_due_date"
    assert "recognised in your answer: exact: this is the correlation (h not flipped)" in keys[0].output


def test_staff_notes_name_the_detector() -> None:
    plugin = SimpleNamespace(records={"hw4.p3c": SimpleNamespace(verdict=detected_verdict())}, collection_errors={})
    assert staff_notes(plugin) == [f"hw4.p3c: detected known mistake 'correlation': {CORRELATION.message}"]


@pytest.mark.parametrize("assignment_id", ["hw4", "disc4"])
def test_every_known_mistake_has_its_own_neutral_hint(assignment_id: str) -> None:
    faults = [
        f"{part.id} {mistake.answer!r}"
        for part in load_assignment(assignment_id).parts
        for mistake in part.mistakes
        if not mistake.hint.strip() or mistake.hint == mistake.message or mistake.message in mistake.hint
    ]
    assert faults == []


def test_the_course_setting_is_off_by_default_and_read_from_the_settings_file(tmp_path) -> None:
    assert Settings().explicit_mistakes is False
    from autograder.config import _load

    path = tmp_path / "settings.toml"
    path.write_text("explicit_mistakes = true\n")
    assert _load(path, path.stat().st_mtime).explicit_mistakes is True
