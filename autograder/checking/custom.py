"""The decorator that ties a check function to a part of the assignment's data.

    @check("hw4.p1b_fn")
    def check_p1b_fn(part, answer, submission, reference): ...

It only marks which part the function checks. Only a part that needs judgement
of its own has such a function: parts of the data-only kinds (expression,
number, choice, set, interval, table, array) are graded by their kind's default
check (checking/defaults.py) unless a `@check` for them overrides it. The part's points, visibility,
number and tags are the part's data (problem.toml): the results are built from
the part when they are assembled (autograder.feedback), and the check gives
only its verdict. A check may still stack gradescope-utils' decorators that
act while it runs (`partial_credit` for `set_score`, `leaderboard`,
`hide_errors`); one that would restate the part's data (`weight` with other
points, `visibility`, `number`, `tags`) is refused when the check is loaded,
so that a second source of that data cannot quietly win or quietly lose.
"""

from __future__ import annotations

from typing import Any, Callable

from autograder.assignment import load_assignment

PART_ATTRIBUTE = "__part_id__"

#: gradescope-utils' decorators that store a part's data on its check, by the attribute they set.
_PART_DATA = {"__visibility__": "visibility", "__number__": "number", "__tags__": "tags"}


def check(part_id: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark the decorated function as the check of `part_id` (which must be a part of its assignment)."""
    assignment_id = part_id.split(".", 1)[0]

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        part = load_assignment(assignment_id).part(part_id)  # an unknown id fails the check file's loading
        stated = [name for attribute, name in _PART_DATA.items() if hasattr(function, attribute)]
        weight = getattr(function, "__weight__", None)
        if weight is not None and float(weight) != part.points:
            stated.append(f"points ({weight:g}; the part has {part.points:g})")
        if stated:
            raise TypeError(
                f"the check of {part_id} states {', '.join(stated)} through gradescope-utils' decorators; "
                "a part's points, visibility, number and tags are its data: set them in its problem.toml"
            )
        setattr(function, PART_ATTRIBUTE, part_id)
        return function

    return decorate
