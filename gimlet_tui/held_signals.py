"""Signals held off around a step that must not be cut in the middle.

Standard library only, so that the command line can use it before it loads the engine
(`early_walk`); the engine's locks and journal (`gitops.locks`) use the same.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """Hold SIGINT, SIGTERM and SIGHUP off inside the block; the list names those that came meanwhile.

    In the main thread they are blocked and, should one reach another thread, recorded instead of
    acted on; at the end SIGTERM and SIGHUP are sent again (after the block, they do what they do),
    SIGINT is left to the caller, who knows what is true by then. In another thread (the TUI's
    workers) signals are blocked for that thread; Python acts on them in the main thread only.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            yield received
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        return
    handlers = {number: signal.getsignal(number) for number in HELD}
    held = [number for number, handler in handlers.items() if handler is not None]
    for number in held:
        signal.signal(number, lambda caught, _frame: received.append(caught))
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield received
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)  # what was pending is recorded now
        for number in held:
            signal.signal(number, handlers[number])
        for again in dict.fromkeys(received):
            if again != signal.SIGINT:
                signal.raise_signal(again)
