"""A whole grading under each setting of `explicit_mistakes`: what the student reads, what waits for the due date.

By default a recognised mistake reads as its neutral hint in the part's own
(visible) output, and the answer key (after the due date) names it exactly; the
staff notes name the detector. With the setting on, the part's output names it.
"""

from __future__ import annotations

import pytest

from autograder.assignment import load_assignment
from autograder.engine import grade
from tests.examples import EXAMPLES, example_settings

CORRELATION = next(m for m in load_assignment("hw4").part("hw4.p3c").mistakes if m.answer == "correlation")
FLIPPED = next(m for m in load_assignment("hw4").part("hw4.p7a_dw").mistakes if m.answer == "flipped")


def row(run, role: str, part: str):
    """The row of a part (role "part") or of a problem's answer key (role "answer_key"), found by its facts."""
    return next(t for t in run.results.tests if (t.extra_data.role, t.extra_data.part) == (role, part))


def graded(explicit: bool):
    settings = example_settings().model_copy(update={"explicit_mistakes": explicit})
    run = grade(EXAMPLES / "hw4" / "p7_gradient_mistakes", "hw4", settings=settings, parts={"hw4.p7a_dw"})
    correlation = grade(EXAMPLES / "hw4" / "p3_correlation_mistake", "hw4", settings=settings, parts={"hw4.p3c"})
    return run, correlation


@pytest.mark.parametrize("explicit", [False, True])
def test_the_setting_words_the_parts_feedback_and_the_answer_key_names_the_mistake(explicit: bool) -> None:
    function_run, array_run = graded(explicit)
    p3c = row(array_run, "part", "hw4.p3c")
    key = row(array_run, "answer_key", "hw4.p3")
    assert p3c.visibility == "visible" and key.visibility == "after_due_date"
    assert (CORRELATION.message in p3c.output) is explicit and (CORRELATION.hint in p3c.output) is not explicit
    assert f"recognised in your answer: {CORRELATION.message}" in key.output
    assert any("detected known mistake 'correlation'" in note for note in array_run.staff_notes)
    p7a_dw = row(function_run, "part", "hw4.p7a_dw")
    assert (FLIPPED.message in p7a_dw.output) is explicit and (FLIPPED.hint in p7a_dw.output) is not explicit
    p7_key = row(function_run, "answer_key", "hw4.p7")
    assert f"recognised in your answer: {FLIPPED.message}" in p7_key.output  # function parts name it exactly too
    assert any("detected known mistake 'flipped'" in note for note in function_run.staff_notes)
