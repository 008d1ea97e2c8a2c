"""A function's result is graded like an array whatever container holds the numbers; a real limit is named.

hw4.p1b_fn is called on a tall 30000 x 4 W: 120,000 numbers come back. As a nested
list they used to pass the wire's element limit, and the student was told about
memory and the Gram form, which were not the cause.
"""

from __future__ import annotations

import json

import pytest

from autograder.engine import grade

GRAM = '''
import numpy as np


def gram(W):
    G = W.T @ W
    return 0.5 * W @ (3 * np.eye(G.shape[0]) - G)
'''
TALL = "W.shape[0] > 1000"


def p1b_fn(tmp_path, fast_settings, body: str) -> dict:
    """The p1b_fn test of a hw4.py whose p1b_fn is `body` (W is its argument, gram(W) the right answer)."""
    (tmp_path / "hw4.py").write_text(GRAM + "\n\ndef p1b_fn(W):\n" + "".join(f"    {line}\n" for line in body.splitlines()))
    settings = fast_settings.model_copy(update={"sandbox": fast_settings.sandbox.model_copy(update={"call_seconds": 30})})
    run = grade(tmp_path, "hw4", settings=settings, parts={"hw4.p1b_fn"})
    return next(t for t in json.loads(run.results.to_json())["tests"] if t["extra_data"].get("part") == "hw4.p1b_fn")


@pytest.mark.parametrize("body", ["return gram(W).tolist()", "return [row for row in gram(W)]", "return tuple(map(tuple, gram(W).tolist()))"])
def test_a_nested_list_result_is_graded_like_the_array_even_on_the_tall_input(tmp_path, fast_settings, body):
    test = p1b_fn(tmp_path, fast_settings, body)
    assert test["status"] == "passed" and "on a 30000 x 4 matrix" in test["output"], test["output"]


def test_a_ragged_result_names_the_element_limit_not_memory(tmp_path, fast_settings):
    test = p1b_fn(tmp_path, fast_settings, f"out = gram(W).tolist()\nreturn out + [[0.0]] if {TALL} else out")
    assert test["score"] == test["max_score"] / 2
    assert "its result could not be sent to the grader: it has more than 20,000 elements" in test["output"]
    assert "Gram" not in test["output"] and "MB" not in test["output"]


def test_an_oversized_array_names_the_array_size_limit(tmp_path, fast_settings):
    test = p1b_fn(tmp_path, fast_settings, f"return np.zeros((30000, 300)) if {TALL} else gram(W)")
    assert test["score"] == test["max_score"] / 2
    assert "more than the 64 MB limit for one array" in test["output"] and "Gram" not in test["output"]

