"""Progress of a batch on stderr: one redrawn bar on a terminal, one plain line per submission otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.problems = 0
        self.started = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def start(self, jobs: int, where: str = "") -> None:
        """Say at once what is about to happen: the first submission may take a minute to finish."""
        line = f"grading {self.total} submission{'s' if self.total != 1 else ''}, {jobs} at a time{where}"
        if self.tty:
            self.stream.write(f"\r[{'.' * self.width}] 0/{self.total}  {line}".ljust(110)[:110])
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _eta(self) -> str:
        if not self.done:
            return "?"
        elapsed = time.monotonic() - self.started
        return _clock(elapsed / self.done * (self.total - self.done))

    def advance(self, label: str, outcome: str) -> None:
        """Record one finished submission (`outcome` is e.g. '7.5/10' or 'timeout')."""
        self.done += 1
        if not outcome[:1].isdigit():
            self.problems += 1
        if self.tty:
            filled = int(self.width * self.done / max(1, self.total))
            bar = "#" * filled + "." * (self.width - filled)
            trouble = f", {self.problems} failed" if self.problems else ""
            line = f"\r[{bar}] {self.done}/{self.total}{trouble}  eta {self._eta()}  {label[:30]}: {outcome}"
            self.stream.write(line.ljust(110)[:110])
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {label}: {outcome} (elapsed {_clock(time.monotonic() - self.started)}, eta {self._eta()})\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 110 + "\r")
        self.stream.write(text + "\n")
        self.stream.flush()
