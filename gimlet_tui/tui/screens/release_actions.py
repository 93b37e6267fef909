"""What the main screen does with the highlighted release: details, diff, copy, open; and the filter's n/N."""

from __future__ import annotations

import os

from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.text import safe
from gimlet_tui.tui.handoff import browser_available, rollback_command
from gimlet_tui.tui.screens.details import ReleaseDetails
from gimlet_tui.tui.screens.diff import DiffScreen
from gimlet_tui.tui.screens.main_state import MainState


def commit_url(entry: HistoryEntry) -> str | None:
    """The deployed version's commit URL from release.json, if it is a web address."""
    version = entry.release.version if entry.release else None
    url = version.url if version else None
    return url if url and url.startswith(("https://", "http://")) else None


class ReleaseActions(MainState):
    """Keys that act on the highlighted release, each reading the cursor when the key is handled."""

    def release_refusal(self, action: str) -> str | None:
        """Why `action` cannot act on the highlighted release; None when it can."""
        entry = self.highlighted()
        if entry is None:
            return "No release is highlighted yet."
        if action == "open_url" and commit_url(entry) is None:
            return f"{entry.short} names no web address for its commit (no version.url in release.json)."
        if action == "next_match" and not self.panel.timeline.filter_text:
            return "No filter: press / and type to find releases, then n and N move between them."
        return None

    def action_show_details(self) -> None:
        entry = self.highlighted()
        if entry is not None:
            self.app.push_screen(ReleaseDetails(entry, self.diffs.get(entry.sha), self.clock()))

    def action_show_diff(self) -> None:
        entry = self.highlighted()
        if entry is None:
            return
        diff = self.diffs.get(entry.sha)
        if diff is None:
            self.notify("The diff is still loading; press d again in a moment.")
            return
        self.app.push_screen(DiffScreen(f"What {entry.short} changed", diff.patch))

    def _copied(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(f"{text}", title=f"Copied {what}", markup=False, timeout=8)

    def action_copy_sha(self) -> None:
        entry = self.highlighted()
        if entry is not None:
            self._copied(entry.sha, f"the gitops sha of {entry.short}")

    def action_copy_command(self) -> None:
        entry, source = self.highlighted(), self.source()
        if entry is None or source is None or self.app_name is None:
            return
        keep_local = not self.push and not source.remote  # a remote repository always pushes
        command = rollback_command(self.workspace, source.name, self.app_name, entry.sha, keep_local)
        self._copied(command, f"the command that rolls back to {entry.short}")

    def action_open_url(self) -> None:
        entry = self.highlighted()
        url = commit_url(entry) if entry is not None else None
        if url is None:
            return
        if not browser_available():
            self.app.copy_to_clipboard(url)
            self.notify(url, title="No browser here (no display): copied the URL instead", markup=False, timeout=10)
            return
        self.app.open_url(url)
        self.notify(safe(url), title="Opened in the browser", markup=False, timeout=8)

    def action_next_match(self, step: int) -> None:
        """The next (or previous) release that matches the filter, wrapping around."""
        self.panel.timeline.next_match(step)

    def action_screenshot(self) -> None:
        """An SVG of the screen in the current folder (under textual-serve: a download in the browser)."""
        self.app.deliver_screenshot(path=os.getcwd())

    def action_focus(self, widget_id: str) -> None:  # type: ignore[override]
        # set_focus takes effect at once, so keys typed right after (e, down) land in the selector
        if widget_id in ("envs", "apps"):
            self.add_class("sidebar-open")  # shown at once when narrow
        self.set_focus(self.query_one(f"#{widget_id}"))
