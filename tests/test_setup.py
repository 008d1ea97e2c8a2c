"""setup.sh's reference self-test: full marks required, and the answer key never left where others can read it."""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
import time
from pathlib import Path

from autograder.assignment import load_assignment
from autograder.config import DEFAULT_ASSIGNMENT, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_reference_self_test_keeps_its_results_private_and_removes_them():
    # TMPDIR is where mktemp puts the scratch; it must stay traversable so that the sandbox user reaches staging.
    tmp = Path(tempfile.mkdtemp(prefix="ag-setup-test-"))
    os.chmod(tmp, 0o755)
    try:
        process = subprocess.Popen(
            [str(ROOT / "setup.sh"), "--self-test"],
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(tmp)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        seen: dict[str, int] = {}
        while process.poll() is None:
            for folder in tmp.glob("ag-reference.*"):
                for path in [folder, *folder.iterdir()] if folder.is_dir() else []:
                    try:
                        seen[path.name] = stat.S_IMODE(path.lstat().st_mode)
                    except OSError:
                        pass
            time.sleep(0.02)
        output = process.stdout.read() if process.stdout else ""
        assert process.returncode == 0, output
        maximum = f"{load_assignment(load_settings().assignment or DEFAULT_ASSIGNMENT).max_score:g}"  # as setup.sh picks it
        assert f"full marks: {maximum} of {maximum}" in output
        assert "results.json" in seen, seen  # graded where we looked
        assert all(mode & 0o077 == 0 for mode in seen.values()), seen
        assert not list(tmp.glob("ag-reference.*"))  # and removed afterwards
    finally:
        subprocess.run(["rm", "-rf", str(tmp)], check=False)
