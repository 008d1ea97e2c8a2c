"""The child process: the only place where submission code runs.

Started by `session.ChildSession` under resource limits (and, when the grader is
root, as an unprivileged user). It loads one answer file (a module, a notebook,
or a notebook exported as a script), then answers requests from the parent over a
private pipe, one JSON line each: the encoded values of names, and calls of the
student's functions on inputs the grader chose. Everything it sends back is plain
data from `wire.encode`.

Two ways to get the channel (see `main`): two pipe fds passed by number (the POSIX
runner, every grading), or its own stdin and stdout (`--stdio`: the portable runner
of the kit's check on Windows, which cannot pass other fds). Importable on any
platform: `resource` is imported only where a call's memory limit is applied.
"""

from __future__ import annotations

import importlib.util
import json
import linecache
import os
import random
import sys
import traceback
import types
from typing import Any

from autograder.sandbox import cells as cell_tools
from autograder.sandbox import wire

MAX_TRACE = 1500


class Channel:
    """JSON lines over two raw pipe fds; raw os calls so student code that replaces sys.stdout cannot interfere."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.reader = os.fdopen(read_fd, "rb", buffering=0)
        self.write_fd = write_fd
        self._buffer = b""

    def receive(self) -> dict[str, Any] | None:
        while b"\n" not in self._buffer:
            chunk = os.read(self.reader.fileno(), 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line.rstrip(b"\r"))

    def send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.write_fd, view)
            view = view[written:]


def seed_everything(seed: int = 0) -> None:
    """Same seeds for Python, NumPy and torch before every load and call, so grading is repeatable."""
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "torch" in sys.modules:
        try:
            sys.modules["torch"].manual_seed(seed)
        except Exception:
            pass


def describe_exception(exc: BaseException, filename: str) -> str:
    """One readable line plus the student's own frames (never ours)."""
    if isinstance(exc, SystemExit):
        return f"the code called sys.exit({exc.code!r}); answer files must not exit"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(("<cell", filename))]
    where = ""
    if frames:
        last = frames[-1]
        place = f"{last.filename.strip('<>')}, line {last.lineno}" if last.filename.startswith("<cell") else f"line {last.lineno}"
        where = f" ({place}: {(last.line or '').strip()[:120]})"
    return f"{type(exc).__name__}: {str(exc)[:400]}{where}"[:MAX_TRACE]


def notebook_text(source: bytes) -> str:
    """A notebook's JSON text: UTF-8, as Jupyter writes it, with a byte-order mark tolerated (Windows editors add one)."""
    return source.decode("utf-8-sig")


