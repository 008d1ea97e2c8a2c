"""Stop signals as exceptions: SIGTERM and SIGHUP unwind the stack like Ctrl-C does.

Why: the default action of SIGTERM kills the process on the spot, so no `finally`
runs: sandbox children, the uid sweep and the staged copy of the submission are
left behind. Raised as a KeyboardInterrupt instead, pytest stops after the current
check (it lets KeyboardInterrupt through, where it would record a SystemExit as a
failing check and go on), the engine reports the parts not reached, and every
cleanup runs. One mechanism for the command line, batch runs and their workers.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

#: SIGHUP does not exist on Windows, where the command line must still start (to run the format check, or to
#: refuse grading in one line: see `sandbox.runner.for_grading`).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """A stop signal arrived; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def raise_stopped(signum: int, _frame: object) -> None:
    """A signal handler (for processes that install their own, such as batch workers)."""
    raise Stopped(signum)


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise Stopped; the previous handlers come back after."""
    previous = {number: signal.signal(number, raise_stopped) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def exit_status(stop: KeyboardInterrupt) -> int:
    """The shell's convention: 128 + the signal's number (130 for Ctrl-C)."""
    return 128 + getattr(stop, "signum", signal.SIGINT)
