"""The demo repository opened at a fixed clock on staging/api: what screenshots and snapshot tests show."""

from __future__ import annotations

import os

from gimlet_tui.demo import write_demo
from gimlet_tui.gitops import GitopsRepo, Identity
from gimlet_tui.tui.app import GimletApp
from gimlet_tui.tui.state import remember_choice
from gimlet_tui.workspace import single_repository

SHOWCASE_NOW = 1_795_694_400  # 2026-11-26 09:20 UTC: a fixed clock keeps relative times stable


def showcase_app(folder: str, now: int = SHOWCASE_NOW, read_only: bool = False) -> GimletApp:
    """Write the demo repository into `folder`/acme-gitops and open it on staging/api."""
    path = write_demo(os.path.join(folder, "acme-gitops"), now=now)
    workspace = single_repository(GitopsRepo.open(path))
    remember_choice(workspace.key, "staging", "api")
    return GimletApp(workspace, read_only=read_only, clock=lambda: now, identity=Identity("Demo", "demo@acme.dev"))


async def settle(pilot, rounds: int = 6) -> None:
    """Let the chain of git workers (envs, apps, history, changes) finish and their messages land."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
