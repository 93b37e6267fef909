"""The environment `git` runs in: the user's own, plus only what this tool must add.

The user's ssh config, `core.sshCommand`/`GIT_SSH_COMMAND`, proxies, credential helpers, `insteadOf`
and CA settings are left alone, so a fetch here behaves as `git fetch` does for them. Added:

- who answers questions: the terminal (the CLI in the foreground of one), the TUI's modal through an
  askpass helper, or nobody (`GIT_TERMINAL_PROMPT=0`, an empty `GIT_ASKPASS`, ssh's `BatchMode`);
- ssh options from our flags (`--ssh-key`, `--accept-new-host-key`), appended to the user's own ssh
  command (command-line options win over ssh's config files, as if the user had typed them);
- a password written in the URL, or GIMLET_TUI_GIT_TOKEN, handed to git by a credential helper that
  reads it from the child's environment: never in argv, never in a config file, never stored by the
  user's helpers (the helper list is reset for that command);
- English messages (`LC_MESSAGES=C`), which the transport reads to say what went wrong.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping

from gimlet_tui.gitops.askpass import helper_path
from gimlet_tui.gitops.errors import BadInput
from gimlet_tui.gitops.urls import Access, url_login, without_password

_CREDENTIAL_HELPER = (
    '!f() { test "$1" = get || return 0; cat >/dev/null; '
    'echo "username=$GIMLET_TUI_CREDENTIAL_USER"; echo "password=$GIMLET_TUI_CREDENTIAL_PASSWORD"; }; f'
)


def asks_nobody(access: Access) -> bool:
    """True when no person can answer: git and ssh must fail at once instead of waiting."""
    return not access.terminal and access.prompter is None


def git_environment(access: Access, cwd: str, url: str) -> dict[str, str]:
    """The environment for a git command run in `cwd` that talks to `url`."""
    env = dict(os.environ)
    _english_messages(env)
    if not access.terminal:
        env["GIT_TERMINAL_PROMPT"] = "0"
    if access.prompter is not None:
        env.update(access.prompter.environment())
    elif access.passphrase:
        env.update({"SSH_ASKPASS": helper_path(), "SSH_ASKPASS_REQUIRE": "force"})
    if asks_nobody(access):
        env["GIT_ASKPASS"] = ""  # no graphical prompt either: git fails with "terminal prompts disabled"
    options = _ssh_options(access)
    if options:
        env["GIT_SSH_COMMAND"] = _compose_ssh(_user_ssh_command(env, cwd), options, access)
    _credentials(env, access, url)
    return env


def _english_messages(env: dict[str, str]) -> None:
    """git's messages in English (they are read here), the user's character set kept."""
    if "LC_ALL" in env:
        env.setdefault("LC_CTYPE", env.pop("LC_ALL"))
    env.pop("LANGUAGE", None)
    env["LC_MESSAGES"] = "C"


def _ssh_options(access: Access) -> list[str]:
    options = []
    if access.ssh_key:
        options += ["-i", access.ssh_key, "-o", "IdentitiesOnly=yes"]
    if access.accept_new_host_key:
        options += ["-o", "StrictHostKeyChecking=accept-new"]
    if asks_nobody(access) and not access.passphrase:
        options += ["-o", "BatchMode=yes"]
    return options


def _user_ssh_command(env: Mapping[str, str], cwd: str) -> str:
    """The ssh command git would run here: GIT_SSH_COMMAND, core.sshCommand, GIT_SSH, then ssh."""
    if env.get("GIT_SSH_COMMAND"):
        return env["GIT_SSH_COMMAND"]
    configured = subprocess.run(
        ["git", "config", "--get", "core.sshCommand"], cwd=cwd, env=dict(env), capture_output=True, text=True
    ).stdout.strip()
    if configured:
        return configured
    if env.get("GIT_SSH"):
        return shlex.quote(env["GIT_SSH"])
    return "ssh"


def _compose_ssh(command: str, options: list[str], access: Access) -> str:
    """The user's ssh command with our options after it (git appends host and command after those)."""
    try:
        program = os.path.basename(shlex.split(command)[0])
    except (ValueError, IndexError):
        program = ""
    if not program.startswith("ssh"):
        if access.ssh_key or access.accept_new_host_key:
            raise BadInput(
                f"--ssh-key and --accept-new-host-key need OpenSSH's ssh, and git runs {command!r} here: "
                "set the key and host policy in that program's own configuration instead"
            )
        return command  # not OpenSSH: it runs without a terminal, so it cannot wait on one
    return command + " " + " ".join(shlex.quote(option) for option in options)


def _credentials(env: dict[str, str], access: Access, url: str) -> None:
    """A password from the URL, else GIMLET_TUI_GIT_TOKEN, as the only credential git is offered."""
    user, password = url_login(url)
    if password is None and access.token:
        password = os.environ.get("GIMLET_TUI_GIT_TOKEN") or None
        user = user or "x-access-token"
    elif password is None and user is not None and url_login(without_password(url))[0] is None:
        password = ""  # https://TOKEN@host: the user name is the token, and the stored URL does not hold it
    if password is None:
        return
    count = int(env.get("GIT_CONFIG_COUNT") or 0)
    for index, (key, value) in enumerate((("credential.helper", ""), ("credential.helper", _CREDENTIAL_HELPER))):
        env[f"GIT_CONFIG_KEY_{count + index}"] = key
        env[f"GIT_CONFIG_VALUE_{count + index}"] = value
    env["GIT_CONFIG_COUNT"] = str(count + 2)
    env["GIMLET_TUI_CREDENTIAL_USER"] = user or ""
    env["GIMLET_TUI_CREDENTIAL_PASSWORD"] = password
