"""The releases panel: the transfer bar, the recent-deploys bar, the filter and the timeline.

What is shown (counts, loading, the filter, a rollback under way) is written in the panel's bottom
border, so every line inside goes to releases (60x15 still shows three).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input, ProgressBar

from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.tui.look import look_of
from gimlet_tui.tui.styled import span
from gimlet_tui.tui.widgets.deploy_bar import DeployBar
from gimlet_tui.tui.widgets.timeline import Timeline


class FilterInput(Input):
    """The filter field: enter goes back to the timeline at once, so keys typed after it act there."""

    async def action_submit(self) -> None:
        await super().action_submit()
        panel = self.parent
        if isinstance(panel, ReleasesPanel):
            self.screen.set_focus(panel.timeline)


class ReleasesPanel(Vertical):
    """One app's releases: filled in batches, filtered by text, with a status line that says what is shown."""

    DEFAULT_CSS = """
    ReleasesPanel #transfer { display: none; height: 1; }
    ReleasesPanel #filter { display: none; height: 1; border: none; padding: 0 1; }
    ReleasesPanel #filter.visible { display: block; }
    ReleasesPanel #filter > .input--placeholder { color: $foreground 75%; }  /* readable (AA) */
    """

    selected: reactive[HistoryEntry | None] = reactive(None, repaint=False)
    busy: reactive[str | None] = reactive(None, repaint=False)
    filtering: reactive[bool] = reactive(False, repaint=False)

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="transfer", show_eta=False)
        yield DeployBar(id="deploy-bar").data_bind(selected=ReleasesPanel.selected)
        yield FilterInput(placeholder="filter: text in sha, message, author, ref…", id="filter")
        yield Timeline(id="timeline")

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    def watch_busy(self) -> None:
        self.show_counts()

    def start(self, title: str, now: float) -> None:
        """Empty, for the history of another app."""
        self.border_title = title
        self.timeline.reset(now)
        bar = self.query_one(DeployBar)
        bar.now = now
        bar.show([])
        self.note(span("loading history", look_of(self.app)("muted")))

    def add_batch(self, entries: tuple[HistoryEntry, ...], done: bool) -> bool:
        """Add the next batch; True when this put the cursor on the CURRENT release."""
        positioned = self.timeline.add_batch(entries, done)
        self.query_one(DeployBar).add_older([e for e in entries if e.kind is EntryKind.RELEASE])
        self.show_counts()
        return positioned

    def restate(self, entries: list[HistoryEntry]) -> None:
        """The whole history again with new states (a rollback's): rows stay, their states change."""
        self.timeline.restate(entries)
        self.query_one(DeployBar).show([e for e in entries if e.kind is EntryKind.RELEASE])
        self.show_counts()

    def tick(self, now: float) -> None:
        """The ages of the timeline and of the bar, written again from `now`."""
        self.timeline.tick(now)
        self.query_one(DeployBar).now = now

    def note(self, text: Text) -> None:
        """Say something in the bottom border until the counts are shown again."""
        self.border_subtitle = text

    def show_counts(self) -> None:
        if self.is_mounted:
            self.note(span(self.busy, look_of(self.app)("busy")) if self.busy else self.timeline.summary())

    def show_transfer(self, url: str, received: int, total: int) -> None:
        bar = self.query_one("#transfer", ProgressBar)
        bar.display = total > 0
        if total:
            bar.update(total=total, progress=received)
            self.note(span(f"fetching {url}: {received:,}/{total:,} objects", look_of(self.app)("muted")))

    def open_filter(self) -> None:
        """Show the filter field and focus it at once, so the keys typed right after / land in it.

        (The screen's `filtering` reaches this panel through data_bind one turn later, and `focus()`
        waits a turn too: typed-ahead letters would go to the timeline, `f` fetching.)
        """
        field = self.query_one("#filter", Input)
        field.set_class(True, "visible")
        self.screen.set_focus(field)

    def watch_filtering(self, filtering: bool) -> None:
        """Open the filter field, or close and clear it (the whole history shows again)."""
        if filtering:
            self.open_filter()
            return
        self.close_filter()

    def close_filter(self) -> None:
        """Hide and clear the filter field, the whole history shown again, the timeline focused at once."""
        field = self.query_one("#filter", Input)
        if not field.has_class("visible") and not field.value and not self.timeline.filter_text:
            return  # closed already (the screen closes it at once, then data_bind says so again)
        field.set_class(False, "visible")
        field.value = ""
        self.timeline.apply_filter("")
        self.screen.set_focus(self.timeline)
        self.show_counts()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.timeline.apply_filter(event.value)
        self.show_counts()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.screen.set_focus(self.timeline)
