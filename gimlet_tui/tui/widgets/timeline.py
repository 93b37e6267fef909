"""The release timeline: every release (and deletion) of the app, newest first, filled in batches.

Its columns follow the width (`columns.plan_columns`: what gives way first, and why); a ROLLED BACK
release takes two lines, the second saying who rolled it back and how long ago. Ages are written from
`now`, which the screen moves on every minute (`tick`). Rows are drawn by `RowView`: a row's cells are
written when it is first on screen, so a batch of 500 releases costs nothing until it is scrolled to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType

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
from gimlet_tui.tui.widgets.row_view import HEADER, RowView

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


class Timeline(ListNavigation, RowView):
    """Rows keyed by gitops sha; a text filter narrows them without re-reading git."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;  /* the columns fit the width: see columns.plan_columns */
        /* The cursor row: the theme's primary colour faded under the foreground, readable (AA). */
        &:focus > .row-view--cursor {
            background: $primary 45%;
            color: $foreground;
            text-style: bold;
        }
        & > .row-view--cursor {
            background: $primary 20%;
            color: $foreground;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(NAV), *bindings(TIMELINE)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[HistoryEntry] = []
        self._by_sha: dict[str, HistoryEntry] = {}
        self.filter_text = ""
        self.now = 0.0
        self.plan = plan_columns(0)
        self.done = False  # the whole history is here
        self.positioned = False  # the cursor was put on the CURRENT release (or the newest entry)
        # What enter (or a click on the cursor's row) does, called at once: keys typed after it reach
        # the details it opens.
        self.on_choose: Callable[[], None] | None = None
        # What a cursor move shows (the detail pane, the footer's keys), called at once as the cursor
        # moves, so they change in the same frame as the cursor.
        self.on_highlight: Callable[[HistoryEntry | None], None] | None = None

    def _plan(self) -> ColumnPlan:
        return plan_columns(self.size.width - 1)  # the vertical scrollbar's cell is kept free

    def _set_columns(self) -> None:
        self.plan = self._plan()
        self.set_columns([c.label for c in self.plan.columns], [c.width for c in self.plan.columns])

    def on_mount(self) -> None:
        self._set_columns()

    def on_resize(self) -> None:
        if self._plan() != self.plan:
            self._set_columns()  # every row written again when next shown, the cursor where it was
        self.scroll_to_cursor()

    def restyle(self) -> None:
        """Every row written again (another theme)."""
        self.forget()

    def tick(self, now: float) -> None:
        """Write the ages again from `now` (they grow while the app stays open)."""
        self.now = now
        self.forget()

    def reset(self, now: float) -> None:
        """Empty, for the history of another app (read from `now`'s point of view)."""
        self.entries = []
        self._by_sha = {}
        self.now = now
        self.done = self.positioned = False
        self.clear_rows()

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
            self.move_cursor(0)
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
        before = self.selected
        shown = [e for e in entries if e.kind is not EntryKind.REVERT]
        self.entries.extend(shown)
        self._by_sha.update((e.sha, e) for e in shown)
        self._add(e for e in shown if self._matches(e))
        self._announce(before)

    def restate(self, entries: list[HistoryEntry]) -> None:
        """The same history with new states (after a rollback): only the rows that changed are redrawn.

        A row that becomes ROLLED BACK takes a second line ("by NAME, AGE"), in the same frame.
        """
        shown = [e for e in entries if e.kind is not EntryKind.REVERT]
        if self.filter_text or [e.sha for e in shown] != [e.sha for e in self.entries]:
            keep = self.selected
            self.entries, self._by_sha = shown, {e.sha: e for e in shown}
            self._refill(keep)
            return
        # (the core hands back the same entry where its state stayed: most of them, and no comparison)
        changed = [new for old, new in zip(self.entries, shown, strict=True) if old is not new and old != new]
        self.entries = shown
        for entry in changed:
            self._by_sha[entry.sha] = entry
            self.set_height(entry.sha, _height(entry))
        self.forget(entry.sha for entry in changed)
        self.scroll_to_cursor()  # rows above it may have grown

    def apply_filter(self, text: str) -> None:
        """Show only entries whose text holds `text` (case-insensitive), keeping the cursor's entry."""
        keep = self.selected
        self.filter_text = text.strip().lower()
        self._refill(keep)

    def next_match(self, step: int) -> None:
        """Move to the next (step 1) or previous (-1) row that matches the filter, wrapping around."""
        count = self.row_count
        for offset in range(1, count + 1):
            row = (self.cursor_row + step * offset) % count
            entry = self._by_sha.get(self.key_at(row))
            if entry is not None and self._matches(entry):
                self.move_cursor(row)
                return

    def _refill(self, keep: HistoryEntry | None) -> None:
        before = self.selected
        self.clear_rows()
        self._add(e for e in self.entries if self._matches(e))
        if keep is not None:
            self.select(keep.sha)
        self._announce(before)

    def _add(self, entries: Iterable[HistoryEntry]) -> None:
        self.add_rows((entry.sha, _height(entry)) for entry in entries)

    def _announce(self, before: HistoryEntry | None) -> None:
        """Tell the screen when the rows changed under the cursor (the cursor itself did not move)."""
        if self.selected is not before:
            self.cursor_moved()

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

    def row_cells(self, key: str) -> Sequence[Text]:
        cells = self._cells(self._by_sha[key])
        return [cells[column] for column in self.plan.keys]

    def _cells(self, entry: HistoryEntry) -> dict[str, Text]:
        plan, look = self.plan, look_of(self.app)
        short = HASH_SHORT if plan.short_hashes else len(entry.short)
        return {
            "when": Text(age(entry.committed_at, self.now, plan.short_ages)),
            "gitops": Text(entry.sha[:short], style=look("sha")),
            "state": state_label(entry, look),
            "release": self._release(entry, look),
            "image": literal(image_tag(entry)),
            "author": literal(author(entry)),
            "by": literal(triggered_by(entry)),
            "ref": literal(ref_label(entry)),
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
        return self._by_sha.get(self.key_at(self.cursor_row)) if self.row_count else None

    def select(self, sha: str) -> bool:
        """Move the cursor to the row of `sha`, if it is shown."""
        row = self.row_index(sha)
        if row is None:
            return False
        self.move_cursor(row)
        return True

    def action_select_cursor(self) -> None:
        if self.row_count and self.on_choose is not None:
            self.on_choose()

    def cursor_moved(self) -> None:
        if self.on_highlight is not None:
            self.on_highlight(self.selected)

    def nav_index(self) -> int | None:
        return self.cursor_row if self.row_count else None

    def nav_count(self) -> int:
        return self.row_count

    def nav_go(self, index: int) -> None:
        self.positioned = True  # the user moved: a later batch never takes the cursor back
        self.move_cursor(index)

    def clicked(self, row: int) -> None:
        self.nav_go(row)

    def nav_height(self) -> int:
        return self.scrollable_content_region.height - HEADER


def _height(entry: HistoryEntry) -> int:
    return 2 if entry.rolled_back else 1
