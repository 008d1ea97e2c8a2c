"""Staging a submission: copy its plain files into a private scratch folder before anything runs.

Symlinks are never followed (a link to /autograder/source/reference stays a
link nobody reads), special files are skipped, and sizes and counts are capped.
Student code then runs in the copy, so it can neither change the original nor
see anything but its own files.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignment import AnswerFile
from autograder.sandbox.limits import Identity

IGNORED_DIRECTORIES = {"__MACOSX", ".git", "__pycache__", ".ipynb_checkpoints", ".venv", "node_modules"}
MAX_FILE_MB = 20
MAX_DEPTH = 6


@dataclass
class StagedSubmission:
    root: Path
    workdir: Path
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def locate(self, answer_file: AnswerFile) -> tuple[str, str] | None:
        """(relative path, form) of the first form present: top level first, else a unique match in a subfolder."""
        for form in answer_file.forms:
            if form in self.files:
                return form, form
        for form in answer_file.forms:
            matches = [f for f in self.files if Path(f).name == form]
            if len(matches) == 1:
                return matches[0], form
        return None

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class SubmissionError(Exception):
    """The submission folder itself is unusable (missing, not a folder)."""


def stage(source: Path, *, max_total_mb: int, max_files: int, identity: Identity) -> StagedSubmission:
    source = Path(source)
    if not source.is_dir():
        raise SubmissionError(f"submission folder {source} does not exist or is not a folder")
    root = Path(tempfile.mkdtemp(prefix="ag-"))
    os.chmod(root, 0o711)
    workdir = root / "work"
    workdir.mkdir()
    staged = StagedSubmission(root, workdir)
    budget = max_total_mb * 2**20
    _copy_tree(source, workdir, "", staged, budget, max_files, 0)
    if identity.switches_user:
        _hand_over(workdir, identity)
    return staged


def _copy_tree(source: Path, target: Path, prefix: str, staged: StagedSubmission, budget: int, max_files: int, depth: int) -> int:
    try:
        entries = sorted(os.scandir(source), key=lambda e: e.name)
    except OSError as exc:
        staged.skipped.append(f"{prefix or '.'}: cannot be read ({exc.strerror})")
        return budget
    for entry in entries:
        relative = f"{prefix}{entry.name}"
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            staged.skipped.append(f"{relative}: cannot be read")
            continue
        if stat.S_ISLNK(info.st_mode):
            staged.skipped.append(f"{relative}: symbolic link (not followed)")
        elif stat.S_ISDIR(info.st_mode):
            if entry.name in IGNORED_DIRECTORIES or depth >= MAX_DEPTH:
                continue
            (target / entry.name).mkdir()
            budget = _copy_tree(Path(entry.path), target / entry.name, relative + "/", staged, budget, max_files, depth + 1)
        elif not stat.S_ISREG(info.st_mode):
            staged.skipped.append(f"{relative}: not a regular file")
        elif len(staged.files) >= max_files:
            staged.skipped.append(f"{relative}: more than {max_files} files in the submission")
        elif info.st_size > MAX_FILE_MB * 2**20 or info.st_size > budget:
            staged.skipped.append(f"{relative}: too large ({info.st_size // 2**20} MB)")
        else:
            _copy_file(Path(entry.path), target / entry.name)
            staged.files.append(relative)
            budget -= info.st_size
    return budget


def _copy_file(source: Path, target: Path) -> None:
    """Copy bytes through an fd opened with O_NOFOLLOW, so a file swapped for a link meanwhile is refused."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as reader, open(target, "wb") as writer:
        shutil.copyfileobj(reader, writer)


def _hand_over(workdir: Path, identity: Identity) -> None:
    """Give the copy to the sandbox user: it may write there and nowhere else."""
    for folder, directories, files in os.walk(workdir):
        os.chown(folder, identity.uid, identity.gid)  # type: ignore[arg-type]
        os.chmod(folder, 0o700)
        for name in files:
            path = os.path.join(folder, name)
            os.chown(path, identity.uid, identity.gid)  # type: ignore[arg-type]
            os.chmod(path, 0o600)
