"""Finding and reading the workspace file: `--config PATH`, `./.gimlet-tui.yaml`, the XDG config file."""

from __future__ import annotations

import os

from gimlet_tui.dirs import CONFIG_NAME, found_workspace_files
from gimlet_tui.workspace.errors import ConfigError
from gimlet_tui.workspace.sources import Workspace

__all__ = ["CONFIG_NAME", "find_config", "load_workspace"]


def find_config(explicit: str | None, cwd: str = ".") -> str | None:
    """The workspace file to use: `explicit`, else ./.gimlet-tui.yaml, else the XDG config file."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such workspace file")
        return explicit
    found = found_workspace_files(cwd)
    return found[0] if found else None


def load_workspace(path: str) -> Workspace:
    """Read and check a workspace file; raise `ConfigError` with file and line on any problem."""
    # Imported here for start-up time: YAML is read only when there is a file.
    from gimlet_tui.workspace.file import read_workspace_file

    sources, keymap = read_workspace_file(path)
    return Workspace(path, sources, keymap=keymap)
