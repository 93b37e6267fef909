"""The bar of recent deploys: the ten newest releases as labelled blocks, oldest on the left.

Each block's shape says its state, so colour is never the only sign: a full block is CURRENT, a cross
is ROLLED BACK, a half block any other release (ASCII stand-ins when the locale is not UTF-8). Under
each block, its version where there is room, else its age; the chosen one's label is reversed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from gimlet_tui.describe import version_sha
from gimlet_tui.gitops import HistoryEntry
from gimlet_tui.text import short_ago
from gimlet_tui.tui.glyphs import glyphs
from gimlet_tui.tui.keys import DEPLOY_BAR, NAV_ENDS, bindings
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.styled import span

SHOWN = 10  # the newest releases, as in Gimlet's dashboard
LABEL = "recent "
NARROWEST, WIDEST = 4, 10  # cells per block, the gap included
VERSION_FROM = 8  # a block this wide (gap excluded) is labelled with its version, else with its age


def block_width(width: int) -> int:
    """Cells per block (gap included) for a bar `width` cells wide."""
    return max(NARROWEST, min(WIDEST, (width - len(LABEL)) // SHOWN))


class DeployBar(Widget, can_focus=True):
    """Ten labelled blocks shaped by state (current, rolled back, other); the chosen one is marked."""

    DEFAULT_CSS = """
    DeployBar {
        height: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(DEPLOY_BAR + NAV_ENDS)

    releases: reactive[tuple[HistoryEntry, ...]] = reactive((), layout=False)
    selected: reactive[HistoryEntry | None] = reactive(None)
    now: reactive[float] = reactive(0.0)

    @dataclass
    class Selected(Message):
        """The user picked a block: select this release in the timeline."""

        sha: str

    def show(self, newest_first: list[HistoryEntry]) -> None:
        """Take the ten newest releases (newest first, as the history gives them)."""
        self.releases = tuple(reversed(newest_first[:SHOWN]))

    def add_older(self, newest_first: list[HistoryEntry]) -> None:
        """Add the next releases of a history being read, while fewer than ten are shown."""
        if len(self.releases) < SHOWN and newest_first:
            self.show([*reversed(self.releases), *newest_first])

    def _shape(self, entry: HistoryEntry, look: Look) -> tuple[str, str]:
        """The block's glyph and style; a reversed style would hollow the block out, so never reverse."""
        marks = glyphs()
        if entry.rolled_back:
            glyph, style = marks.rolled_back, look("rolled_back")
        elif entry.current:
            glyph, style = marks.current, look("current")
        else:
            glyph, style = marks.release, look("version")
        return glyph, " ".join(word for word in style.split() if word != "reverse")

    def _label(self, entry: HistoryEntry, cells: int) -> str:
        if cells >= VERSION_FROM and version_sha(entry):
            return version_sha(entry)[:cells]
        ago = short_ago(entry.committed_at, self.now)
        return ago if len(ago) <= cells else ago[:cells]

    def render(self) -> Text:
        look = look_of(self.app)
        step = block_width(self.size.width)
        cells = step - 1
        blocks = span(LABEL, look("muted"))
        labels = Text(" " * len(LABEL))
        for entry in self.releases:
            glyph, style = self._shape(entry, look)
            chosen = self.selected is not None and entry.sha == self.selected.sha
            blocks.append(glyph * cells, style=style + (" reverse" if chosen and self.has_focus else ""))
            blocks.append(" ")
            labels.append(f"{self._label(entry, cells):^{cells}}", style="reverse" if chosen else look("muted"))
            labels.append(" ")
        if not self.releases:
            blocks.append("no releases", style=look("muted"))
        return Text("\n").join([blocks, labels])

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
        index = (event.x - len(LABEL)) // block_width(self.size.width)
        if event.x >= len(LABEL) and 0 <= index < len(self.releases):
            self.post_message(self.Selected(self.releases[index].sha))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
