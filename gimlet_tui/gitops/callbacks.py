"""What libgit2 asks while talking to a server: credentials, host trust, progress, push results.

libgit2 calls the credentials callback again and again while a credential fails, so each kind is
offered once and a second request is an error that names it. SSH host keys are checked by libgit2
against ~/.ssh/known_hosts; a host listed there with another key is refused even when new hosts
are accepted. Messages never carry a password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pygit2
from pygit2.enums import CredentialType

from gimlet_tui.gitops.errors import RemoteError
from gimlet_tui.gitops.urls import Access, Progress, is_ssh, redact


class Callbacks(pygit2.RemoteCallbacks):
    """Credentials tried once each (libgit2 would ask forever), host checks, progress, push results."""

    def __init__(self, url: str, access: Access, progress: Progress | None = None) -> None:
        super().__init__()
        self.url = url
        self.access = access
        self.progress = progress
        self.tried: set[str] = set()
        self.rejected: list[str] = []
        self.server_said: list[str] = []  # "remote:" lines, such as a hook's reason

    def _once(self, kind: str, hint: str) -> None:
        if kind in self.tried:
            raise RemoteError(f"authentication failed for {redact(self.url)}: {hint}")
        self.tried.add(kind)

    def credentials(self, url: str, username_from_url: str | None, allowed_types: CredentialType) -> Any:
        user = username_from_url or "git"
        if allowed_types & CredentialType.SSH_KEY:
            if self.access.ssh_key:
                self._once("key", f"the key {self.access.ssh_key} was not accepted (or its passphrase is wrong)")
                public = self.access.ssh_key + ".pub"
                return pygit2.Keypair(
                    user, public if os.path.exists(public) else None, self.access.ssh_key, self.access.passphrase or ""
                )
            self._once("agent", "no key from the SSH agent was accepted; pass --ssh-key PATH")
            return pygit2.KeypairFromAgent(user)
        if allowed_types & CredentialType.USERPASS_PLAINTEXT:
            parts = urlsplit(self.url) if "://" in self.url else None
            if parts is not None and parts.password is not None:
                self._once("url", "the user and password in the URL were not accepted")
                return pygit2.UserPass(parts.username or user, parts.password)
            if self.access.token:
                self._once("token", "the token in GIMLET_TUI_GIT_TOKEN was not accepted")
                # The stored URL may have lost its user name (see urls): the one given still names it.
                given = parts.username if parts is not None else None
                return pygit2.UserPass(username_from_url or given or "x-access-token", self.access.token)
            raise RemoteError(
                f"{redact(self.url)} asks for a login: set GIMLET_TUI_GIT_TOKEN (or put user:password in the URL)"
            )
        raise RemoteError(f"{redact(self.url)} asks for credentials of a kind gimlet-tui does not offer")

    def certificate_check(self, certificate: Any, valid: bool, host: str | bytes) -> bool:
        if valid:
            return True
        name = host.decode(errors="replace") if isinstance(host, bytes) else str(host)
        if is_ssh(self.url):
            if _in_known_hosts(name, _ssh_port(self.url)):
                raise RemoteError(
                    f"the SSH host key of {name} does not match ~/.ssh/known_hosts: it may have changed, or someone "
                    "is in between; check with whoever runs the server before trusting it"
                )
            if self.access.accept_new_host_key:
                return True
            raise RemoteError(
                f"unknown SSH host key for {name}: check it, then add it with `ssh-keyscan {name} >> ~/.ssh/known_hosts` "
                "(ssh-keyscan -p PORT for another port), or pass --accept-new-host-key"
            )
        raise RemoteError(f"the TLS certificate of {name} is not trusted: point SSL_CERT_FILE at the CA that signed it")

    def transfer_progress(self, stats: Any) -> None:
        if self.progress is not None:
            self.progress(stats.received_objects, stats.total_objects, stats.received_bytes)

    def sideband_progress(self, string: str) -> None:
        for line in str(string).replace("\r", "\n").splitlines():
            if line.strip():
                self.server_said.append(line.strip())

    def push_update_reference(self, refname: str, message: str | None) -> None:
        if message:
            self.rejected.append(f"{refname}: {message}")


def _ssh_port(url: str) -> int:
    if "://" in url:
        return urlsplit(url).port or 22
    return 22


def _in_known_hosts(host: str, port: int) -> bool:
    """True when ~/.ssh/known_hosts (where libgit2 looks) names this host, in plain or hashed form."""
    name = host if port == 22 else f"[{host}]:{port}"
    home = pygit2.settings.homedir or os.path.expanduser("~")
    try:
        lines = Path(home, ".ssh", "known_hosts").read_text(errors="replace").splitlines()
    except OSError:
        return False
    for line in lines:
        fields = line.split()
        if len(fields) < 3 or line.startswith("#"):
            continue
        if fields[0].startswith("@"):
            fields = fields[1:]
        for pattern in fields[0].split(","):
            if pattern.startswith("|1|"):
                try:
                    salt, digest = (base64.b64decode(part) for part in pattern[3:].split("|", 1))
                except (ValueError, TypeError):
                    continue
                if hmac.compare_digest(hmac.new(salt, name.encode(), hashlib.sha1).digest(), digest):
                    return True
            elif pattern == name:
                return True
    return False
