"""Zip files in and out: reproducible writing and careful unpacking.

Written zips are byte-for-byte reproducible (sorted entries, fixed timestamps,
permissions taken from the file's executable bit) so two builds of the same tree
can be compared. Unpacking refuses absolute paths, `..`, links and archives that
would grow past a size limit: an export downloaded from the web is input, not code.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from autograder.errors import CommandError

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
MAX_UNPACKED_BYTES = 8 * 2**30
MAX_ENTRIES = 200_000


def write_zip(target: Path, files: dict[str, Path | bytes], executable: set[str] = frozenset()) -> None:
    """Write `files` (archive name -> source file or content) to `target`, atomically and reproducibly."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            source = files[name]
            data = source if isinstance(source, bytes) else Path(source).read_bytes()
            is_exec = name in executable or (not isinstance(source, bytes) and os.access(source, os.X_OK))
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so that the mode below is honoured by unzip
            info.external_attr = ((0o100755 if is_exec else 0o100644) & 0xFFFF) << 16
            archive.writestr(info, data)
    os.replace(partial, target)


def _safe_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def unpack_zip(source: Path, target: Path) -> list[str]:
    """Unpack a zip into `target`, keeping executable bits; returns the names skipped and why."""
    skipped: list[str] = []
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise CommandError(f"{source} is not a readable zip file ({error})") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise CommandError(f"{source} has {len(entries)} entries; refusing more than {MAX_ENTRIES}")
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNPACKED_BYTES:
            raise CommandError(f"{source} would unpack to {total / 2**30:.1f} GiB; refusing more than {MAX_UNPACKED_BYTES / 2**30:.0f} GiB")
        for entry in entries:
            relative = _safe_name(entry.filename)
            mode = entry.external_attr >> 16
            if relative is None:
                skipped.append(f"{entry.filename}: unsafe path")
                continue
            if stat.S_ISLNK(mode):
                skipped.append(f"{entry.filename}: symbolic link")
                continue
            destination = target.joinpath(*relative.parts)
            if entry.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry) as reader, open(destination, "wb") as writer:
                shutil.copyfileobj(reader, writer)
            os.chmod(destination, 0o755 if mode & 0o111 else 0o644)
    return skipped
