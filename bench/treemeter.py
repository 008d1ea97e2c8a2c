"""Measure a command's wall time, CPU time and peak resident memory of its whole process tree.

`ru_maxrss` only reports the largest single process, but grading runs a tree (the
engine plus sandbox children), so the tree's RSS is sampled from /proc.

CPU time is what the command's reaped descendants used (RUSAGE_CHILDREN). A process
the command leaves behind when it exits (multiprocessing's fork server, which forks
a batch's workers and reaps them itself) is nobody's child to wait for, so its CPU
is lost; with ``orphans=True`` this process becomes their subreaper (Linux) and waits
for them too, so the figure is the whole tree's.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import ctypes
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    wall_seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    returncode: int


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _tree_rss_kb(root: int) -> int:
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
        stack.extend(_children_of(pid))
    return total


PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> None:
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _reap_orphans(patience: float) -> None:
    """Wait for every descendant reparented to this process (up to ``patience`` seconds)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def measure(
    command: list[str], env: dict[str, str] | None = None, interval: float = 0.02, orphans: bool = False
) -> Measurement:
    if orphans:
        _become_subreaper()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    if orphans:
        _reap_orphans(patience=30.0)
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(wall, cpu, peak / 1024, code)
