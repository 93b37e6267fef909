"""Hold the screen's next frame until the answer to a key is there, so the key and its answer paint together.

Textual paints the first change after an idle spell at once, and the next one on its frame timer's
boundary after the next: 17 to 33 ms later at 60 frames a second. A key whose answer comes from a
worker (another app's rows, a rollback's new states) therefore showed in two frames: its echo at once
(the list's highlight), its answer one to two frames later (bench/NOTES.md). Held, the first frame
carries both, as soon as the answer is in; a hold ends by itself after `limit` seconds, so a slow answer
never hides the echo for longer than that.

It uses Textual's `App.batch_update` (no paint while a batch is open), opened at the key and closed at
the answer.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from textual.app import App
from textual.timer import Timer


class FrameHold:
    """One hold at a time: `begin` at the key, `end` once its answer is applied (or at the limit)."""

    def __init__(self) -> None:
        self._batch: AbstractContextManager[None] | None = None
        self._limit: Timer | None = None

    @property
    def held(self) -> bool:
        return self._batch is not None

    def begin(self, app: App[object], limit: float) -> None:
        if self._batch is not None:
            return  # already held: the earlier limit stands
        self._batch = app.batch_update()
        self._batch.__enter__()
        self._limit = app.set_timer(limit, self.end)

    def end(self) -> None:
        if self._batch is None:
            return
        batch, self._batch = self._batch, None
        if self._limit is not None:
            self._limit.stop()
            self._limit = None
        batch.__exit__(None, None, None)
