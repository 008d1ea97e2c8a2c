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
