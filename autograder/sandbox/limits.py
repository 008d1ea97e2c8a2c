"""Resource limits and the unprivileged identity of a child process."""

from __future__ import annotations

import os
import resource
from collections.abc import Callable
from dataclasses import dataclass

from autograder.config import SandboxSettings
from autograder.sandbox import mounts, network


#: Set by the batch runner (as root) to lend each parallel worker the uid it claimed for the worker's slot (see `pool`).
SLOT_UID_VARIABLE = "AUTOGRADER_SANDBOX_UID"


@dataclass(frozen=True)
class Identity:
    """Who the child runs as: a different user only when the grader is root."""

    uid: int | None
    gid: int | None
    name: str
    #: The uid exists only to run student code (a uid of the sandbox pool), so whatever it still
    #: runs or owns after grading may be killed and deleted; a shared user such as `nobody` is not.
    dedicated: bool = False

    @classmethod
    def slot(cls, uid: int) -> "Identity":
        """A pool uid without an account (see `pool`): unused by anyone else, dedicated to student code."""
        return cls(uid, uid, f"uid {uid}", dedicated=True)

    @property
    def switches_user(self) -> bool:
        return self.uid is not None


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
    """The preexec function of a child: private mounts and network (still root), then the user switch, then the limits.

    The switch is made here rather than by Popen's `user=`, which switches before preexec
    runs, when it is too late to set up namespaces.
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
            network.enter()  # best effort too: the parent sees which namespaces the child got (network.isolation_gaps)
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
