"""Typed part options: a bad key or value in problem.toml stops the load, naming the file, the part and the key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.assignment import ProblemDataError, available_assignments, load_assignment, load_problem
from autograder.engine import load_reference
from autograder.part_options import ArrayOptions, ExpressionOptions

PROBLEM = """
id = "demo.p3"
number = 3
title = "Demo"
file = "demo"

[[parts]]
id = "demo.p3a"
answer = "p3a"
kind = "number"
points = 1
title = "a number"

[[parts]]
id = "demo.p3c"
answer = "p3c"
kind = "{kind}"
points = 1
title = "the part under test"
{extra}
options = {options}
"""


def problem_file(tmp_path: Path, options: str, kind: str = "array", extra: str = "") -> Path:
    path = tmp_path / "p3_demo" / "problem.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PROBLEM.format(kind=kind, options=options, extra=extra))
    return path


def load_error(path: Path) -> str:
    with pytest.raises(ProblemDataError) as caught:
        load_problem(path)
    return str(caught.value)


def test_a_bad_value_names_the_file_the_part_and_the_key(tmp_path: Path) -> None:
    path = problem_file(tmp_path, '{ shape = "3 x 3" }')
    message = load_error(path)
    assert message.startswith(f"{path}: part demo.p3c: options.shape: "), message
    assert "tuple" in message


def test_an_unknown_key_is_refused_not_ignored(tmp_path: Path) -> None:
    path = problem_file(tmp_path, "{ shape = [3, 3], tolerance = 0.1 }")
    assert f"{path}: part demo.p3c: options.tolerance: Extra inputs are not permitted" in load_error(path)


def test_a_key_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = problem_file(tmp_path, '{ labels = ["rows", "columns"] }', kind="choice", extra='choices = ["yes", "no"]')
    assert f"{path}: part demo.p3c: options.labels: Extra inputs are not permitted" in load_error(path)


def test_a_required_option_is_named_when_missing(tmp_path: Path) -> None:
    path = problem_file(tmp_path, '{ format = "a 3 x 3 array" }')
    assert f"{path}: part demo.p3c: options.shape: Field required" in load_error(path)


def test_options_must_name_the_parts_own_choices_and_mistakes(tmp_path: Path) -> None:
    synonyms = problem_file(tmp_path, '{ synonyms = { maybe = ["perhaps"] } }', kind="choice", extra='choices = ["yes", "no"]')
    assert "part demo.p3c: " in load_error(synonyms) and "['maybe'] are not among the part's choices" in load_error(synonyms)
    variants = problem_file(tmp_path, "{ shape = [2], variants = { flipped = [1, 0] } }")
    assert "['flipped'] are not the answer of any of the part's mistakes" in load_error(variants)


def test_exclusive_expression_forms_are_refused(tmp_path: Path) -> None:
    path = problem_file(tmp_path, '{ labels = ["a", "b"], scaling = "r" }', kind="expression")
    assert f"{path}: part demo.p3c: options: labels and scaling exclude each other" in load_error(path)


def test_good_options_are_read_as_the_kinds_model(tmp_path: Path) -> None:
    problem = load_problem(problem_file(tmp_path, "{ shape = [3, 3], also_shapes = [[9]] }"))
    options = problem.parts[1].options_as(ArrayOptions)
    assert options.shape == (3, 3) and options.also_shapes == [(9,)]
    with pytest.raises(TypeError):
        problem.parts[1].options_as(ExpressionOptions)


@pytest.mark.parametrize("assignment_id", available_assignments())
def test_every_array_part_states_the_shape_of_its_reference(assignment_id: str) -> None:
    """The format check holds answers to `shape`, the grader to the reference's array: they must agree."""
    assignment = load_assignment(assignment_id)
    reference = load_reference(assignment)
    for part in assignment.parts:
        if part.kind == "array":
            options = part.options_as(ArrayOptions)
            assert np.asarray(getattr(reference, part.answer), dtype=float).shape == options.shape, part.id
            assert all(np.prod(other) == np.prod(options.shape) for other in options.also_shapes), part.id


def test_a_part_dumps_and_reads_back_with_its_kinds_options() -> None:
    from autograder.assignment import Part

    part = load_assignment("hw4").part("hw4.p4f_g3")
    again = Part.model_validate(part.model_dump())
    assert again.options == part.options and again.options_as(ArrayOptions).variants


@pytest.mark.parametrize("assignment_id", available_assignments())
def test_every_table_part_lists_the_cells_of_its_reference(assignment_id: str) -> None:
    """The format check asks for `cells`; the reference (and a problem's own check) must have exactly those."""
    from autograder.part_options import TableOptions

    assignment = load_assignment(assignment_id)
    reference = load_reference(assignment)
    for part in assignment.parts:
        if part.kind == "table" and part.options_as(TableOptions).cells:
            assert [str(k) for k in getattr(reference, part.answer)] == part.options_as(TableOptions).cells, part.id


def test_the_cells_of_problem_4s_own_check_are_its_data() -> None:
    from autograder.part_options import TableOptions
    from problems.hw4.p4_feature_dimensions.check_p4 import table_cells

    assert [c.name for c in table_cells()] == load_assignment("hw4").part("hw4.p4e").options_as(TableOptions).cells


def test_a_command_says_a_data_error_in_one_line(tmp_path: Path) -> None:
    """A TA's typo in problem.toml: the command prints the file, part and key on one line, exit 2, no traceback."""
    import os
    import subprocess
    import sys

    assignment = tmp_path / "problems" / "demo"
    assignment.mkdir(parents=True)
    (assignment / "assignment.toml").write_text(
        'id = "demo"\ntitle = "Demo"\nreference = "reference/demo"\nproblem_folders = ["p3_demo"]\n'
        '[[files]]\nname = "demo"\nforms = ["demo.py"]\n'
    )
    path = problem_file(assignment, "{ shape = [3, 3], tolerance = 0.1 }")
    environment = {**os.environ, "AUTOGRADER_ROOT": str(tmp_path)}
    environment.pop("AUTOGRADER_SETTINGS", None)
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "parts", "--assignment", "demo"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"autograder: {path.relative_to(tmp_path)}: part demo.p3c: options.tolerance: Extra inputs are not permitted", done.stderr
