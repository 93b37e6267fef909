"""Fixtures: every test runs with its own home, git config and XDG folders; repositories are made in temp dirs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pygit2
import pytest

from gimlet_tui.gitops import Layout
from gimlet_tui.gitops import walk as walk_module
from gimlet_tui.gitops.walk import ChangeWalk
from helpers import Builder


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user git config leaks in: identity comes from each test's own setup."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
        # The transport runs the user's git and ssh: nothing of the machine's own set-up leaks in.
        "SSH_AUTH_SOCK",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "SSH_ASKPASS_REQUIRE",
        "GIT_CONFIG_COUNT",
        "GIT_TERMINAL_PROMPT",
        "GIMLET_TUI_GIT_TOKEN",
        "GIMLET_TUI_SSH_PASSPHRASE",
    ):
        monkeypatch.delenv(name, raising=False)
    # pygit2 reads the global config path once per process: point it at the test's home.
    pygit2.settings.search_path[pygit2.enums.ConfigLevel.GLOBAL] = str(home)
    pygit2.settings.homedir = str(home)
    own_ssh_config(home)


def own_ssh_config(home: Path) -> None:
    """The test's ~/.ssh/config, reached through core.sshCommand as a user would set it up for git.

    OpenSSH reads the home folder from the password database, not $HOME: without this, ssh would
    read and write the real ~/.ssh/known_hosts of the machine. Tests add hosts as files in
    ~/.ssh/config.d (read first: in ssh's config the first value found wins).
    """
    ssh = home / ".ssh"
    (ssh / "config.d").mkdir(mode=0o700, parents=True)
    (ssh / "config").write_text(
        f"Include {ssh / 'config.d'}/*\n"
        f"Host *\n  UserKnownHostsFile {ssh / 'known_hosts'}\n  GlobalKnownHostsFile /dev/null\n"
        "  StrictHostKeyChecking yes\n  ConnectTimeout 20\n"
    )
    with (home / "gitconfig").open("a") as config:
        config.write(f'[core]\n\tsshCommand = ssh -F "{ssh / "config"}"\n')


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Builder]:
    """Build a repository: `make_repo()` (shared layout) or `make_repo(Layout.REPO_PER_ENV)`."""
    count = 0

    def build(layout: Layout = Layout.SHARED) -> Builder:
        nonlocal count
        count += 1
        path = tmp_path / f"repo{count}"
        builder = Builder(path, layout)
        builder.commit({"README.md": "# gitops\n"}, "Initial commit")
        return builder

    return build


class Walks(list[ChangeWalk]):
    """The walks a test started; `engine` is the one the test forced ("git" or "pygit2")."""

    engine = "git"


@pytest.fixture(params=["git", "pygit2"])
def walks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Walks]:
    """Every history walk started during the test, with each engine in turn (git, then pygit2 alone).

    `sum(w.compared for w in walks)` counts the commits read: with git only those it named.
    """
    started = Walks()
    started.engine = request.param
    if request.param == "pygit2":
        monkeypatch.setattr(walk_module, "git_executable", lambda: None)
    real = ChangeWalk.__iter__

    def recording(walk: ChangeWalk) -> Iterator[object]:
        assert walk.engine == request.param
        started.append(walk)
        return real(walk)

    monkeypatch.setattr(ChangeWalk, "__iter__", recording)
    yield started
