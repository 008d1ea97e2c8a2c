"""Fixtures of the staff-tool tests: a small batch built from whatever examples exist, graded once."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.staff.batch import BatchSummary, run_batch
from autograder.staff.examples import examples

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "submissions_examples"
EXAMPLE_SETTINGS = EXAMPLES / "settings.toml"

METADATA = """\
submission_1001:
  :submitters:
  - :name: Ada Lovelace
    :sid: '3030001'
    :email: ada@example.edu
  :created_at: 2026-10-01 21:14:05.123456000 -07:00
  :score: 0.0
submission_1002:
  :submitters:
  - :name: "=HYPERLINK(\\"http://x\\")"
    :sid: '3030002'
    :email: eve@example.edu
  - :name: Grace Hopper
    :sid: '3030003'
    :email: grace@example.edu
  :created_at: 2026-10-02 10:00:00.000000000 -07:00
  :score: 0.0
"""


def partial_example(assignment: str = "hw4") -> tuple[Path, float] | None:
    """The first example (by name) whose expected score is strictly between 0 and full marks."""
    maximum = load_assignment(assignment).max_score
    for found in examples(assignment):
        score = found.expected_score() if found.declaration is not None else 0.0
        if 0 < score < maximum:
            return found.folder, score
    return None


@dataclass
class GradedBatch:
    export_zip: Path
    out: Path
    summary: BatchSummary
    partial: tuple[Path, float] | None


@pytest.fixture(scope="session")
def graded_batch(tmp_path_factory: pytest.TempPathFactory) -> GradedBatch:
    """A Gradescope export zip (reference = submission_1001, starter = submission_1002, an example
    without metadata), graded with --jobs 2 and the examples' short sandbox limits."""
    base = tmp_path_factory.mktemp("batch")
    export = base / "assignment_42_export"
    shutil.copytree(ROOT / "reference" / "hw4", export / "submission_1001")
    shutil.copytree(ROOT / "problems" / "hw4" / "template", export / "submission_1002")
    partial = partial_example()
    if partial is not None:
        shutil.copytree(partial[0], export / "submission_1003", symlinks=True)
    (export / "submission_metadata.yml").write_text(METADATA)
    archive = base / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(export.rglob("*")):
            if path.is_file() and not path.is_symlink():
                handle.write(path, path.relative_to(base).as_posix())
    out = base / "run"
    summary = run_batch(archive, out, assignment="hw4", jobs=2, settings_path=EXAMPLE_SETTINGS)
    return GradedBatch(archive, out, summary, partial)
