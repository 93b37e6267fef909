"""The bar of recent deploys: the ten newest releases as segments, oldest on the left."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.tui.keys import DEPLOY_BAR, NAV_ENDS, bindings
from gimlet_tui.tui.styled import span

SHOWN = 10  # the newest releases, as in Gimlet's dashboard
SEGMENT = 4  # cells per segment, the gap included
LABEL = "recent "


class DeployBar(Widget, can_focus=True):
    """Ten segments coloured by state (current, rolled back, other); the selected one is marked."""

    DEFAULT_CSS = """
    DeployBar {
        height: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(DEPLOY_BAR + NAV_ENDS)

    releases: reactive[tuple[HistoryEntry, ...]] = reactive((), layout=False)
    selected: reactive[HistoryEntry | None] = reactive(None)

    @dataclass
    class Selected(Message):
        """The user picked a segment: select this release in the timeline."""

        sha: str

    def show(self, newest_first: list[HistoryEntry]) -> None:
        """Take the ten newest releases (newest first, as the history gives them)."""
        self.releases = tuple(reversed(newest_first[:SHOWN]))

    def add_older(self, newest_first: list[HistoryEntry]) -> None:
        """Add the next releases of a history being read, while fewer than ten are shown."""
        if len(self.releases) < SHOWN and newest_first:
            self.show([*reversed(self.releases), *newest_first])

    def render(self) -> Text:
        text = span(LABEL, "dim")
        marks = Text(" " * len(LABEL))
        for entry in self.releases:
            if entry.rolled_back:
                glyph, style = "░░░", "red"
            elif entry.current:
                glyph, style = "███", "bold green"
            else:
                glyph, style = "▆▆▆", "blue"
            chosen = self.selected is not None and entry.sha == self.selected.sha
            text.append(glyph, style=style + (" reverse" if chosen and self.has_focus else ""))
            text.append(" ")
            marks.append("▲▲▲ " if chosen else "    ", style="bold")
        if not self.releases:
            text.append("no releases", style="dim")
        text.append("\n")
        text.append_text(marks)
        return text

    def _index_of_selected(self) -> int | None:
        for index, entry in enumerate(self.releases):
            if self.selected is not None and entry.sha == self.selected.sha:
                return index
        return None

    def action_move(self, step: int) -> None:
        if not self.releases:
            return
        index = self._index_of_selected()
        index = len(self.releases) - 1 if index is None else max(0, min(len(self.releases) - 1, index + step))
        self.post_message(self.Selected(self.releases[index].sha))

    def action_nav_top(self) -> None:
        """The oldest deploy shown (the bar runs oldest to newest, left to right)."""
        if self.releases:
            self.post_message(self.Selected(self.releases[0].sha))

    def action_nav_bottom(self) -> None:
        if self.releases:
            self.post_message(self.Selected(self.releases[-1].sha))

    def on_click(self, event: events.Click) -> None:
        index = (event.x - len(LABEL)) // SEGMENT
        if event.x >= len(LABEL) and 0 <= index < len(self.releases):
            self.post_message(self.Selected(self.releases[index].sha))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
