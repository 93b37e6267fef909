"""The workspace: which repository (and branch, and layout) holds each environment.

Read from a YAML file (`--config PATH`, `./.gimlet-tui.yaml`, `$XDG_CONFIG_HOME/gimlet-tui/config.yaml`,
first found) or, without one, the single repository given by `--repo` with its envs discovered.
A malformed file is one clear error (`ConfigError`, with file and line) and nothing runs.
"""

from gimlet_tui.workspace.errors import ConfigError
from gimlet_tui.workspace.lookup import CONFIG_NAME, find_config, load_workspace
from gimlet_tui.workspace.sources import (
    EnvSource,
    KeymapEntry,
    Workspace,
    fetch_remotes,
    rediscover,
    single_repository,
)

__all__ = [
    "CONFIG_NAME",
    "ConfigError",
    "EnvSource",
    "KeymapEntry",
    "Workspace",
    "fetch_remotes",
    "find_config",
    "load_workspace",
    "rediscover",
    "single_repository",
]
