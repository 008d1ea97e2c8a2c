"""The student kit holds templates and a working format check, and nothing that reveals an answer.

The leak test reads every file of the kit and looks for every reference answer
(reference/<a>/<a>.py, loaded here in the trusted test process) in its usual
written forms. Only *distinctive* forms are searched, because a short value such
as 0, 1, 2, "F" or "n" occurs all over any code base and would make the test
fail for nothing (while revealing nothing):

* formulas: as written, as written without spaces, sympy's `str` of the parsed
  formula with and without spaces; searched when at least 8 characters long;
* numbers: searched only with at least 4 significant digits (0.8 or 2 are not
  evidence of anything);
* arrays: every run of 4 consecutive entries, written with single spaces (the
  kit text is normalised the same way: brackets and commas become spaces), when
  at least 3 of the 4 entries are neither 0 nor +-1;
* tables, tuples, sets, intervals: each element by the rules above;
* functions and written (manual) answers: each code line of the function's
  source of at least 25 characters, and each written answer of at least 25
  characters;
* choices, and table cells that are plain words, are not searched: the kit must
  list every choice, the right one included.

Answers given in the reference notebooks (Problems 5 and 6) are searched as
code: every line of a graded cell that the starter notebook does not have (at
least 25 characters, or any length when it assigns an answer name, such as
`p6_3_num_epochs = 175`), since that is what a student would copy.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from autograder.assignment import Assignment, Part, available_assignments, load_assignment
from autograder.sandbox.cells import cells_from_ipynb
from autograder.checking.formula_answers import symbol_table
from autograder.config import load_settings
from autograder.paths import project_root
from autograder.symbolic import ExpressionError, parse_expression
from autograder.staff.kit import build_student_kit, public_problem

MIN_TEXT = 8
MIN_LINE = 25
TRIVIAL = {0.0, 1.0, -1.0}


@pytest.fixture(scope="module")
def kit_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("kit") / "student-kit.zip"
    build_student_kit(out=target, prove=True)
    return target


@pytest.fixture(scope="module")
def kit(kit_zip: Path) -> dict[str, str]:
    with zipfile.ZipFile(kit_zip) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


@pytest.mark.parametrize("example", ["hw4/full_marks", "hw4/full_marks_strings", "disc4/full_marks_sympy"])
def test_the_kit_check_reads_every_full_marks_answer(kit_zip: Path, tmp_path: Path, example: str) -> None:
    """Whatever form Gradescope accepts, the students' own check must read too (or it cries wolf)."""
    folder = tmp_path / "kit"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # as root, the sandbox user runs the student's file from here
    with zipfile.ZipFile(kit_zip) as archive:
        archive.extractall(folder)
    answers = folder / "answers"
    shutil.copytree(project_root() / "submissions_examples" / example, answers)
    for path in [answers, *answers.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    run = subprocess.run([sys.executable, str(folder / "check.py"), str(answers)], capture_output=True, text=True, timeout=600, cwd=folder)
    assert "public parts readable" in run.stdout and "INVALID" not in run.stdout, run.stdout + run.stderr
    complete = {f.name for f in answers.iterdir()} >= {"hw4.py", "HandDesignFilters.ipynb", "edge_detection.ipynb"} or example.startswith("disc4")
    if complete:  # every answer file there: nothing may be missing either
        assert run.returncode == 0 and "MISSING" not in run.stdout, run.stdout + run.stderr


def reference_module(assignment: Assignment) -> ModuleType:
    path = project_root() / assignment.reference / f"{assignment.id}.py"
    spec = importlib.util.spec_from_file_location(f"kit_leak_reference_{assignment.id}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _number_forms(value: float) -> list[str]:
    if not np.isfinite(value):
        return []
    forms = {repr(float(value)), f"{value:.6g}", f"{value:.4g}"}
    significant = len(re.sub(r"[^0-9]", "", f"{abs(value):.10g}").strip("0"))
    return sorted(f for f in forms if significant >= 4 and len(f) >= 4)


def _formula_forms(text: str, assignment: Assignment, part: Part) -> list[str]:
    forms = {text, text.replace(" ", "")}
    try:
        parsed = str(parse_expression(text, symbol_table(assignment.problem_of(part), part)))
        forms |= {parsed, parsed.replace(" ", "")}
    except ExpressionError:
        pass
    return sorted(f for f in forms if len(f.replace(" ", "")) >= MIN_TEXT)


def _array_forms(array: np.ndarray) -> list[str]:
    flat = [float(v) for v in np.asarray(array, dtype=float).ravel()]
    forms = set()
    for start in range(0, max(0, len(flat) - 3)):
        window = flat[start : start + 4]
        if sum(1 for v in window if v not in TRIVIAL) >= 3:
            forms.add(" ".join(f"{v:g}" for v in window))
            forms.add(" ".join(repr(v) for v in window))
    return sorted(forms)


def needles(value: Any, assignment: Assignment, part: Part) -> Iterator[str]:
    """The distinctive written forms of one reference value (see the module docstring)."""
    if part.kind == "choice" or value is None:
        return
    if callable(value):
        for line in inspect.getsource(value).splitlines():
            code = line.strip()
            if len(code) >= MIN_LINE and not code.startswith(("#", '"', "'", "def ")):
                yield code
        return
    if isinstance(value, str):
        if part.manual or part.kind == "text":
            if len(value.strip()) >= MIN_LINE:
                yield value.strip()
            return
        yield from _formula_forms(value, assignment, part)
        return
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float, np.number)):
        yield from _number_forms(float(value))
        return
    if isinstance(value, np.ndarray):
        yield from _array_forms(value)
        return
    if isinstance(value, dict):
        for item in value.values():
            if not (isinstance(item, str) and item.replace(" ", "").isalpha()):
                yield from needles(item, assignment, part)
        return
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items) and len(items) >= 4:
            yield from _array_forms(np.asarray(items, dtype=float))
        for item in items:
            yield from needles(item, assignment, part)


