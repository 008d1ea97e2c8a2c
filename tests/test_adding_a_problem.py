"""Adding a problem is data, not code: the README's "Adding a problem" steps, done on a scratch copy.

The copy holds only the package, Discussion 4 (its problems, its reference, its examples
and their builder) and the examples' settings. The test adds a toy Problem 3 with a formula part and
an array part by exactly the README's steps: a folder with `problem.toml`, one line in
`problem_folders`, the two reference values, the template regenerated with the project's
command, and the built examples (the starter, the full-marks variants) rebuilt with the
assignment's example builder. Nothing else is edited: no check module (each
kind has its default check against the reference value of the part's answer name), no
engine code. Then the project's own commands, run in the copy, must list the new parts,
grade the reference to full marks with the new rows and their points, and grade wrong
answers to zero as wrong (not unreadable, not an error).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autograder.assignment import load_assignment

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "disc4"
FOLDER = "p3_newton_schulz_step"

PROBLEM_TOML = """\
id = "disc4.p3"
number = 3
title = "One step of the Newton-Schulz iteration"
file = "disc4"
notes = ["One step maps W to p(W) = (3/2) W - (1/2) W W^T W."]

[[symbols]]
name = "sigma"
kind = "positive_real"

[[parts]]
id = "disc4.p3a"
answer = "p3a"
kind = "expression"
points = 2
title = "A singular value sigma of W after one step"
symbols = ["sigma"]
options = { format = "a formula in sigma" }

[[parts]]
id = "disc4.p3b"
answer = "p3b"
kind = "array"
points = 3
title = "p(W) for W = diag(0.5, 1, 1.5)"
options = { format = "a 3 x 3 array", shape = [3, 3] }
"""

REFERENCE_VALUES = """
# Problem 3: one step of the Newton-Schulz iteration --------------------------------------

p3a = "3/2 sigma - 1/2 sigma^3"
p3b = np.diag([0.6875, 1.0, 0.5625])  # p(0.5), p(1), p(1.5) on the diagonal
"""

WRONG_VALUES = {
    "p3a": 'p3a = "3/2 sigma - 1/2 sigma^2"',  # the square where the cube belongs
    "p3b": "p3b = [[0.5, 0, 0], [0, 1, 0], [0, 0, 1.5]]",  # W itself: the step not taken
}

NEW_PARTS = {"disc4.p3a": ("expression", 2.0, "p3a"), "disc4.p3b": ("array", 3.0, "p3b")}
BUILDER_MODULES = ("problems/example_builder.py", "problems/notebook_format.py")


def copy_project(target: Path) -> None:
    """What grading Discussion 4 needs, and nothing else: a project of its own."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "autograder", target / "autograder", ignore=ignore)
    (target / "problems").mkdir()
    shutil.copy2(ROOT / "problems" / "__init__.py", target / "problems" / "__init__.py")
    shutil.copytree(ROOT / "problems" / ASSIGNMENT, target / "problems" / ASSIGNMENT, ignore=ignore)
    shutil.copytree(ROOT / "reference" / ASSIGNMENT, target / "reference" / ASSIGNMENT, ignore=ignore)
    for builder in BUILDER_MODULES:  # the example builder and the notebook format it writes
        (target / builder).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / builder, target / builder)
    examples = target / "submissions_examples" / ASSIGNMENT
    shutil.copytree(ROOT / "submissions_examples" / ASSIGNMENT, examples, ignore=ignore)
    shutil.copy2(ROOT / "submissions_examples" / "settings.toml", target / "settings.toml")