def unreadable_text(exc: SyntaxError | UnicodeDecodeError) -> str:
    """Why the bytes of an answer file are not text, in the terms of PEP 263 (what Python itself requires)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"the file is not UTF-8 text (byte {exc.start}: {exc.reason})"
    return (
        f"the file cannot be read as Python source text ({exc.msg}): save it as UTF-8, "
        "or declare its encoding in a '# -*- coding: ... -*-' line at the top"
    )


class Child:
    def __init__(self, channel: Channel, workdir: str) -> None:
        self.channel = channel
        self.workdir = workdir
        self.namespace: dict[str, Any] = {}

    # ----------------------------------------------------------------- loading
    def load(self, request: dict[str, Any]) -> dict[str, Any]:
        path = os.path.join(self.workdir, str(request["file"]))
        mode = request.get("mode", "module")
        sys.path.insert(0, os.path.dirname(path))
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            return {"ok": False, "error": f"cannot read the file: {exc.strerror}"}
        if mode == "module":
            return self._load_module(path, source)
        try:
            text = notebook_text(source) if mode == "notebook" else importlib.util.decode_source(source)
        except (SyntaxError, UnicodeDecodeError) as exc:
            return {"ok": False, "error": unreadable_text(exc), "broken": True}
        return self._load_cells(path, text, mode, set(request.get("skip", [])))

    def _load_module(self, path: str, source: bytes) -> dict[str, Any]:
        """Compile the file's bytes, so Python decodes them as it would any script (BOM, coding cookie, CRLF)."""
        name = os.path.splitext(os.path.basename(path))[0]
        module = types.ModuleType(name)
        module.__file__ = path
        sys.modules[name] = module
        seed_everything()
        try:
            code = compile(source, path, "exec")
        except SyntaxError as exc:
            if exc.msg.startswith("(unicode error)") or "encoding" in exc.msg:
                return {"ok": False, "error": unreadable_text(exc), "syntax": True}
            return {"ok": False, "error": f"SyntaxError: {exc.msg} (line {exc.lineno})", "syntax": True}
        except (ValueError, MemoryError, RecursionError) as exc:
            return {"ok": False, "error": f"the file cannot be compiled: {type(exc).__name__}"}
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # noqa: BLE001 - everything the student's code raises is reported
            self.namespace = module.__dict__
            return {"ok": False, "error": describe_exception(exc, path), "partial": True}
        self.namespace = module.__dict__
        return {"ok": True}

    def _load_cells(self, path: str, text: str, mode: str, skip: set[int]) -> dict[str, Any]:
        try:
            cells = cell_tools.cells_from_ipynb(text) if mode == "notebook" else cell_tools.cells_from_py_export(text)
        except cell_tools.NotebookError as exc:
            return {"ok": False, "error": str(exc), "broken": True}
        namespace: dict[str, Any] = {"__name__": "__main__", "__file__": path}
        self.namespace = namespace
        errors = []
        seed_everything()
        for cell in cell_tools.cells_to_run(cells):
            if cell.index in skip:
                continue
            self.channel.send({"event": "cell", "index": cell.index, "state": "start", "headline": cell.headline})
            error = self._run_cell(cell, namespace)
            if error:
                errors.append({"index": cell.index, "headline": cell.headline, "error": error})
            self.channel.send({"event": "cell", "index": cell.index, "state": "end", "error": error})
        return {"ok": not errors, "cell_errors": errors, "cells": len(cells)}

    def _run_cell(self, cell: cell_tools.Cell, namespace: dict[str, Any]) -> str | None:
        source = cell_tools.strip_magics(cell.source)
        name = f"<cell {cell.index}>"
        linecache.cache[name] = (len(source), None, source.splitlines(keepends=True), name)  # so tracebacks show the line
        try:
            code = compile(source, name, "exec")
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001
            return describe_exception(exc, f"<cell {cell.index}>")
        return None

    # ----------------------------------------------------------------- answers
    def values(self, request: dict[str, Any]) -> dict[str, Any]:
        found = {}
        for name in request.get("names", []):
            if name in self.namespace:
                found[name] = wire.encode(self.namespace[name])
        return {"ok": True, "values": found}

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        name = str(request["name"])
        function = self.namespace.get(name)
        if function is None:
            return {"ok": False, "error": f"{name} is not defined"}
        if not callable(function):
            return {"ok": False, "error": f"{name} is not a function (it is a {type(function).__name__})"}
        args = [wire.decode(arg) for arg in request.get("args", [])]
        kwargs = {str(k): wire.decode(v) for k, v in request.get("kwargs", {}).items()}
        memory_mb = request.get("memory_mb")
        seed_everything()
        with _address_space(memory_mb):
            try:
                result = function(*args, **kwargs)
            except MemoryError:
                return {"ok": False, "error": f"MemoryError: the call needed more than {memory_mb or 'the allowed'} MB", "memory": True}
            except BaseException as exc:  # noqa: BLE001
                return {"ok": False, "error": describe_exception(exc, self._module_file())}
        return {"ok": True, "value": wire.encode_result(result)}

    def _module_file(self) -> str:
        return str(self.namespace.get("__file__", "<answer>"))

    def serve(self) -> None:
        while True:
            request = self.channel.receive()
            if request is None or request.get("op") == "bye":
                return
            operation = request.get("op")
            handler = {"load": self.load, "values": self.values, "call": self.call}.get(str(operation))
            if handler is None:
                response = {"ok": False, "error": f"unknown operation {operation!r}"}
            else:
                response = handler(request)
            self.channel.send({"reply": response})


class _address_space:
    """Lower the soft address-space limit around one call (raised back afterwards, up to the hard limit).

    Where `resource` does not exist (Windows: the kit's portable runner, never a grading) no limit is set.
    """

    def __init__(self, memory_mb: int | None) -> None:
        self.memory_mb = memory_mb
        self.saved: tuple[int, int] | None = None

    def __enter__(self) -> None:
        if not self.memory_mb:
            return
        try:
            import resource
        except ImportError:
            return
        self.saved = resource.getrlimit(resource.RLIMIT_AS)
        soft, hard = self.saved
        wanted = int(self.memory_mb) * 2**20
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))

    def __exit__(self, *exc: object) -> None:
        if self.saved is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.saved)


def stdio_channel() -> tuple[int, int]:
    """The portable runner's channel: our stdin and stdout, taken over before any student code runs.

    The channel keeps copies of fds 0 and 1; fd 1 then becomes a copy of fd 2 (so whatever the
    student prints, from Python or C, goes to the captured output, never into the channel) and
    fd 0 reads nothing. `dup`/`dup2` exist on Windows too.
    """
    read_fd, write_fd = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    return read_fd, write_fd


def main(argv: list[str]) -> int:
    if argv[1] == "--stdio":
        read_fd, write_fd = stdio_channel()
        workdir = argv[2]
    else:
        read_fd, write_fd, workdir = int(argv[1]), int(argv[2]), argv[3]
    os.chdir(workdir)
    sys.path.insert(0, workdir)
    sys.dont_write_bytecode = True
    channel = Channel(read_fd, write_fd)
    Child(channel, workdir).serve()
    os._exit(0)  # skip interpreter teardown: student objects may misbehave in __del__


if __name__ == "__main__":
    sys.exit(main(sys.argv))
