"""Checks on env and app names, made before a name becomes part of a path."""

import re

from gimlet_tui.gitops.errors import BadName

# Helm's limit on release names, which Gimlet applies to apps.
APP_NAME = re.compile(r"[a-z]([a-z0-9-]{0,51}[a-z0-9])?")
# Gimlet only says env names are lower-case; accept a single safe path component.
ENV_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,62}")

# Folders inside an env that are never apps.
NOT_APPS = frozenset({"flux", ".gimlet"})


def is_app_name(name: str) -> bool:
    """True when `name` is a valid Gimlet app name."""
    return APP_NAME.fullmatch(name) is not None and name not in NOT_APPS


def is_env_name(name: str) -> bool:
    """True when `name` is a safe env name (one path component, no dot-dot, no control characters)."""
    return ENV_NAME.fullmatch(name) is not None and name not in NOT_APPS and ".." not in name


def check_app_name(name: str) -> str:
    """Return `name` or raise `BadName` with a message that shows it escaped."""
    if not is_app_name(name):
        raise BadName(f"bad app name {name!r}: use lower-case letters, digits and '-' (at most 53 characters)")
    return name


def check_env_name(name: str) -> str:
    """Return `name` or raise `BadName` with a message that shows it escaped."""
    if not is_env_name(name):
        raise BadName(f"bad env name {name!r}: use letters, digits, '.', '_' and '-' only")
    return name
