"""SIGTERM and SIGHUP stop a validation run as Ctrl-C does.

The command line's process is jppint's own, so it, unlike the library,
handles signals: its workers are killed, no report is written, and it exits
with 128 + the signal's number.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Stop the run as Ctrl-C does; SIGINT keeps Python's own KeyboardInterrupt.
_STOPPING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """A signal asked the command line to stop (a BaseException, as KeyboardInterrupt is)."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


@contextmanager
def signals_stop_the_run() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Stopped` while `validate` runs, so its clean-up runs:
    workers killed, a half-written report removed. A signal the caller ignores (nohup)
    stays ignored; a second signal during the clean-up is ignored too. (`serve` has
    its own handlers: it stops gracefully.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, _: object) -> None:
        for each in _STOPPING_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise Stopped(number)

    previous = {number: signal.getsignal(number) for number in _STOPPING_SIGNALS}
    for number, handler in previous.items():
        if handler == signal.SIG_DFL:
            signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
