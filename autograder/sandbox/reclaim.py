"""Taking a sandbox uid back after grading: kill everything it still runs, delete what it left in shared folders.

Why: killing the child's process group and the processes that carry its token
misses one that setsid()s, forks again and execs with an empty environment; and
files written to /tmp outlive the child. When the grader is root and the uid is
dedicated to student code (see `Identity.dedicated`), everything that uid runs
or owns in the world-writable folders is student leftovers.

A uid serves one grading at a time: the grading holds an exclusive claim on it
(a `flock` on the uid's lock file, in a folder only root can reach; see
`autograder.sandbox.pool` for which uids). So one student's kill(-1) or read of
/proc/<pid>/cwd reaches nothing of another student's, and the holder may sweep
the uid whenever it likes. The claim is swept when taken too: a grading that was
killed outright (SIGKILL, a batch worker past its deadline) may have left
processes behind, and they die before the uid runs anyone else's code.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import stat
import subprocess
import sys
import time

from autograder.sandbox import mounts
from autograder.sandbox.identity import Identity

LOCK_FOLDER = "/run/autograder-sandbox"
#: Where a process without privileges can leave files (the mount namespace covers the first three when it is available).
SHARED_FOLDERS = (*mounts.PRIVATE_FOLDERS, "/run/lock")
MAX_DEPTH = 4
PR_SET_CHILD_SUBREAPER = 36

#: Run as the uid itself: kill(-1) signals every process of the uid in one atomic sweep, so even
#: a fork loop cannot outrun it. Zombies count as gone (they hold nothing and cannot be killed).
_KILL_EVERYTHING = r"""
import os, signal, time
me = os.getpid()
def alive():
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            try:
                with open(f"/proc/{entry}/status") as handle:
                    fields = dict(line.split(":", 1) for line in handle if ":" in line)
            except (OSError, ValueError):
                continue
            if fields.get("Uid", "").split()[:1] == [str(os.getuid())] and not fields.get("State", "").strip().startswith(("Z", "X")):
                return True
    return False
for _ in range(500):
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        raise SystemExit(0)
    if not alive():
        raise SystemExit(0)
    time.sleep(0.01)
raise SystemExit(1)
"""


def applies_to(identity: Identity) -> bool:
    """Only as root, only for a dedicated uid, never for ourselves or root."""
    return (
        os.geteuid() == 0
        and identity.dedicated
        and identity.uid is not None
        and identity.uid not in (0, os.getuid(), os.geteuid())
    )


def _lock_path(uid: int) -> str | None:
    """The uid's lock file in a root-only folder, or None where that folder cannot be trusted."""
    try:
        os.mkdir(LOCK_FOLDER, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    info = os.lstat(LOCK_FOLDER)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
        return None
    return f"{LOCK_FOLDER}/uid-{uid}.lock"


def locks_usable() -> bool:
    """Whether claims can be taken here: the lock folder exists (or can be made) and only root can reach it."""
    return _lock_path(0) is not None


class UidClaim:
    """A uid held for one grading (or lent to it by whoever holds it, as a batch scheduler lends a slot's uid)."""

    def __init__(self, identity: Identity, fd: int | None) -> None:
        self.identity = identity
        self._fd = fd  # the lock file whose exclusive flock is the claim; None when lent or not needed
        self._held = True

    def sweep(self) -> bool:
        """Kill whatever the uid still runs and delete what it left in the shared folders; True if it was swept.

        Only while the uid is held (never after `release`, when another grading may have it),
        so nothing of anyone else's can die.
        """
        if not self._held or not applies_to(self.identity):
            return False
        uid = self.identity.uid
        assert uid is not None
        kill_everything(self.identity)
        reap_zombies(uid)
        remove_leftovers(uid)
        return True

    def release(self) -> None:
        self._held = False
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the flock
            self._fd = None


def _open_lock(uid: int) -> int | None:
    path = _lock_path(uid)
    if path is None:
        return None
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return None


def adopt_orphans() -> None:
    """Become the reaper of our orphaned descendants (Linux "child subreaper").

    An escaped process is an orphan; where init does not reap (many containers), once killed
    it would stay a zombie that still counts against the uid's process limit, for the next
    submission graded under that uid too. Adopted, it is reaped here by the sweep.
    """
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def try_claim(identity: Identity) -> UidClaim | None:
    """The uid for us alone, swept of what an earlier holder left; None if someone holds it (or it cannot be locked)."""
    if not applies_to(identity):
        return None
    fd = _open_lock(identity.uid)  # type: ignore[arg-type]
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    adopt_orphans()
    held = UidClaim(identity, fd)
    held.sweep()
    return held


def kill_everything(identity: Identity) -> None:
    """Kill every process of the uid: from a helper running as that uid, else by scanning /proc as root."""
    try:
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", _KILL_EVERYTHING],
            user=identity.uid,
            group=identity.gid,
            extra_groups=[],
            env={},
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=True,
        )
        return
    except (OSError, subprocess.SubprocessError):
        pass
    for _ in range(50):
        if not _kill_by_scan(identity.uid):  # type: ignore[arg-type]
            return
        time.sleep(0.02)


def _kill_by_scan(uid: int) -> bool:
    """One pass over /proc; True if some process of the uid was signalled."""
    found = False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    state = handle.read().rsplit(b")", 1)[-1].split()[:1]
                if state in ([b"Z"], [b"X"]):
                    continue
                os.kill(int(entry), 9)
                found = True
        except (OSError, ProcessLookupError):
            continue
    return found


def reap_zombies(uid: int) -> None:
    """Reap the dead processes of the uid that are our children (adopted orphans)."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[-1].split()
            if fields[:1] == [b"Z"] and int(fields[1]) == me:
                os.waitpid(int(entry), os.WNOHANG)
        except (OSError, ValueError, IndexError, ChildProcessError):
            continue


def remove_leftovers(uid: int) -> list[str]:
    """Delete what the uid owns in the world-writable folders (and in world-writable folders inside them)."""
    removed: list[str] = []
    seen: set[str] = set()
    for folder in SHARED_FOLDERS:
        real = os.path.realpath(folder)
        if real not in seen:
            seen.add(real)
            _sweep_folder(real, uid, removed, 0)
    return removed


def _sweep_folder(folder: str, uid: int, removed: list[str], depth: int) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if info.st_uid == uid:
            try:
                if stat.S_ISDIR(info.st_mode):
                    shutil.rmtree(entry.path)  # never follows links (fd-based on Linux)
                else:
                    os.unlink(entry.path)
                removed.append(entry.path)
            except OSError:
                continue
        elif stat.S_ISDIR(info.st_mode) and info.st_mode & 0o002 and depth < MAX_DEPTH:
            _sweep_folder(entry.path, uid, removed, depth + 1)
