"""Shared fixtures for the harness's own tests."""

from __future__ import annotations

import os
from pathlib import Path

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
