"""The bar of recent deploys: the ten newest releases as segments, oldest on the left."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.tui.render import span

SEGMENT = 4  # cells per segment, the gap included
LABEL = "recent "


class DeployBar(Widget, can_focus=True):
    """Ten segments coloured by state (current, rolled back, other); the selected one is marked."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Older", show=False),
        Binding("right,l", "move(1)", "Newer", show=False),
    ]

    releases: reactive[tuple[HistoryEntry, ...]] = reactive((), layout=False)
    selected: reactive[str | None] = reactive(None)

    @dataclass
    class Selected(Message):
        """The user picked a segment: select this release in the timeline."""

        sha: str

    def show(self, newest_first: list[HistoryEntry]) -> None:
        """Take the ten newest releases (newest first, as the history gives them)."""
        self.releases = tuple(reversed(newest_first[:10]))

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
            chosen = entry.sha == self.selected
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
            if entry.sha == self.selected:
                return index
        return None

    def action_move(self, step: int) -> None:
        if not self.releases:
            return
        index = self._index_of_selected()
        index = len(self.releases) - 1 if index is None else max(0, min(len(self.releases) - 1, index + step))
        self.post_message(self.Selected(self.releases[index].sha))

    def on_click(self, event: events.Click) -> None:
        index = (event.x - len(LABEL)) // SEGMENT
        if event.x >= len(LABEL) and 0 <= index < len(self.releases):
            self.post_message(self.Selected(self.releases[index].sha))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
