"""The portable runner: a plain child process, for the student kit's format check where POSIX is missing (Windows).

Why it exists: the kit's check runs the student's own code on the student's own
laptop, and the kit carries no reference answer, so there is nothing for a sandbox
to protect there; but Windows has none of what the POSIX runner needs (fork,
`pass_fds`, setuid, rlimits, process groups). So the child is started with
`subprocess` and `sys.executable`, the same child module and the same JSON lines,
with its stdin and stdout as the channel (the child moves what the student prints
to stderr, see `child.main`). The session's time limits still apply: a child that
does not answer in time is killed from here. Output stays capped. There is no
memory, CPU-time, file-size or process-count limit, no other user and no private
/tmp or network: `runner.PORTABLE_NOTE` says so in the check's output.

Never used for grading: `runner.for_grading` refuses any platform without POSIX
process control, and gradings always start children with the POSIX runner.

Cross-platform by construction: standard library only, nothing POSIX-only
(no fork, no fd passing, no process groups, no signals but Popen.kill).
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

from autograder.config import SandboxSettings
from autograder.sandbox.process import ChildProcess, OutputDrain, SandboxSetupError, child_command

WINDOWS = os.name == "nt"
#: Variables a Windows process needs to start at all (SYSTEMROOT: sockets, random) or to find its tools.
WINDOWS_ESSENTIALS = ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "PATH")
#: Chunks of the reply channel held between reads; a child that floods it then waits on the pipe, as on POSIX.
QUEUED_CHUNKS = 16


def environment(base: dict[str, str], scratch: Path, workdir: Path) -> dict[str, str]:
    """The child's environment: the session's, plus what the platform needs, with every temp folder in `scratch`.

    HOME and USERPROFILE point at the staged copy, so caches (matplotlib, torch) land
    there and are removed with it: nothing is left in the student's temp folder or home.
    """
    env = {key: value for key, value in base.items() if key.upper() != "PATH"}  # the POSIX PATH means nothing here
    for key, value in os.environ.items():
        if key.upper() in WINDOWS_ESSENTIALS:
            env[key] = value
    if not any(key.upper() == "PATH" for key in env):
        env["PATH"] = os.defpath
    for key in ("TMPDIR", "TEMP", "TMP"):
        env[key] = str(scratch)
    env["HOME"] = env["USERPROFILE"] = str(workdir)
    env["MPLCONFIGDIR"] = str(scratch)
    return env


class _ChannelReader(threading.Thread):
    """Reads the reply channel (the child's stdout) into a bounded queue; b"" marks its end.

    A thread, not a selector: on Windows `select` works on sockets only, never on pipes.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.chunks: queue.Queue[bytes] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                chunk = self.stream.read(1 << 16)
            except (OSError, ValueError):
                chunk = b""
            chunk = chunk or b""
            while not self.stopped.is_set():
                try:
                    self.chunks.put(chunk, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if not chunk or self.stopped.is_set():
                return


class PortableChild(ChildProcess):
    kind = "portable"
    settle_seconds = 1.0

    def __init__(self, process: subprocess.Popen[bytes], drain: OutputDrain) -> None:
        super().__init__(process, drain)
        self._reader = _ChannelReader(process.stdout)
        self._reader.start()
        self._ended = False

    @classmethod
    def start(cls, workdir: Path, environment: dict[str, str], settings: SandboxSettings) -> "PortableChild":
        command = child_command("--stdio", str(workdir), utf8=True)  # UTF-8 output whatever the Windows code page
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                bufsize=0,
                cwd=workdir,
                env=environment,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console window flashing on Windows
            )
        except OSError as error:
            raise SandboxSetupError(f"could not start {command[0]} to run your files: {error}") from None
        drain = OutputDrain(process.stderr, settings.output_bytes)
        drain.start()
        return cls(process, drain)

    def send(self, data: bytes) -> None:
        stream = self.process.stdin
        if stream is None:
            raise OSError("the request channel is closed")
        view = memoryview(data)
        while view:
            written = stream.write(view)
            if not written:
                raise OSError("the request channel is closed")
            view = view[written:]

    def read(self, timeout: float) -> bytes | None:
        if self._ended:
            return b""
        try:
            chunk = self._reader.chunks.get(timeout=timeout)
        except queue.Empty:
            return None
        self._ended = not chunk
        return chunk

    def _terminate(self) -> None:
        if WINDOWS and self.process.poll() is None:  # Popen.kill ends only the child: taskkill /T also ends what it started
            try:
                subprocess.run(
                    ["taskkill", "/F", "/T", "/PID", str(self.process.pid)],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    timeout=10, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
                )
            except (OSError, subprocess.SubprocessError):
                pass
        try:
            self.process.kill()
        except OSError:
            pass

    def _close_channel(self) -> None:
        self._reader.stopped.set()
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass
        self._reader.join(timeout=2)
        if not self._reader.is_alive() and self.process.stdout is not None:  # only once no thread reads it
            self.process.stdout.close()
