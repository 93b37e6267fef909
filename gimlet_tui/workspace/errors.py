"""Errors of the workspace: one family with the core's, so each face catches `GitopsError` once."""

from gimlet_tui.gitops.errors import GitopsError


class ConfigError(GitopsError):
    """A workspace file that cannot be used; the message names the file and line."""
