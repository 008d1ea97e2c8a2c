"""The kit's documented command, as a student runs it: a fresh folder, the system Python, no project venv.

The first run makes the kit's own .venv from the machine's configured package
index (KIT_TORCH_INDEX=pip: this machine's index has a CPU-only torch==2.13.0),
which takes a minute or two; the other tests reuse it. Skipped only where no
system Python 3.11+ with venv and ensurepip exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.assignment import available_assignments, load_assignment
from autograder.config import Settings
from autograder.paths import project_root
from autograder.staff.kit import build_student_kit


@pytest.fixture(scope="module")
def kit_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("kit") / "student-kit.zip"
    build_student_kit(out=target, prove=False)
    return target


def system_python() -> str | None:
    """A Python 3.11+ of the system (not this project's venv) that can make virtual environments."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", "/usr/bin/python3.11", "/usr/bin/python3.12"):
        if Path(candidate).is_file():
            probe = subprocess.run([candidate, "-c", "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


def student_environment(temp: Path) -> dict[str, str]:
    """Only the system's PATH, and the machine's configured package index (pip's config in HOME, PIP_* variables)."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "TMPDIR": str(temp), "KIT_TORCH_INDEX": "pip"}
    environment.update({k: v for k, v in os.environ.items() if k.startswith("PIP_")})
    return environment


@dataclass
class StudentKit:
    folder: Path
    python: str
    environment: dict[str, str]
    temp: Path
    first_run: subprocess.CompletedProcess[str]

    def check(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.python, "check.py", *arguments], capture_output=True, text=True, timeout=900, cwd=self.folder, env=self.environment)


def _readable(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        item.chmod(0o755 if item.is_dir() else 0o644)


@pytest.fixture(scope="module")
def student_kit(kit_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> StudentKit:
    """The kit unpacked in a fresh folder and its README's command run once (this installs .venv: a minute or two)."""
    python = system_python()
    if python is None:
        pytest.skip("no system Python 3.11+ with venv and ensurepip outside this project's venv")
    base = tmp_path_factory.mktemp("student")
    base.chmod(0o755)
    folder, temp = base / "kit", base / "temp"
    folder.mkdir(mode=0o755)
    temp.mkdir(mode=0o700)
    with zipfile.ZipFile(kit_zip) as archive:
        archive.extractall(folder)
    _readable(folder)
    readme = (folder / "README.md").read_text()
    assert "    python3 check.py " in readme and "    py check.py " in readme  # the command the test runs is the documented one
    kit = StudentKit(folder, python, student_environment(temp), temp, subprocess.CompletedProcess([], 0))
    kit.first_run = kit.check()
    return kit


def test_the_first_run_makes_its_own_venv_with_a_cpu_torch_and_leaves_no_temp_files(student_kit: StudentKit) -> None:
    run = student_kit.first_run
    assert "Setting up" in run.stdout and run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    venv_python = student_kit.folder / ".venv" / "bin" / "python"
    probe = subprocess.run([str(venv_python), "-c", "import sys, torch; print(sys.prefix); print(torch.version.cuda)"], capture_output=True, text=True)
    prefix, cuda = probe.stdout.split()
    assert Path(prefix).resolve() == (student_kit.folder / ".venv").resolve() and cuda == "None", probe.stdout + probe.stderr
    assert not list(student_kit.temp.iterdir()), "the check left files in the temp folder"
    assert not (student_kit.folder / ".setup-tmp").exists()
    again = student_kit.check("--assignment", "disc4")
    assert "Setting up" not in again.stdout and "Discussion 4:" in again.stdout  # reused, not installed again


def test_the_untouched_templates_fail_with_every_unfilled_name_listed(student_kit: StudentKit) -> None:
    run = student_kit.first_run
    assert run.returncode == 1
    for assignment_id in available_assignments():
        assignment = load_assignment(assignment_id)
        assert f"{assignment.title}: " in run.stdout  # each count names its assignment
        for part in assignment.parts:
            if part.kind not in ("manual", "text") and part.is_public(Settings()):
                assert f"MISSING  {part.id} " in run.stdout, f"{part.id} not listed as missing:\n{run.stdout}"
    assert run.stdout.count("does not know the answers") == 1


def test_full_marks_answers_pass(student_kit: StudentKit, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    shutil.copytree(project_root() / "submissions_examples" / "hw4" / "full_marks", answers)
    _readable(tmp_path)
    run = student_kit.check(str(answers))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    public = sum(1 for part in load_assignment("hw4").parts if part.is_public(Settings()))
    assert f"Homework 4: {public} of {public} public parts readable." in run.stdout, run.stdout


def test_a_crashing_function_fails_naming_its_part_and_line(student_kit: StudentKit, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    shutil.copytree(project_root() / "submissions_examples" / "hw4" / "full_marks", answers)
    source = (answers / "hw4.py").read_text()
    assert "import numpy as np\n" in source
    (answers / "hw4.py").write_text(source.replace("import numpy as np\n", "", 1))  # np used, never imported
    _readable(tmp_path)
    run = student_kit.check(str(answers))
    assert run.returncode == 1
    line = next(line for line in run.stdout.splitlines() if line.startswith("INVALID  hw4.p1b_fn"))
    assert "NameError" in line and "line " in line, line