def _graded_lines(notebook: Path) -> set[str]:
    return {
        line.strip()
        for cell in cells_from_ipynb(notebook.read_text(encoding="utf-8"))
        if "graded" in cell.marks
        for line in cell.source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    }


def notebook_needles(assignment: Assignment) -> Iterator[tuple[str, str]]:
    """(answer file, solution line) for every line the reference notebooks add to the starters' graded cells."""
    answer_names = {name for part in assignment.parts for name in part.answer_names}
    for notebook in sorted((project_root() / assignment.reference).glob("*.ipynb")):
        starters = [p for p in (project_root() / "problems" / assignment.id).rglob(notebook.name) if "solution" not in p.parts]
        assert len(starters) == 1, f"no single starter notebook for {notebook.name}: {starters}"
        for line in sorted(_graded_lines(notebook) - _graded_lines(starters[0])):
            assigned, _, value = (part.strip() for part in line.partition("="))
            if len(line) >= MIN_LINE or (assigned in answer_names and any(c.isalnum() for c in value)):
                yield notebook.name, line


def _normalised(text: str) -> str:
    return re.sub(r"[\s,\[\]()]+", " ", text)


def test_kit_holds_no_reference_value(kit: dict[str, str]) -> None:
    searched = 0
    leaks = []
    haystacks = {name: (text, _normalised(text)) for name, text in kit.items()}
    for assignment_id in available_assignments():
        assignment = load_assignment(assignment_id)
        reference = reference_module(assignment)
        for part in assignment.parts:
            for needle in needles(getattr(reference, part.answer, None), assignment, part):
                searched += 1
                for name, (text, flat) in haystacks.items():
                    if needle in text or _normalised(needle) in flat:
                        leaks.append(f"{part.id}: {needle[:80]!r} found in {name}")
        for notebook, needle in notebook_needles(assignment):
            searched += 1
            for name, (text, flat) in haystacks.items():
                if needle in text or _normalised(needle) in flat:
                    leaks.append(f"{assignment.id} {notebook}: {needle[:80]!r} found in {name}")
    assert searched >= 20, "the leak test found too few distinctive reference values to search for"
    assert not leaks, "the student kit reveals reference answers:\n" + "\n".join(leaks)


