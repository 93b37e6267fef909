"""Screens that take only the keys typed after they appeared (the rollback confirmation, git's questions).

A key typed ahead (`j r y` at full speed) waits in Textual's queues while the rollback is planned in a
thread; when the modal is pushed, such a `y` would be matched against the modal's bindings and confirm
a rollback the user never saw. The app drops every key whose event time is earlier than the moment the
gated screen's first frame was written (`GimletApp.on_event` and `on_key`); the screen then waits for
its own keys.
"""

from __future__ import annotations

import math
from typing import TypeVar

from textual import events

# Private, but the clock that stamps every event (monotonic on POSIX): comparable with `event.time`.
from textual._time import get_time
from textual.screen import ModalScreen

from gimlet_tui.tui.frame_hold import FrameHold, frame_hold

Answer = TypeVar("Answer")


class GatedModal(ModalScreen[Answer]):
    """A modal that ignores keys typed before it showed, and says so once."""

    def __init__(self) -> None:
        super().__init__()
        self.keys_from = math.inf  # nothing is accepted before the first paint
        self.ignored: list[str] = []

    def _compositor_refresh(self) -> None:
        # Private, but the moment a frame is written to the terminal: the first one holding this
        # screen with its content (a frame can be drawn while a busy machine still composes it).
        super()._compositor_refresh()
        if self.keys_from == math.inf and self.is_mounted and self.app.screen is self and not self.hold.held:
            self._shown()  # (while frames are held, nothing composed is written)

    @property
    def hold(self) -> FrameHold:
        return frame_hold(self.app)

    def on_mount(self) -> None:
        # A held frame (a key waiting for its answer) is not waited for: this screen is an answer of
        # its own, and it takes keys only once its frames are written.
        self.hold.end()
        self.hold.after_paint(self._shown)  # in case no frame was written through the method above

    def _shown(self) -> None:
        if self.keys_from == math.inf:
            self.keys_from = get_time()

    def typed_before(self, event: events.Key) -> bool:
        return event.time < self.keys_from

    def ignore(self, event: events.Key) -> None:
        """Called by the app for a key typed before this screen showed."""
        self.ignored.append(event.key)
        if len(self.ignored) == 1:
            self.notify(
                f"Ignored {event.key!r}: it was typed before this appeared. Read it, then answer.",
                title="Typed ahead",
                severity="warning",
                markup=False,
            )
