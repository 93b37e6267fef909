"""The release timeline: every release (and deletion) of the app, newest first, filled in batches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from gimlet_tui.describe import author, image_tag, main_image, message, ref_label, state_word, triggered_by, version_sha
from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.text import ago, safe
from gimlet_tui.tui.keys import NAV, TIMELINE, bindings
from gimlet_tui.tui.styled import literal, state_label
from gimlet_tui.tui.widgets.navigation import ListNavigation

COLUMNS = (
    ("when", 14),
    ("gitops", 10),
    ("state", 11),
    ("release", 0),
    ("image", 14),
    ("author", 14),
    ("by", 10),
    ("ref", 20),
)
RELEASE_MIN = 34  # the release column takes what the others leave, never less than this


class Timeline(ListNavigation, DataTable[Text]):
    """Rows keyed by gitops sha; a text filter narrows them without re-reading git."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(NAV), *bindings(TIMELINE)]

    @dataclass
    class EntryHighlighted(Message):
        """The cursor is on this entry (None when the timeline is empty)."""

        entry: HistoryEntry | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.entries: list[HistoryEntry] = []
        self._by_sha: dict[str, HistoryEntry] = {}
        self.filter_text = ""
        self.now = 0.0
        self.release_width = RELEASE_MIN
        self.done = False  # the whole history is here
        self.positioned = False  # the cursor was put on the CURRENT release (or the newest entry)

    def _release_width(self) -> int:
        others = sum(width for _, width in COLUMNS) + 2 * len(COLUMNS) + 1  # cell padding, scrollbar
        return max(RELEASE_MIN, self.size.width - others)

    def _add_columns(self) -> None:
        self.release_width = self._release_width()
        for label, width in COLUMNS:
            self.add_column(label, width=width or self.release_width, key=label)

    def on_mount(self) -> None:
        self._add_columns()

    def on_resize(self) -> None:
        if self._release_width() != self.release_width:
            keep = self.selected
            self.clear(columns=True)
            self._add_columns()
            self._refill(keep)

    def reset(self, now: float) -> None:
        """Empty, for the history of another app (read from `now`'s point of view)."""
        self.entries = []
        self._by_sha = {}
        self.now = now
        self.done = self.positioned = False
        self.clear()

    def add_batch(self, entries: tuple[HistoryEntry, ...], done: bool) -> bool:
        """Add the next batch of the history; True when this put the cursor on the CURRENT release.

        The cursor goes there as soon as it is shown (or on the newest entry once the whole history
        is here and none is current), so `j r y` always means "one release back from what runs".
        """
        self.append(entries)
        self.done = done
        if self.positioned:
            return False
        current = next((e for e in self.entries if e.current), None)
        if current is None and not (done and self.row_count):
            return False
        self.positioned = True
        if not (current is not None and self.select(current.sha)):
            self.move_cursor(row=0, animate=False)
        return True

    def summary(self) -> Text:
        """The status line's count of what is shown: releases, deletions, loading, the filter."""
        releases = sum(1 for e in self.entries if e.kind is EntryKind.RELEASE)
        deletions = len(self.entries) - releases
        text = Text(f"{releases} release{'s' if releases != 1 else ''}", style="dim")
        if deletions:
            text.append(f", {deletions} deletion{'s' if deletions != 1 else ''}", style="dim")
        if not self.done:
            text.append("  loading…", style="dim italic")
        if self.filter_text:
            text.append(f"  filter: {safe(self.filter_text)} ({self.row_count} shown)", style="bold")
        return text

    def append(self, entries: tuple[HistoryEntry, ...]) -> None:
        """Add the next batch (reverts are not rows: they show as ROLLED BACK on what they reverted)."""
        shown = [e for e in entries if e.kind is not EntryKind.REVERT]
        self.entries.extend(shown)
        self._by_sha.update((e.sha, e) for e in shown)
        for entry in shown:
            if self._matches(entry):
                self._add(entry)

    def restate(self, entries: list[HistoryEntry]) -> None:
        """The same history with new states (after a rollback): only the state cells that changed are redrawn."""
        shown = [e for e in entries if e.kind is not EntryKind.REVERT]
        if self.filter_text or [e.sha for e in shown] != [e.sha for e in self.entries]:
            keep = self.selected
            self.entries, self._by_sha = shown, {e.sha: e for e in shown}
            self.clear()
            self._refill(keep)
            return
        for old, new in zip(self.entries, shown, strict=True):
            if old != new:
                self._by_sha[new.sha] = new
                self.update_cell(new.sha, "state", state_label(new))
        self.entries = shown

    def apply_filter(self, text: str) -> None:
        """Show only entries whose text holds `text` (case-insensitive), keeping the cursor's entry."""
        keep = self.selected
        self.filter_text = text.strip().lower()
        self.clear()
        self._refill(keep)

    def next_match(self, step: int) -> None:
        """Move to the next (step 1) or previous (-1) row that matches the filter, wrapping around."""
        count = self.row_count
        for offset in range(1, count + 1):
            row = (self.cursor_row + step * offset) % count
            key = self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
            entry = self._by_sha.get(key) if key is not None else None
            if entry is not None and self._matches(entry):
                self.move_cursor(row=row, animate=False)
                return

    def _refill(self, keep: HistoryEntry | None) -> None:
        for entry in self.entries:
            if self._matches(entry):
                self._add(entry)
        if keep is not None:
            self.select(keep.sha)

    def _matches(self, entry: HistoryEntry) -> bool:
        if not self.filter_text:
            return True
        haystack = " ".join(
            (
                entry.sha,
                version_sha(entry),
                message(entry),
                author(entry),
                triggered_by(entry),
                ref_label(entry),
                state_word(entry),
                entry.subject,
                main_image(entry),
            )
        ).lower()
        return self.filter_text in haystack

    def _add(self, entry: HistoryEntry) -> None:
        when = Text(ago(entry.committed_at, self.now))
        self.add_row(
            when,
            Text(entry.short, style="yellow"),
            state_label(entry),
            self._release(entry),
            literal(image_tag(entry)),
            literal(author(entry)),
            literal(triggered_by(entry)),
            literal(ref_label(entry)),
            key=entry.sha,
        )

    @staticmethod
    def _release(entry: HistoryEntry) -> Text:
        if entry.kind is EntryKind.DELETION:
            return literal(entry.subject, "yellow")
        text = literal(version_sha(entry), "cyan")
        text.append(" ")
        text.append_text(literal(message(entry)))
        if entry.release is not None and entry.release.problem:
            text.append(" ⚠", style="bold yellow")
        return text

    @property
    def selected(self) -> HistoryEntry | None:
        """The entry under the cursor."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value
        return self._by_sha.get(key) if key is not None else None

    def select(self, sha: str) -> bool:
        """Move the cursor to the row of `sha`, if it is shown."""
        try:
            row = self.get_row_index(sha)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=row, animate=False)
        return True

    def nav_index(self) -> int | None:
        return self.cursor_row if self.row_count else None

    def nav_count(self) -> int:
        return self.row_count

    def nav_go(self, index: int) -> None:
        self.move_cursor(row=index, animate=False)

    def nav_height(self) -> int:
        return self.scrollable_content_region.height - self.header_height

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.EntryHighlighted(self.selected))
