"""Resource limits and the unprivileged identity of a child process."""

from __future__ import annotations

import os
import pwd
import resource
from collections.abc import Callable
from dataclasses import dataclass

from autograder.config import SandboxSettings
from autograder.sandbox import mounts


#: Set by the batch runner (as root) to give each parallel worker its own unprivileged uid.
SLOT_UID_VARIABLE = "AUTOGRADER_SANDBOX_UID"


@dataclass(frozen=True)
class Identity:
    """Who the child runs as: a different user only when the grader is root."""

    uid: int | None
    gid: int | None
    name: str
    #: The uid exists only to run student code (the configured user, a batch slot's uid), so
    #: whatever it still runs or owns after grading may be killed and deleted; `nobody` is not.
    dedicated: bool = False

    @classmethod
    def slot(cls, uid: int) -> "Identity":
        """A batch slot's uid: unused by anyone else, with no passwd entry, dedicated to student code."""
        return cls(uid, uid, f"uid {uid}", dedicated=True)

    @property
    def switches_user(self) -> bool:
        return self.uid is not None


def sandbox_identity(settings: SandboxSettings) -> Identity:
    """The configured sandbox user when we are root (falling back to `nobody`), else ourselves."""
    if os.geteuid() != 0:
        return Identity(None, None, pwd.getpwuid(os.geteuid()).pw_name)
    slot_uid = os.environ.get(SLOT_UID_VARIABLE)
    if slot_uid:
        # Parallel batch workers each get their own uid, so no two students' code share an identity.
        uid = int(slot_uid)
        if uid <= 0:
            raise RuntimeError(f"{SLOT_UID_VARIABLE} must be a positive uid, got {slot_uid}")
        return Identity.slot(uid)
    for name in (settings.user, "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid != 0:
            return Identity(entry.pw_uid, entry.pw_gid, name, dedicated=name == settings.user)
    raise RuntimeError(f"running as root but neither {settings.user!r} nor 'nobody' exists to run student code")


def _count_processes(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def child_setup(settings: SandboxSettings, identity: Identity, mount_plan: mounts.MountPlan | None = None) -> Callable[[], None]:
    """The preexec function of a child: private mounts (still root), then the user switch, then the limits.

    The switch is made here rather than by Popen's `user=`, which switches before preexec
    runs, when it is too late to set up a mount namespace.
    """
    memory = settings.memory_mb * 2**20
    cpu = settings.cpu_seconds
    fsize = settings.file_size_mb * 2**20
    # RLIMIT_NPROC counts every process of the (real) user: when we cannot switch to a
    # dedicated user, leave headroom for what this user already runs.
    base = 0 if identity.switches_user else _count_processes(os.geteuid())
    nproc = base + settings.processes

    uid, gid = identity.uid, identity.gid

    def apply() -> None:
        if mount_plan is not None:
            mounts.enter(mount_plan)  # best effort: False means the shared folders stay shared
        if uid is not None and gid is not None:
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if os.getuid() != 0:  # root ignores RLIMIT_NPROC anyway
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        os.umask(0o077)

    return apply
