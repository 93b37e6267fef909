"""A table drawn line by line (Textual's line API): a header, rows of one or more lines, a row cursor.

Why not a DataTable: a DataTable renders every cell of every row it is given through Rich's layout,
and lays the screen out again when rows come or go; a new app's first screenful took 23 ms of drawing
(bench/NOTES.md). Here a row is written into one strip per line the first time it is on screen, and
kept until its cells change: adding 500 rows costs a list of keys, moving the cursor restyles two
strips, and a rollback's new states redraw the rows they touch, second lines included.

Subclasses say what a row holds (`row_cells`) and what a cursor move or a choice means
(`cursor_moved`, `action_select_cursor`). Keys are strings (the timeline's gitops shas).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size, Spacing
from textual.scroll_view import ScrollView
from textual.strip import Strip

HEADER = 1  # the header's lines: it stays on top while the rows scroll
PAD = 1  # blank cells either side of a cell
SHRINK_AFTER = 0.25  # seconds an emptied view keeps its size, waiting for its next rows


class RowView(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows keyed by string, one strip per line, rendered when first shown; a cursor over the rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-view--header",
        "row-view--cursor",
        "row-view--even-row",
        "row-view--odd-row",
        "row-view--hover",
    }
    DEFAULT_CSS = """
    RowView {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-view--header { background-tint: $foreground 5%; }
        }
        & > .row-view--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .row-view--header { background: ansi_bright_blue; color: ansi_default; }
        & > .row-view--odd-row { }
        & > .row-view--even-row { background: $surface-lighten-1 50%; }
        &:dark > .row-view--even-row { background: $surface-darken-1 40%; }
        & > .row-view--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .row-view--hover { background: $block-hover-background; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cursor_row = 0
        self._keys: list[str] = []  # top to bottom
        self._index: dict[str, int] = {}
        self._heights: list[int] = []
        self._tops: list[int] = []  # each row's first line, counted below the header
        self._labels: tuple[str, ...] = ()
        self._widths: tuple[int, ...] = ()
        self._strips: dict[str, list[Strip]] = {}  # a row's lines as written, before the row's style
        self._header: Strip | None = None
        self._hover: int | None = None

    # -- what subclasses say ------------------------------------------------------------------

    def row_cells(self, key: str) -> Sequence[Text]:
        """The cells of row `key`, one per column, in column order."""
        raise NotImplementedError

    def cursor_moved(self) -> None:
        """The cursor is on another row (or the rows under it changed)."""

    def action_select_cursor(self) -> None:
        """Enter, or a click on the cursor's row."""

    def clicked(self, row: int) -> None:
        """The user clicked `row` (not the cursor's): the cursor goes there."""
        self.move_cursor(row)

    # -- rows ---------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def row_keys(self) -> list[str]:
        """The rows' keys, top to bottom."""
        return list(self._keys)

    def row_height(self, row: int) -> int:
        return self._heights[row]

    def row_index(self, key: str) -> int | None:
        return self._index.get(key)

    def key_at(self, row: int) -> str:
        return self._keys[row]

    def set_columns(self, labels: Sequence[str], widths: Sequence[int]) -> None:
        """The columns, left to right; every row is written again when next shown."""
        self._labels, self._widths = tuple(labels), tuple(widths)
        self._header = None
        self.forget()

    def clear_rows(self) -> None:
        """No rows; the cursor back on the first row to come, the view at the top."""
        self._keys, self._index, self._heights, self._tops = [], {}, [], []
        self._strips.clear()
        self.cursor_row, self._hover = 0, None
        self.scroll_to(y=0, animate=False, immediate=True)
        # The scrollable size follows the rows that come next (another app's, a filter's): shrunk
        # now, the scrollbar would go and come back a few milliseconds later, two layouts of the
        # screen. Should no rows come, it is shrunk a moment later.
        self.set_timer(SHRINK_AFTER, self._resize_view)
        self.refresh()

    def add_rows(self, rows: Iterable[tuple[str, int]]) -> None:
        """Rows (key, height in lines) after the last; only the lines on screen are redrawn."""
        first = len(self._keys)
        line = self._lines()
        for key, height in rows:
            self._index[key] = len(self._keys)
            self._keys.append(key)
            self._heights.append(height)
            self._tops.append(line)
            line += height
        if len(self._keys) != first:
            self._resize_view()
            self._refresh_from(first)

    def set_height(self, key: str, height: int) -> None:
        """Row `key` has another height now (the rows below it move down or up)."""
        row = self._index[key]
        if self._heights[row] == height:
            return
        self._heights[row] = height
        self._strips.pop(key, None)  # its lines are written again, as many as it has now
        line = self._tops[row]
        for below in range(row, len(self._keys)):
            self._tops[below] = line
            line += self._heights[below]
        self._resize_view()
        self._refresh_from(row)

    def forget(self, keys: Iterable[str] | None = None) -> None:
        """Rows written again when next shown: these, or all of them (the ages moved, the theme changed)."""
        if keys is None:
            self._strips.clear()
            self._header = None
            self.refresh()
            return
        for key in keys:
            if self._strips.pop(key, None) is not None:
                self._refresh_row(self._index[key])

    def _lines(self) -> int:
        return self._tops[-1] + self._heights[-1] if self._keys else 0

    def _resize_view(self) -> None:
        """The scrollable size follows the rows, without laying the screen out again.

        Assigning `virtual_size` lays the whole screen out (10 ms with the main screen's widgets, on
        every batch of rows), though the view's own size does not depend on its rows: only the
        scrollbars do. They are updated here; a scrollbar that appears or goes still lays it out.
        """
        size = Size(sum(self._widths) + 2 * PAD * len(self._widths), HEADER + self._lines())
        if size != self.virtual_size:
            self.set_reactive(RowView.virtual_size, size)
            self._scroll_update(size)  # Textual's own step when a layout finds a new virtual size

    # -- the cursor ---------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` (kept in range) and bring it into view."""
        if not self._keys:
            return
        row = max(0, min(len(self._keys) - 1, row))
        old, self.cursor_row = self.cursor_row, row
        if self._hover is not None:
            self._refresh_row(self._hover)
            self._hover = None  # the keyboard moved: the mouse's row is not shown meanwhile
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
        self.scroll_to_cursor()
        if old != row:
            self.cursor_moved()

    def scroll_to_cursor(self) -> None:
        """The view scrolled so the cursor's row is whole below the header (at once, if laid out)."""
        if not self._keys:
            return
        row = min(self.cursor_row, len(self._keys) - 1)
        region = Region(0, HEADER + self._tops[row], 1, self._heights[row])
        if self.size.height:
            self.scroll_to_region(region, spacing=Spacing(top=HEADER), animate=False, force=True, immediate=True)
        else:
            self.call_after_refresh(self.scroll_to_cursor)

    def row_at(self, y: int) -> int | None:
        """The row under line `y` of the view (None for the header and below the rows)."""
        line = y - HEADER + round(self.scroll_y)
        if y < HEADER or line < 0 or line >= self._lines():
            return None
        return bisect_right(self._tops, line) - 1

    # -- the mouse ----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        row = self.row_at(event.y)
        if row is None:
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.clicked(row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self.row_at(event.y))

    def on_leave(self, _: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, row: int | None) -> None:
        if row == self._hover:
            return
        for old in (self._hover, row):
            if old is not None:
                self._refresh_row(old)
        self._hover = row

    # -- drawing ------------------------------------------------------------------------------

    def _refresh_row(self, row: int) -> None:
        if 0 <= row < len(self._keys):
            y = HEADER + self._tops[row] - round(self.scroll_y)
            self.refresh(Region(0, y, self.size.width, self._heights[row]))

    def _refresh_from(self, row: int) -> None:
        """Redraw from `row`'s first line down (only what is on screen costs anything)."""
        y = max(HEADER, HEADER + self._tops[row] - round(self.scroll_y)) if row < len(self._keys) else HEADER
        if y < self.size.height:
            self.refresh(Region(0, y, self.size.width, self.size.height - y))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y < HEADER:
            if self._header is None:
                self._header = self._write([Text(label) for label in self._labels], HEADER)[0]
            header = self.get_component_rich_style("row-view--header")
            return self._header.apply_style(header).adjust_cell_length(width, header)
        row = self.row_at(y)
        if row is None:
            return Strip.blank(width, self.rich_style)
        key = self._keys[row]
        lines = self._strips.get(key)
        if lines is None:
            lines = self._strips[key] = self._write(self.row_cells(key), self._heights[row])
        line = lines[y - HEADER + round(self.scroll_y) - self._tops[row]]
        style = self.get_component_rich_style("row-view--even-row" if row % 2 == 0 else "row-view--odd-row")
        if row == self._hover and row != self.cursor_row:
            style += self.get_component_rich_style("row-view--hover")
        if row == self.cursor_row:
            cursor = self.get_component_rich_style("row-view--cursor")
            # the cursor's colour over every cell's own (a DataTable's "css" foreground priority)
            segments = Segment.apply_style(line, style + cursor, Style(color=cursor.color))
            return Strip(segments, line.cell_length).adjust_cell_length(width, style + cursor)
        return line.apply_style(style).adjust_cell_length(width, style)

    def _write(self, cells: Sequence[Text], height: int) -> list[Strip]:
        """The row's lines: each cell cut to its column (an ellipsis where it is cut), padded."""
        console = self.app.console
        lines: list[list[Segment]] = [[] for _ in range(height)]
        blank = Segment(" " * PAD, Style())  # (a style, never None: the colour filters read it)
        for cell, width in zip(cells, self._widths, strict=False):
            parts = cell.split("\n", allow_blank=True) if "\n" in cell.plain else [cell]
            for number, segments in enumerate(lines):
                part = parts[number].copy() if number < len(parts) else Text()
                part.truncate(width, overflow="ellipsis", pad=True)
                segments.append(blank)
                segments.extend(_segments(part, console))
                segments.append(blank)
        total = sum(self._widths) + 2 * PAD * len(self._widths)
        return [Strip(segments, total) for segments in lines]


def _segments(text: Text, console: Console) -> Iterable[Segment]:
    """The text's segments, each with a style (Rich leaves out the base style of a text without spans)."""
    base = console.get_style(text.style, default=Style()) if text.style else Style()
    for part, style, _ in text.render(console):
        yield Segment(part, base + style if style else base)
