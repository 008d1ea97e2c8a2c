"""A submission with both hw4.py and hw4.ipynb: the one with answers is graded, and the feedback says which and why."""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.answer_choice import filled_names
from autograder.engine import grade
from autograder.formatcheck import format_check

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "submissions_examples" / "hw4"


def _both(tmp_path: Path) -> Path:
    """The untouched template hw4.py beside a finished hw4.ipynb."""
    folder = tmp_path / "both"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    shutil.copy(EXAMPLES / "starter" / "hw4.py", folder / "hw4.py")
    shutil.copy(EXAMPLES / "full_marks_notebook" / "hw4.ipynb", folder / "hw4.ipynb")
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def test_filled_names_reads_assignments_and_function_bodies(tmp_path: Path) -> None:
    path = tmp_path / "hw4.py"
    path.write_text('a = None\nb = ""\nc = "2 n"\ndef f(x):\n    """doc"""\n    return None  # TODO\ndef g(x):\n    return x\nc = None\n')
    assert filled_names(path, {"a", "b", "c", "f", "g"}) == {"g"}  # the last definition of c wins
    broken = tmp_path / "broken.py"
    broken.write_text("p1a = (\n")
    assert filled_names(broken, {"p1a"}) == set()


def test_the_notebook_with_answers_is_graded_and_the_choice_is_said(tmp_path: Path) -> None:
    folder = _both(tmp_path)
    run = grade(folder, "hw4", public_only=True, parts={"hw4.p1a", "hw4.p2b"})
    assert "graded hw4.ipynb" in run.results.output and "hw4.py was not read" in run.results.output
    assert {t.extra_data.part: t.score for t in run.results.tests if t.max_score} == {"hw4.p1a": 3.0, "hw4.p2b": 2.0}
    report = format_check(folder, "hw4")
    assert any(line.startswith("note") and "graded hw4.ipynb" in line for line in report.files)


def test_one_form_alone_gets_no_note(tmp_path: Path) -> None:
    folder = _both(tmp_path)
    (folder / "hw4.py").unlink()
    run = grade(folder, "hw4", public_only=True, parts={"hw4.p1a"})
    assert "was not read" not in run.results.output
