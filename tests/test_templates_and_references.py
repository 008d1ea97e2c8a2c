"""The parts list is the source of truth: templates match it, references score full marks, starters zero."""

from __future__ import annotations

import ast

import pytest

from autograder.assignment import available_assignments, load_assignment
from autograder.engine import grade
from autograder.paths import project_root
from autograder.template import render_template
from tests.examples import EXAMPLES, example_settings

ASSIGNMENTS = available_assignments()


def python_files(assignment_id: str):
    assignment = load_assignment(assignment_id)
    return [f for f in assignment.files if f.forms[0].endswith(".py")]


def top_level_names(source: str) -> set[str]:
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_checked_in_template_is_generated_from_the_parts_list(assignment_id):
    assignment = load_assignment(assignment_id)
    for answer_file in python_files(assignment_id):
        path = assignment.folder / "template" / answer_file.forms[0]
        assert path.read_text() == render_template(assignment, answer_file.name), (
            f"{path} is stale: run autograder template --assignment {assignment_id} --out {path.parent}"
        )
        expected = {p.answer for p in assignment.parts if p.file == answer_file.name}
        assert top_level_names(path.read_text()) == expected


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_starter_example_is_the_current_template(assignment_id):
    assignment = load_assignment(assignment_id)
    for answer_file in python_files(assignment_id):
        starter = EXAMPLES / assignment_id / "starter" / answer_file.forms[0]
        assert starter.read_text() == (assignment.folder / "template" / answer_file.forms[0]).read_text()


def test_starter_example_holds_the_current_starter_notebooks():
    assignment = load_assignment("hw4")
    notebooks = [f.forms[0] for f in assignment.files if f.forms[0].endswith(".ipynb")]
    assert notebooks
    for name in notebooks:
        [starter] = list(assignment.folder.glob(f"*/{name}"))
        assert (EXAMPLES / "hw4" / "starter" / name).read_text() == starter.read_text()


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_reference_scores_full_marks(assignment_id):
    assignment = load_assignment(assignment_id)
    results = grade(project_root() / assignment.reference, assignment_id, settings=example_settings()).results
    short = [(t.name, t.score, t.max_score, t.output[:200]) for t in results.tests if t.score < t.max_score]
    assert short == []
    assert results.score == assignment.max_score > 0


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_starter_scores_zero_without_errors(assignment_id):
    assignment = load_assignment(assignment_id)
    results = grade(assignment.folder / "template", assignment_id, settings=example_settings()).results
    assert results.score == 0
    assert not [t.name for t in results.tests if t.extra_data.outcome in ("error", "not_run")]
    assert len([t for t in results.tests if t.extra_data.role != "answer_key"]) == len(assignment.parts)
