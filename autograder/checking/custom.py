"""The decorator that ties a check function to a part of the assignment's data.

    @check("hw4.p1a")
    def check_p1a(answer, part, reference): ...

The part's points, visibility, number and tags come from problem.toml through
gradescope-utils' own decorators, so the data stays the single source of truth;
a check may still stack those decorators itself (for example `leaderboard`),
and what it states explicitly wins.
"""

from __future__ import annotations

from typing import Any, Callable

from gradescope_utils.autograder_utils.decorators import number, tags, visibility, weight

from autograder.assignment import load_assignment
from autograder.config import load_settings

PART_ATTRIBUTE = "__part_id__"


def check(part_id: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    assignment_id = part_id.split(".", 1)[0]

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        part = load_assignment(assignment_id).part(part_id)
        problem = load_assignment(assignment_id).problem_of(part)
        setattr(function, PART_ATTRIBUTE, part_id)
        if not hasattr(function, "__weight__"):
            weight(part.points)(function)
        if not hasattr(function, "__visibility__"):
            visibility(part.visibility or load_settings().default_visibility)(function)
        if not hasattr(function, "__number__"):
            number(f"{problem.number}.{part.label}")(function)
        if not hasattr(function, "__tags__"):
            tags(*part.tags, f"problem-{problem.number}", part.kind)(function)
        return function

    return decorate
