"""Registers the staff subcommands on the `autograder` command line."""

from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    """Add staff subcommands to the CLI's subparsers (filled in as the tools land)."""
