"""Every named mistake of the written homework is shown by some example, and every manual part is listed.

The issue asks for one example submission per named mistake: a mistake whose
message no checked-in result contains has never been seen to be recognised
(its formula might not parse, its variant might never match). The manual parts
are checked against the homework's own wording: each part that asks to explain,
show or plot is in the data, with its reason where a definite answer exists.
"""

from __future__ import annotations

import pytest

from autograder.assignment import load_assignment
from autograder.staff.examples import examples

#: Answer files of the written homework (the notebooks of Problems 5 and 6 have their own examples and tests).
WRITTEN_FILES = {"hw4": "hw4", "disc4": "disc4"}


def golden_tests(assignment_id: str) -> list[dict]:
    """Every stored row of the assignment's examples (only their targets are stored)."""
    return [test for example in examples(assignment_id) for test in (example.stored() or {}).get("tests", [])]


@pytest.mark.parametrize("assignment_id", sorted(WRITTEN_FILES))
def test_every_named_mistake_is_recognised_in_some_example(assignment_id: str) -> None:
    """Seen: the part's own output gives the mistake's neutral hint, and the answer key names it exactly.

    A function part's mistakes are worded by the calls' runner, which names them in
    the part's output only (as hints): there the hint is what is checked.
    """
    tests = golden_tests(assignment_id)
    keys = "\n".join(t["output"] for t in tests if t["extra_data"]["role"] == "answer_key")
    unseen = []
    for part in load_assignment(assignment_id).parts:
        if part.file != WRITTEN_FILES[assignment_id]:
            continue
        own = "\n".join(t["output"] for t in tests if t["extra_data"].get("part") == part.id and t["extra_data"]["role"] != "answer_key")
        for mistake in part.mistakes:
            named = part.kind == "function" or f"recognised in your answer: {mistake.message}" in keys
            if mistake.hint not in own or not named:
                unseen.append(f"{part.id}: {mistake.answer!r}")
    assert unseen == []


@pytest.mark.parametrize(
    ("part_id", "why"),
    [
        ("disc4.p2a", None), ("disc4.p2d", None), ("disc4.p2f", None),
        ("hw4.p8a", "no reference answer"), ("hw4.p8b", "no reference answer"), ("hw4.p8c", "no right value"),
    ],
)
def test_parts_that_explain_or_are_personal_are_manual(part_id: str, why: str | None) -> None:
    part = load_assignment(part_id.split(".")[0]).part(part_id)
    assert part.manual and part.points == 0
    if why is not None:
        assert part.assumption is not None and why in part.assumption  # the data says why it is not graded
