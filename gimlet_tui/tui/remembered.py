"""What the TUI remembers between runs (in the XDG state directory): the last env and app per workspace, the theme."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from gimlet_tui.dirs import state_dir, write_private


def _state_file() -> Path:
    return state_dir() / "state.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def last_choice(workspace_key: str) -> tuple[str | None, str | None]:
    """The env and app last chosen in this workspace, if any."""
    entry = _read().get(workspace_key)
    if not isinstance(entry, dict):
        return None, None
    env, app = entry.get("env"), entry.get("app")
    return (env if isinstance(env, str) else None, app if isinstance(app, str) else None)


def remember_choice(workspace_key: str, env: str, app: str | None) -> None:
    """Store the choice (a file only the user can read)."""
    data = _read()
    data[workspace_key] = {"env": env, "app": app}
    _write(data)


THEME_KEY = "#theme"  # not a workspace key: those are absolute paths or URLs with a branch


def last_theme() -> str | None:
    """The theme last chosen in the command palette, if any."""
    theme = _read().get(THEME_KEY)
    return theme if isinstance(theme, str) else None


def remember_theme(name: str) -> None:
    data = _read()
    data[THEME_KEY] = name
    _write(data)


def _write(data: dict[str, Any]) -> None:
    """A state file that cannot be written is not worth an error."""
    with contextlib.suppress(OSError):
        write_private(_state_file(), json.dumps(data, indent=1).encode())
