"""Helpers for the tests: repositories with Gimlet-shaped histories, git as the oracle, the TUI driven by Pilot.

Imported by the tests themselves (never through conftest, which only holds fixtures).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual import events
from textual.worker import WorkerCancelled

from gimlet_tui.cli import main
from gimlet_tui.demo import write_demo
from gimlet_tui.demo.writer import GitopsWriter
from gimlet_tui.gitops import GitopsRepo, Identity, Layout
from gimlet_tui.gitops.walk import ChangeWalk
from gimlet_tui.tui.app import GimletApp, TuiOptions
from gimlet_tui.tui.remembered import remember_choice
from gimlet_tui.tui.screens.main import MainScreen
from gimlet_tui.tui.widgets.timeline import Timeline
from gimlet_tui.workspace import Workspace, single_repository

T0 = 1_700_000_000  # a fixed clock: 2023-11-14
NOW = T0 + 3600 * 24 * 3  # the TUI's clock in tests
SHOWCASE_NOW = 1_795_694_400  # 2026-11-26 09:20 UTC: screenshots and snapshots of the demo repository


def git(repo: str | Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    """Run the real git command in `repo` and return its stdout."""
    full_env = dict(os.environ)
    full_env.update(
        {
            "GIT_AUTHOR_NAME": "Oracle",
            "GIT_AUTHOR_EMAIL": "oracle@example.com",
            "GIT_COMMITTER_NAME": "Oracle",
            "GIT_COMMITTER_EMAIL": "oracle@example.com",
        }
    )
    full_env.update(env or {})
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=full_env, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def version(n: int, **extra: object) -> dict[str, object]:
    """A release.json `version` object for deploy number `n`."""
    sha = f"{n:08x}" + "a" * 32
    return {
        "repositoryName": "acme/app",
        "sha": sha,
        "created": T0 + n,
        "branch": "main",
        "authorName": f"Dev {n}",
        "authorEmail": "dev@acme.dev",
        "message": f"change {n}",
        "url": f"https://github.com/acme/app/commit/{sha}",
        **extra,
    }


class Builder:
    """A Gimlet-shaped history under construction, with a clock that ticks a minute per commit."""

    def __init__(self, path: Path, layout: Layout) -> None:
        self.path = path
        self.writer = GitopsWriter(str(path), layout)
        self.clock = T0
        self.n = 0

    def tick(self) -> int:
        self.clock += 60
        return self.clock

    def deploy(self, env: str, app: str, content: str | None = None, **kwargs: object) -> str:
        self.n += 1
        files = {"deployment.yaml": f"image: acme/{app}:{content or self.n}\n", "service.yaml": f"name: {app}\n"}
        return self.writer.deploy(env, app, files, version(self.n), self.tick(), **kwargs)

    def delete(self, env: str, app: str) -> str:
        return self.writer.delete(env, app, "tester", self.tick())

    def commit(self, changes: dict[str, str | None], message: str = "hand edit", **kwargs: object) -> str:
        return self.writer.commit(changes, message, self.tick(), author=("Hand", "hand@acme.dev"), **kwargs)


def repo_state(path: str | Path) -> dict[str, str]:
    """Everything a refused operation must leave as it was: refs, HEAD, index, work tree status."""
    return {
        "refs": git(path, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(path, "rev-parse", "HEAD"),
        "index": git(path, "ls-files", "-s"),
        "status": git(path, "status", "--porcelain", "--untracked-files=all"),
        "files": "\n".join(
            sorted(
                str(p.relative_to(path)) + ":" + p.read_bytes().hex()
                for p in Path(path).rglob("*")
                if p.is_file() and ".git" not in p.parts
            )
        ),
    }


def refused_without_change(
    path: str | Path, error: type[BaseException], match: str | None, call: Callable[[], object]
) -> None:
    """`call` raises `error` with a message matching `match`, and the repository is exactly as before."""
    state = repo_state(path)
    with pytest.raises(error, match=match):
        call()
    assert repo_state(path) == state


def compared(walks: list[ChangeWalk]) -> int:
    """How many commits the walks read (see the `walks` fixture)."""
    return sum(walk.compared for walk in walks)


# -- the TUI -------------------------------------------------------------------------------------


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """The CLI run in this process on `argv`: (exit status, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make_app(
    path: str | Path | None = None,
    read_only: bool = False,
    now: float = NOW,
    workspace: Workspace | None = None,
    options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> GimletApp:
    """The app on the repository at `path` (or on `workspace`), at a pinned clock; its notifications are kept.

    `options` adds TUI options (start_env, push, keymap...); other keywords open the repository.
    """
    workspace = workspace or single_repository(GitopsRepo.open(str(path), **kwargs))
    identity = Identity("Pilot", "pilot@acme.dev")
    choices: dict[str, Any] = {"clock": lambda: now, "identity": identity, **(options or {})}
    tui = TuiOptions(workspace, read_only=read_only, **choices)
    return recording(GimletApp(tui))


def recording(app: GimletApp) -> GimletApp:
    """Keep every notification in `app.notified` (message, title, severity, markup); the toasts vanish."""
    notified: list[SimpleNamespace] = []
    real = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        notified.append(
            SimpleNamespace(
                message=message,
                title=kwargs.get("title", ""),
                severity=kwargs.get("severity", "information"),
                markup=kwargs.get("markup", True),
            )
        )
        real(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.notified = notified  # type: ignore[attr-defined]
    return app


def showcase_app(folder: str, now: int = SHOWCASE_NOW, read_only: bool = False) -> GimletApp:
    """Write the demo repository into `folder`/acme-gitops and open it on staging/api at a fixed clock."""
    path = write_demo(os.path.join(folder, "acme-gitops"), now=now)
    workspace = single_repository(GitopsRepo.open(path))
    remember_choice(workspace.key, "staging", "api")
    options = TuiOptions(workspace, read_only=read_only, clock=lambda: now, identity=Identity("Demo", "demo@acme.dev"))
    return GimletApp(options)


SETTLE_LIMIT = 120.0  # seconds: generous, for a loaded machine


async def settle(pilot: Any, rounds: int = 6) -> None:
    """Let the chain of git workers (envs, apps, history, diffs) finish and their messages land."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):  # replaced by a newer worker of its group
            try:  # a worker that waits forever (a question nobody answers) fails the test, never hangs it
                await asyncio.wait_for(pilot.app.workers.wait_for_complete(), SETTLE_LIMIT)
            except TimeoutError:
                running = [w.name for w in pilot.app.workers if not w.is_finished]
                raise AssertionError(f"workers still running after {SETTLE_LIMIT} s: {running}") from None
        await pilot.pause()


def main_screen(app: GimletApp) -> MainScreen:
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    assert isinstance(screen, MainScreen)
    return screen


def timeline(app: GimletApp) -> Timeline:
    return main_screen(app).query_one(Timeline)


def row_keys(app: GimletApp) -> list[str]:
    """The gitops shas of the timeline's rows, top to bottom (whatever the width shows of them)."""
    return timeline(app).row_keys


def column(app: GimletApp, key: str) -> list[str]:
    """The text of one timeline column ("when", "state", "release"...), top to bottom."""
    table = timeline(app)
    at = table.plan.keys.index(key)
    return [table.row_cells(sha)[at].plain for sha in table.row_keys]


def count_writes(table: Timeline) -> list[str]:
    """The keys of the rows the timeline writes from now on (a row is written when it is first shown)."""
    written: list[str] = []
    real = table.row_cells
    table.row_cells = lambda sha: written.append(sha) or real(sha)  # type: ignore[method-assign]
    return written


def rows(app: GimletApp) -> list[list[str]]:
    table = timeline(app)
    return [[cell.plain for cell in table.row_cells(sha)] for sha in table.row_keys]


def burst(app: GimletApp, *keys: str) -> None:
    """Queue `keys` at once, as a fast typist or a paste does: none is handled before the next is sent.

    (`pilot.press` waits for the app to be idle after each key, which hides every race.)
    """
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app.post_message(event)  # into the app's queue now, all of them before the first is handled


async def wait_until(pilot: Any, condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Pause until `condition()` holds (generous: the machine may be busy), else fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the TUI")
        await pilot.pause(0.02)
