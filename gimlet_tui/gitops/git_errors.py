"""A failed git network step in one line: what git and ssh said, and what to set up when it is a login.

The line keeps git's (or the server's) own words, with any password from the URL hidden; a face
escapes it before showing it.
"""

from __future__ import annotations

from gimlet_tui.gitops.errors import RemoteError
from gimlet_tui.gitops.git_cli import GitRun
from gimlet_tui.gitops.git_env import asks_nobody
from gimlet_tui.gitops.urls import Access, redact, url_login

_NO_TERMINAL = "there is no terminal to ask on"


def hide_secrets(text: str, url: str) -> str:
    """`text` with the URL shown redacted and its password (if any) nowhere."""
    _, password = url_login(url)
    text = text.replace(url, redact(url))
    return text.replace(password, "***") if password else text


def _said(run: GitRun) -> str:
    """git's last word: its last `fatal:`/`error:` line, else its last line."""
    for line in reversed(run.lines):
        if line.startswith(("fatal:", "error:")):
            return line.split(":", 1)[1].strip()
    return run.lines[-1] if run.lines else f"git exited with status {run.code}"


def _ssh_login(text: str, shown: str, access: Access) -> str | None:
    if "REMOTE HOST IDENTIFICATION HAS CHANGED" in text:
        return (
            f"the SSH host key of the server of {shown} does not match known_hosts: it may have changed, or someone "
            "is in between; check with whoever runs the server before trusting it"
        )
    if "Host key verification failed" in text:
        hint = f" ({_NO_TERMINAL})" if asks_nobody(access) else ""
        return (
            f"the SSH host key of the server of {shown} is not known{hint}: check it, then add it with "
            "`ssh-keyscan [-p PORT] HOST >> ~/.ssh/known_hosts`, connect once with ssh, or pass --accept-new-host-key"
        )
    if "Permission denied (" in text:
        hint = (
            f"; {_NO_TERMINAL} for a passphrase: load the key into ssh-agent (ssh-add), or name it in ~/.ssh/config"
            if asks_nobody(access)
            else ": check the key (ssh -v, ssh-add -l), or name it in ~/.ssh/config"
        )
        return f"authentication failed for {shown}: the server accepted no SSH key{hint}"
    return None


def _https_login(text: str, shown: str) -> str | None:
    if "terminal prompts disabled" in text or "could not read Username" in text or "could not read Password" in text:
        return (
            f"{shown} asks for a login and {_NO_TERMINAL}: set up a git credential helper "
            "(git config --global credential.helper ...), or set GIMLET_TUI_GIT_TOKEN"
        )
    if "Authentication failed for" in text or "HTTP Basic: Access denied" in text:
        return f"authentication failed for {shown}: the server refused the login (check the credential helper's token, or GIMLET_TUI_GIT_TOKEN)"
    if "SSL certificate problem" in text or "server certificate verification failed" in text:
        return f"the TLS certificate of {shown} is not trusted: point http.sslCAInfo (or GIT_SSL_CAINFO) at the CA that signed it"
    return None


def failure(run: GitRun, url: str, access: Access, pushing: bool = False) -> RemoteError:
    """The one-line error for a git command that could not fetch from or push to `url`."""
    text = "\n".join(run.lines)
    shown = redact(url)
    line = _ssh_login(text, shown, access) or _https_login(text, shown)
    if line is None and pushing:
        line = (
            f"the push to {shown} did not complete: {_said(run)}; nothing moved here "
            "(fetch, e.g. `release list --fetch`, to see whether the server took it)"
        )
    line = line or f"cannot reach {shown}: {_said(run)}"
    return RemoteError(hide_secrets(" ".join(line.split()), url))
