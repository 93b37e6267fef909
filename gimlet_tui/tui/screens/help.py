"""The help screen: every key, built from the key table, showing the keys in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType

from gimlet_tui.tui.keys import HELP_CLOSE, SECTIONS, bindings, shown_keys
from gimlet_tui.tui.screens.viewer import Viewer

FOOTNOTE = (
    "Rolling back makes one revert commit per newer release, so the app's\n"
    "files are exactly those of the release you pick. Nothing is written\n"
    "before you confirm."
)


def help_text(keymap: Mapping[str, str]) -> Text:
    """Every section of the key table, with the keys `keymap` binds (else the defaults)."""
    text = Text()
    for section in SECTIONS:
        text.append(f"{section.title}\n", style="bold underline")
        for command in section.commands:
            text.append(f"  {shown_keys(command, keymap):<16}", style="bold cyan")
            text.append(f"{command.help}\n")
        text.append("\n")
    text.append("  ctrl+p          ", style="bold cyan")
    text.append("command palette: every action by name\n\n")
    text.append(FOOTNOTE, style="dim")
    return text


class HelpScreen(Viewer):
    """Lists the keys; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen > #view {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(HELP_CLOSE)

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__("gimlet-tui keys", help_text(keymap))
