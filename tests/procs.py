"""Reading /proc in the tests: which processes live, whose they are, who started them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    uid: int
    state: str  # "R", "S", "Z" (zombie), ...
    command: str

    @property
    def alive(self) -> bool:
        return self.state not in ("Z", "X")


def _read(pid: int) -> Process | None:
    base = Path("/proc") / str(pid)
    try:
        fields = (base / "stat").read_text().rsplit(")", 1)[1].split()
        command = (base / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        uid = base.stat().st_uid
    except (OSError, IndexError):
        return None
    return Process(pid, int(fields[1]), uid, fields[0], command)


def processes() -> Iterator[Process]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _read(int(entry.name))
            if found is not None:
                yield found


def alive(pid: int) -> bool:
    found = _read(pid)
    return found is not None and found.alive


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def processes_of(uid: int, *, zombies: bool = False) -> list[int]:
    """Pids of the uid's processes (living ones, or zombies too)."""
    return [p.pid for p in processes() if p.uid == uid and (zombies or p.alive)]


def descendants(root: int) -> dict[int, str]:
    """Living descendants of a process (even those in sessions of their own), with their command lines."""
    table = [p for p in processes() if p.alive]
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for process in table:
            if process.ppid == parent and process.pid not in found:
                found[process.pid] = process.command
                frontier.append(process.pid)
    return found
