"""The help screen: every key, built from the key table, showing the keys in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import BindingType

from gimlet_tui.tui.keys import HELP_CLOSE, SECTIONS, bindings, shown_keys
from gimlet_tui.tui.look import Look
from gimlet_tui.tui.screens.viewer import Viewer

FOOTNOTE = (
    "Rolling back makes one revert commit per newer release, so the app's files are exactly those "
    "of the release you pick. Nothing is written before you confirm."
)
KEYS_WIDTH = 16


def _keys_table() -> Table:
    """Two columns: a long line wraps under its own column, never back to column 1."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=KEYS_WIDTH, no_wrap=True, overflow="ellipsis")
    table.add_column(ratio=1, overflow="fold")
    return table


def help_body(keymap: Mapping[str, str], look: Look) -> Group:
    """Every section of the key table with the keys `keymap` binds (else the defaults)."""
    parts: list[Text | Table] = []
    for section in SECTIONS:
        parts.append(Text(section.title, style=f"{look('heading')} underline"))
        table = _keys_table()
        for command in section.commands:
            table.add_row(Text(shown_keys(command, keymap), style=look("heading")), Text(command.help))
        parts += [table, Text("")]
    parts.append(Text(FOOTNOTE, style="italic"))
    return Group(*parts)


class HelpScreen(Viewer):
    """Lists the keys; escape, q or ? closes it; the NAV keys scroll it."""

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
        super().__init__("gimlet-tui keys")
        self.keymap = keymap

    def body(self, look: Look) -> RenderableType:
        return help_body(self.keymap, look)