def run_module(project: Path, module: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """A command of the project, run in the copy: its package, its problems, its reference, its settings."""
    environment = {
        **os.environ,
        "AUTOGRADER_ROOT": str(project),
        "AUTOGRADER_SETTINGS": str(project / "settings.toml"),
        "PYTHONPATH": str(project),
    }
    done = subprocess.run(
        [sys.executable, "-m", module, *arguments], cwd=project, env=environment, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{module} {' '.join(arguments)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def autograder(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return run_module(project, "autograder", *arguments)


def add_the_problem(project: Path) -> None:
    """The README's steps, in its order."""
    assignment = project / "problems" / ASSIGNMENT
    # 1. The problem's folder with its data.
    (assignment / FOLDER).mkdir()
    (assignment / FOLDER / "problem.toml").write_text(PROBLEM_TOML, encoding="utf-8")
    # 2. Its folder in the assignment's problem_folders.
    data = (assignment / "assignment.toml").read_text(encoding="utf-8")
    listed = 'problem_folders = ["p1_maximal_update", "p2_newton_schulz_fixed_points"]'
    assert listed in data
    (assignment / "assignment.toml").write_text(
        data.replace(listed, listed.replace('"]', f'", "{FOLDER}"]')), encoding="utf-8"
    )
    # 3. The reference values, under the parts' answer names.
    reference = project / "reference" / ASSIGNMENT / "disc4.py"
    reference.write_text(reference.read_text(encoding="utf-8") + REFERENCE_VALUES, encoding="utf-8")
    # 4. The template, regenerated with the project's command.
    autograder(project, "template", "--assignment", ASSIGNMENT, "--out", str(assignment / "template"))
    # 5. The built examples: the starter from the template, the full-marks variants from the reference.
    run_module(project, f"problems.{ASSIGNMENT}.build_examples")


def graded(project: Path, submission: Path, results: Path) -> dict[str, Any]:
    autograder(project, "grade", str(submission), "--assignment", ASSIGNMENT, "--results", str(results))
    return json.loads(results.read_text(encoding="utf-8"))


def rows_of(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["extra_data"]["part"]: t for t in results["tests"] if t.get("extra_data", {}).get("role") == "part"}


TEMPLATE_BEFORE = (ROOT / "problems" / ASSIGNMENT / "template" / "disc4.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("project")
    project.chmod(0o755)  # as an installed grader is: its child, another user when we are root, imports the copy's package
    copy_project(project)
    add_the_problem(project)
    return project


def changed_files(project: Path) -> set[str]:
    """Files of the copy that are new or differ from the repository's (caches aside; its settings are the examples')."""
    changed = set()
    for path in project.rglob("*"):
        relative = path.relative_to(project)
        if not path.is_file() or "__pycache__" in relative.parts or relative.as_posix() == "settings.toml":
            continue
        original = ROOT / relative
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            changed.add(relative.as_posix())
    return changed


def test_the_parts_list_has_the_new_parts(project: Path) -> None:
    listed = {row["id"]: row for row in json.loads(autograder(project, "parts", "--assignment", ASSIGNMENT, "--json").stdout)}
    for part_id, (kind, points, answer) in NEW_PARTS.items():
        row = listed[part_id]
        assert (row["kind"], row["points"], row["answer"], row["file"], row["grading"]) == (kind, points, answer, "disc4.py", "auto")
    assert len(listed) == len(load_assignment(ASSIGNMENT).parts) + len(NEW_PARTS)  # the repository's parts and the new ones


def test_the_template_only_gains_the_new_problem(project: Path) -> None:
    old = TEMPLATE_BEFORE
    new = (project / "problems" / ASSIGNMENT / "template" / "disc4.py").read_text(encoding="utf-8")
    assert new.startswith(old.rstrip("\n") + "\n")
    added = new[len(old.rstrip("\n")) + 1 :]
    assert "# Problem 3: One step of the Newton-Schulz iteration" in added
    assert "\np3a = None\n" in added and added.endswith("\np3b = None\n")
    assert "# disc4.p3b (3 pts): p(W) for W = diag(0.5, 1, 1.5)" in added
    # The rest of the chain is held to it by the repository's tests; here they must still hold in the copy.
    starter = project / "submissions_examples" / ASSIGNMENT / "starter" / "disc4.py"
    assert starter.read_text(encoding="utf-8") == new


def test_the_reference_scores_full_marks_with_the_new_rows(project: Path, tmp_path: Path) -> None:
    results = graded(project, project / "reference" / ASSIGNMENT, tmp_path / "results.json")
    rows = rows_of(results)
    for part_id, (_, points, _) in NEW_PARTS.items():
        row = rows[part_id]
        assert (row["score"], row["max_score"], row["status"], row["extra_data"]["outcome"]) == (points, points, "passed", "correct"), (
            f"{part_id}: {row['extra_data']}: {row['output'][:1000]}"
        )
    new_points = sum(points for _, points, _ in NEW_PARTS.values())
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) == load_assignment(ASSIGNMENT).max_score + new_points
    assert not [t["name"] for t in results["tests"] if t["score"] < t["max_score"]]


def test_wrong_answers_score_zero_as_wrong(project: Path, tmp_path: Path) -> None:
    submission = tmp_path / "wrong"
    submission.mkdir()
    text = (project / "problems" / ASSIGNMENT / "template" / "disc4.py").read_text(encoding="utf-8")
    for name, line in WRONG_VALUES.items():
        assert f"\n{name} = None\n" in text
        text = text.replace(f"\n{name} = None\n", f"\n{line}\n")
    (submission / "disc4.py").write_text(text, encoding="utf-8")
    results = graded(project, submission, tmp_path / "results.json")
    rows = rows_of(results)
    for part_id, (_, points, _) in NEW_PARTS.items():
        row = rows[part_id]
        assert (row["score"], row["max_score"], row["status"], row["extra_data"]["outcome"]) == (0, points, "failed", "wrong"), (
            f"{part_id}: {row['extra_data']}: {row['output'][:1000]}"
        )
    assert results["score"] == 0


def test_the_steps_touched_the_problem_the_reference_and_the_built_files_only(project: Path) -> None:
    """Last: after the commands above ran in the copy, the five steps are still the whole difference.

    The built examples gain the new answers (the starter its `None`s, each full-marks variant the
    reference's values); no golden file and no hand-kept example changes.
    """
    built = {p.relative_to(project).as_posix() for p in (project / "submissions_examples" / ASSIGNMENT).rglob("*") if p.is_file()}
    changed = changed_files(project)
    assert changed - built == {
        f"problems/{ASSIGNMENT}/{FOLDER}/problem.toml",
        f"problems/{ASSIGNMENT}/assignment.toml",
        f"reference/{ASSIGNMENT}/disc4.py",
        f"problems/{ASSIGNMENT}/template/disc4.py",
    }
    from problems.disc4.build_examples import answer_file_outputs

    written = {path.relative_to(ROOT).as_posix() for path in answer_file_outputs()}
    assert f"submissions_examples/{ASSIGNMENT}/starter/disc4.py" in changed
    assert changed & built <= written  # only what the builder writes: the starter and the full-marks variants
    assert not [name for name in changed if "/expected/" in name]