def test_notebook_answers_are_searched() -> None:
    """The notebook part of the leak test must find the solution lines, or it searches nothing."""
    found = dict((line, notebook) for notebook, line in notebook_needles(load_assignment("hw4")))
    assignments = {line.split("=", 1)[0].strip() for line in found if "=" in line}
    assert {"p6_3_num_epochs", "p6_4_learning_rate", "p6_4_kernel_size"} <= assignments
    assert {"HandDesignFilters.ipynb", "edge_detection.ipynb"} <= set(found.values())


def test_kit_holds_no_reference_or_check_code(kit: dict[str, str]) -> None:
    names = list(kit)
    assert not [n for n in names if n.startswith("reference/") or "/reference/" in n]
    assert not [n for n in names if Path(n).name.startswith("check_")]
    assert not [n for n in names if "/solution/" in f"/{n}"]
    assert not [n for n in names if n.startswith(("tests/", "bench/", "submissions_examples/"))]
    staff = [n for n in names if n.startswith("autograder/staff/")]
    assert sorted(Path(n).name for n in staff) == ["__init__.py", "commands.py"]


def test_kit_parts_data_is_public_and_stripped(kit: dict[str, str]) -> None:
    settings = load_settings()
    for name, text in kit.items():
        if not name.endswith("problem.toml"):
            continue
        data = tomllib.loads(text)
        assert "mistakes" not in text and "accept" not in text and "assumption" not in text, name
        for part in data["parts"]:
            assert part["visibility"] == "visible"
            public = {"signature", "returns", "format", "labels", "words", "scaling", "growth", "function", "probes", "shape", "also_shapes", "cells"}
            required = {"split", "batch_size", "threshold"}  # what a loader or a trained part needs: public setup
            assert set(part.get("options", {})) <= public | required, part["id"]
            original = load_assignment(part["id"].split(".")[0]).part(part["id"])
            assert original.is_public(settings)


def test_hidden_parts_are_left_out_of_the_kit_data() -> None:
    assignment = load_assignment("hw4")
    problem = assignment.problems[0]
    hidden = problem.model_copy(deep=True)
    hidden.parts[0].visibility = "hidden"
    data = public_problem(hidden, load_settings())
    assert data is not None
    assert hidden.parts[0].id not in [p["id"] for p in data["parts"]]


def test_kit_has_templates_check_and_readme(kit: dict[str, str]) -> None:
    assert "hw4.py" in kit and kit["hw4.py"] == (project_root() / "problems/hw4/template/hw4.py").read_text()
    if (project_root() / "problems/disc4/template/disc4.py").is_file():
        assert "disc4.py" in kit
    assert "check.py" in kit and "requirements.txt" in kit and "README.md" in kit
    assert "does **not** know the answers" in kit["README.md"]
    for notebook in [n for n in kit if n.endswith(".ipynb")]:
        assert "/" not in notebook


def test_torch_comes_from_the_cpu_index_except_on_macos_or_when_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograder.staff import kit_entry

    monkeypatch.delenv("KIT_TORCH_INDEX", raising=False)
    for platform, expected in (("linux", kit_entry.TORCH_CPU_INDEX), ("win32", kit_entry.TORCH_CPU_INDEX), ("darwin", None)):
        monkeypatch.setattr(sys, "platform", platform)
        assert kit_entry.torch_index() == expected
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("KIT_TORCH_INDEX", "pip")
    assert kit_entry.torch_index() is None
    monkeypatch.setenv("KIT_TORCH_INDEX", "https://mirror.example/cpu")
    assert kit_entry.torch_index() == "https://mirror.example/cpu"


def test_help_sets_nothing_up(kit_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(kit_zip) as archive:
        archive.extractall(tmp_path)
    run = subprocess.run([sys.executable, "check.py", "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0 and "python3 check.py --jupyter" in run.stdout
    assert not (tmp_path / ".venv").exists()
