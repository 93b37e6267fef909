"""The workspace as values: which repository (and branch, and layout) holds each environment."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass

from gimlet_tui.gitops import GitopsError, GitopsRepo, Layout, UnknownTarget, env_naming, list_envs, no_envs
from gimlet_tui.gitops.urls import Access, Progress, is_url, redact


@dataclass(frozen=True)
class EnvSource:
    """Where one environment lives."""

    name: str
    repo: str
    branch: str | None = None
    repo_per_env: bool | None = None
    protected: bool = False
    read_only: bool = False
    named_by: str | None = None  # where a repo-per-env repository's env name was found (`env list` says)

    @property
    def remote(self) -> bool:
        """True when the env lives in a remote repository (a URL), mirrored in the cache."""
        return is_url(self.repo)

    def open(
        self, access: Access = Access(), fetch_now: bool = False, progress: Progress | None = None, clone: bool = True
    ) -> GitopsRepo:
        """A repository handle for this env (one per thread: pygit2 objects are not shared).

        A remote one is cloned on first use (unless `clone` is False: then it must have been fetched
        before), and fetched when `fetch_now`.
        """
        if self.remote:
            # Imported here for start-up time: the transport loads only for remote repositories.
            from gimlet_tui.gitops.remote import open_remote

            return open_remote(
                self.repo,
                self.branch,
                access,
                fetch_now=fetch_now,
                progress=progress,
                repo_per_env=self.repo_per_env,
                env_name=self.name,
                clone=clone,
            )
        return GitopsRepo.open(self.repo, branch=self.branch, repo_per_env=self.repo_per_env, env_name=self.name)


@dataclass(frozen=True)
class KeymapEntry:
    """One line of the workspace file's `keymap:`: a TUI binding id and the keys it takes instead."""

    binding: str
    keys: str
    line: int  # in the workspace file, for errors (checked by the TUI, which knows the bindings)


@dataclass(frozen=True)
class Workspace:
    """The envs a user works with. `config` is the file they came from (None: one repository)."""

    config: str | None
    sources: tuple[EnvSource, ...]
    branch: str | None = None  # of the one repository, when there is no file
    repo: str | None = None  # the one repository, when there is no file
    hint: str | None = None  # why the one repository has no env, and what to try
    keymap: tuple[KeymapEntry, ...] = ()  # the file's `keymap:`, in its order

    @property
    def key(self) -> str:
        """Names this workspace in remembered state (never with a password)."""
        if self.config:
            return os.path.abspath(self.config)
        return f"{redact(self.repo) if self.repo else self.repo}#{self.branch}"

    @property
    def repo_per_env(self) -> bool | None:
        """The layout of the one repository, when there is no file."""
        return self.sources[0].repo_per_env if self.sources else None

    def names(self) -> list[str]:
        return [source.name for source in self.sources]

    def source(self, name: str | None) -> EnvSource | None:
        """The source of env `name`, or None."""
        return next((source for source in self.sources if source.name == name), None)

    def env(self, name: str) -> EnvSource:
        """The source of env `name`, or an error naming the known envs."""
        source = self.source(name)
        if source is not None:
            return source
        if not self.sources and self.hint:
            raise UnknownTarget(self.hint)
        where = f" in {self.config}" if self.config else f" on {self.branch}" if self.branch else ""
        close = difflib.get_close_matches(name, self.names(), n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise UnknownTarget(f"unknown env {name!r}{where}{hint}; known envs: {', '.join(self.names()) or 'none'}")


def single_repository(repo: GitopsRepo) -> Workspace:
    """The workspace of one repository (local, or the mirror of a remote one): its envs as discovered."""
    per_env = repo.layout is Layout.REPO_PER_ENV
    where = repo.origin.url if repo.origin is not None else repo.path
    naming = env_naming(repo) if per_env else None
    named_by = naming.source if naming is not None else None
    sources = tuple(EnvSource(name, where, repo.ref, per_env, named_by=named_by) for name in list_envs(repo))
    return Workspace(None, sources, repo.branch, where, hint=None if sources else no_envs(repo))


def rediscover(workspace: Workspace) -> Workspace:
    """The workspace as it is now: one repository's envs are discovered again (a file is read once)."""
    if workspace.config is not None or workspace.repo is None:
        return workspace
    if is_url(workspace.repo):
        # Imported here for start-up time: the transport loads only for remote repositories.
        from gimlet_tui.gitops.remote import open_remote

        return single_repository(
            open_remote(workspace.repo, workspace.branch, repo_per_env=workspace.repo_per_env, fetch_now=False)
        )
    return single_repository(
        GitopsRepo.open(workspace.repo, branch=workspace.branch, repo_per_env=workspace.repo_per_env)
    )


def fetch_remotes(
    workspace: Workspace, access: Access, progress: Callable[[str], Progress], clones: bool = False
) -> list[str]:
    """Fetch (or clone) each remote repository once; return the one-line reasons of those that failed.

    With `clones`, the upstream of each local clone's branch is fetched too (as `git fetch` would).
    `progress(url)` gives the progress callback for that URL (password removed).
    """
    failures = fetch_clones(workspace, access, progress) if clones else []
    remotes: dict[str, tuple[str | None, bool | None]] = {}
    for source in workspace.sources:
        if source.remote:
            remotes.setdefault(source.repo, (source.branch, source.repo_per_env))
    if workspace.config is None and workspace.repo is not None and is_url(workspace.repo):
        remotes.setdefault(workspace.repo, (workspace.branch, workspace.repo_per_env))
    # Imported here for start-up time: the transport loads only for remote repositories.
    from gimlet_tui.gitops.remote import open_remote

    for url, (branch, per_env) in remotes.items():
        try:
            open_remote(url, branch, access, fetch_now=True, progress=progress(redact(url)), repo_per_env=per_env)
        except GitopsError as error:
            failures.append(str(error))
    return failures


def fetch_clones(workspace: Workspace, access: Access, progress: Callable[[str], Progress]) -> list[str]:
    """Fetch the upstream of each local repository's branch, once per repository; the reasons of failures."""
    # Imported here for start-up time: the transport loads only when something is fetched.
    from gimlet_tui.gitops.upstream import fetch_upstream

    failures, done = [], set()
    for source in workspace.sources:
        if source.remote or (source.repo, source.branch) in done:
            continue
        done.add((source.repo, source.branch))
        try:
            repo = source.open(access)
            tracking = repo.info().upstream
            if tracking is not None:
                fetch_upstream(repo, access, progress(tracking))
        except GitopsError as error:
            failures.append(str(error))
    return failures
