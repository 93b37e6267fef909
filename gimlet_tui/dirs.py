"""Where gimlet-tui keeps its files: the XDG cache, state and config directories, made private.

The cache holds the history index and the mirrors of remote repositories; the state holds what the
TUI remembers between runs; the config holds the workspace file. Folders we create are 0700 and
files we write are 0600: they can name private repositories.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

APP = "gimlet-tui"


def _base(variable: str, *default: str) -> Path:
    value = os.environ.get(variable)
    if value and os.path.isabs(value):  # the XDG spec: relative values are ignored
        return Path(value)
    return Path(os.path.expanduser("~"), *default)


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/gimlet-tui (default ~/.cache/gimlet-tui)."""
    return _base("XDG_CACHE_HOME", ".cache") / APP


def state_dir() -> Path:
    """$XDG_STATE_HOME/gimlet-tui (default ~/.local/state/gimlet-tui)."""
    return _base("XDG_STATE_HOME", ".local", "state") / APP


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/gimlet-tui (default ~/.config/gimlet-tui)."""
    return _base("XDG_CONFIG_HOME", ".config") / APP


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) readable by the user only; return it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, as a file only the user can read (0600)."""
    private_dir(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
