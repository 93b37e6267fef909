"""What each browser tab runs and where the server listens: the app's argv and environment, the token, the URL.

Standard library only: the CLI checks everything here before aiohttp and textual-serve load.
A tab runs `python -m gimlet_tui` with the repository options the server was given, as an argv
list (no shell parses it). Secrets never go on that command line, where `ps` shows them to every
user of the machine: a password in a repository URL is removed from it and handed to the app as
GIMLET_TUI_GIT_TOKEN, an SSH key's passphrase as GIMLET_TUI_SSH_PASSPHRASE, and the server's own
token is not passed on at all.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import sys
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from gimlet_tui.gitops import BadInput
from gimlet_tui.gitops.urls import is_url, without_password

TOKEN_VARIABLE = "GIMLET_TUI_SERVE_TOKEN"  # the token without showing it to `ps`
MIN_TOKEN_LENGTH = 16
MAKE_TOKEN = "python3 -c 'import secrets; print(secrets.token_urlsafe())'"


@dataclass(frozen=True)
class TabOptions:
    """The options of the app each tab opens, as the server was given them."""

    repo: str | None = None  # a path or a URL; None with a workspace file
    config: str | None = None  # the workspace file, when one is used
    branch: str | None = None
    repo_per_env: bool = False
    timeout: float | None = None  # of a fetch, clone or push (None: the app's default)
    ssh_key: str | None = None
    accept_new_host_key: bool = False
    passphrase: str | None = None  # of the SSH key, when it was asked at the server's terminal
    env: str | None = None
    app: str | None = None
    read_only: bool = False
    push: bool = False


def tab_command(options: TabOptions, python: str = sys.executable) -> tuple[list[str], dict[str, str | None]]:
    """The argv of a tab's app, and the variables to set in its environment (None: remove)."""
    argv = [python, "-m", "gimlet_tui"]
    env: dict[str, str | None] = {TOKEN_VARIABLE: None}
    if options.config is not None:
        argv.append(f"--config={os.path.abspath(options.config)}")
    if options.repo is not None:
        if is_url(options.repo):
            argv.append(f"--repo={without_password(options.repo)}")
            password = urlsplit(options.repo).password if "://" in options.repo else None
            if password is not None:
                env["GIMLET_TUI_GIT_TOKEN"] = password
        else:
            argv.append(f"--repo={os.path.abspath(options.repo)}")
    if options.branch is not None:
        argv.append(f"--branch={options.branch}")
    if options.repo_per_env:
        argv.append("--repo-per-env")
    if options.timeout is not None:
        argv.append(f"--timeout={options.timeout:g}")
    if options.ssh_key is not None:
        argv.append(f"--ssh-key={os.path.abspath(os.path.expanduser(options.ssh_key))}")
    if options.accept_new_host_key:
        argv.append("--accept-new-host-key")
    if options.passphrase is not None:
        env["GIMLET_TUI_SSH_PASSPHRASE"] = options.passphrase
    argv += [f"--{name}={value}" for name, value in (("env", options.env), ("app", options.app)) if value is not None]
    argv += [flag for flag, on in (("--read-only", options.read_only), ("--push", options.push)) if on]
    return argv, env


def is_loopback(host: str) -> bool:
    """True for an address only this machine reaches: 127.0.0.0/8, ::1, localhost."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def choose_token(host: str, token: str | None, no_token: bool) -> tuple[str | None, str | None]:
    """The token to require (None: none) and a warning to print, or a refusal.

    On loopback without --token a random one is made: every user of a jump host reaches its
    loopback. Any other address needs --token (or GIMLET_TUI_SERVE_TOKEN), or --no-token.
    """
    if no_token:
        if token is not None:
            raise BadInput(f"give a token (--token or {TOKEN_VARIABLE}) or --no-token, not both")
        where = "this machine" if is_loopback(host) else f"{host}"
        return None, (
            f"warning: serving without a token: anyone who can reach {where} on this port "
            "can roll back releases (as the user running gimlet-tui serve)"
        )
    if token is None:
        if not is_loopback(host):
            raise BadInput(
                f"--host {host} can be reached from other machines: give --token (or set {TOKEN_VARIABLE}), "
                "or --no-token to serve without one"
            )
        return secrets.token_urlsafe(24), None
    if len(token) < MIN_TOKEN_LENGTH or not token.isprintable() or " " in token:
        raise BadInput(f"the token must be {MIN_TOKEN_LENGTH} or more printable characters, no spaces: {MAKE_TOKEN}")
    return token, None


def url_to_open(host: str, port: int, token: str | None) -> str:
    """The address to give a browser: this machine's name when listening everywhere."""
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = socket.gethostname()
    elif ":" in host and not host.startswith("["):
        shown = f"[{host}]"
    query = f"?{urlencode({'token': token})}" if token else ""
    return f"http://{shown}:{port}/{query}"


def page_title(names: list[str], read_only: bool) -> str:
    """The browser tab's title: the repositories served."""
    title = f"gimlet-tui · {', '.join(dict.fromkeys(names)) or 'no repository'}"
    return f"{title} (read-only)" if read_only else title
