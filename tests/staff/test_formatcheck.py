"""The format check (student kit, `autograder check --format-only`): readable or not, never right or wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.answers import Answer
from autograder.assignment import load_assignment
from autograder.cli import main
from autograder.formatcheck import check_part, format_check
from autograder.part_options import ArrayOptions, ExpressionOptions, FunctionOptions
from autograder.sandbox.wire import Opaque
from autograder.staff.strip import strip_source

from .conftest import ROOT


def finding(part_id: str, value: object) -> tuple[str, str]:
    assignment = load_assignment(part_id.split(".")[0])
    part = assignment.part(part_id)
    return check_part(part, assignment.problem_of(part), Answer(part.answer, "hw4.py", value))


def test_reference_is_fully_readable_and_template_is_missing() -> None:
    report = format_check(ROOT / "reference" / "hw4", "hw4")
    assert not report.failing, [f for f in report.findings if f.status not in ("ok", "note")]
    assert sorted(report.files) == [
        "ran      HandDesignFilters.ipynb: no errors",
        "ran      edge_detection.ipynb: no errors",
        "ran      hw4.py: no errors",
    ]


def test_cli_format_only_flags_missing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "problems" / "hw4" / "template"), "--format-only"]) == 1
    out = capsys.readouterr().out
    assert "MISSING  hw4.p1a" in out and "does not know the answers" in out


def test_readers_say_what_is_wrong_with_the_form() -> None:
    assert finding("hw4.p1a", "2 c d_out^2 d_in")[0] == "ok"
    assert finding("hw4.p1a", "2 c (d_out")[0] == "invalid"
    assert finding("hw4.p1a", 3 + 4j)[0] == "invalid"
    assert finding("hw4.p1b_fn", Opaque("function", "p1b_fn"))[0] == "ok"
    assert finding("hw4.p1b_fn", np.zeros(3))[0] == "invalid"
    assert finding("hw4.p1a", None)[0] == "missing"
    assert finding("hw4.p1b_explain", {"a": 1})[0] == "invalid"


def test_arrays_are_checked_against_the_shape_option() -> None:
    part = next(p for p in load_assignment("hw4").parts if p.kind == "array")
    shape = part.options_as(ArrayOptions).shape
    assert finding(part.id, np.ones(shape))[0] == "ok"
    status, message = finding(part.id, np.ones(tuple(s + 1 for s in shape)))
    assert status == "invalid" and "shape" in message
    assert finding(part.id, np.full(shape, np.nan))[0] == "invalid"


def test_strip_keeps_code_and_line_numbers_but_drops_docstrings_and_comments() -> None:
    source = '"""Module doc: 2 c d_out^2 d_in."""\nx = 1  # secret\n\n\ndef f():\n    """Doc\n    over lines."""\n    return "kept # not a comment"\n'
    stripped = strip_source(source)
    assert "d_out" not in stripped and "secret" not in stripped and "Doc" not in stripped
    assert "kept # not a comment" in stripped
    assert len(stripped.splitlines()) == len(source.splitlines())
    namespace: dict[str, object] = {}
    exec(compile(stripped, "<t>", "exec"), namespace)
    assert namespace["f"]() == "kept # not a comment"  # type: ignore[operator]
    for path in (ROOT / "autograder").rglob("*.py"):
        text = path.read_text()
        assert len(strip_source(text).splitlines()) == len(text.splitlines()), path


def test_the_shape_comes_from_the_shape_option_never_from_the_format_text() -> None:
    assignment = load_assignment("hw4")
    original = assignment.part("hw4.p3c")
    options = ArrayOptions(format="a 9 x 9 array", shape=(3, 3))
    part = original.model_copy(update={"options": options})
    status, message = check_part(part, assignment.problem_of(original), Answer("p3c", "hw4.py", np.ones((9, 9))))
    assert status == "invalid" and "(shape (3, 3))" in message
    assert check_part(part, assignment.problem_of(original), Answer("p3c", "hw4.py", np.ones((3, 3))))[0] == "ok"


def test_a_function_answer_is_accepted_where_the_function_option_says_never_from_the_format_text() -> None:
    assignment = load_assignment("hw4")
    original = assignment.part("hw4.p3a")
    problem = assignment.problem_of(original)
    function = Answer("p3a", "hw4.py", Opaque("function", "p3a"))
    assert original.options_as(ExpressionOptions).function
    assert check_part(original, problem, function)[0] == "note"
    worded = original.options_as(ExpressionOptions).model_copy(update={"function": False, "format": "a formula, or a function p3a(n, L)"})
    assert check_part(original.model_copy(update={"options": worded}), problem, function)[0] == "invalid"


def test_missing_folder_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from autograder.formatcheck import main as kit_main

    assert kit_main([str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def _one_file(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # as root, the sandbox user reads the staged copy made from here
    (folder / "hw4.py").write_text(text)
    (folder / "hw4.py").chmod(0o644)
    return folder


def _findings(folder: Path) -> dict[str, tuple[str, str]]:
    report = format_check(folder, "hw4")
    return {f.part_id: (f.status, f.message) for f in report.findings}


def test_functions_are_called_on_public_inputs_and_crashes_name_the_line(tmp_path: Path) -> None:
    """The NameError that Gradescope scores 0 (np used, never imported) must not pass the kit's check."""
    source = (
        "def p1b_fn(W):\n"
        "    G = W.T @ W\n"
        "    return 0.5 * W @ (3 * np.eye(G.shape[0]) - G)\n"
        "def p7a_dw(X, dY):\n"
        "    return 'a string'\n"
        "def p7a_step(w, X, dY, lr):\n"
        "    return X\n"
        "def p7c_maxpool(X, dY):\n"
        "    return X * 0\n"
        "def p7c_avgpool(X, dY):\n"
        "    return X + 1\n"
    )
    found = _findings(_one_file(tmp_path, source))
    status, message = found["hw4.p1b_fn"]
    assert status == "invalid" and "NameError" in message and "line 3" in message and "p1b_fn(W of shape" in message
    status, message = found["hw4.p7a_dw"]
    assert status == "invalid" and "type str" in message
    status, message = found["hw4.p7a_step"]
    assert status == "invalid" and "returned shape (6, 6)" in message and "(3, 3)" in message
    assert found["hw4.p7c_maxpool"][0] == "missing" and "only zeros" in found["hw4.p7c_maxpool"][1]
    status, message = found["hw4.p7c_avgpool"]
    assert status == "ok" and "returns shape (10, 10)" in message


def test_probes_describe_every_public_function_and_are_not_the_graded_inputs() -> None:
    """Every function part gets public inputs from its data; p1b_fn's differ from the shapes check_p1 grades with."""
    from problems.hw4.p1_newton_schulz.check_p1 import SHAPES

    for assignment_id in ("hw4", "disc4"):
        for part in load_assignment(assignment_id).parts:
            if part.kind == "function":
                assert part.options_as(FunctionOptions).probes, f"{part.id} has no public inputs (options.probes)"
    probes = load_assignment("hw4").part("hw4.p1b_fn").options_as(FunctionOptions).probes
    assert not {tuple(p.args[0]) for p in probes} & set(SHAPES)


def test_loaders_are_read_as_loaders() -> None:
    from autograder.sandbox.wire import Loader

    loader = Loader(batch_size=10, shuffle=True, dataset_len=30)
    assert finding("hw4.p6_1", loader)[0] == "ok"
    assert finding("hw4.p6_2_train", {10: loader, 30: loader})[0] == "ok"
    status, message = finding("hw4.p6_1", [1, 2, 3])
    assert status == "invalid" and "DataLoader" in message
