"""Shared fixtures: real repositories in temp dirs, the git command as an oracle, repository snapshots."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pygit2
import pytest

from gimlet_tui.gitops import Layout
from gimlet_tui.gitops.writer import GitopsWriter

T0 = 1_700_000_000  # a fixed clock: 2023-11-14


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
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)
    # pygit2 reads the global config path once per process: point it at the test's home.
    pygit2.settings.search_path[pygit2.enums.ConfigLevel.GLOBAL] = str(home)
    pygit2.settings.homedir = str(home)  # where libgit2 looks for ~/.ssh/known_hosts


def git(repo: str | Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    """Run the real git command in `repo` and return its stdout."""
    full_env = dict(os.environ)
    full_env.update({
        "GIT_AUTHOR_NAME": "Oracle", "GIT_AUTHOR_EMAIL": "oracle@example.com",
        "GIT_COMMITTER_NAME": "Oracle", "GIT_COMMITTER_EMAIL": "oracle@example.com",
    })
    full_env.update(env or {})
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=full_env, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def version(n: int, **extra: object) -> dict[str, object]:
    """A release.json `version` object for deploy number `n`."""
    sha = f"{n:08x}" + "a" * 32
    return {
        "repositoryName": "acme/app", "sha": sha, "created": T0 + n, "branch": "main",
        "authorName": f"Dev {n}", "authorEmail": "dev@acme.dev", "message": f"change {n}",
        "url": f"https://github.com/acme/app/commit/{sha}", **extra,
    }


class Builder:
    """A Gimlet-shaped history under construction, with a clock that ticks a minute per commit."""

    def __init__(self, path: Path, layout: Layout) -> None:
        self.path = path
        self.writer = GitopsWriter(str(path), layout)
        self.clock = T0
        self.n = 0

    def tick(self) -> int:
        self.clock += 60
        return self.clock

    def deploy(self, env: str, app: str, content: str | None = None, **kwargs: object) -> str:
        self.n += 1
        files = {"deployment.yaml": f"image: acme/{app}:{content or self.n}\n", "service.yaml": f"name: {app}\n"}
        return self.writer.deploy(env, app, files, version(self.n), self.tick(), **kwargs)

    def delete(self, env: str, app: str) -> str:
        return self.writer.delete(env, app, "tester", self.tick())

    def commit(self, changes: dict[str, str | None], message: str = "hand edit", **kwargs: object) -> str:
        return self.writer.commit(changes, message, self.tick(), author=("Hand", "hand@acme.dev"), **kwargs)


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


def repo_state(path: str | Path) -> dict[str, str]:
    """Everything a refused operation must leave as it was: refs, HEAD, index, work tree status."""
    return {
        "refs": git(path, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(path, "rev-parse", "HEAD"),
        "index": git(path, "ls-files", "-s"),
        "status": git(path, "status", "--porcelain", "--untracked-files=all"),
        "files": "\n".join(sorted(str(p.relative_to(path)) + ":" + p.read_bytes().hex() for p in Path(path).rglob("*") if p.is_file() and ".git" not in p.parts)),
    }


def refused_without_change(path: str | Path, error: type[BaseException], match: str | None, call: Callable[[], object]) -> None:
    """`call` raises `error` with a message matching `match`, and the repository is exactly as before."""
    state = repo_state(path)
    with pytest.raises(error, match=match):
        call()
    assert repo_state(path) == state


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list:
    """The commits the history walks read, in order (each walk reads every commit's tree once)."""
    from gimlet_tui.gitops import history

    seen: list = []
    real = history._outer

    def counting(commit, env):
        seen.append(commit.id)
        return real(commit, env)

    monkeypatch.setattr(history, "_outer", counting)
    return seen
