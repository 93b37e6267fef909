"""The Textual app: opens the main screen over one repository and offers every action in the palette."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from gimlet_tui.gitops import GitopsRepo, Identity, Layout, configured_identity
from gimlet_tui.tui.screens.main import MainScreen


class GimletApp(App[None]):
    """gimlet-tui: releases of a gitops repository, and rollback from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "gimlet-tui"

    def __init__(
        self,
        repo: GitopsRepo,
        *,
        read_only: bool = False,
        clock: Callable[[], float] = time.time,
        identity: Identity | None = None,
    ) -> None:
        super().__init__()
        self.repo_path = repo.git.path
        self.repo_key = repo.path + "#" + repo.ref
        self.branch = repo.ref
        self.repo_per_env = repo.layout is Layout.REPO_PER_ENV
        self.read_only = read_only
        self.clock = clock
        self._identity = identity

    def open_repo(self) -> GitopsRepo:
        """A repository handle for the calling thread (pygit2 objects are not shared across threads)."""
        return GitopsRepo.open(self.repo_path, branch=self.branch, repo_per_env=self.repo_per_env)

    def identity(self, repo: GitopsRepo) -> Identity:
        return self._identity or configured_identity(repo.git)

    def on_mount(self) -> None:
        self.push_screen(MainScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        commands = [
            ("Roll back to the selected release", "Revert every newer release (asks first)", "rollback"),
            ("Diff of the selected release", "What its gitops commit changed", "show_diff"),
            ("Filter the timeline", "Show releases whose text matches", "filter"),
            ("Reload", "Read the repository again", "reload"),
            ("Go to envs", "Focus the env selector", "focus('envs')"),
            ("Go to apps", "Focus the app selector", "focus('apps')"),
            ("Help", "Every key", "help"),
        ]
        for title, help_text, action in commands:
            if action == "rollback" and self.read_only:
                continue
            yield SystemCommand(title, help_text, lambda action=action: screen.run_action(action))


def run_app(repo: GitopsRepo, read_only: bool = False) -> int:
    GimletApp(repo, read_only=read_only).run()
    return 0
