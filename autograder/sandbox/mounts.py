"""A private mount namespace for the child: its own /tmp, /var/tmp and /dev/shm, backed by its scratch folder.

Why: the file-size limit caps each file, not where files go. A child running as
the sandbox user could otherwise leave files in the shared world-writable
folders, where they outlive grading and where the next submission graded under
the same uid could read them. Under root the child gets a mount namespace in
which those folders are bind mounts of its own scratch folder, removed with the
staged submission.

Best effort: where unshare(2) is refused (a Docker container without
CAP_SYS_ADMIN, as Gradescope's probably are), the child runs in the shared
namespace, and `reclaim` deletes what the sandbox uid left there after grading.

The plan is made in the trusted parent (it creates the mount points); `enter`
runs in the forked child before exec, while still root, so it uses only system
calls and no imports.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.sandbox.process import package_root

#: The world-writable folders every program assumes it may write to.
PRIVATE_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")

CLONE_NEWNS = 0x00020000
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 2


@dataclass(frozen=True)
class MountPlan:
    """Bind mounts to make, in order: (source path, target path as seen once earlier mounts are in place)."""

    binds: tuple[tuple[str, str], ...]


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def libc() -> ctypes.CDLL | None:
    """The C library (loaded once, in the parent), for the system calls the child makes before exec."""
    return _LIBC


def interpreter_paths() -> list[Path]:
    """What the child needs to start: this interpreter's environment and the folders it imports from.

    The grader itself may live under /tmp (the Gradescope zip's proof unpacks it there, the
    student kit makes its small virtual environment there); hiding /tmp would hide them too.
    """
    candidates = [sys.prefix, os.path.dirname(os.path.realpath(sys.executable)), str(package_root()), *sys.path]
    return [Path(os.path.realpath(p)) for p in candidates if p and os.path.isdir(p)]


def plan(workdir: Path, scratch: Path, keep: list[Path] | None = None) -> MountPlan | None:
    """Binds that give the child `scratch` as each private folder while keeping `workdir` (and `keep`) at their paths.

    When the workdir lies under one of those folders (it usually is under /tmp), mounting the
    scratch there would hide it; so the workdir is bound back at its path inside the scratch,
    on a mount point made here (root-owned, traversable) under the scratch. The same is done
    for each folder in `keep` (default: `interpreter_paths()`) that lies under one of them.
    """
    if _LIBC is None or os.geteuid() != 0:
        return None
    # The workdir's own path is ours (its parent is root's); the scratch inside it is the student's
    # to change, so it is never resolved: a link there must not steer where root creates folders.
    scratch = workdir.resolve() / scratch.relative_to(workdir)
    workdir = workdir.resolve()
    targets = []
    for folder in PRIVATE_FOLDERS:
        real = os.path.realpath(folder)
        if os.path.isdir(real) and real not in targets and real != "/":
            targets.append(real)
    wanted = interpreter_paths() if keep is None else keep
    # A folder that is (or holds) a private one cannot be kept whole: keeping /tmp would show the
    # child everyone's /tmp, and, taken for the outer folder, it would hide the workdir instead
    # (a script run from /tmp puts /tmp on sys.path). Only folders strictly inside are kept.
    kept = _outermost([workdir, *(path for path in wanted if not any(Path(t).is_relative_to(path) for t in targets))])
    covering = [t for t in targets if any(k.is_relative_to(t) for k in kept)]
    binds = [(str(scratch), t) for t in targets if t not in covering]
    for target in covering:  # a folder holding kept paths goes last, then each kept path is bound back
        binds.append((str(scratch), target))
        for path in kept:
            if path.is_relative_to(target) and path != Path(target):
                relative = path.relative_to(target)
                _make_mount_point(scratch, relative)
                binds.append((str(path), f"{target}/{relative}"))
    return MountPlan(tuple(binds))


def _outermost(paths: list[Path]) -> list[Path]:
    """The paths without those inside another one (binding the outer folder brings the inner along)."""
    unique = sorted(set(paths), key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in unique:
        if not any(path.is_relative_to(other) for other in kept):
            kept.append(path)
    return kept


def _make_mount_point(scratch: Path, relative: Path) -> None:
    """Folders scratch/<relative>, owned by root and traversable (0711) whatever the umask.

    The scratch belongs to the sandbox user, who may have put links there: every step is
    opened without following links, and whatever is not a plain folder is replaced.
    """
    fd = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in relative.parts:
            try:
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:
                try:
                    os.unlink(part, dir_fd=fd)
                except FileNotFoundError:
                    pass
                os.mkdir(part, 0o711, dir_fd=fd)
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = child
            os.fchown(fd, 0, 0)
            os.fchmod(fd, 0o711)
    finally:
        os.close(fd)


def _open_path(path: str) -> int:
    """An O_PATH fd of a folder, reached one component at a time without following any link."""
    fd = os.open("/", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in [p for p in path.split("/") if p]:
            child = os.open(part, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = child
    except OSError:
        os.close(fd)
        raise
    return fd


def _check(result: int) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def enter(mount_plan: MountPlan) -> bool:
    """In the child, as root: unshare the mount namespace and make the binds; False (and no change) if refused."""
    libc = _LIBC
    if libc is None:
        return False
    try:
        _check(libc.unshare(CLONE_NEWNS))
        _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None))  # nothing we mount leaks out
    except OSError:
        return False
    # Sources are opened before any mount, so that each names the real folder, not one a mount now hides.
    try:
        sources = [_open_path(source) for source, _ in mount_plan.binds]
    except OSError:
        return False
    mounted: list[bytes] = []
    try:
        for fd, (_, target) in zip(sources, mount_plan.binds):
            # Targets are resolved now, through the earlier mounts, and never through a link.
            target_fd = _open_path(target)
            try:
                _check(libc.mount(f"/proc/self/fd/{fd}".encode(), f"/proc/self/fd/{target_fd}".encode(), None, MS_BIND, None))
            finally:
                os.close(target_fd)
            mounted.append(target.encode())
    except OSError:
        for path in reversed(mounted):  # half a plan would hide the workdir: back to the shared view
            libc.umount2(path, MNT_DETACH)
        return False
    finally:
        for fd in sources:
            os.close(fd)
    return True
