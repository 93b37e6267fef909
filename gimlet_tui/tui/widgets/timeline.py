"""The release timeline: every release (and deletion) of the app, newest first, filled in batches.

Its columns follow the width (`columns.plan_columns`: what gives way first, and why); a ROLLED BACK
release takes two lines, the second saying who rolled it back and how long ago. Ages are written from
`now`, which the screen moves on every minute (`tick`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from gimlet_tui.describe import (
    author,
    image_tag,
    main_image,
    message,
    ref_label,
    state_word,
    triggered_by,
    version_sha,
)
from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.text import ago, one_line, safe
from gimlet_tui.tui.glyphs import glyphs
from gimlet_tui.tui.keys import NAV, TIMELINE, bindings
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.styled import literal, state_label
from gimlet_tui.tui.widgets.columns import HASH_SHORT, ColumnPlan, plan_columns
from gimlet_tui.tui.widgets.navigation import ListNavigation


def cell(text: Text) -> Text:
    """One line per line of the cell, cut with an ellipsis: a cell never wraps into the next row."""
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


UNITS = {"second": "s", "minute": "m", "hour": "h", "day": "d", "week": "w", "month": "mo", "year": "y"}


def age(timestamp: int | None, now: float, short: bool) -> str:
    """ "25 minutes ago", or "25m ago" where the column is narrow (the same rounding, fewer letters)."""
    words = ago(timestamp, now)
    if not short:
        return words
    parts = [*words.split(",")[0].removesuffix(" ago").split(), "ago"]  # "1 year, 1 month ago": 1y ago
    if len(parts) == 3:
        count = "1" if parts[0] in ("a", "an") else parts[0]
        unit = UNITS.get(parts[1].rstrip("s"))
        if unit and count.isdigit():
            return f"{count}{unit} ago"
    return words


class Timeline(ListNavigation, DataTable[Text]):
    """Rows keyed by gitops sha; a text filter narrows them without re-reading git."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;  /* the columns fit the width: see columns.plan_columns */
        /* The cursor row: the theme's primary colour faded under the foreground, readable (AA). */
        &:focus > .datatable--cursor {
            background: $primary 45%;
            color: $foreground;
            text-style: bold;
        }
        & > .datatable--cursor {
            background: $primary 20%;
            color: $foreground;
        }
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
        self.plan = plan_columns(0)
        self.done = False  # the whole history is here
        self.positioned = False  # the cursor was put on the CURRENT release (or the newest entry)
        # What enter does, called at once: keys typed after it reach the details it opens (a RowSelected
        # message would arrive after them). A click still posts RowSelected.
        self.on_choose: Callable[[], None] | None = None
        # What a cursor move shows (the detail pane, the footer's keys), called at once as the cursor
        # moves: EntryHighlighted comes two message hops later, a frame after the cursor (about 20 ms).
        self.on_highlight: Callable[[HistoryEntry | None], None] | None = None

    def _plan(self) -> ColumnPlan:
        return plan_columns(self.size.width - 1)  # the vertical scrollbar's cell is kept free

    def _add_columns(self) -> None:
        self.plan = self._plan()
        for column in self.plan.columns:
            self.add_column(column.label, width=column.width, key=column.key)

    def on_mount(self) -> None:
        self._add_columns()

    def on_resize(self) -> None:
        if self._plan() != self.plan:
            keep = self.selected
            self.clear(columns=True)
            self._add_columns()
            self._refill(keep)

    def restyle(self) -> None:
        """Every row written again (another theme), the cursor kept on its release."""
        keep = self.selected
        self.clear()
        self._refill(keep)

    def tick(self, now: float) -> None:
        """Write the ages again from `now` (they grow while the app stays open)."""
        self.now = now
        for entry in self.entries:
            if entry.sha in self.rows:
                self.update_cell(entry.sha, "when", self._cells(entry)["when"])
                if entry.rolled_back:
                    self.update_cell(entry.sha, "release", self._cells(entry)["release"])

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
        look = look_of(self.app)
        text = Text(f"{releases} release{'s' if releases != 1 else ''}")
        if deletions:
            text.append(f", {deletions} deletion{'s' if deletions != 1 else ''}")
        if not self.done:
            text.append(", loading", style=look("muted"))
        if self.filter_text:
            text.append(f"  filter: {safe(self.filter_text)} ({self.row_count} shown)", style=look("heading"))
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
        """The same history with new states (after a rollback): only the state cells that changed are redrawn.

        A row that becomes ROLLED BACK also gets a second line ("by NAME, AGE"), and a DataTable fixes
        a row's height when the row is added: those rows are written again, but after the new states
        are on screen (writing every row again took 60 ms at 500 rows, in front of the first paint).
        """
        shown = [e for e in entries if e.kind is not EntryKind.REVERT]
        if self.filter_text or [e.sha for e in shown] != [e.sha for e in self.entries]:
            keep = self.selected
            self.entries, self._by_sha = shown, {e.sha: e for e in shown}
            self.clear()
            self._refill(keep)
            return
        taller = any(old.rolled_back != new.rolled_back for old, new in zip(self.entries, shown, strict=True))
        for old, new in zip(self.entries, shown, strict=True):
            if old != new:
                self._by_sha[new.sha] = new
                self.update_cell(new.sha, "state", cell(state_label(new, look_of(self.app))))
        self.entries = shown
        if taller:
            self.call_after_refresh(self._write_rows_again, shown)

    def _write_rows_again(self, entries: list[HistoryEntry]) -> None:
        """Every row written again (new heights), unless another history or filter came meanwhile."""
        if self.entries is not entries or self.filter_text:
            return  # that one was written whole (or is being restated: its own call comes)
        keep, scrolled = self.selected, self.scroll_y
        self.clear()
        self._refill(keep)
        # clear() scrolls to the top, and the cursor is brought back into view only a frame later:
        # the same place again at once (the table's height has not been measured anew yet, so the
        # old position is still in range; the new rows are as many, some taller).
        self.scroll_to(y=scrolled, animate=False, immediate=True)

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
        cells = self._cells(entry)
        height = 2 if entry.rolled_back else 1
        self.add_row(*(cells[key] for key in self.plan.keys), key=entry.sha, height=height)

    def _cells(self, entry: HistoryEntry) -> dict[str, Text]:
        plan, look = self.plan, look_of(self.app)
        short = HASH_SHORT if plan.short_hashes else len(entry.short)
        return {
            "when": cell(Text(age(entry.committed_at, self.now, plan.short_ages))),
            "gitops": cell(Text(entry.sha[:short], style=look("sha"))),
            "state": cell(state_label(entry, look)),
            "release": cell(self._release(entry, look)),
            "image": cell(literal(image_tag(entry))),
            "author": cell(literal(author(entry))),
            "by": cell(literal(triggered_by(entry))),
            "ref": cell(literal(ref_label(entry))),
        }

    def _release(self, entry: HistoryEntry, look: Look) -> Text:
        if entry.kind is EntryKind.DELETION:
            return literal(entry.subject, look("deleted"))
        text = literal(version_sha(entry)[: self.plan.version_width], look("version"))
        text.append(" ")
        text.append_text(literal(message(entry)))
        if entry.release is not None and entry.release.problem:
            text.append(f" {glyphs().problem}", style=look("problem"))
        if entry.rolled_back:
            text.append("\n")
            # "by NAME, AGE: REASON" (the state column already says ROLLED BACK)
            who = one_line(entry.rolled_back_by_name) or (entry.rolled_back_by or "?")[:10]
            when = f", {age(entry.rolled_back_at, self.now, self.plan.short_ages)}" if entry.rolled_back_at else ""
            why = f": {one_line(entry.rolled_back_reason)}" if entry.rolled_back_reason else ""
            text.append_text(literal(f"{glyphs().rolled_back_by} by {who}{when}{why}", look("rolled_back")))
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

    def action_select_cursor(self) -> None:
        if self.on_choose is None:
            super().action_select_cursor()
        elif self.row_count:
            self.on_choose()

    def nav_index(self) -> int | None:
        return self.cursor_row if self.row_count else None

    def nav_count(self) -> int:
        return self.row_count

    def nav_go(self, index: int) -> None:
        self.positioned = True  # the user moved: a later batch never takes the cursor back
        self.move_cursor(row=index, animate=False)

    def nav_height(self) -> int:
        return self.scrollable_content_region.height - self.header_height

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        if old_coordinate != new_coordinate and self.on_highlight is not None:
            self.on_highlight(self.selected)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.EntryHighlighted(self.selected))
