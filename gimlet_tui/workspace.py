"""The workspace: which repository (and branch, and layout) holds each environment.

Read from a YAML file (`--config PATH`, `./.gimlet-tui.yaml`, `$XDG_CONFIG_HOME/gimlet-tui/config.yaml`,
first found) or, without one, the single repository given by `--repo` with its envs discovered.
The file is read as YAML nodes, so that every error names its line, and no tag constructs
anything. A malformed file is one clear error and nothing runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from gimlet_tui.gitops import GitopsError, GitopsRepo, Layout, UnknownTarget, list_envs
from gimlet_tui.gitops.urls import Access, Progress, is_url, redact

CONFIG_NAME = ".gimlet-tui.yaml"


class ConfigError(GitopsError):
    """A workspace file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class EnvSource:
    """Where one environment lives."""

    name: str
    repo: str
    branch: str | None = None
    repo_per_env: bool | None = None
    protected: bool = False
    read_only: bool = False

    @property
    def remote(self) -> bool:
        """True when the env lives in a remote repository (a URL), mirrored in the cache."""
        return is_url(self.repo)

    def open(self, access: Access = Access(), fetch_now: bool = False, progress: Progress | None = None) -> GitopsRepo:
        """A repository handle for this env (one per thread: pygit2 objects are not shared).

        A remote one is cloned on first use, and fetched when `fetch_now`.
        """
        if self.remote:
            from gimlet_tui.gitops.remote import open_remote

            return open_remote(
                self.repo, self.branch, access, fetch_now=fetch_now, progress=progress,
                repo_per_env=self.repo_per_env, env_name=self.name,
            )
        return GitopsRepo.open(self.repo, branch=self.branch, repo_per_env=self.repo_per_env, env_name=self.name)


@dataclass(frozen=True)
class Workspace:
    """The envs a user works with. `config` is the file they came from (None: one repository)."""

    config: str | None
    sources: tuple[EnvSource, ...]
    branch: str | None = None  # of the one repository, when there is no file
    repo: str | None = None  # the one repository, when there is no file

    @property
    def key(self) -> str:
        """Names this workspace in remembered state."""
        return os.path.abspath(self.config) if self.config else f"{self.repo}#{self.branch}"

    def refreshed(self) -> Workspace:
        """The workspace as it is now: one repository's envs are discovered again (a file is read once)."""
        if self.config is not None or self.repo is None:
            return self
        if is_url(self.repo):
            from gimlet_tui.gitops.remote import open_remote

            return single_repository(open_remote(self.repo, self.branch, repo_per_env=self._repo_per_env, fetch_now=False), self.repo)
        repo = GitopsRepo.open(self.repo, branch=self.branch, repo_per_env=self._repo_per_env)
        return single_repository(repo)

    def fetch_remotes(self, access: Access, progress: Callable[[str], Progress]) -> list[str]:
        """Fetch (or clone) each remote repository once; return the one-line reasons of those that failed.

        `progress(url)` gives the progress callback for that URL (password removed).
        """
        remotes: dict[str, tuple[str | None, bool | None]] = {}
        if self.config is None and self.repo is not None and is_url(self.repo):
            remotes[self.repo] = (self.branch, self._repo_per_env)
        for source in self.sources:
            if source.remote:
                remotes.setdefault(source.repo, (source.branch, source.repo_per_env))
        from gimlet_tui.gitops.remote import open_remote

        failures = []
        for url, (branch, per_env) in remotes.items():
            try:
                open_remote(url, branch, access, fetch_now=True, progress=progress(redact(url)), repo_per_env=per_env)
            except GitopsError as error:
                failures.append(str(error))
        return failures

    @property
    def _repo_per_env(self) -> bool | None:
        return self.sources[0].repo_per_env if self.sources else None

    def names(self) -> list[str]:
        return [source.name for source in self.sources]

    def env(self, name: str) -> EnvSource:
        """The source of env `name`, or an error naming the known envs."""
        for source in self.sources:
            if source.name == name:
                return source
        where = f" in {self.config}" if self.config else f" on {self.branch}" if self.branch else ""
        raise UnknownTarget(f"unknown env {name!r}{where}; known envs: {', '.join(self.names()) or 'none'}")


def single_repository(repo: GitopsRepo, url: str | None = None) -> Workspace:
    """The workspace of one repository (local, or the mirror of `url`): its envs as discovered."""
    per_env = repo.layout is Layout.REPO_PER_ENV
    where = url or repo.git.path
    sources = tuple(EnvSource(name, where, repo.ref, per_env) for name in list_envs(repo))
    return Workspace(None, sources, repo.branch, where)


def find_config(explicit: str | None, cwd: str = ".") -> str | None:
    """The workspace file to use: `explicit`, else ./.gimlet-tui.yaml, else the XDG config file."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such workspace file")
        return explicit
    local = os.path.join(cwd, CONFIG_NAME)
    if os.path.isfile(local):
        return local
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    user = os.path.join(base, "gimlet-tui", "config.yaml")
    return user if os.path.isfile(user) else None


def load_workspace(path: str) -> Workspace:
    """Read and check a workspace file; raise `ConfigError` with file and line on any problem."""
    from gimlet_tui.workspace_file import read_workspace_file  # YAML is read only when there is a file

    return Workspace(path, read_workspace_file(path))
