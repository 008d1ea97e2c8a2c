"""The zip installed and run exactly as Gradescope does it (DESIGN.md, "Gradescope contract").

As root: build the zip, unpack it into /autograder/source, copy run_autograder to
/autograder/run_autograder, run setup.sh there, and grade several submissions by putting
them in /autograder/submission and running `cd /autograder && ./run_autograder`. Then,
in that installed layout: both entry points work, also with a broken venv; nothing the
sandbox user can read holds an answer; the "anywhere" mode touches nothing of
Gradescope's. Everything made (the folders, the sandbox user) is removed afterwards.

Not as root these tests fail with the reason: a rehearsal that cannot run is no proof,
and Gradescope itself runs as root (CI does too).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.staff.gradescope_zip import build_gradescope_zip
from autograder.staff.examples import example
from autograder.staff.rehearsal import AUTOGRADER, Grading, Installation, installed, schema_problems
from tests.examples import EXAMPLES
from tests.problems.leaks import fold
from tests.problems.test_feedback_reveals_no_answer import keys_of, printed_forms

ASSIGNMENT = "hw4"
#: Full marks, a common mistake, and hostile ones (reads the reference, links to it, searches the install).
CASES = ("full_marks", "mistake_missing_factor_2", "read_reference", "symlink_to_reference", "snoop_installed_files")
#: Folded forms shorter than this ("F", "0", "1473") occur by chance in any file; they are searched where
#: feedback is checked (tests/problems), not in a walk over every file.
SEARCHED_LENGTH = 6


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    if os.geteuid() != 0:
        pytest.fail("the Gradescope rehearsal needs root (Gradescope and CI run as root): run the suite as root")
    target = build_gradescope_zip(assignment=ASSIGNMENT, out=tmp_path_factory.mktemp("zip") / "hw4.zip", prove=False, stream=open(os.devnull, "w"))
    # No network to PyTorch's CPU index here: setup.sh takes torch from pip's configured index, unless told otherwise.
    with installed(target, torch_index=os.environ.get("AUTOGRADER_TORCH_INDEX_URL", "")) as ready:
        yield ready


@pytest.fixture(scope="module")
def graded(installation: Installation) -> dict[str, Grading]:
    return {name: installation.grade(EXAMPLES / ASSIGNMENT / name) for name in CASES}


def expected(name: str) -> tuple[float, dict[tuple[str, str | None], float]]:
    """The example's total and the score of each stored row (none where its expectation is generic)."""
    found = example(ASSIGNMENT, name)
    stored = (found.stored() or {}).get("tests", [])
    return found.expected_score(), {(t["extra_data"]["role"], t["extra_data"]["part"]): t["score"] for t in stored}


def max_score() -> str:
    return f"{load_assignment(ASSIGNMENT).max_score:g}"


def test_setup_installed_the_layout_gradescope_runs(installation: Installation) -> None:
    assert f"full marks: {max_score()} of {max_score()}" in installation.setup_log  # setup.sh's own proof of the reference
    assert os.access(AUTOGRADER / "run_autograder", os.X_OK)
    assert not (AUTOGRADER / "autograder").exists()  # the copy has no code beside it: it must find source/


@pytest.mark.parametrize("name", CASES)
def test_the_copied_run_autograder_grades_as_expected(graded: dict[str, Grading], name: str) -> None:
    grading = graded[name]
    assert schema_problems(grading.raw) == []
    total, rows = expected(name)
    assert grading.results.score == pytest.approx(total), grading.log[-2000:]
    scores = {(t.extra_data.role, t.extra_data.part): t.score for t in grading.results.tests}
    assert {key: scores.get(key) for key in rows} == rows
    assert not any(t.extra_data.role == "failure" for t in grading.results.tests)


def test_full_marks_are_full_marks(graded: dict[str, Grading]) -> None:
    assert graded["full_marks"].results.score == load_assignment(ASSIGNMENT).max_score


def test_metadata_is_read_in_gradescope_layout(graded: dict[str, Grading]) -> None:
    assert "Submission by Rehearsal Student." in graded["full_marks"].results.output


def test_both_entry_points_survive_a_broken_venv(installation: Installation, tmp_path: Path) -> None:
    python = installation.source / ".venv" / "bin" / "python"
    broken = python.with_name("python.moved")
    python.rename(broken)
    python.write_text("#!/bin/sh\nexit 3\n")
    python.chmod(0o755)
    try:
        copy = installation.grade(EXAMPLES / ASSIGNMENT / "full_marks")
        direct = _grade_anywhere(installation, EXAMPLES / ASSIGNMENT / "full_marks", tmp_path, script=installation.source / "run_autograder")
    finally:
        python.unlink()
        broken.rename(python)
    for results in (copy.raw, direct):
        assert schema_problems(results) == []
        assert results["tests"][0]["extra_data"]["role"] == "failure" and results["score"] == 0
        assert "contact the course staff" in results["output"]


