"""Helpers for driving the TUI in tests: build the app on a repository, wait for git workers."""

from __future__ import annotations

from gimlet_tui.gitops import GitopsRepo, Identity
from gimlet_tui.tui.app import GimletApp
from gimlet_tui.tui.showcase import settle  # noqa: F401  (re-exported for the tests)
from gimlet_tui.tui.screens.main import MainScreen
from gimlet_tui.tui.widgets.timeline import Timeline
from gimlet_tui.workspace import single_repository

from conftest import T0

NOW = T0 + 3600 * 24 * 3


def make_app(path, read_only: bool = False, now: float = NOW, workspace=None, **kwargs) -> GimletApp:
    workspace = workspace or single_repository(GitopsRepo.open(str(path), **kwargs))
    return GimletApp(workspace, read_only=read_only, clock=lambda: now, identity=Identity("Pilot", "pilot@acme.dev"))


def main_screen(app) -> MainScreen:
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    assert isinstance(screen, MainScreen)
    return screen


def timeline(app) -> Timeline:
    return main_screen(app).query_one(Timeline)


def rows(app) -> list[list[str]]:
    table = timeline(app)
    return [[cell.plain if hasattr(cell, "plain") else str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
