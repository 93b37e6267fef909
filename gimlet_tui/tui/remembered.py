"""The last env and app chosen per workspace, remembered between runs (in the XDG state directory)."""

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
    """Store the choice (a file only the user can read); a state file that cannot be written is not worth an error."""
    data = _read()
    data[workspace_key] = {"env": env, "app": app}
    with contextlib.suppress(OSError):
        write_private(_state_file(), json.dumps(data, indent=1).encode())
