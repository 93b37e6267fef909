"""A full-screen, scrollable view of text: the base of the diff, the details and the help."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from gimlet_tui.tui.keys import VIEWER, bindings


class Viewer(ModalScreen[None]):
    """Shows `body` under `title`; escape or q closes it, j and k scroll."""

    DEFAULT_CSS = """
    Viewer {
        align: center middle;
    }
    Viewer > #view {
        width: 100%;
        height: 1fr;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(VIEWER)

    def __init__(self, title: str, body: Text | str, subtitle: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.subtitle = subtitle

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="view") as view:
            view.border_title = self.title_text
            if self.subtitle:
                view.border_subtitle = self.subtitle
            yield Static(self.body)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#view").focus()

    def action_scroll_down(self) -> None:
        self.query_one("#view", VerticalScroll).scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#view", VerticalScroll).scroll_relative(y=-1, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
