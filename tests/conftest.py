"""Shared fixtures for the harness's own tests."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.config import SandboxSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "submissions_examples"


@pytest.fixture
def fast_sandbox() -> SandboxSettings:
    """Short limits so that misbehaving code is stopped quickly in tests."""
    return SandboxSettings(load_seconds=8, call_seconds=4, cell_seconds=4, notebook_seconds=20, cpu_seconds=20)


@pytest.fixture
def fast_settings(fast_sandbox: SandboxSettings) -> Settings:
    return Settings(sandbox=fast_sandbox, deadline_seconds=120)


@pytest.fixture
def make_session(tmp_path: Path, fast_sandbox: SandboxSettings) -> Iterator[Callable[..., Any]]:
    """A child session on one answer file written from `source` (dedented), closed and cleaned up after the test."""
    from autograder.sandbox.limits import sandbox_identity
    from autograder.sandbox.session import ChildSession
    from autograder.submission import stage

    opened: list[tuple[Any, Any]] = []

    def make(source: str, settings: SandboxSettings | None = None, name: str = "hw4.py", mode: str = "module") -> ChildSession:
        folder = tmp_path / f"submission{len(opened)}"
        folder.mkdir()
        (folder / name).write_text(textwrap.dedent(source))
        chosen = settings or fast_sandbox
        identity = sandbox_identity(chosen)
        staged = stage(folder, max_total_mb=5, max_files=20, identity=identity)
        session = ChildSession(staged.workdir, name, mode, chosen, identity)
        opened.append((session, staged))
        return session

    yield make
    for session, staged in opened:
        session.close()
        staged.cleanup()


@pytest.fixture
def is_root() -> bool:
    return os.geteuid() == 0


@pytest.fixture
def dedicated_uid(monkeypatch: pytest.MonkeyPatch) -> int:
    """As root, a uid of our own for the children (as a batch worker gets): sweeps of it touch no one else's."""
    import pwd

    from autograder.sandbox.limits import SLOT_UID_VARIABLE

    uid = 62000 + os.getpid() % 1000
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            break
        uid += 1
    if os.geteuid() == 0:
        monkeypatch.setenv(SLOT_UID_VARIABLE, str(uid))
    return uid
