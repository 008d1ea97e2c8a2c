"""No feedback a student can see gives a reference answer away (DESIGN.md, "Feedback and visibility").

Two nets. The data: every text of a problem that reaches a student (known-mistake
messages, titles, formats, function descriptions, notes) is checked against the
answer key of every part of that problem, in its printed forms and, for formulas,
by equivalence of any formula written in the text. The results: in every example's
checked-in results, no visible output of a failed part shows the answer-key line of
any part (the echo of the student's own answer aside). The keys come from grading
the untouched starter, so they are the grader's own, not copied here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest
import sympy

from autograder.assignment import Assignment, Part, Problem, load_assignment
from autograder.checking.formula_answers import symbol_table
from autograder.engine import grade, load_reference
from autograder.symbolic import ExpressionError, parse_expression
from tests.examples import EXAMPLES, example_settings
from tests.problems.leaks import LONG, answer_keys, fold, formula_revealed, key_pieces, revealed, without_echo

WRITTEN = ("hw4", "disc4")


@lru_cache(maxsize=None)
def keys_of(assignment_id: str) -> dict[str, str]:
    assignment = load_assignment(assignment_id)
    results = grade(assignment.folder / "template", assignment_id, settings=example_settings()).results
    return answer_keys(assignment, [(t.name, t.output) for t in results.tests])


@lru_cache(maxsize=None)
def reference_module(assignment_id: str) -> ModuleType:
    """The reference solution as the grader imports it (the same file, by the same rule)."""
    return load_reference(load_assignment(assignment_id))


def visible_texts(problem: Problem) -> list[tuple[str, str]]:
    """(where, text) for everything of the problem's data that a student reads."""
    texts = [(f"{problem.id} note", note) for note in problem.notes]
    for part in problem.parts:
        texts.append((f"{part.id} title", part.title))
        for option in ("format", "returns"):
            if getattr(part.options, option, None):
                texts.append((f"{part.id} {option}", str(getattr(part.options, option))))
        texts.extend((f"{part.id} mistake {m.answer!r}", m.message) for m in part.mistakes)
        texts.extend((f"{part.id} mistake hint {m.answer!r}", m.hint) for m in part.mistakes)
    return texts


def printed_forms(assignment_id: str, part: Part, key: str) -> list[str]:
    """The key's pieces and, for a formula, the reference as the course wrote it."""
    forms = key_pieces(key)
    written = getattr(reference_module(assignment_id), part.answer, None)
    if isinstance(written, str) and part.kind == "expression" and written not in forms:
        forms.append(written)
    return forms


def reference_formula(problem: Problem, part: Part, key: str) -> sympy.Expr | None:
    if part.kind != "expression":
        return None
    try:
        formula = parse_expression(key, symbol_table(problem, part))
    except (ExpressionError, ValueError):
        return None  # a tuple or a growth order: its pieces are checked as text
    return formula if formula.free_symbols else None


def problems() -> list[tuple[str, Problem]]:
    return [(a, problem) for a in WRITTEN for problem in load_assignment(a).problems]


@pytest.mark.parametrize(("assignment_id", "problem"), problems(), ids=lambda v: getattr(v, "id", v))
def test_no_visible_text_of_a_problem_states_one_of_its_answers(assignment_id: str, problem: Problem) -> None:
    keys = keys_of(assignment_id)
    leaks = []
    for part in problem.parts:
        key = keys.get(part.id)
        if key is None:
            continue
        forms = printed_forms(assignment_id, part, key)
        reference = reference_formula(problem, part, key)
        for where, text in visible_texts(problem):
            found = revealed(text, forms, public=part.choices)
            if found is None and reference is not None:
                found = formula_revealed(text, reference, symbol_table(problem, part))
            if found is not None:
                leaks.append(f"{where} gives away {part.id} ({found!r}): {text}")
    assert leaks == []


def golden_results() -> list[Path]:
    return sorted(path for a in WRITTEN for path in (EXAMPLES / a / "expected").glob("*.json"))


@pytest.mark.parametrize("path", golden_results(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_no_visible_output_of_an_example_shows_an_answer_key_line(path: Path) -> None:
    assignment: Assignment = load_assignment(path.parent.parent.name)
    results = json.loads(path.read_text())
    keys = answer_keys(assignment, [(t["name"], t["output"]) for t in results["tests"]])
    choices = {part.id: part.choices for part in assignment.parts}
    problem_of = {part.id: assignment.problem_of(part).id for part in assignment.parts}
    leaks = []
    for test in results["tests"]:
        if test["visibility"] != "visible" or test["status"] == "passed" or test["name"].endswith(": answer key"):
            continue
        output = without_echo(test["output"])
        tested = problem_of.get(test["name"].split(":", 1)[0])
        for part_id, key in keys.items():
            if len(fold(key)) < LONG and problem_of[part_id] != tested:
                continue  # "0" or "F" stated about another problem's quantity is no leak of this one
            found = revealed(output, [key], public=choices.get(part_id, []))
            if found is not None:
                leaks.append(f"{test['name']} shows the key of {part_id}: {test['output'][:300]}")
    assert leaks == []


# ----------------------------------------------------------------------------- the nets catch what they are for


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Equation (10) has no flip: dw[h, l] = sum_{i, j} dy[i, j] x[i + h - 1, j + l - 1].",
         "dw[h, l] = sum_{i, j} dy[i, j] x[i + h - 1, j + l - 1]: X correlated with dY, no flip ('valid')"),
        ("SGD moves the weight against the gradient: w - lr dw.", "w - lr * dw"),
        ("the gradient is dY / 4 on each of the four entries.", "dX = dY / 4 on every entry of its 2 x 2 block"),
        ("Each of the biases is F.", "F"),
        ("so the exponent is 2.", "2"),
        ("read it again: fc3 has 1473 parameters", "conv1_params: 100; fc3_params: 1473"),
        ("0 is unstable there.", "-1: stable; 0: unstable; 1: stable"),
    ],
)
def test_the_text_net_catches_stated_answers(text: str, key: str) -> None:
    assert revealed(text, key_pieces(key), public=["stable", "unstable"]) is not None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Re-check the spatial extent of one filter: the filter size K is a side length.", "C*F*K^2"),
        ("Read as: 4. Re-check what is measured: the receptive field is a side length, not an area.", "2*r"),
        ("Re-check |p'(0)| against 1, the definition of local stability.", "-1: stable; 0: unstable; 1: stable"),
        ("A 2 x 2 max pooling layer with stride 2.", "2"),
    ],
)
def test_the_text_net_lets_innocent_text_pass(text: str, key: str) -> None:
    assert revealed(text, key_pieces(key), public=["stable", "unstable"]) is None


def test_the_formula_net_catches_an_equivalent_formula_in_other_words() -> None:
    problem = load_assignment("hw4").problem_of(load_assignment("hw4").part("hw4.p7b_variance"))
    part = load_assignment("hw4").part("hw4.p7b_variance")
    reference = reference_formula(problem, part, "sigma_g^2*sigma_x^2*(-k + n + 1)^2")
    assert reference is not None
    table = symbol_table(problem, part)
    assert formula_revealed("so Var(dw) = (n + 1 - k)^2 (sigma_x sigma_g)^2 here.", reference, table) is not None
    assert formula_revealed("there are (n - k + 1)^2 terms, each of variance one.", reference, table) is None


def test_echoes_of_the_students_answer_are_not_leaks() -> None:
    output = "Read as: 1/sqrt(d_in). This leaves out the multiplier c.\nconv1_params: read as 100: correct."
    assert "1/sqrt(d_in)" not in without_echo(output) and "100" not in without_echo(output)
