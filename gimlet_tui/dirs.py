"""Where gimlet-tui keeps its files: the XDG cache, state and config directories, made private.

The cache holds the history index and the mirrors of remote repositories; the state holds what the
TUI remembers between runs; the config holds the workspace file. Folders we create are 0700 and
files we write are 0600: they can name private repositories.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
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


def history_index_disabled() -> bool:
    """True when GIMLET_TUI_NO_INDEX is set: every read walks git."""
    return bool(os.environ.get("GIMLET_TUI_NO_INDEX"))


def history_index_identity(git_dir: str, ref: str) -> str:
    """Whose history index it is: the git directory's real path, and the branch."""
    return f"{os.path.realpath(git_dir)}\0{ref}"


def history_index_file(git_dir: str, ref: str) -> Path:
    """The history index of one repository and branch."""
    key = hashlib.sha256(history_index_identity(git_dir, ref).encode()).hexdigest()[:32]
    return cache_dir() / "history" / f"{key}.sqlite"


def state_dir() -> Path:
    """$XDG_STATE_HOME/gimlet-tui (default ~/.local/state/gimlet-tui)."""
    return _base("XDG_STATE_HOME", ".local", "state") / APP


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/gimlet-tui (default ~/.config/gimlet-tui)."""
    return _base("XDG_CONFIG_HOME", ".config") / APP


CONFIG_NAME = ".gimlet-tui.yaml"


def found_workspace_files(cwd: str = ".") -> list[str]:
    """The workspace files found without --config, first used first: ./.gimlet-tui.yaml, the XDG one."""
    candidates = (os.path.join(cwd, CONFIG_NAME), str(config_dir() / "config.yaml"))
    return [path for path in candidates if os.path.isfile(path)]


def private_dir(path: Path) -> Path:
    """Create `path` readable by the user only, and any missing folder above it; return it.

    Our own folders (the app's folder in the cache or state directory, and below) that an older
    version created open are closed to others too; folders above them are left as they are.
    """
    missing = []
    current = path
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    for root in (cache_dir(), state_dir()):
        if path == root or root in path.parents:
            for folder in (path, *path.parents):
                _close(folder)
                if folder == root:
                    break
    return path


def _close(path: Path) -> None:
    """Take group and other permissions off one of our own files or folders (no link is followed)."""
    with contextlib.suppress(OSError):
        mode = os.lstat(path).st_mode
        if mode & 0o077 and not stat.S_ISLNK(mode):
            os.chmod(path, stat.S_IMODE(mode) & 0o700)


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, as a file only the user can read and write (0600); return it.

    For files that another library opens by name (SQLite): created first, they keep these permissions.
    """
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    _close(path)
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
