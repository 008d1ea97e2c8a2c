"""A wall-clock limit for sympy calls that may not terminate in useful time.

``simplify`` and ``expand`` have no time parameter and can run for minutes on innocent
looking input.  The only portable way to interrupt pure-Python code in-process is a
signal, and CPython delivers signals to the main thread only; elsewhere the limit cannot
be enforced, so :func:`time_limits_available` lets callers skip the unbounded work
instead of hoping it ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """Raised inside a :func:`time_limit` block when its time is up.

    A BaseException on purpose (like KeyboardInterrupt): sympy has ``except Exception``
    blocks that would otherwise swallow the interruption and carry on computing.
    """


def time_limits_available() -> bool:
    """True when :func:`time_limit` can really interrupt (main thread, SIGALRM exists)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` of wall-clock time.

    Uses SIGALRM via ``setitimer`` on the main thread and is a no-op elsewhere.  Nests
    correctly: an enclosing limit that expires sooner still fires, and is re-armed with
    its remaining time on exit.
    """
    if seconds <= 0:
        raise TimeLimitExceeded()
    if not time_limits_available():
        yield
        return

    def _on_alarm(signum: int, frame: object) -> None:
        raise TimeLimitExceeded()

    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    limit = seconds if outer_remaining <= 0 else min(seconds, outer_remaining)
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_remaining > 0:
            left = outer_remaining - (time.monotonic() - started)
            # An outer limit that already ran out fires (almost) at once.
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))
