"""Resource limits of a child process, and the switch to its unprivileged identity (POSIX only).

Imported only by the POSIX runner (`posix`) and the uid pool: `resource` does not
exist on Windows, where the student kit's format check uses the portable runner.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable

from autograder.config import SandboxSettings
from autograder.sandbox import mounts, network
from autograder.sandbox.identity import Identity


def _count_processes(uid: int) -> int | None:
    """How many processes the uid runs, or None where there is no /proc to count them in (macOS)."""
    count = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
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
    # Without /proc (macOS) that headroom cannot be known, so there is no process limit there.
    base = 0 if identity.switches_user else _count_processes(os.geteuid())
    nproc = None if base is None else base + settings.processes

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
        if nproc is not None and os.getuid() != 0:  # root ignores RLIMIT_NPROC anyway
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        os.umask(0o077)

    return apply
