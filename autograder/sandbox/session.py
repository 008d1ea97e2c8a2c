"""The trusted side of one child process: start it, ask it for values and calls, survive its death.

A `ChildSession` owns at most one live child for one answer file. Every request
has a wall-clock limit; a child that overruns, crashes, exits or floods is
killed with its whole process group, and the next request starts a fresh one
(which loads the file again, skipping notebook cells that killed the last one).
So one bad call costs only the part that made it.

How the child is started and killed is the runner's (see `runner`): POSIX for
every grading (`posix`), portable only for the kit's format check on Windows
(`portable`). The protocol and the time limits are here, the same for both.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.config import SandboxSettings
from autograder.sandbox import portable, wire
from autograder.sandbox.identity import Identity
from autograder.sandbox.process import ChildProcess, describe_exit
from autograder.sandbox.runner import Kind


MAX_MESSAGE = 96 * 2**20
POLL_SECONDS = 0.25  # how often a silent child is checked for having died
TOKEN_VARIABLE = "AUTOGRADER_SANDBOX_TOKEN"


class ChildFailure(Exception):
    """A request did not get an answer: the child timed out, died or spoke nonsense."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind  # "timeout" | "died" | "protocol"


@dataclass
class CellError:
    index: int
    headline: str
    error: str


@dataclass
class LoadReport:
    """What loading the answer file did: fine, failed as a whole, or failed in some cells."""

    ok: bool
    error: str | None = None
    cell_errors: list[CellError] = field(default_factory=list)
    partial: bool = False  # names defined before the failure are still usable

    def describe(self) -> str:
        if self.ok:
            return "loaded"
        lines = [self.error] if self.error else []
        lines += [f"cell {c.index} ({c.headline}): {c.error}" for c in self.cell_errors]
        return "; ".join(lines)


