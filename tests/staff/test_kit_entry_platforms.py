"""The kit's check.py on each platform, for what can be seen without one: its venv layout and where torch comes from.

check.py is standard-library Python that runs before any environment exists, so it is
loaded here as the file it is (autograder/staff/kit_entry.py) with its platform switched.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ENTRY = Path(__file__).resolve().parents[2] / "autograder" / "staff" / "kit_entry.py"


def load_entry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kit_check_entry", ENTRY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_windows_uses_the_scripts_layout_and_the_cpu_index(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = load_entry()
    monkeypatch.setattr(entry, "WINDOWS", True)
    monkeypatch.setattr(entry.sys, "platform", "win32")
    monkeypatch.delenv("KIT_TORCH_INDEX", raising=False)
    assert entry.env_python() == entry.ENV / "Scripts" / "python.exe"
    assert entry._site_folder(entry.ENV) == entry.ENV / "Lib" / "site-packages"
    assert entry.torch_index() == entry.TORCH_CPU_INDEX


def test_linux_uses_the_cpu_index_and_macos_pypi(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = load_entry()
    monkeypatch.delenv("KIT_TORCH_INDEX", raising=False)
    monkeypatch.setattr(entry.sys, "platform", "linux")
    assert entry.torch_index() == entry.TORCH_CPU_INDEX
    assert entry.env_python() == entry.ENV / "bin" / "python"
    monkeypatch.setattr(entry.sys, "platform", "darwin")
    assert entry.torch_index() is None  # PyPI's macOS builds have no CUDA


def test_the_entry_no_longer_sends_windows_to_wsl() -> None:
    text = ENTRY.read_text(encoding="utf-8")
    assert "wsl" not in text.lower().replace("no wsl needed", "")
