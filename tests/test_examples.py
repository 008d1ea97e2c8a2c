"""Every bundled example submission says what it is for, and grades as its declaration and stored results say."""

from __future__ import annotations

import importlib
import json
import os

import pytest

from autograder.results import Facts, Results, TestResult
from autograder.staff.examples import EXPECTED_FOLDER, Example, assignments_with_examples, declarations, examples
from tests.examples import EXAMPLES, all_examples, generic_problems, grade_example, normalise

#: Examples whose feedback depends on the sandbox user: they show what the code could read, and
#: only a root grader (CI, Gradescope) can lock the reference away from it.
NEEDS_ROOT_FOR_SAME_OUTPUT = {"read_reference"}

EXAMPLES_LIST = all_examples()


def label(example) -> str:
    return f"{example.assignment.id}/{example.name}"


@pytest.mark.parametrize("assignment_id", assignments_with_examples())
def test_every_example_says_what_it_is_for(assignment_id):
    found = examples(assignment_id)
    problems = [line for example in found for line in example.problems()]
    problems += [f"{name}: declared in examples.toml, but there is no such folder" for name in sorted(set(declarations(assignment_id)) - {e.name for e in found})]
    assert problems == []


@pytest.mark.parametrize("assignment_id", assignments_with_examples())
def test_results_are_stored_only_for_examples_with_targets(assignment_id):
    keeping = {e.name for e in examples(assignment_id) if e.declaration is not None and e.keeps_results}
    stored = {p.stem for p in (EXAMPLES / assignment_id / EXPECTED_FOLDER).glob("*.json")}
    assert sorted(stored - keeping) == [], "stale: run python -m tests.examples --update"
    assert sorted(keeping - stored) == [], "missing: run python -m tests.examples --update NAME"


@pytest.mark.parametrize("example", EXAMPLES_LIST, ids=label)
def test_example_grades_as_expected(example):
    assert example.problems() == []
    results = grade_example(example)
    assert generic_problems(results, example) == []
    expected = example.stored()
    if expected is None:
        assert not example.keeps_results
        return
    actual = normalise(results, example)
    assert actual.get("score") == expected.get("score")  # stored unless the declaration covers every part
    assert [(t["name"], t["score"], t["status"]) for t in actual["tests"]] == [
        (t["name"], t["score"], t["status"]) for t in expected["tests"]
    ]
    if example.name in NEEDS_ROOT_FOR_SAME_OUTPUT and os.geteuid() != 0:
        return  # the scores above still had to match
    assert actual == expected


def test_a_new_part_changes_no_stored_results():
    """An old example lacks a new part's answer: the part scores nothing, is no target, and nothing stored changes."""
    example = next(e for e in EXAMPLES_LIST if e.keeps_results and e.stored_parts and not e.covers_all and e.assignment.id == "hw4")
    stored = example.stored()
    rows = [TestResult.model_validate(row) for row in stored["tests"]]
    results = Results(score=stored["score"], output="Files graded: ...", tests=rows)
    new_problem = f"{example.assignment.id}.p99"
    grown = Results(
        score=stored["score"],
        output=results.output,
        tests=[
            *rows,
            TestResult(name=f"{new_problem}a: a new part", score=0.0, max_score=5.0, output="p99a is not defined",
                       extra_data=Facts(role="part", part=f"{new_problem}a", outcome="missing")),
            TestResult(name=f"{new_problem}: answer key", status="passed", visibility="after_due_date",
                       extra_data=Facts(role="answer_key", part=new_problem)),
        ],
    )
    assert normalise(grown, example) == normalise(results, example) == json.loads(json.dumps(normalise(results, example)))
    assert normalise(results, example)["tests"] == stored["tests"]
    assert generic_problems(grown, example) == generic_problems(results, example)


@pytest.mark.parametrize("assignment_id", assignments_with_examples())
def test_starter_and_full_marks_examples_are_what_the_builder_writes(assignment_id):
    """Made from the template and the reference, never kept by hand: a new part reaches them, and they stay generic."""
    builder = importlib.import_module(f"problems.{assignment_id}.build_examples")
    built = builder.answer_file_outputs()
    stale = [str(path.relative_to(EXAMPLES)) for path, text in built.items() if path.read_text(encoding="utf-8") != text]
    assert stale == [], f"rerun python -m problems.{assignment_id}.build_examples"
    starter = {path.name for path in built if path.parent.name == "starter"}
    assert starter == {path.name for path in (EXAMPLES / assignment_id / "starter").iterdir()}
    variants = {path.parent.name for path in built} - {"starter"}
    assert {e.name for e in examples(assignment_id) if e.name.startswith("full_marks")} <= variants


def test_a_new_part_changes_no_stored_results_of_an_example_built_from_the_reference():
    """A built example gains the new part's answer from the reference: `correct` covers it, and no total is stored."""
    example = next(e for e in EXAMPLES_LIST if e.keeps_results and e.covers_all and not e.keeps_summary and e.assignment.id == "hw4")
    stored = example.stored()
    assert "score" not in stored  # the total follows from the rows and the declared parts
    problem = example.assignment.problem_of(example.correct_parts[0])
    new_part = example.correct_parts[0].model_copy(update={"id": f"{problem.id}z_new", "answer": "z_new", "points": 5.0})
    grown_problem = problem.model_copy(update={"parts": [*problem.parts, new_part]})
    grown = example.assignment.model_copy(
        update={"problems": [grown_problem if p is problem else p for p in example.assignment.problems]}
    )
    grown_example = Example(grown, example.folder, example.declaration)
    assert grown_example.covers_all and new_part.id in {p.id for p in grown_example.correct_parts}
    assert grown_example.expected_score() == example.expected_score() + 5.0
    rows = [TestResult.model_validate(row) for row in stored["tests"]]
    new_row = TestResult(name=f"{new_part.id}: a new part", score=5.0, max_score=5.0, status="passed",
                         extra_data=Facts(role="part", part=new_part.id, outcome="correct"))
    before = Results(score=example.expected_score(), tests=rows)
    after = Results(score=grown_example.expected_score(), tests=[*rows, new_row])
    assert normalise(after, grown_example) == normalise(before, example) == stored
