"""The POSIX runner: how every grading starts a child (Gradescope, `autograder grade`, batch runs).

The child gets two private pipes (passed by fd number, never its stdin/stdout, so
nothing the student prints can reach the channel), its own session and process
group, resource limits, and, when the grader is root, an unprivileged uid, a
private /tmp and no network (see `limits`, `mounts`, `network`). Killing it kills
its whole process group and every process that still carries its token.

POSIX only: this module, and the modules it imports (`resource`, `fcntl`), are
imported only when a POSIX child is started (see `session.ChildSession._start`).
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
from pathlib import Path

from autograder.config import SandboxSettings
from autograder.sandbox import mounts, network
from autograder.sandbox.identity import Identity
from autograder.sandbox.limits import child_setup
from autograder.sandbox.process import ChildProcess, OutputDrain, SandboxSetupError, child_command


class PosixChild(ChildProcess):
    kind = "posix"

    def __init__(self, process: subprocess.Popen[bytes], drain: OutputDrain, request_fd: int, reply_fd: int, token_marker: bytes) -> None:
        super().__init__(process, drain)
        self._request = os.fdopen(request_fd, "wb", buffering=0)
        self._reply_fd = reply_fd
        self._marker = token_marker
        self._selector = selectors.DefaultSelector()
        self._selector.register(reply_fd, selectors.EVENT_READ)

    @classmethod
    def start(cls, workdir: Path, scratch: Path, environment: dict[str, str], settings: SandboxSettings, identity: Identity, token_marker: bytes) -> "PosixChild":
        mount_plan = mounts.plan(workdir, scratch) if identity.switches_user else None
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        command = child_command(str(request_read), str(reply_write), str(workdir))
        try:
            process = _spawn(command, request_read, reply_write, workdir, environment, settings, identity, mount_plan)
            gaps = network.isolation_gaps(process.pid, network=True, mount=mount_plan is not None) if identity.switches_user else []
        except BaseException:
            os.close(request_write)
            os.close(reply_read)
            raise
        finally:
            os.close(request_read)
            os.close(reply_write)
        drain = OutputDrain(process.stdout, settings.output_bytes)
        drain.start()
        child = cls(process, drain, request_write, reply_read, token_marker)
        child.isolation_gaps = gaps
        return child

    def send(self, data: bytes) -> None:
        self._request.write(data)

    def read(self, timeout: float) -> bytes | None:
        if not self._selector.select(timeout):
            return None
        return os.read(self._reply_fd, 1 << 20)

    def _terminate(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        kill_strays(self._marker)

    def _close_channel(self) -> None:
        self._selector.close()
        for closer in (self._request.close, lambda: os.close(self._reply_fd)):
            try:
                closer()
            except OSError:
                pass


def _spawn(
    command: list[str],
    request_read: int,
    reply_write: int,
    workdir: Path,
    environment: dict[str, str],
    settings: SandboxSettings,
    identity: Identity,
    mount_plan: mounts.MountPlan | None,
) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(request_read, reply_write),
            cwd=workdir,
            env=environment,
            start_new_session=True,
            preexec_fn=child_setup(settings, identity, mount_plan),  # switches the user too
        )
    except PermissionError as error:
        raise SandboxSetupError(
            f"the sandbox user {identity.name} cannot run {command[0]} ({error.strerror}); "
            "make the virtual environment from a Python that other users can execute (setup.sh does)"
        ) from None
    except subprocess.SubprocessError as error:  # the preexec function failed: the user switch or a limit
        raise SandboxSetupError(f"the sandbox could not prepare a child as {identity.name}: {error}") from None


def kill_strays(marker: bytes) -> None:
    """Kill processes that left the child's process group (setsid, double fork) but carry its token (`marker`)."""
    me = os.getpid()
    try:
        entries = os.listdir("/proc")
    except OSError:  # no /proc (macOS): the process group was all there was to kill
        return
    for entry in entries:
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if marker in handle.read().split(b"\0"):
                    os.kill(int(entry), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue
