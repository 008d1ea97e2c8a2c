"""Finding the submissions of a batch: a folder of folders, or a Gradescope export (folder or zip).

Gradescope's "Export Submissions" gives a zip whose root folder holds one folder
per submission (`submission_123456/`, the files the student uploaded) and a
`submission_metadata.yml` mapping each folder name to its `:submitters:` (each
with `:name:`, `:sid:`, `:email:`), `:created_at:` and `:score:`. A plain folder
of submission folders works too; its submissions just have no student identifiers.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.errors import CommandError
from autograder.staff import gsyaml
from autograder.staff.archive import unpack_zip

METADATA_NAME = "submission_metadata.yml"
IGNORED = {"__MACOSX", ".git", "__pycache__", ".ipynb_checkpoints"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Submitter:
    name: str = ""
    sid: str = ""
    email: str = ""


@dataclass(frozen=True)
class SubmissionEntry:
    """One submission of a batch: its folder, a file-safe key, and who submitted it (when known)."""

    key: str
    folder: Path
    submitters: tuple[Submitter, ...] = ()
    created_at: str = ""
    gradescope_score: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "folder": str(self.folder),
            "submitters": [s.__dict__ for s in self.submitters],
            "created_at": self.created_at,
            "gradescope_score": self.gradescope_score,
        }


@dataclass
class Discovery:
    root: Path
    entries: list[SubmissionEntry]
    gradescope_export: bool
    notes: list[str] = field(default_factory=list)


def safe_key(name: str) -> str:
    """A submission folder name as a file name we can write (results/<key>.json)."""
    key = _UNSAFE.sub("_", name).strip("._") or "submission"
    if key != name:
        key += "-" + hashlib.sha1(name.encode()).hexdigest()[:6]
    return key


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _submitters(record: Any) -> tuple[Submitter, ...]:
    people = record.get(":submitters") if isinstance(record, dict) else None
    if not isinstance(people, list):
        return ()
    found = []
    for person in people:
        if isinstance(person, dict):
            found.append(Submitter(_text(person.get(":name")), _text(person.get(":sid")), _text(person.get(":email"))))
    return tuple(found)


def read_metadata(path: Path) -> dict[str, dict[str, Any]]:
    """The export's metadata as {folder name: record}; a clear error when it cannot be read."""
    try:
        data = gsyaml.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None
    except gsyaml.YamlError as error:
        raise CommandError(f"{path} is not in Gradescope's metadata format: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CommandError(f"{path} should map submission folder names to their metadata")
    return {str(k): v if isinstance(v, dict) else {} for k, v in data.items()}


def _unpack_export(archive: Path, workspace: Path) -> Path:
    """Unpack a zipped export once into the run's folder (reused when the same zip is given again)."""
    target = workspace / "export"
    stamp = f"{archive.resolve()}:{archive.stat().st_size}:{archive.stat().st_mtime_ns}"
    marker = target / ".unpacked-from"
    if marker.exists() and marker.read_text() == stamp:
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    skipped = unpack_zip(archive, target)
    (target / ".skipped.json").write_text(json.dumps(skipped, indent=1))
    marker.write_text(stamp)
    return target


def _export_root(folder: Path) -> Path | None:
    """The folder that holds submission_metadata.yml: the given one or its single subfolder (zip root)."""
    if (folder / METADATA_NAME).is_file():
        return folder
    candidates = [p.parent for p in folder.glob(f"*/{METADATA_NAME}") if p.parent.name not in IGNORED]
    if len(candidates) > 1:
        raise CommandError(f"{folder} holds several Gradescope exports ({', '.join(c.name for c in candidates)}); give one")
    return candidates[0] if candidates else None


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and p.name not in IGNORED and not p.name.startswith("."))


#: Stray entries named in the note; the rest are counted.
STRAY_SHOWN = 10


def _stray_note(root: Path, workspace: Path) -> list[str]:
    """One note naming what lies at the top of the submissions folder and is not a submission (a TA should know)."""
    known = {METADATA_NAME, *IGNORED, ".unpacked-from", ".skipped.json"}  # the last two: our marks in an unpacked zip
    stray = sorted(
        p.name + ("/ (symbolic link, not followed)" if p.is_symlink() else "")
        for p in root.iterdir()
        if p.name not in known and (p.is_symlink() or not p.is_dir()) and p.resolve() != workspace.resolve()
    )
    if not stray:
        return []
    shown = ", ".join(stray[:STRAY_SHOWN]) + (f" and {len(stray) - STRAY_SHOWN} more" if len(stray) > STRAY_SHOWN else "")
    return [f"ignored {len(stray)} entr{'y' if len(stray) == 1 else 'ies'} at the top of {root} that {'is not a submission folder' if len(stray) == 1 else 'are not submission folders'}: {shown}"]


def discover(source: Path, workspace: Path) -> Discovery:
    """The submissions under `source` (folder or zip), unpacking a zip into `workspace/export`."""
    source = Path(source)
    if not source.exists():
        raise CommandError(f"{source} does not exist; give a folder of submission folders or a Gradescope export (folder or zip)")
    if source.is_file():
        if source.suffix.lower() != ".zip":
            raise CommandError(f"{source} is a file but not a zip; give a folder of submissions or a Gradescope export zip")
        source = _unpack_export(source, workspace)
    root = _export_root(source)
    if root is not None:
        found = _from_export(root)
        found.notes[:0] = _stray_note(root, workspace)
        return found
    folders = [f for f in _folders(source) if f.resolve() != Path(workspace).resolve()]
    if not folders:
        raise CommandError(
            f"{source} holds no submission folders. Give a folder with one folder per submission "
            "(to grade a single submission, use `autograder grade FOLDER`)."
        )
    return Discovery(source, [SubmissionEntry(safe_key(f.name), f) for f in folders], False, _stray_note(source, workspace))


def _from_export(root: Path) -> Discovery:
    metadata = read_metadata(root / METADATA_NAME)
    present = {f.name: f for f in _folders(root)}
    entries: list[SubmissionEntry] = []
    notes: list[str] = []
    for name, record in metadata.items():
        folder = present.pop(name, None)
        if folder is None:
            notes.append(f"{name} is listed in {METADATA_NAME} but has no folder; skipped")
            continue
        score = record.get(":score")
        entries.append(
            SubmissionEntry(
                key=safe_key(name),
                folder=folder,
                submitters=_submitters(record),
                created_at=_text(record.get(":created_at")),
                gradescope_score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
            )
        )
    for name, folder in sorted(present.items()):
        notes.append(f"{name} has no entry in {METADATA_NAME}; graded without student identifiers")
        entries.append(SubmissionEntry(safe_key(name), folder))
    return Discovery(root, sorted(entries, key=lambda e: e.key), True, notes)
