"""The Textual app: opens the main screen on the workspace and offers the screen's actions in the palette."""

from __future__ import annotations

import os
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from gimlet_tui.tui.options import TuiOptions
from gimlet_tui.tui.screens.main import MainScreen

__all__ = ["GimletApp", "TuiOptions", "run_app"]


class GimletApp(App[None]):
    """gimlet-tui: releases of a gitops repository, and rollback from the keyboard."""

    TITLE = "gimlet-tui"

    def __init__(self, options: TuiOptions) -> None:
        super().__init__()
        self.options = options

    def on_mount(self) -> None:
        self.set_keymap(dict(self.options.keymap))
        self.push_screen(MainScreen(self.options))
        if self.is_web:
            # Served to a browser (`gimlet-tui serve`): if the server is killed outright, nothing
            # ever asks this app to quit, so it quits when its parent process is gone.
            self.served_by = os.getppid()
            self.set_interval(2.0, self._quit_when_orphaned)

    def _quit_when_orphaned(self) -> None:
        if os.getppid() != self.served_by:
            self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Theme and Quit from Textual, then the main screen's actions from the key table."""
        yield SystemCommand("Theme", "Change the current theme", self.action_change_theme)
        yield SystemCommand("Quit", "Quit gimlet-tui", self.action_quit)
        if isinstance(screen, MainScreen):
            yield from screen.palette_commands()


def run_app(options: TuiOptions) -> int:
    GimletApp(options).run()
    return 0
