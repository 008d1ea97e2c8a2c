"""Per problem: round point totals, the reference earns all of them, the starter none and without errors."""

from __future__ import annotations

import pytest

from autograder.assignment import load_assignment
from autograder.engine import grade
from autograder.paths import project_root
from tests.examples import example_settings

#: The written problems this suite owns, with the total each must carry.
TOTALS = {"hw4.p2": 10, "hw4.p3": 20, "hw4.p4": 20, "hw4.p7": 20, "disc4.p1": 10, "disc4.p2": 10}


def scores_by_problem(assignment_id: str, folder) -> dict[str, tuple[float, float, list[str]]]:
    """{problem id: (score, maximum, outcomes of its parts)}."""
    assignment = load_assignment(assignment_id)
    results = grade(folder, assignment_id, settings=example_settings()).results
    by_problem: dict[str, tuple[float, float, list[str]]] = {}
    for test in results.tests:
        if test.extra_data.role == "answer_key":
            continue
        part = assignment.part(str(test.extra_data.part))
        problem = assignment.problem_of(part).id
        score, maximum, outcomes = by_problem.get(problem, (0.0, 0.0, []))
        outcome = [test.extra_data.outcome] if test.extra_data.outcome else []
        by_problem[problem] = (score + test.score, maximum + test.max_score, outcomes + outcome)
    return by_problem


@pytest.mark.parametrize("assignment_id", ["hw4", "disc4"])
def test_each_problem_has_a_round_total_and_lists_its_manual_parts(assignment_id):
    assignment = load_assignment(assignment_id)
    for problem in assignment.problems:
        if problem.id in TOTALS:
            assert sum(p.points for p in problem.parts) == TOTALS[problem.id]
            assert all(p.points == 0 for p in problem.parts if p.kind == "manual")


@pytest.mark.parametrize("assignment_id", ["hw4", "disc4"])
def test_reference_earns_every_point_of_each_problem(assignment_id):
    assignment = load_assignment(assignment_id)
    scores = scores_by_problem(assignment_id, project_root() / assignment.reference)
    for problem_id, total in TOTALS.items():
        if problem_id.startswith(assignment_id + "."):
            assert scores[problem_id][:2] == (total, total), problem_id


@pytest.mark.parametrize("assignment_id", ["hw4", "disc4"])
def test_starter_earns_nothing_and_raises_no_error(assignment_id):
    assignment = load_assignment(assignment_id)
    scores = scores_by_problem(assignment_id, assignment.folder / "template")
    for problem_id in TOTALS:
        if problem_id.startswith(assignment_id + "."):
            score, _, outcomes = scores[problem_id]
            assert score == 0, problem_id
            assert not {"error", "not_run"} & set(outcomes), problem_id