class ChildSession:
    def __init__(
        self,
        workdir: Path,
        answer_file: str,
        mode: str,
        settings: SandboxSettings,
        identity: Identity,
        deadline: float | None = None,
        runner: Kind = "posix",
    ) -> None:
        self.workdir = workdir
        self.answer_file = answer_file
        self.mode = mode  # "module" | "notebook" | "cells"
        self.settings = settings
        self.identity = identity
        self.deadline = deadline
        #: How children are started: "posix" for every grading, "portable" only for the kit's check (see `runner`).
        self.runner = runner
        self._child: ChildProcess | None = None
        self.load_report: LoadReport | None = None
        self.skip_cells: set[int] = set()
        self.cell_errors: dict[int, CellError] = {}
        self.outputs: list[str] = []
        #: What killed a loaded child ("during a call of p1b_fn: the process exited with status 3 ..."), for feedback.
        self.incidents: list[str] = []
        self.restarts = 0  # children started again after an incident
        #: Isolation the children should have had and did not get (no network namespace, ...), for the staff's log.
        self.isolation_gaps: list[str] = []
        self._restart_due = False
        self._buffer = b""
        self._token = secrets.token_hex(8)
        self._values: dict[str, Any] | None = None

    # ------------------------------------------------------------------ lifecycle
    def _environment(self) -> dict[str, str]:
        home = str(self.workdir)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "TMPDIR": str(self.workdir / ".tmp"),
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            TOKEN_VARIABLE: self._token,
        }
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # machine quirks, not secrets
            if key in os.environ:
                env[key] = os.environ[key]
        return env

    def _scratch(self) -> Path:
        """The child's TMPDIR (and, where it can be had, its private /tmp), made afresh if the last child broke it.

        An earlier child may have replaced it with a link (to the reference, say): nothing here follows links,
        so root never changes the owner of anything but this folder.
        """
        scratch = self.workdir / ".tmp"
        try:
            info = scratch.lstat()
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISDIR(info.st_mode):
            scratch.unlink()
        scratch.mkdir(mode=0o700, exist_ok=True)
        if self.identity.switches_user:
            os.chown(scratch, self.identity.uid, self.identity.gid, follow_symlinks=False)  # type: ignore[arg-type]
        return scratch

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The live child's process, or None between children."""
        return self._child.process if self._child is not None else None

    def _start(self) -> None:
        scratch = self._scratch()
        if self.runner == "portable":
            environment = portable.environment(self._environment(), scratch, self.workdir)
            child: ChildProcess = portable.PortableChild.start(self.workdir, environment, self.settings)
        else:
            from autograder.sandbox import posix  # POSIX only: resource, fcntl (never imported by the kit on Windows)

            marker = f"{TOKEN_VARIABLE}={self._token}".encode()
            child = posix.PosixChild.start(self.workdir, scratch, self._environment(), self.settings, self.identity, marker)
        self.isolation_gaps += [gap for gap in child.isolation_gaps if gap not in self.isolation_gaps]
        self._child = child
        self._buffer = b""

    def _kill(self) -> None:
        """Kill the child's process group and any stray process that still carries our token."""
        child = self._child
        if child is None:
            return
        self._child = None
        text = child.kill()
        if text.strip():
            self.outputs.append(text)

    def close(self) -> None:
        if self.process is not None:
            try:
                self._send({"op": "bye"})
                self.process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()  # what escaped the process group dies when the grading ends (reclaim.grading_under)

    @property
    def output(self) -> str:
        pieces = list(self.outputs)
        if self._child is not None:
            pieces.append(self._child.output())
        return "\n".join(p for p in pieces if p.strip())

    # ------------------------------------------------------------------ protocol
    def _send(self, message: dict[str, Any]) -> None:
        if self._child is None:
            raise OSError("no child is running")
        self._child.send((json.dumps(message) + "\n").encode())

    def _remaining(self, limit: float) -> float:
        if self.deadline is None:
            return limit
        return max(0.1, min(limit, self.deadline - time.monotonic()))

    def _receive(self, timeout: float) -> dict[str, Any]:
        end = time.monotonic() + timeout
        child = self._child
        if child is None:
            raise ChildFailure(self._death_reason(), kind="died")
        while b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0:
                raise ChildFailure(f"no answer within {timeout:.0f} seconds", kind="timeout")
            chunk = child.read(min(left, POLL_SECONDS))
            if chunk is None:
                # A process that escaped may hold the pipe open, so its end never comes: watch the child itself.
                if child.process.poll() is not None:
                    chunk = child.read(child.settle_seconds)  # what it sent before it ended may still be on its way
                    if chunk is None:
                        raise ChildFailure(self._death_reason(), kind="died")
                else:
                    continue
            if not chunk:
                raise ChildFailure(self._death_reason(), kind="died")
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE:
                raise ChildFailure(
                    f"the process sent the grader more than {MAX_MESSAGE // 2**20} MB in one message, "
                    "the limit of what is read back from it", kind="protocol")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return wire.parse_message(line)
        except wire.WireError as error:
            # Student code can write to the channel too: the child is stopped, and only its file pays.
            raise ChildFailure(
                f"the process sent the grader a message it cannot read ({error}), so it was stopped; "
                "answer files must not write to file descriptors they did not open", kind="protocol") from None

    def _death_reason(self) -> str:
        process = self.process
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
        return describe_exit(code)

    def _reply(self, timeout: float) -> dict[str, Any]:
        while True:
            message = self._receive(timeout)
            if "reply" in message and isinstance(message["reply"], dict):
                return message["reply"]

    def _request_once(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        try:
            self._send(message)
        except OSError:
            raise ChildFailure(self._death_reason(), kind="died") from None
        return self._reply(timeout)

    # ------------------------------------------------------------------ loading
    def ensure_loaded(self) -> LoadReport:
        """Start the child and load the file (once per child); the report is kept for feedback."""
        if self.process is not None and self.load_report is not None:
            return self.load_report
        while True:
            self._start()
            if self._restart_due:
                self.restarts += 1
                self._restart_due = False
            try:
                report = self._load()
            except ChildFailure as failure:
                self._kill()
                if failure.kind == "timeout":
                    reason = f"running {self.answer_file} did not finish within {self.settings.load_seconds:g} seconds (an endless loop or a long computation at the top level?)"
                else:
                    reason = f"running {self.answer_file} failed: {failure}"
                self.load_report = LoadReport(False, reason)
                return self.load_report
            if report is not None:
                self.load_report = report
                return report
            # a cell killed the child: it is skipped on the next start

    def _load(self) -> LoadReport | None:
        try:
            self._send({"op": "load", "file": self.answer_file, "mode": self.mode, "skip": sorted(self.skip_cells)})
        except OSError:  # the child is already gone (a process the code left behind may kill each new one)
            raise ChildFailure(self._death_reason(), kind="died") from None
        if self.mode == "module":
            reply = self._reply(self._remaining(self.settings.load_seconds))
            return self._module_report(reply)
        return self._follow_cells()

    def _module_report(self, reply: dict[str, Any]) -> LoadReport:
        if reply.get("ok"):
            return LoadReport(True)
        error = str(reply.get("error", "unknown error"))[:2000]
        return LoadReport(False, error, partial=bool(reply.get("partial")))

    def _follow_cells(self) -> LoadReport | None:
        """Watch cell progress events; a cell that hangs or kills the child is recorded and skipped."""
        budget_end = time.monotonic() + self._remaining(self.settings.notebook_seconds)
        current: tuple[int, str] | None = None
        while True:
            limit = self.settings.cell_seconds if current else self.settings.load_seconds
            timeout = max(0.1, min(limit, budget_end - time.monotonic()))
            try:
                message = self._receive(timeout)
            except ChildFailure as failure:
                if current is None:
                    raise
                index, headline = current
                reason = "took longer than the time limit for one cell" if failure.kind == "timeout" else str(failure)
                if time.monotonic() >= budget_end:
                    reason = "the notebook's total time budget ran out in this cell"
                self.cell_errors[index] = CellError(index, headline, reason)
                self.skip_cells.add(index)
                self._kill()
                return None
            if message.get("event") == "cell":
                index = _cell_index(message.get("index"))
                if message.get("state") == "start":
                    current = (index, str(message.get("headline", ""))[:80])
                else:
                    error = message.get("error")
                    if error and current:
                        self.cell_errors[index] = CellError(index, current[1], str(error)[:2000])
                    current = None
                continue
            reply = message.get("reply")
            if isinstance(reply, dict):
                errors = sorted(self.cell_errors.values(), key=lambda c: c.index)
                if reply.get("broken"):
                    return LoadReport(False, str(reply.get("error"))[:2000])
                if not reply.get("ok", True) and reply.get("error"):
                    return LoadReport(False, str(reply.get("error"))[:2000])
                return LoadReport(not errors, None, errors, partial=True)

    # ------------------------------------------------------------------ requests
    def values(self, names: list[str]) -> dict[str, Any]:
        """Decoded values of the names the file defines (missing names are absent)."""
        if self._values is not None:
            return self._values
        report = self.ensure_loaded()
        if self.process is None:
            self._values = {}
            return self._values
        if not report.ok and not report.partial:
            self._values = {}
            return self._values
        try:
            reply = self._request_once({"op": "values", "names": names}, self._remaining(self.settings.load_seconds))
        except ChildFailure as failure:
            self._incident("while reading the answers", failure)
            self._values = {name: wire.EncodingFailure(f"reading the answers failed: {failure}") for name in names}
            return self._values
        raw = reply.get("values", {}) if isinstance(reply.get("values"), dict) else {}
        decoded: dict[str, Any] = {}
        for name in names:
            if name in raw:
                try:
                    decoded[name] = wire.decode(raw[name])
                except wire.WireError as exc:
                    decoded[name] = wire.EncodingFailure(str(exc))
        self._values = decoded
        return decoded

    def call(
        self,
        name: str,
        args: list[Any],
        *,
        kwargs: dict[str, Any] | None = None,
        timeout: float | None = None,
        memory_mb: int | None = None,
    ) -> "CallOutcome":
        """Call the student's function on grader-chosen inputs; only the encoded result comes back."""
        report = self.ensure_loaded()
        if self.process is None:
            return CallOutcome(False, None, f"{self.answer_file} could not be loaded: {report.describe()}", "load")
        request = {
            "op": "call",
            "name": name,
            "args": [wire.encode(a) for a in args],
            "kwargs": {k: wire.encode(v) for k, v in (kwargs or {}).items()},
            "memory_mb": memory_mb,
        }
        limit = self._remaining(timeout or self.settings.call_seconds)
        try:
            reply = self._request_once(request, limit)
        except ChildFailure as failure:
            # The load report stays: the file was loaded and its values read; only this call is lost.
            self._incident(f"during a call of {name}", failure)
            return CallOutcome(False, None, str(failure), failure.kind)
        if not reply.get("ok"):
            kind = "memory" if reply.get("memory") else "error"
            return CallOutcome(False, None, str(reply.get("error", "failed"))[:2000], kind)
        try:
            value = wire.decode(reply.get("value"))
        except wire.WireError as exc:
            return CallOutcome(False, None, f"the result of {name} could not be read: {exc}", "protocol")
        if isinstance(value, wire.EncodingFailure):  # the child could not send it: a limit or a type, named
            return CallOutcome(False, None, f"its result could not be sent to the grader: {value.message}", "unsendable")
        return CallOutcome(True, value, "", "ok")

    def _incident(self, when: str, failure: ChildFailure) -> None:
        """Kill the child after a request got no answer, remembering why; the next request starts a fresh one."""
        self._kill()
        self.incidents.append(f"{when}: {failure}")
        self._restart_due = True


@dataclass(frozen=True)
class CallOutcome:
    ok: bool
    value: Any
    error: str
    kind: str  # ok | error | memory | timeout | died | protocol | unsendable | load


def _cell_index(raw: Any) -> int:
    """The cell number of a progress event; the child is untrusted, so anything else counts as cell 0."""
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10**6 else 0
