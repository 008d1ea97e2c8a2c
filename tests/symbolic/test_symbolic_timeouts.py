"""The wall-clock limit that keeps sympy from hanging the grader."""

from __future__ import annotations

import threading
import time

import pytest

from autograder.symbolic import TimeLimitExceeded, time_limit, time_limits_available


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_block_over_its_limit_is_interrupted() -> None:
    assert time_limits_available()
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            _spin(5)


def test_block_within_its_limit_runs_to_the_end_and_disarms() -> None:
    with time_limit(1.0):
        _spin(0.01)
    _spin(1.2)  # would raise if the timer were still armed


def test_interruption_is_not_swallowed_by_except_exception() -> None:
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            while True:
                try:
                    _spin(0.05)
                except Exception:  # what sympy does in places
                    pass


def test_an_outer_limit_still_fires_after_an_inner_one() -> None:
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.3):
            with time_limit(5):
                _spin(0.05)
            _spin(5)


def test_an_inner_limit_cannot_extend_an_outer_one() -> None:
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            with time_limit(10):
                _spin(5)
    assert time.monotonic() - started < 4


def test_zero_seconds_raises_at_once() -> None:
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0):
            pass


def test_off_the_main_thread_the_limit_is_a_no_op() -> None:
    outcome: list[object] = []

    def work() -> None:
        outcome.append(time_limits_available())
        with time_limit(0.01):
            _spin(0.1)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == [False, "finished"]
