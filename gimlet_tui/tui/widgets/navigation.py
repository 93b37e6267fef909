"""One navigation everywhere: the `nav_*` actions of the key table's NAV commands.

`ListNavigation` moves a cursor over rows (the timeline, the env and app selectors); `ScrollNavigation`
scrolls a view (the diff, the details, the help, the confirmation's body). Both understand the same
keys: j/k and arrows, g/G and Home/End, ctrl+d/ctrl+u, PageUp/PageDown.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll

from gimlet_tui.tui.keys import NAV, bindings


class ListNavigation:
    """The nav actions for a widget with a row cursor; subclasses say where the cursor is and how to move it."""

    def nav_index(self) -> int | None:
        raise NotImplementedError

    def nav_count(self) -> int:
        raise NotImplementedError

    def nav_go(self, index: int) -> None:
        raise NotImplementedError

    def nav_height(self) -> int:
        """How many rows are visible."""
        raise NotImplementedError

    def _nav_to(self, index: int) -> None:
        if self.nav_count():
            self.nav_go(max(0, min(self.nav_count() - 1, index)))

    def _nav_by(self, step: int) -> None:
        current = self.nav_index()
        self._nav_to((0 if current is None else current) + step)

    def action_nav_down(self) -> None:
        self._nav_by(1)

    def action_nav_up(self) -> None:
        self._nav_by(-1)

    def action_nav_top(self) -> None:
        self._nav_to(0)

    def action_nav_bottom(self) -> None:
        self._nav_to(self.nav_count() - 1)

    def action_nav_half(self, direction: int) -> None:
        self._nav_by(direction * max(1, self.nav_height() // 2))

    def action_nav_page(self, direction: int) -> None:
        self._nav_by(direction * max(1, self.nav_height() - 1))


class ScrollNavigation:
    """The nav actions for a scrollable view; subclasses say which container scrolls."""

    def nav_view(self) -> VerticalScroll:
        raise NotImplementedError

    def _scroll(self, lines: float) -> None:
        self.nav_view().scroll_relative(y=lines, animate=False)

    def _page(self) -> int:
        return max(1, self.nav_view().scrollable_content_region.height)

    def action_nav_down(self) -> None:
        self._scroll(1)

    def action_nav_up(self) -> None:
        self._scroll(-1)

    def action_nav_top(self) -> None:
        self.nav_view().scroll_home(animate=False)

    def action_nav_bottom(self) -> None:
        self.nav_view().scroll_end(animate=False)

    def action_nav_half(self, direction: int) -> None:
        self._scroll(direction * max(1, self._page() // 2))

    def action_nav_page(self, direction: int) -> None:
        self._scroll(direction * max(1, self._page() - 1))


class Scroller(ScrollNavigation, VerticalScroll):
    """A vertical scroll view with the NAV keys (focused, it takes them before the screen does)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(NAV)

    def nav_view(self) -> VerticalScroll:
        return self
