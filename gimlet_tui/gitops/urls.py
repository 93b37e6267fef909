"""Remote repository URLs and access settings: what names a remote, how to show it, how to log in.

Kept apart from the transport code so that commands on local repositories start without it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

_URL = re.compile(r"^(?:(?P<scheme>ssh|https?|git|file)://|(?P<scp>[\w.+-]+@[\w.-]+:(?!//)))", re.IGNORECASE)
Progress = Callable[[int, int, int], None]  # received objects, total objects, received bytes


def is_url(text: str) -> bool:
    """True for what names a remote repository rather than a local path."""
    return bool(_URL.match(text))


def is_ssh(url: str) -> bool:
    match = _URL.match(url)
    return bool(match and (match.group("scp") or (match.group("scheme") or "").lower() == "ssh"))


def _replace_password(url: str, replacement: str | None) -> str:
    """`url` with its password replaced (None: removed with its colon); URLs without one unchanged."""
    if "://" not in url:
        return url  # scp-like URLs carry no password
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username if replacement is None else f"{parts.username}:{replacement}"
    netloc = f"{user}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def redact(url: str) -> str:
    """The URL with any password (or token) hidden, fit to show."""
    return _replace_password(url, "***")


def without_password(url: str) -> str:
    """The URL with any password removed, fit to store."""
    return _replace_password(url, None)


@dataclass(frozen=True)
class Access:
    """How to authenticate and whom to trust; secrets come from the environment, never from flags."""

    ssh_key: str | None = None
    passphrase: str | None = None
    token: str | None = None
    accept_new_host_key: bool = False

    @classmethod
    def from_environment(
        cls, ssh_key: str | None = None, accept_new_host_key: bool = False, passphrase: str | None = None
    ) -> Access:
        return cls(
            ssh_key=os.path.expanduser(ssh_key) if ssh_key else None,
            passphrase=passphrase if passphrase is not None else os.environ.get("GIMLET_TUI_SSH_PASSPHRASE"),
            token=os.environ.get("GIMLET_TUI_GIT_TOKEN"),
            accept_new_host_key=accept_new_host_key,
        )
