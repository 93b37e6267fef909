"""The help screen: every key, in one place."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Moving", [
        ("j / k, arrows", "move in the timeline and the lists"),
        ("tab / shift+tab", "next / previous pane"),
        ("e / a", "jump to the env / app selector"),
        ("b", "jump to the recent-deploys bar (left/right pick a deploy)"),
        ("enter", "details of the selected release"),
        ("/", "filter the timeline by text (escape clears)"),
    ]),
    ("Acting", [
        ("r", "roll back to the selected release (asks first)"),
        ("y / n", "in the confirmation: roll back / cancel"),
        ("d", "diff: what the release changed, or what the rollback will change"),
        ("R", "reload from disk"),
        ("f", "fetch remote repositories, then reload"),
    ]),
    ("Anywhere", [
        ("ctrl+p", "command palette: every action by name"),
        ("?", "this help"),
        ("q", "quit"),
    ]),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys; escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        text = Text()
        for section, keys in KEYS:
            text.append(f"{section}\n", style="bold underline")
            for key, what in keys:
                text.append(f"  {key:<16}", style="bold cyan")
                text.append(f"{what}\n")
            text.append("\n")
        text.append("Rolling back makes one revert commit per newer release, so the app's\n"
                    "files are exactly those of the release you pick. Nothing is written\n"
                    "before you confirm.", style="dim")
        with VerticalScroll(id="help-view") as view:
            view.border_title = "gimlet-tui keys"
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)
