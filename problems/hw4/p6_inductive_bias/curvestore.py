"""Where the grader keeps Problem 6's validation curves, and how it reads and writes them safely.

A curve is the validation accuracy after each epoch of one training run (one
setting, one data draw): trusted grader data, computed by the grader's own
code (tables.py), never by student code. It is stored as JSON, one file per
run, named by a digest of its key and holding the key itself, so a file is used
only for exactly the run it describes.

Where: AUTOGRADER_CURVE_CACHE when set ("off" turns the store off); on
Gradescope (the project installed at /autograder/source) a folder inside the
source tree that setup.sh fills when it builds the image; elsewhere the user's
cache folder ($XDG_CACHE_HOME or ~/.cache), shared by every grading on the
machine (autograder grade again, a batch and its workers). On Gradescope each
grading runs in a fresh copy of the image, so what a grading stores dies with
it: there the store is not *lasting*, and a miss trains only what it needs.

Safety: the folder is made 0700 and files 0600, so the sandbox user that runs
student code cannot read or plant curves; a folder that another user owns or
may write is not used. Writes go to a temporary file renamed into place under a
lock, so concurrent batch workers never see half a file or lose each other's
epochs. Any error (unwritable disk, damaged file) only costs a training run:
the store is an optimisation, never a source of failure.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ENVIRONMENT_VARIABLE = "AUTOGRADER_CURVE_CACHE"
OFF = "off"
GRADESCOPE_SOURCE = Path("/autograder/source")
FOLDER = "p6-curves"

#: A key: plain JSON values that identify one run completely (see tables.entry_key).
Key = Mapping[str, Any]


def default_root() -> Path | None:
    """The store's folder for this process, or None when the store is turned off."""
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if override is not None:
        return None if override.strip().lower() in ("", OFF) else Path(override)
    if _on_gradescope():
        return GRADESCOPE_SOURCE / ".cache" / FOLDER
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder: no store, every grading trains
            return None
    return Path(base) / "hw4-autograder" / FOLDER


def default_store() -> CurveStore | None:
    """The store gradings in this process use (None when turned off)."""
    root = default_root()
    if root is None:
        return None
    return CurveStore(root, lasting=ENVIRONMENT_VARIABLE in os.environ or not _on_gradescope())


def _on_gradescope() -> bool:
    from autograder.paths import project_root

    return project_root() == GRADESCOPE_SOURCE


def digest(value: Any) -> str:
    """A stable name for a JSON value."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:40]


class CurveStore:
    """Validation accuracies by epoch, per run, in one private folder.

    ``lasting``: what one grading adds is there for the next (false on Gradescope).
    """

    def __init__(self, root: Path, lasting: bool = True) -> None:
        self.root = root
        self.lasting = lasting

    def path(self, key: Key) -> Path:
        return self.root / f"{digest(key)}.json"

    def read(self, key: Key) -> dict[int, float]:
        """The stored accuracies of the run ``key`` (epoch -> accuracy); empty when none or unusable."""
        if not self._private():
            return {}
        try:
            data = json.loads(self.path(key).read_text())
            if data.get("key") != json.loads(json.dumps(key)):
                return {}
            points = {int(epoch): float(accuracy) for epoch, accuracy in data["accuracy"].items()}
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return {}
        if not all(epoch >= 1 and math.isfinite(value) and 0 <= value <= 1 for epoch, value in points.items()):
            return {}
        return points

    def add(self, key: Key, points: Mapping[int, float]) -> bool:
        """Merge ``points`` into the run's stored accuracies; False when the store could not be written."""
        try:
            self._make_folder()
            with self._locked():
                merged = {**self.read(key), **{int(e): float(a) for e, a in points.items()}}
                record = {"key": key, "accuracy": {str(e): merged[e] for e in sorted(merged)}}
                self._write(self.path(key), json.dumps(record, sort_keys=True))
        except OSError:
            return False
        return True

    def entries(self) -> int:
        """How many runs the folder holds."""
        try:
            return sum(1 for _ in self.root.glob("*.json"))
        except OSError:
            return 0

    def _make_folder(self) -> None:
        created = not self.root.exists()
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        if created:
            os.chmod(self.root, 0o700)
        if not self._private():
            raise PermissionError(f"{self.root} is not a private folder of this user")

    def _private(self) -> bool:
        """The folder is ours and nobody else may write it (so nobody else planted its curves)."""
        try:
            status = self.root.stat()
        except OSError:
            return False
        return (
            stat.S_ISDIR(status.st_mode)
            and status.st_uid == os.geteuid()
            and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        descriptor = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)

    def _write(self, path: Path, text: str) -> None:
        """Whole file or nothing: a temporary file (0600) renamed over the old one."""
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
