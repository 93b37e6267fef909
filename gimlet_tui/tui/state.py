"""The last env and app chosen per repository, remembered between runs (XDG state directory)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def _state_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "gimlet-tui" / "state.json"


def _read() -> dict:
    try:
        data = json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def last_choice(repo_key: str) -> tuple[str | None, str | None]:
    """The env and app last chosen in this repository, if any."""
    entry = _read().get(repo_key)
    if not isinstance(entry, dict):
        return None, None
    env, app = entry.get("env"), entry.get("app")
    return (env if isinstance(env, str) else None, app if isinstance(app, str) else None)


def remember_choice(repo_key: str, env: str, app: str | None) -> None:
    """Store the choice; a state file that cannot be written is not worth an error."""
    data = _read()
    data[repo_key] = {"env": env, "app": app}
    path = _state_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1))
        temporary.replace(path)
    except OSError:
        pass
