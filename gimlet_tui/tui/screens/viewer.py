"""A full-screen, scrollable view of text: the base of the diff, the details and the help."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from gimlet_tui.tui.keys import VIEWER, bindings
from gimlet_tui.tui.look import Look, look_of
from gimlet_tui.tui.widgets.navigation import Scroller


class Viewer(ModalScreen[None]):
    """Shows `body` under `title`; escape or q closes it; the NAV keys scroll it."""

    DEFAULT_CSS = """
    Viewer {
        align: center middle;
    }
    Viewer > #view {
        width: 100%;
        height: 1fr;
        border: round $accent;
        border-title-color: $foreground;
        border-subtitle-color: $foreground;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(VIEWER)

    def __init__(self, title: str, subtitle: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.subtitle = subtitle

    def body(self, look: Look) -> RenderableType:
        """What the view shows, in the theme's styles."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Scroller(id="view") as view:
            view.border_title = self.title_text
            if self.subtitle:
                view.border_subtitle = self.subtitle
            yield Static(self.body(look_of(self.app)), id="view-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#view").focus()

    def action_close(self) -> None:
        self.dismiss(None)
