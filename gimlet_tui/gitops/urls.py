"""Remote repository URLs and access settings: what names a remote, how to show it, how git reaches it.

Kept apart from the transport code so that commands on local repositories start without it.

Secrets in URLs: a password is never shown or stored. A token can also be the user name
(`https://<token>@github.com/...` is how GitHub documents it, or `<token>:x-oauth-basic@`), and it
cannot be told from a person's user name by its look. So on http(s) URLs a user name that comes
without a real password is hidden as well, except the few that name a kind of login and are the
same for everyone (`git`, `deploy`, `x-access-token`, `oauth2`, ...): hiding a person's own user
name from them costs nothing, showing a token costs everything. Beside a real password the user
name is a name (the password is the secret) and is kept, so that a login still names its user.
SSH user names are kept (SSH logs in with keys; `git@host` is not a secret). These
functions never raise, whatever the URL holds: `check_url` is the one that says a URL is unusable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote, urlsplit

from gimlet_tui.gitops.errors import BadInput

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
Progress = Callable[[int, int, int], None]  # received objects, total objects, received bytes
DEFAULT_TIMEOUT = 60.0


def is_url(text: str) -> bool:
    """True for what git would fetch from a server rather than a local path.

    git's own rule: `scheme://...`, or a colon before any slash (`host:path`, `user@host:path`,
    an ssh config alias, an `insteadOf` prefix, `helper::address`).
    """
    if _SCHEME.match(text):
        return True
    colon, slash = text.find(":"), text.find("/")
    return colon > 0 and (slash < 0 or colon < slash)


# User names that name a kind of login, never a person or a secret: shown as they are.
PLAIN_USERS = frozenset(
    {"git", "deploy", "x-access-token", "oauth2", "gitlab-ci-token", "x-token-auth", "x-oauth-basic", "token"}
)
# Passwords that say "the user name is the token" (GitHub's and Bitbucket's conventions).
TOKEN_PASSWORDS = frozenset({"", "x-oauth-basic", "x-token-auth"})
_AUTHORITY = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)$", re.DOTALL)
_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#'\"<>]*@")  # up to the last "@" of the authority


def _userinfo(url: str, mask: str | None) -> str:
    """`url` with its password, and a user name that may be a token, replaced by `mask` (None: removed)."""
    match = _AUTHORITY.match(url)
    if match is None or "@" not in match["authority"]:
        return url  # no user information (scp-like URLs carry no password)
    userinfo, host = match["authority"].rsplit("@", 1)
    user, colon, password = userinfo.partition(":")
    keep_user = (
        match["scheme"].lower() not in ("http", "https")
        or user.lower() in PLAIN_USERS
        or password.lower() not in TOKEN_PASSWORDS
    )
    if not keep_user:
        shown = "" if mask is None else f"{mask}@"
    elif colon:
        shown = f"{user}@" if mask is None else f"{user}:{mask}@"
    else:
        shown = f"{user}@"
    return f"{match['scheme']}://{shown}{host}{match['rest']}"


def redact(url: str) -> str:
    """The URL with any password, and any user name that may be a token, hidden: fit to show."""
    return _userinfo(url, "***")


def without_password(url: str) -> str:
    """The URL with any password, and any user name that may be a token, removed: fit to store."""
    return _userinfo(url, None)


def redact_text(text: str) -> str:
    """`text` (an error, a traceback) with the secrets of every URL in it hidden, as `redact` does."""
    # Each match ends at the "@": a stand-in host makes it a URL for `redact`, then goes again.
    return _IN_TEXT.sub(lambda found: redact(found.group(0) + "host").removesuffix("host"), text)


def check_url(url: str) -> None:
    """Raise `BadInput` when a URL cannot be used (a port out of range or not a number, a broken IPv6 host)."""
    if not _SCHEME.match(url):
        return
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as error:
        reason = redact_text(str(error))
        raise BadInput(f"cannot use the URL {redact(url)}: {reason}; check its host and port") from None
    if not parts.hostname and parts.scheme.lower() != "file":
        raise BadInput(f"cannot use the URL {redact(url)}: it names no host")


def url_login(url: str) -> tuple[str | None, str | None]:
    """The user and password written in a `scheme://user:password@host/...` URL, if any (never raises)."""
    match = _AUTHORITY.match(url)
    if match is None or "@" not in match["authority"]:
        return None, None
    user, colon, password = match["authority"].rsplit("@", 1)[0].partition(":")
    return (unquote(user) or None), (unquote(password) if colon else None)


class Prompter(Protocol):
    """Answers the questions git and ssh ask (passwords, passphrases, host keys) through an askpass helper."""

    def environment(self) -> Mapping[str, str]:
        """The variables that point git and ssh at the helper."""

    def waited(self) -> float:
        """Seconds spent so far waiting for the user's answers (a deadline does not count them)."""


@dataclass(frozen=True)
class Access:
    """How git reaches servers for this user, beyond their own git and ssh configuration.

    Secrets are never held here: GIMLET_TUI_GIT_TOKEN and GIMLET_TUI_SSH_PASSPHRASE stay in the
    environment, where only the helpers that hand them to git and ssh read them.
    """

    ssh_key: str | None = None  # --ssh-key: `ssh -i KEY -o IdentitiesOnly=yes`
    accept_new_host_key: bool = False  # --accept-new-host-key: `ssh -o StrictHostKeyChecking=accept-new`
    token: bool = False  # GIMLET_TUI_GIT_TOKEN is set: the only HTTPS credential offered
    passphrase: bool = False  # GIMLET_TUI_SSH_PASSPHRASE is set: it answers ssh's key passphrase questions
    timeout: float = DEFAULT_TIMEOUT  # --timeout: seconds for each network step, as a whole
    terminal: bool = False  # git and ssh may ask on the terminal (the CLI in the foreground of one)
    prompter: Prompter | None = None  # answers git's and ssh's questions instead (the TUI's modal)

    @classmethod
    def from_environment(
        cls,
        ssh_key: str | None = None,
        accept_new_host_key: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        terminal: bool = False,
    ) -> Access:
        return cls(
            ssh_key=os.path.expanduser(ssh_key) if ssh_key else None,
            accept_new_host_key=accept_new_host_key,
            token=bool(os.environ.get("GIMLET_TUI_GIT_TOKEN")),
            passphrase="GIMLET_TUI_SSH_PASSPHRASE" in os.environ,
            timeout=timeout,
            terminal=terminal,
        )
