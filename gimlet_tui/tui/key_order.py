"""Keys from the terminal handed to the app one at a time, so that typed-ahead keys land where the keys before them put the focus.

Textual forwards a key to the widget focused when the app first sees it, and runs the key's binding
only when it comes back up from that widget. Typed fast, `/fix` sent `f`, `i` and `x` to the timeline
(before `/` had opened the filter): `f` fetched, the rest were lost. Here the next key waits until the
one before has been handled: it went down to the focused widget and back up through every node to the
app (its binding ran), or a widget kept it. A sentinel follows the key through the same queues, in
order, and lets the next one go; a watchdog lets it go anyway if a node vanished on the way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.timer import Timer

WATCHDOG = 1.0  # seconds after which the next key goes even if the sentinel never came back


class KeyOrder:
    """Holds each key from the terminal until the one before it has been handled."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.waiting: deque[events.Key] = deque()
        self.busy = False  # a key is on its way down and up
        self.next_up: events.Key | None = None  # released: let it through once
        self.watchdog: Timer | None = None
        self.turn = 0  # which key the sentinel and the watchdog belong to

    def hold(self, event: events.Key) -> bool:
        """True when `event` must wait for the keys before it (it is queued and will come again)."""
        if event is self.next_up:
            self.next_up = None
            return False
        if self.busy:
            self.waiting.append(event)
            return True
        self.busy = True
        return False

    def follow(self, target: DOMNode) -> None:
        """Send a sentinel after the key just forwarded to `target`, up through the nodes it bubbles to."""
        self.turn += 1
        turn = self.turn
        chain = [target, *target.ancestors]
        if self.app not in chain:
            chain.append(self.app)

        def hop(index: int) -> Callable[[], None]:
            def run() -> None:
                if index + 1 < len(chain):
                    chain[index + 1].call_later(hop(index + 1))
                else:
                    self._release(turn)

            return run

        chain[0].call_later(hop(0))
        self.watchdog = self.app.set_timer(WATCHDOG, lambda: self._release(turn))

    def _release(self, turn: int) -> None:
        if turn != self.turn or not self.busy:
            return  # the watchdog of a key already released, or the reverse
        if self.watchdog is not None:
            self.watchdog.stop()
            self.watchdog = None
        if not self.waiting:
            self.busy = False
            return
        self.next_up = self.waiting.popleft()
        self.app.post_message(self.next_up)
