"""Before the TUI opens (in a terminal or served to browsers): refuse instead of guessing.

An --env or --app that names nothing is one line with the near matches, before any screen; without a
terminal the TUI does not start at all (it would spin on a closed stdin or draw into a file).
"""

from __future__ import annotations

import difflib
import os
import sys

from gimlet_tui.gitops import UnknownTarget, apps_at_head, check_app_name, check_env_name, iter_history
from gimlet_tui.gitops.urls import Access
from gimlet_tui.text import safe
from gimlet_tui.workspace import Workspace


def near(name: str, names: list[str]) -> str:
    """A hint naming the names close to `name` (a typo): " (did you mean X?)", else ""."""
    matches = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(safe(m) for m in matches)}?)" if matches else ""


def opening_env(workspace: Workspace, env: str | None) -> str | None:
    """The env the TUI opens on: --env, else the one last shown in this workspace, else the first."""
    if env is not None:
        return env
    # Imported here for start-up time, as every TUI module the CLI uses: only the TUI's paths need it.
    from gimlet_tui.tui.remembered import last_choice

    remembered, _ = last_choice(workspace.key)
    names = workspace.names()
    return remembered if remembered in names else (names[0] if names else None)


def check_start(workspace: Workspace, env: str | None, app: str | None, access: Access) -> None:
    """Raise `UnknownTarget` (one line, with near matches) when --env or --app names nothing there.

    An app deleted at the head still has a history, and may be opened (to roll back past its deletion).
    """
    if env is not None:
        check_env_name(env)
        workspace.env(env)
    if app is None:
        return
    check_app_name(app)
    where = opening_env(workspace, env)
    if where is None:
        return  # no envs at all: the TUI says so
    repo = workspace.env(where).open(access)
    names = [summary.name for summary in apps_at_head(repo, where)]
    if app in names or next(iter(iter_history(repo, where, app)), None) is not None:
        return
    hint = "" if env is not None else " (the env the TUI opens; choose one with --env)"
    raise UnknownTarget(
        f"unknown app {app!r} in {where}{hint}{near(app, names)}; apps there: {', '.join(names) or 'none'}"
    )


def keymap_of(workspace: Workspace) -> dict[str, str]:
    """The workspace file's `keymap:` checked against the TUI's key table (`ConfigError` with file and line)."""
    if not workspace.keymap:
        return {}
    # Imported here for start-up time: the key table is read only when a keymap is given.
    from gimlet_tui.tui.keymap import checked_keymap

    return checked_keymap(workspace)


def terminal_problem() -> str | None:
    """Why the TUI cannot run here, or None.

    Textual reads keys from stdin and draws on stderr: with stdin closed it spins on a CPU, with
    stderr redirected it draws into a file. Under textual-serve (TEXTUAL_DRIVER set) the browser is
    the terminal and stdin is a pipe, which is fine.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    streams = (("stdin", sys.stdin), ("stderr", sys.stderr))
    missing = [name for name, stream in streams if stream is None or not stream.isatty()]
    if not missing:
        return None
    return (
        f"the TUI needs a terminal ({' and '.join(missing)} {'is not one' if len(missing) == 1 else 'are not terminals'}); "
        "for text, use: gimlet-tui release list --env ENV --app APP"
    )