def test_source_run_autograder_grades_too(installation: Installation, tmp_path: Path) -> None:
    results = _grade_anywhere(installation, EXAMPLES / ASSIGNMENT / "mistake_missing_factor_2", tmp_path, script=installation.source / "run_autograder")
    assert results["score"] == pytest.approx(expected("mistake_missing_factor_2")[0])


def test_anywhere_mode_reads_no_gradescope_metadata_and_changes_no_mode(installation: Installation, tmp_path: Path) -> None:
    modes = {path: path.stat().st_mode for path in (AUTOGRADER, AUTOGRADER / "submission", AUTOGRADER / "results")}
    AUTOGRADER.chmod(0o755)
    modes[AUTOGRADER] = AUTOGRADER.stat().st_mode
    (AUTOGRADER / "submission_metadata.json").write_text(json.dumps({"users": [{"name": "Not This Student"}]}))
    results = _grade_anywhere(installation, EXAMPLES / ASSIGNMENT / "mistake_missing_factor_2", tmp_path, script=AUTOGRADER / "run_autograder")
    assert "Not This Student" not in results["output"]
    assert {path: path.stat().st_mode for path in modes} == modes


def test_nothing_the_sandbox_user_can_read_holds_an_answer(installation: Installation, graded: dict[str, Grading], sandbox_claim: Any) -> None:
    """Every file under /autograder that a sandbox uid can open, searched for every answer's printed forms.

    The walk runs as a uid of the sandbox pool that this test holds, as a grading's child would: every uid
    of the pool (the configured user first, then uids without an account) sees exactly what others may.
    """
    forms = sorted(answer_forms(ASSIGNMENT))
    assert any("2*c*d_in*d_out**2" in f or "2*c*d_in*d_out^2" in f for f in forms)  # the net holds what it should
    identity = sandbox_claim.identity
    assert identity.uid not in (None, 0)
    walk = subprocess.run(
        [str(installation.source / ".venv" / "bin" / "python"), "-I", "-c", WALKER, str(AUTOGRADER)],
        input=json.dumps([fold(f) for f in forms]), capture_output=True, text=True, timeout=600, cwd="/",
        user=identity.uid, group=identity.gid, extra_groups=[], env={"PATH": "/usr/bin:/bin"},
    )
    assert walk.returncode == 0, walk.stderr
    report = json.loads(walk.stdout)
    assert report["read"] > 100  # it did read the installed package and its venv
    assert report["found"] == [], report["found"]


def test_package_metadata_carries_no_readme() -> None:
    """pip copies a named readme into the package metadata, which student code can read in every install."""
    with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as handle:
        assert "readme" not in tomllib.load(handle)["project"]
    assert not (importlib.metadata.metadata("hw4-autograder").get("Description") or "").strip()


def answer_forms(assignment_id: str) -> set[str]:
    """Every printed form of every answer of the assignment that is long enough to search for."""
    assignment = load_assignment(assignment_id)
    forms: set[str] = set()
    for part_id, key in keys_of(assignment_id).items():
        for form in printed_forms(assignment_id, assignment.part(part_id), key):
            forms.update({form, form.replace("^", "**"), form.replace("**", "^")})
    return {f for f in forms if len(fold(f)) >= SEARCHED_LENGTH}


def _grade_anywhere(installation: Installation, submission: Path, tmp_path: Path, *, script: Path) -> dict:
    copy = tmp_path / "submission"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(submission, copy)
    results = tmp_path / "out" / "results.json"
    subprocess.run([str(script), "--submission", str(copy), "--results", str(results)], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    return json.loads(results.read_text(encoding="utf-8"))


#: Run as the sandbox user: open every file it can under the root, fold its text as the leak nets do
#: (case, spaces and `*` ignored), and report each form found. Third-party packages in the venv are
#: only listed, not searched: they come from PyPI and cannot hold this course's answers.
WALKER = r"""
import json, os, re, sys
forms = json.load(sys.stdin)
root = sys.argv[1]
read, found = 0, []
third_party = re.compile(r"/site-packages/(?!hw4_autograder|__editable__|_autograder)[^/]+")
for folder, folders, files in os.walk(root):
    for name in files:
        path = os.path.join(folder, name)
        if third_party.search(path) or os.path.islink(path):
            continue
        try:
            with open(path, "rb") as handle:
                text = handle.read(8_000_000).decode("latin-1")
        except OSError:
            continue
        read += 1
        folded = re.sub(r"[\s*]+", "", text.lower())
        found += [f"{path}: {form}" for form in forms if form in folded]
print(json.dumps({"read": read, "found": found}))
"""
