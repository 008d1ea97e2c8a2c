"""No network for student code: a network namespace of its own, holding only a loopback.

Why: a submission must neither send the grading's inputs anywhere nor talk to
services on the grading machine (anything listening on its loopback, the
metadata service of a cloud machine). In a fresh network namespace the child has
its own loopback (brought up, so that code using local sockets still works) and
no other interface: the host's 127.0.0.1 is not reachable from it.

Best effort, as the private mounts are (see `mounts`): where unshare(2) is
refused (a container without CAP_SYS_ADMIN), the child keeps the machine's
network and the grading says so in its staff notes (see `isolation_gaps`).

`enter` runs in the forked child before exec, while still root: system calls
only, through modules imported here beforehand.
"""

from __future__ import annotations

import fcntl
import os
import socket
import struct

from autograder.sandbox import mounts

CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
_IFREQ = "16sH22x"  # struct ifreq: the interface's name, then its flags (the rest of the union unused)


def enter() -> bool:
    """In the child, as root: a network namespace of its own with the loopback up; False (and no change) if refused."""
    libc = mounts.libc()
    if libc is None or libc.unshare(CLONE_NEWNET) != 0:
        return False
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as handle:
            request = struct.pack(_IFREQ, b"lo", 0)
            flags = struct.unpack(_IFREQ, fcntl.ioctl(handle, SIOCGIFFLAGS, request))[1]
            fcntl.ioctl(handle, SIOCSIFFLAGS, struct.pack(_IFREQ, b"lo", flags | IFF_UP))
    except OSError:
        pass  # isolated all the same, only without a working loopback
    return True


def _namespace(pid: int | str, kind: str) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/{kind}")
    except OSError:
        return None


def isolation_gaps(pid: int, *, network: bool, mount: bool) -> list[str]:
    """What the just-started child shares with us that it was meant to have of its own, for the staff's log.

    Read from /proc as the parent (the child's namespaces against ours), so the child has no say.
    A child already gone shows nothing.
    """
    gaps = []
    for wanted, kind, meaning in (
        (network, "net", "no network namespace for student code (unshare refused): it can reach the network and this machine's loopback"),
        (mount, "mnt", "no private /tmp for student code (unshare refused): what it leaves there is deleted after grading"),
    ):
        if not wanted:
            continue
        own, child = _namespace("self", kind), _namespace(pid, kind)
        if own is not None and child is not None and own == child:
            gaps.append(meaning)
    return gaps
