"""The Textual app: opens the main screen over one repository and offers every action in the palette."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from gimlet_tui.gitops import GitopsRepo, Identity, configured_identity
from gimlet_tui.gitops.urls import Access
from gimlet_tui.tui.screens.main import MainScreen
from gimlet_tui.workspace import EnvSource, Workspace


class GimletApp(App[None]):
    """gimlet-tui: releases of a gitops repository, and rollback from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "gimlet-tui"

    def __init__(
        self,
        workspace: Workspace,
        *,
        read_only: bool = False,
        clock: Callable[[], float] = time.time,
        identity: Identity | None = None,
        access: Access = Access(),
        push: bool = False,
        start_env: str | None = None,
        start_app: str | None = None,
    ) -> None:
        super().__init__()
        self.start_env = start_env  # where to open, before the remembered choice
        self.start_app = start_app
        self.push = push  # in local clones: push rollbacks to the branch's upstream before moving it
        self.workspace = workspace
        self.read_only = read_only
        self.clock = clock
        self._identity = identity
        self.access = access

    @property
    def repo_key(self) -> str:
        return self.workspace.key

    def source(self, env: str | None) -> EnvSource | None:
        return next((s for s in self.workspace.sources if s.name == env), None)

    def open_repo(self, env: str, fetch_now: bool = False) -> GitopsRepo:
        """A repository handle for `env`, for the calling thread (pygit2 objects are not shared across threads)."""
        return self.workspace.env(env).open(self.access, fetch_now=fetch_now)

    def rollback_off(self, env: str | None) -> bool:
        """True where rolling back is switched off: `--read-only`, or the env is read-only in the workspace."""
        source = self.source(env)
        return self.read_only or (source is not None and source.read_only)

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
            ("Details of the selected release", "Every release.json field, the images, the files", "show_details"),
            ("Diff of the selected release", "What its gitops commit changed", "show_diff"),
            ("Filter the timeline", "Show releases whose text matches", "filter"),
            ("Reload", "Read the repository again", "reload"),
            ("Fetch", "Fetch remote repositories, then reload", "fetch"),
            ("Go to envs", "Focus the env selector", "focus('envs')"),
            ("Go to apps", "Focus the app selector", "focus('apps')"),
            ("Go to the recent deploys", "Focus the bar of the ten newest releases", "focus('deploy-bar')"),
            ("Go to the timeline", "Focus the release timeline", "focus('timeline')"),
            ("Help", "Every key", "help"),
        ]
        state = "on" if self.push else "off"
        commands.append((f"Push rollbacks to the upstream: {state}", "In a local clone, push the reverts before moving the branch", "toggle_push"))
        for title, help_text, action in commands:
            if action == "rollback" and self.rollback_off(getattr(screen, "env", None)):
                continue
            yield SystemCommand(title, help_text, lambda action=action: screen.run_action(action))


def run_app(
    workspace: Workspace,
    read_only: bool = False,
    access: Access = Access(),
    push: bool = False,
    env: str | None = None,
    app: str | None = None,
) -> int:
    GimletApp(workspace, read_only=read_only, access=access, push=push, start_env=env, start_app=app).run()
    return 0
