"""Every bundled example submission grades exactly as its checked-in expected results say."""

from __future__ import annotations

import json
import os

import pytest

from tests.examples import example_folders, expected_path, grade_example


#: Examples whose feedback depends on the sandbox user: they show what the code could read, and
#: only a root grader (CI, Gradescope) can lock the reference away from it.
NEEDS_ROOT_FOR_SAME_OUTPUT = {"read_reference"}


@pytest.mark.parametrize("folder", example_folders(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_grades_as_expected(folder):
    path = expected_path(folder)
    assert path.exists(), f"no expected results for {folder.name}: run python -m tests.examples --update {folder.name}"
    expected = json.loads(path.read_text())
    actual = grade_example(folder)
    assert actual["score"] == expected["score"]
    assert [(t["name"], t["score"], t["status"]) for t in actual["tests"]] == [
        (t["name"], t["score"], t["status"]) for t in expected["tests"]
    ]
    if folder.name in NEEDS_ROOT_FOR_SAME_OUTPUT and os.geteuid() != 0:
        return  # the scores above still had to match
    assert actual == expected
