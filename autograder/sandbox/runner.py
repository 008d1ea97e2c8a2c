"""Which runner starts the children of one grading or check: POSIX (every grading) or portable (the kit's check on Windows).

The one seam between the two. Grading (Gradescope, `autograder grade`, `autograder
check`, batch runs) calls `for_grading`, which is always the POSIX runner and
refuses, with a message, a platform that lacks POSIX process control: there is no
weaker sandbox for scores. The format check (`autograder.formatcheck`, the kit's
`check.py`) calls `for_format_check`, which picks the portable runner where POSIX
is missing (Windows) and says so in one line (`PORTABLE_NOTE`).

Tests run the portable runner on Linux through the `runner` parameter of
`formatcheck.format_check`, or, for a check.py in a subprocess, `TEST_VARIABLE`;
both reach only the format check, never a grading.

Cross-platform: the POSIX modules (`pool`, which needs `pwd` and `fcntl`) are
imported only when a POSIX claim is taken.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Literal, Protocol

from autograder.config import SandboxSettings
from autograder.errors import CommandError
from autograder.sandbox.identity import Identity

Kind = Literal["posix", "portable"]
KINDS: tuple[Kind, ...] = ("posix", "portable")
#: Tests only: "portable" makes the format check (and nothing else) use the portable runner on Linux.
TEST_VARIABLE = "AUTOGRADER_TEST_FORMAT_CHECK_RUNNER"
#: Said once in the check's output when the portable runner is used.
PORTABLE_NOTE = (
    "note: this system (Windows) has no POSIX sandbox, so your files run in a plain separate process with time "
    "limits only (no memory, CPU-time, file-size or process limits); Gradescope runs them in the full sandbox."
)


class GradingNeedsPosix(CommandError):
    """Grading was asked for on a platform without POSIX process control: said in one line, like any command error."""


def posix_process_control() -> bool:
    """Whether this platform has what the POSIX runner needs (fork, fd passing, setuid, rlimits, process groups)."""
    return os.name == "posix"


def for_grading() -> Kind:
    """The runner of a grading: POSIX, always; on any other platform, refuse (never the portable runner)."""
    if not posix_process_control():
        raise GradingNeedsPosix(
            f"grading needs Linux (or another POSIX system): student code must run in the sandbox, with resource "
            f"limits and another user, which {os.name!r} systems cannot give. Grade on Gradescope or a Linux machine; "
            "on this system only the students' format check (check.py, `autograder check --format-only`) runs."
        )
    return "posix"


def for_format_check(requested: Kind | None = None) -> Kind:
    """The runner of a format check: `requested` (tests), else TEST_VARIABLE (tests), else POSIX where it exists."""
    if requested is None and os.environ.get(TEST_VARIABLE) in KINDS:
        requested = os.environ[TEST_VARIABLE]  # type: ignore[assignment]
    if requested not in (None, *KINDS):
        raise ValueError(f"unknown runner {requested!r}; one of {', '.join(KINDS)}")
    if requested == "portable" or not posix_process_control():
        return "portable"
    return "posix"


class Claim(Protocol):
    """Who the children of one grading run as, held for its time (see `pool` and `reclaim.UidClaim`)."""

    identity: Identity

    def sweep(self) -> bool: ...

    def release(self) -> None: ...


class OwnUser:
    """The portable runner's claim: the children run as the user who runs the check; nothing to hold or sweep."""

    def __init__(self) -> None:
        self.identity = Identity(None, None, "the current user")

    def sweep(self) -> bool:
        return False

    def release(self) -> None:
        pass


@contextlib.contextmanager
def claimed(settings: SandboxSettings, kind: Kind) -> Iterator[Claim]:
    """The identity the children run as for the time of the `with` block: a sandbox uid (POSIX) or ourselves (portable)."""
    if kind == "portable":
        yield OwnUser()
        return
    from autograder.sandbox import pool  # POSIX only: pwd, fcntl

    with pool.claimed(settings) as claim:
        yield claim
