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
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignment import AnswerFile
from autograder.sandbox.identity import Identity

IGNORED_DIRECTORIES = {"__MACOSX", ".git", "__pycache__", ".ipynb_checkpoints", ".venv", "node_modules"}
MAX_FILE_MB = 20
MAX_DEPTH = 6
#: Entries looked at in a submission's tree (breadth first, so the top level always is): bounds staging's time.
MAX_ENTRIES = 100_000
#: Tries to remove a staged copy before giving up (see `StagedSubmission.cleanup`).
CLEANUP_ATTEMPTS = 5
#: Ignored files named in the student's output when many are ignored; the rest are counted.
NAMED_IGNORED = 3


@dataclass(frozen=True)
class IgnoredFile:
    """A file of the submission that was not copied, and why (the why is shared by many files, so it is a field)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class StagedSubmission:
    root: Path
    workdir: Path
    files: list[str] = field(default_factory=list)
    skipped: list[IgnoredFile] = field(default_factory=list)

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

    def ignored_line(self) -> str | None:
        """The ignored files as one line for the student: one by name and reason, many by count per reason."""
        if not self.skipped:
            return None
        if len(self.skipped) == 1:
            return f"ignored {self.skipped[0]}"
        counts = Counter(item.reason for item in self.skipped)
        reasons = "; ".join(f"{reason}: {count}" for reason, count in counts.most_common())
        named = ", ".join(item.path for item in self.skipped[:NAMED_IGNORED])
        more = len(self.skipped) - NAMED_IGNORED
        return f"ignored {len(self.skipped)} files ({reasons}): {named}" + (f" and {more} more" if more > 0 else "")

    def cleanup(self) -> None:
        """Remove the copy; retried, since on Windows a just-killed child may hold a file for a moment and
        read-only files refuse deletion (the kit's check must leave nothing in the temp folder)."""
        for attempt in range(CLEANUP_ATTEMPTS):
            shutil.rmtree(self.root, ignore_errors=True)
            if not os.path.lexists(self.root):
                return
            if os.name == "nt":  # clear read-only attributes (on POSIX a chmod here could follow a link the child made)
                for folder, _, files in os.walk(self.root):
                    for name in (os.path.join(folder, f) for f in files):
                        try:
                            os.chmod(name, stat.S_IWRITE | stat.S_IREAD)
                        except OSError:
                            pass
            time.sleep(0.1 * (attempt + 1))


class SubmissionError(Exception):
    """The submission folder itself is unusable (missing, not a folder)."""


@dataclass(frozen=True)
class _Found:
    path: Path
    relative: str
    size: int


def stage(
    source: Path, *, max_total_mb: int, max_files: int, identity: Identity, answer_names: Collection[str] = ()
) -> StagedSubmission:
    """Copy the submission's plain files into a private scratch folder.

    Files named as answer files (`answer_names`, anywhere in the tree) are copied
    first, so no number or size of other files (a data folder, a whole project)
    can push them past the limits; the rest follow in the tree's order until a
    limit is reached. An answer file is bounded only by the whole submission's size.
    """
    source = Path(source)
    if not source.is_dir():
        raise SubmissionError(f"submission folder {source} does not exist or is not a folder")
    root = Path(tempfile.mkdtemp(prefix="ag-"))
    os.chmod(root, 0o711)
    workdir = root / "work"
    workdir.mkdir()
    staged = StagedSubmission(root, workdir)
    found = _walk(source, staged)
    names = set(answer_names)
    answers = [f for f in found if Path(f.relative).name in names]
    others = [f for f in found if Path(f.relative).name not in names]
    budget = max_total_mb * 2**20
    too_large = f"too large (the limits are {MAX_FILE_MB} MB a file, {max_total_mb} MB in all)"
    for item, is_answer in [(f, True) for f in answers] + [(f, False) for f in others]:
        cap = budget if is_answer else min(budget, MAX_FILE_MB * 2**20)
        if len(staged.files) >= max_files:
            staged.skipped.append(IgnoredFile(item.relative, f"beyond the limit of {max_files} files"))
        elif item.size > cap:
            staged.skipped.append(IgnoredFile(item.relative, too_large))
        else:
            target = workdir / item.relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                _copy_file(item.path, target)
            except OSError:  # replaced by a link or made unreadable since it was listed
                target.unlink(missing_ok=True)
                staged.skipped.append(IgnoredFile(item.relative, "cannot be read"))
                continue
            staged.files.append(item.relative)
            budget -= item.size
    if identity.switches_user:
        _hand_over(workdir, identity)
    return staged


def _walk(source: Path, staged: StagedSubmission) -> list[_Found]:
    """The plain files of the tree, breadth first (top level first), without following links; the rest is noted."""
    found: list[_Found] = []
    seen = 0
    level: list[tuple[Path, str]] = [(source, "")]
    for depth in range(MAX_DEPTH + 1):
        next_level: list[tuple[Path, str]] = []
        for folder, prefix in level:
            if seen >= MAX_ENTRIES:
                staged.skipped.append(IgnoredFile(prefix or ".", f"not looked at (the submission has more than {MAX_ENTRIES} entries)"))
                continue
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                staged.skipped.append(IgnoredFile(prefix or ".", f"cannot be read ({exc.strerror})"))
                continue
            seen += len(entries)
            for entry in entries:
                relative = f"{prefix}{entry.name}"
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    staged.skipped.append(IgnoredFile(relative, "cannot be read"))
                    continue
                if stat.S_ISLNK(info.st_mode):
                    staged.skipped.append(IgnoredFile(relative, "symbolic link (not followed)"))
                elif stat.S_ISDIR(info.st_mode):
                    if entry.name not in IGNORED_DIRECTORIES and depth < MAX_DEPTH:
                        next_level.append((Path(entry.path), relative + "/"))
                elif not stat.S_ISREG(info.st_mode):
                    staged.skipped.append(IgnoredFile(relative, "not a regular file"))
                else:
                    found.append(_Found(Path(entry.path), relative, info.st_size))
        level = next_level
    return found


def _copy_file(source: Path, target: Path) -> None:
    """Copy bytes through an fd opened with O_NOFOLLOW, so a file swapped for a link meanwhile is refused.

    Windows has no O_NOFOLLOW (only the kit's format check stages there, the student's own files)
    and needs O_BINARY, or the C library would translate line ends.
    """
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
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
