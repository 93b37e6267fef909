"""A full-screen, scrollable, coloured unified diff."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from gimlet_tui.tui.render import diff_text

MAX_LINES = 20_000


class DiffScreen(ModalScreen[None]):
    """Shows a diff; escape or q closes it."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, title: str, diff: str) -> None:
        super().__init__()
        self.title_text = title
        self.diff = diff

    def compose(self) -> ComposeResult:
        lines = self.diff.splitlines()
        shown = "\n".join(lines[:MAX_LINES])
        with VerticalScroll(id="diff-view") as view:
            view.border_title = self.title_text
            if len(lines) > MAX_LINES:
                view.border_subtitle = f"first {MAX_LINES:,} of {len(lines):,} lines"
            yield Static(diff_text(shown) if shown else "No changes.")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#diff-view").focus()

    def action_scroll(self, direction: str) -> None:
        view = self.query_one("#diff-view", VerticalScroll)
        view.scroll_relative(y=1 if direction == "down" else -1, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
