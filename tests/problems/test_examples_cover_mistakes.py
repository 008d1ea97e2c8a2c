"""Every named mistake of the written homework is shown by some example, and every manual part is listed.

The issue asks for one example submission per named mistake: a mistake whose
message no checked-in result contains has never been seen to be recognised
(its formula might not parse, its variant might never match). The manual parts
are checked against the homework's own wording: each part that asks to explain,
show or plot is in the data, with its reason where a definite answer exists.
"""

from __future__ import annotations

import json

import pytest

from autograder.assignment import load_assignment
from tests.examples import EXAMPLES

#: Answer files of the written homework (the notebooks of Problems 5 and 6 have their own examples and tests).
WRITTEN_FILES = {"hw4": "hw4", "disc4": "disc4"}


def shown_outputs(assignment_id: str) -> str:
    return "\n".join(
        test["output"]
        for path in sorted((EXAMPLES / assignment_id / "expected").glob("*.json"))
        for test in json.loads(path.read_text())["tests"]
    )


@pytest.mark.parametrize("assignment_id", sorted(WRITTEN_FILES))
def test_every_named_mistake_is_recognised_in_some_example(assignment_id: str) -> None:
    outputs = shown_outputs(assignment_id)
    unseen = [
        f"{part.id}: {mistake.answer!r}"
        for part in load_assignment(assignment_id).parts
        if part.file == WRITTEN_FILES[assignment_id]
        for mistake in part.mistakes
        if mistake.message not in outputs
    ]
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
