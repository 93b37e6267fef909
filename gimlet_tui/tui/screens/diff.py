"""A full-screen, scrollable, coloured unified diff."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from gimlet_tui.tui.look import Look
from gimlet_tui.tui.screens.viewer import Viewer
from gimlet_tui.tui.styled import diff_text

MAX_LINES = 20_000


class DiffScreen(Viewer):
    """Shows a diff (its first MAX_LINES lines); escape or q closes it."""

    def __init__(self, title: str, patch: str) -> None:
        lines = patch.splitlines()
        self.shown = "\n".join(lines[:MAX_LINES])
        subtitle = f"first {MAX_LINES:,} of {len(lines):,} lines" if len(lines) > MAX_LINES else None
        super().__init__(title, subtitle)
        self.patch = patch

    def body(self, look: Look) -> RenderableType:
        return diff_text(self.shown, look) if self.shown else Text("No changes.")
