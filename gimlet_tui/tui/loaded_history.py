"""The history the main screen has loaded for one app, and what a rollback makes of it without a walk."""

from __future__ import annotations

from threading import Event

from gimlet_tui.gitops import HistoryEntry, RollbackResult, after_rollback
from gimlet_tui.tui.messages import HistoryBatch


class LoadedHistory:
    """Every entry loaded for the app shown (reverts included, unlike the timeline's rows), and from which head."""

    def __init__(self) -> None:
        self.env: str | None = None
        self.app: str | None = None
        self.entries: list[HistoryEntry] = []
        self.head: str | None = None
        self.done = False
        # Set once a batch of rows is painted: the walk's next batch waits for it (per history) and
        # the app list's walk for the first (per env), so that nothing competes with the first paint.
        self.painted = Event()
        self.env_painted = Event()

    def open_env(self) -> Event:
        """A new env: the event its app list's walk waits for."""
        self.env_painted = Event()
        return self.env_painted

    def start(self, env: str, app: str) -> Event:
        """Empty, for a new walk of `env/app`; the event its batches after the first wait for."""
        self.env, self.app, self.entries, self.head, self.done = env, app, [], None, False
        self.painted.set()  # the walk of the app left behind stops waiting (and sees it is cancelled)
        self.painted = Event()
        return self.painted

    def mark_painted(self) -> None:
        self.painted.set()
        self.env_painted.set()

    def add(self, batch: HistoryBatch) -> None:
        self.entries.extend(batch.entries)
        self.head, self.done = batch.head, batch.done

    def after(self, result: RollbackResult) -> list[HistoryEntry] | None:
        """The history after the rollback, from the engine's answer alone; None when it is not this one.

        Only a whole history read from the head the rollback was planned on can be brought up to
        date this way; any other needs a new walk.
        """
        plan = result.plan
        if not self.done or (plan.env, plan.app, plan.head) != (self.env, self.app, self.head):
            return None
        self.entries, self.head = after_rollback(self.entries, result), result.new_head
        return self.entries
