"""A mistake on the command line, a student's or a TA's, is one line on stderr and exit status 2.

Both kinds of command raise the one CommandError (autograder/errors.py) and `autograder.cli.main`
alone turns it into the message: run as the real command, no traceback reaches the person.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["grade", "{tmp}", "--assignment", "hw9"], "autograder: unknown assignment 'hw9'; choose from disc4, hw4"),
        (["check", "{tmp}", "--assignment", "hw9"], "autograder: unknown assignment 'hw9'; choose from disc4, hw4"),
        (["diff", "{tmp}", "{tmp}"], "not a batch run folder"),
        (["batch", "{tmp}/nowhere", "--out", "{tmp}/run"], "does not exist; give a folder of submission folders"),
        (["build", "gradescope", "--assignment", "hw9", "--no-proof", "--out", "{tmp}/a.zip"], "autograder: unknown assignment 'hw9'"),
    ],
    ids=["grade", "check", "diff", "batch", "build"],
)
def test_a_mistake_is_one_line_and_exit_status_2(tmp_path: Path, arguments: list[str], message: str) -> None:
    command = [sys.executable, "-m", "autograder", *(a.format(tmp=tmp_path) for a in arguments)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("autograder: "), done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "run").exists() and not (tmp_path / "a.zip").exists()

