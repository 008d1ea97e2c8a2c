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
def sandbox_claim(fast_sandbox: SandboxSettings) -> Iterator[Any]:
    """The sandbox uid of this test, held as a grading holds one (as root a uid of the pool, else ourselves).

    Every child a test starts runs under it: no other grading's sweep, nor another test's
    hostile child, can reach it. It is swept and given back after the test.
    """
    from autograder.sandbox import pool

    held = pool.claim_free(fast_sandbox)
    try:
        yield held
    finally:
        held.sweep()
        held.release()


@pytest.fixture
def make_session(tmp_path: Path, fast_sandbox: SandboxSettings, sandbox_claim: Any) -> Iterator[Callable[..., Any]]:
    """A child session on one answer file written from `source` (dedented), closed and cleaned up after the test."""
    from autograder.sandbox.session import ChildSession
    from autograder.submission import stage

    opened: list[tuple[Any, Any]] = []
    identity = sandbox_claim.identity

    def make(source: str, settings: SandboxSettings | None = None, name: str = "hw4.py", mode: str = "module") -> ChildSession:
        folder = tmp_path / f"submission{len(opened)}"
        folder.mkdir()
        (folder / name).write_text(textwrap.dedent(source))
        chosen = settings or fast_sandbox
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
def dedicated_uid(sandbox_claim: Any, monkeypatch: pytest.MonkeyPatch) -> int | None:
    """As root, the test's sandbox uid, lent to the gradings it runs (as a batch scheduler lends a slot's uid to its worker).

    So the test knows which uid to look at afterwards. None without root (the children run as us).
    """
    from autograder.sandbox.identity import SLOT_UID_VARIABLE

    uid = sandbox_claim.identity.uid
    if uid is not None:
        monkeypatch.setenv(SLOT_UID_VARIABLE, str(uid))
    return uid
