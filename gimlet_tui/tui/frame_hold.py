"""Hold the screen's next frame until the answer to a key is there, so the key and its answer paint together.

Textual paints the first change after an idle spell at once, and the next one on its frame timer's
boundary after the next: 17 to 33 ms later at 60 frames a second. A key whose answer comes from a
worker (another app's rows, a rollback's new states) therefore showed in two frames: its echo at once
(the list's highlight), its answer one to two frames later (bench/NOTES.md). Held, the first frame
carries both, as soon as the answer is in.

It uses Textual's `App.batch_update` (nothing is written to the terminal while a batch is open),
opened at the key and closed by the answer it waits for, by a failure, by a screen that opens (a
modal is an answer of its own, and the key gate needs its frames written: `screens.gate`), or at a
time limit, so a slow answer never hides the echo for longer than that. While a batch is open Textual
still runs "after refresh" callbacks, though nothing was written: what must wait for the paint
(`after_paint`) waits for the hold to end first.

One hold per app (`frame_hold(app)`), since a batch holds every screen.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.timer import Timer


class FrameHold:
    """At most one hold at a time, for one answer (`what`): `begin` at the key, `end` at the answer."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.what: str | None = None  # the answer waited for
        self._batch: AbstractContextManager[None] | None = None
        self._limit: Timer | None = None
        self._after: list[Callable[[], object]] = []

    @property
    def held(self) -> bool:
        return self._batch is not None

    def begin(self, what: str, limit: float) -> None:
        """Write no frame until `end(what)` (or any `end()`), for at most `limit` seconds."""
        if self._batch is not None:
            return  # already held: the earlier answer and limit stand
        self.what = what
        self._batch = self.app.batch_update()
        self._batch.__enter__()
        self._limit = self.app.set_timer(limit, self.end)

    def end(self, what: str | None = None) -> None:
        """The answer `what` is in (None: whatever was waited for): the held frame is painted now."""
        if self._batch is None or (what is not None and what != self.what):
            return
        batch, self._batch, self.what = self._batch, None, None
        if self._limit is not None:
            self._limit.stop()
            self._limit = None
        batch.__exit__(None, None, None)
        if not self.app.screen_stack:
            return  # the app is closing
        # Closing a batch makes only the app check for idle; the screen paints on its own idle, which
        # would otherwise wait for the next message to reach it (a limit ends a hold from the app's timer).
        self.app.screen.check_idle()
        after, self._after = self._after, []
        for callback in after:
            self.app.screen.call_after_refresh(callback)

    def after_paint(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the screen has been painted (after the hold, if one is open)."""
        if self._batch is None:
            self.app.screen.call_after_refresh(callback)
        else:
            self._after.append(callback)


_holds: WeakKeyDictionary[App[Any], FrameHold] = WeakKeyDictionary()


def frame_hold(app: App[Any]) -> FrameHold:
    """The app's hold (made on first use)."""
    hold = _holds.get(app)
    if hold is None:
        hold = _holds[app] = FrameHold(app)
    return hold
