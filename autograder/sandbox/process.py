"""A started child process as its session sees it: a request channel, a capped output, and a way to kill it.

Two runners start children (see `runner`): the POSIX one (`posix`: private pipes,
resource limits, a sandbox uid, process groups), which every grading uses, and the
portable one (`portable`: the child's stdin and stdout as the channel, time limits
from the parent), which only the student kit's format check uses where POSIX process
control does not exist (Windows). Both speak the same JSON lines with the same
child module; the session (`session.ChildSession`) holds the protocol and the time
limits, a `ChildProcess` only moves bytes and kills.

Cross-platform: this module imports nothing that Windows lacks.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

#: The child module and the interpreter flags every child starts with (-I: no user site, no PYTHON* variables).
CHILD_MODULE = "autograder.sandbox.child"


class SandboxSetupError(RuntimeError):
    """The machine is not set up so that the sandbox can start: a staff problem, never a verdict."""


#: Isolated mode ignores PYTHONPATH, so the child is told where this process's package is: it runs
#: the same code as the grader, not whatever `autograder` the interpreter's site-packages names.
_BOOT = (
    "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); "
    f"runpy.run_module({CHILD_MODULE!r}, run_name='__main__', alter_sys=True)"
)


def package_root() -> Path:
    """The folder holding the `autograder` package this process runs (the child must see it, and import from it)."""
    return Path(__file__).resolve().parent.parent.parent


def child_command(*arguments: str, utf8: bool = False) -> list[str]:
    """The command line of a child: this interpreter, isolated mode, unbuffered, the child module of this package."""
    flags = ["-X", "utf8"] if utf8 else []
    return [sys.executable, "-I", "-u", *flags, "-c", _BOOT, str(package_root()), *arguments]


class OutputDrain(threading.Thread):
    """Reads the child's stdout/stderr so it can never block, keeping only a capped head."""

    def __init__(self, stream: Any, limit: int) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.limit = limit
        self.head = bytearray()
        self.total = 0

    def run(self) -> None:
        while True:
            try:
                chunk = self.stream.read1(1 << 16) if hasattr(self.stream, "read1") else self.stream.read(1 << 16)
            except (OSError, ValueError):  # closed under us after a kill
                return
            if not chunk:
                return
            self.total += len(chunk)
            room = self.limit - len(self.head)
            if room > 0:
                self.head += chunk[:room]

    def text(self) -> str:
        body = self.head.decode("utf-8", "replace")
        if self.total > len(self.head):
            body += f"\n[... {self.total - len(self.head)} more bytes of output not kept ...]"
        return body


def describe_exit(code: int | None) -> str:
    """Why a child ended, in the student's terms, from its exit status (negative: the POSIX signal that killed it)."""
    if code is None:
        return "the process stopped answering"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        hints = {
            "SIGKILL": " (killed: usually the memory or CPU-time limit)",
            "SIGXCPU": " (CPU-time limit reached)",
            "SIGXFSZ": " (file-size limit reached)",
            "SIGSEGV": " (crashed)",
        }
        return f"the process was killed by {name}{hints.get(name, '')}"
    return f"your code ended the process (exit status {code}: os._exit, sys.exit or a crash in the code?)"


class ChildProcess(ABC):
    """One started child: send a request line, read reply bytes with a timeout, kill it with what it spawned."""

    #: "posix" or "portable" (see `runner`).
    kind: str = ""
    #: How long to wait, once the process has ended, for what it sent before (read by a thread: not yet queued).
    settle_seconds: float = 0.0

    def __init__(self, process: subprocess.Popen[bytes], drain: OutputDrain) -> None:
        self.process = process
        self.drain = drain
        #: Isolation this child should have had and did not get, for the staff's log.
        self.isolation_gaps: list[str] = []

    @abstractmethod
    def send(self, data: bytes) -> None:
        """Write all of `data` to the request channel; OSError when the child is gone."""

    @abstractmethod
    def read(self, timeout: float) -> bytes | None:
        """Reply bytes that arrived within `timeout` seconds: None when none did, b"" at the channel's end."""

    @abstractmethod
    def _terminate(self) -> None:
        """Kill the child and whatever it started that can be found."""

    @abstractmethod
    def _close_channel(self) -> None:
        """Close our ends of the request and reply channel."""

    def kill(self) -> str:
        """Kill the child, wait for it, close the channel; its captured (capped) output."""
        self._terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._close_channel()
        self.drain.join(timeout=2)
        if not self.drain.is_alive():  # a stream is closed only once no thread reads it (a process the child left may hold it open)
            try:
                self.drain.stream.close()
            except OSError:
                pass
        return self.drain.text()

    def output(self) -> str:
        return self.drain.text()
