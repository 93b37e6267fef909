"""The floor for the TUI: a minimal Textual app with a 30-row list and a line that echoes each key.

The benchmark runs it in a pseudo-terminal beside gimlet-tui: its first paint and its key echo are
what Textual itself costs on this machine, so the TUI's figures are read as ratios against them.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static


class Floor(App[None]):
    CSS = "OptionList { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Static("keys: none", id="echo")
        yield OptionList(*[f"row {n:02d} of the floor list" for n in range(30)], id="rows")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        self.query_one("#echo", Static).update(f"keys: {event.key}")
        if event.key == "q":
            self.exit()


if __name__ == "__main__":
    Floor().run()
