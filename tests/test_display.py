"""The terminal table reads what a row is from its facts (extra_data), never from its name or tags."""

from __future__ import annotations

import io

from autograder.display import HINTS, render
from autograder.results import Facts, Results, TestResult


def _table(*tests: TestResult) -> list[str]:
    return render(Results(tests=list(tests)).with_total(), title="t", hints=True, stream=io.StringIO()).splitlines()


def test_a_manual_part_is_shown_as_manual_by_its_role() -> None:
    manual = TestResult(name="Explain", status="passed", output="Graded by hand.", extra_data=Facts(role="manual", part="hw4.p1b_explain"))
    tagged = TestResult(name="Tagged", status="passed", score=1, max_score=1, tags=["manual"], extra_data=Facts(part="hw4.p1a", outcome="correct"))
    lines = _table(manual, tagged)
    assert lines[2].startswith("manual ") and lines[3].startswith("ok ")


def test_the_hint_follows_the_outcome_field() -> None:
    wrong = TestResult(name="A", max_score=2, output="Not equal.", tags=["missing"], extra_data=Facts(part="hw4.p1a", outcome="wrong"))
    lines = _table(wrong)
    assert f"hint: {HINTS['wrong']}" in "\n".join(lines)
    assert HINTS["missing"] not in "\n".join(lines)
