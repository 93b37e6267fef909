"""Handing a release over to other tools: the CLI command that rolls back to it, and whether a browser can open.

During an incident people paste the sha, the rollback command or the commit URL into chat; `c`, `C` and
`o` copy or open them (`screens.release_actions`).
"""

from __future__ import annotations

import os
import shlex
import sys
from urllib.parse import urlsplit, urlunsplit

from gimlet_tui.gitops.urls import is_url
from gimlet_tui.workspace import Workspace


def _without_password(url: str) -> str:
    """The URL as a person may share it: a password (or token) in it is dropped, the user kept."""
    if "://" not in url:
        return url  # scp-like git@host:path has no password
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def where_options(workspace: Workspace) -> list[str]:
    """The options that make the CLI read the same repository (or workspace file) as this TUI."""
    if workspace.config is not None:
        return ["--config", os.path.abspath(workspace.config)]
    if workspace.repo is None:
        return []
    repo = workspace.repo if is_url(workspace.repo) else os.path.abspath(workspace.repo)
    options = ["--repo", _without_password(repo)]
    if workspace.branch:
        options += ["--branch", workspace.branch]
    if workspace.repo_per_env:
        options.append("--repo-per-env")
    return options


def rollback_command(workspace: Workspace, env: str, app: str, sha: str, keep_local: bool = False) -> str:
    """`gimlet-tui release rollback ...` that does what `r` then `y` would do.

    Both push to a clone's upstream by default; `keep_local` (pushing turned off in the TUI) adds --no-push.
    """
    words = ["gimlet-tui", "release", "rollback", *where_options(workspace), "--env", env, "--app", app, "--to", sha]
    if keep_local:
        words.append("--no-push")
    return shlex.join(words)


def browser_available() -> bool:
    """True when `open_url` can reach a graphical browser, so a console browser never takes over the terminal.

    Under textual-serve the URL goes to the user's browser tab; on macOS and Windows the system opens it;
    elsewhere it needs a display (or $BROWSER, the user's explicit choice).
    """
    if os.environ.get("TEXTUAL_DRIVER") or os.environ.get("BROWSER"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
