"""SIGTERM and SIGHUP unwind like Ctrl-C inside stop_signals_raise, and only there."""

from __future__ import annotations

import os
import signal

import pytest

from autograder.stopping import Stopped, exit_status, stop_signals_raise


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_raises_a_keyboard_interrupt_that_names_it(number: int) -> None:
    before = signal.getsignal(number)
    with pytest.raises(KeyboardInterrupt) as caught:
        with stop_signals_raise():
            os.kill(os.getpid(), number)
    assert isinstance(caught.value, Stopped) and str(caught.value) == signal.Signals(number).name
    assert exit_status(caught.value) == 128 + number
    assert signal.getsignal(number) is before  # the previous handler is back


def test_ctrl_c_keeps_the_shell_convention() -> None:
    assert exit_status(KeyboardInterrupt()) == 130
