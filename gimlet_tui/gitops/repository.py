"""Opening a gitops repository: find it, pick the branch, detect the layout.

`GitopsRepo` is the core's handle on one repository and branch. It holds a pygit2 repository, so
it belongs to one thread: a worker thread opens its own with `GitopsRepo.open` (about 0.1 ms).
Its `git` attribute is for the core only; the faces get plain values (`info()`, the model).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pygit2

from gimlet_tui.gitops.edge import at_edge, describe
from gimlet_tui.gitops.errors import BadInput, GitopsError, NotARepository
from gimlet_tui.gitops.layout import detect_layout, shared_evidence
from gimlet_tui.gitops.model import Layout, RepoInfo
from gimlet_tui.gitops.names import check_app_name, check_env_name
from gimlet_tui.gitops.recovery import finish_interrupted, report
from gimlet_tui.gitops.settings import trust_object_store
from gimlet_tui.gitops.tracking import tracking_of
from gimlet_tui.gitops.urls import is_url

FETCHED_FILE = "gimlet-tui-fetched"  # in a remote's mirror: when it was last fetched (unix seconds)


@dataclass(frozen=True)
class AppPaths:
    """The paths that belong to one app, as path components from the repository root."""

    folder: tuple[str, ...]
    kustomization: tuple[str, ...]
    env_release: tuple[str, ...]

    @property
    def folder_path(self) -> str:
        return "/".join(self.folder)

    @property
    def kustomization_path(self) -> str:
        return "/".join(self.kustomization)


@dataclass(frozen=True)
class RemoteOrigin:
    """Where the mirror of a remote repository came from, to open it again (the URL is never shown as is)."""

    url: str
    shown: str  # the URL with any password hidden
    branch: str | None
    repo_per_env: bool | None
    env_name: str | None


class GitopsRepo:
    """One gitops repository and the branch we read and roll back."""

    def __init__(
        self, git: pygit2.Repository, ref: str, layout: Layout, path: str, env_name: str | None = None
    ) -> None:
        self.git = git
        self.ref = ref
        self.layout = layout
        self.path = path
        self.env_name = env_name  # the one env of a repo-per-env repository, when a workspace names it
        self.origin: RemoteOrigin | None = None  # set when this is the cached mirror of a remote repository

    @classmethod
    @at_edge
    def open(
        cls, path: str = ".", branch: str | None = None, repo_per_env: bool | None = None, env_name: str | None = None
    ) -> GitopsRepo:
        """Open the repository holding `path` (a work tree, any folder in it, or a bare repository).

        `env_name` names the env of a repo-per-env repository (else its release.json files name it).
        """
        found = find_repository(path)
        if found is None:
            raise NotARepository(f"no git repository at {path!r}; pass --repo PATH")
        trust_object_store()  # process-wide and idempotent: objects are read as git reads them
        git = pygit2.Repository(found)
        _finish_interrupted(git)
        ref = _branch_ref(git, branch)
        tree = git[git.references[ref].target].peel(pygit2.Commit).tree
        if repo_per_env:
            _refuse_shared(tree, path)
        forced = Layout.REPO_PER_ENV if repo_per_env else Layout.SHARED
        layout = detect_layout(tree) if repo_per_env is None else forced
        top = git.workdir or git.path
        return cls(git, ref, layout, os.path.normpath(top), env_name if layout is Layout.REPO_PER_ENV else None)

    @property
    def branch(self) -> str:
        return self.ref.removeprefix("refs/heads/")

    def head_commit(self) -> pygit2.Commit:
        """The commit the branch points at now."""
        return self.git[self.git.references[self.ref].target].peel(pygit2.Commit)

    @at_edge
    def info(self) -> RepoInfo:
        """What a header shows: the repository's name, the branch, its head, the remote or upstream, when fetched.

        A local clone's upstream comes with how far the branch is ahead of and behind it, as of the
        last fetch.
        """
        tracking = (
            tracking_of(self.git, self.branch) if self.origin is None and self.ref.startswith("refs/heads/") else None
        )
        fetched = fetched_at(Path(self.git.path)) if self.origin is not None else None
        if tracking is not None:
            fetched = tracking.fetched_at
        return RepoInfo(
            name=repo_name(self.git, self.path, tracking.url if tracking is not None else None),
            branch=self.branch,
            head=str(self.head_commit().id),
            remote=self.origin.shown if self.origin else None,
            fetched_at=int(fetched) if fetched is not None else None,
            upstream=tracking.name if tracking is not None else None,
            ahead=tracking.ahead if tracking is not None else 0,
            behind=tracking.behind if tracking is not None else 0,
        )

    def at_ref(self, ref: str) -> GitopsRepo:
        """The same repository read at another ref (a remote-tracking branch, for a plan that only shows)."""
        view = GitopsRepo(self.git, ref, self.layout, self.path, self.env_name)
        view.origin = self.origin
        return view

    def app_paths(self, env: str, app: str) -> AppPaths:
        """The app's folder, Kustomization file and env-level release.json, after checking both names."""
        check_env_name(env)
        check_app_name(app)
        kustomization = f"kustomization-{app}.yaml"
        if self.layout is Layout.REPO_PER_ENV:
            return AppPaths((app,), ("flux", kustomization), ("release.json",))
        return AppPaths((env, app), (env, "flux", kustomization), (env, "release.json"))


def fetched_at(mirror: Path) -> float | None:
    """When the mirror of a remote was last fetched (unix seconds), or None."""
    try:
        return float(Path(mirror, FETCHED_FILE).read_text())
    except (OSError, ValueError):
        return None


def find_repository(path: str) -> str | None:
    """The git directory of the repository holding `path`, or None."""
    found: str | None = pygit2.discover_repository(os.path.abspath(path))
    return found


def _finish_interrupted(git: pygit2.Repository) -> None:
    """Finish or undo a rollback that died in this work tree (see `recovery`); a failure must not stop reading."""
    try:
        finish_interrupted(git)
    except (GitopsError, pygit2.GitError, OSError) as error:
        report(
            f"an interrupted rollback here could not be finished yet ({describe(error) if isinstance(error, OSError | pygit2.GitError) else error}); "
            f"its journal stays in {git.path} and the next command tries again"
        )


def _branch_ref(git: pygit2.Repository, branch: str | None) -> str:
    """The local branch to read and roll back: a rollback moves it, so it is never a tag or another's branch."""
    if branch is not None:
        if branch.startswith("refs/") and not branch.startswith("refs/heads/"):
            raise NotARepository(
                f"{branch} is not a local branch: gimlet-tui reads and rolls back local branches only "
                f"(make one with `git branch NAME {branch}`)"
            )
        ref = branch if branch.startswith("refs/heads/") else f"refs/heads/{branch}"
        reference = git.references.get(ref) if pygit2.reference_is_valid_name(ref) else None
        if reference is None:
            known = ", ".join(git.branches.local) or "none"
            raise NotARepository(f"no branch {branch!r} in this repository; branches: {known}")
        if reference.type == pygit2.enums.ReferenceType.SYMBOLIC:
            raise NotARepository(f"{branch} is a symbolic reference to {reference.target}: name that branch instead")
        return ref
    if git.head_is_unborn:
        raise NotARepository("the repository has no commits yet")
    if git.head_is_detached:
        raise NotARepository("HEAD is detached; name the branch with --branch")
    name: str = git.head.name
    return name


def _refuse_shared(tree: pygit2.Tree, path: str) -> None:
    """Refuse to read a shared repository as a repo-per-env one: its env folders would be listed as apps."""
    envs = shared_evidence(tree)
    if envs:
        folders = ", ".join(f"{name}/" for name in envs[:4]) + (", ..." if len(envs) > 4 else "")
        raise BadInput(
            f"{path} is not a repository per env: {folders} {'is an env folder' if len(envs) == 1 else 'are env folders'}"
            " (with flux/ or a release.json naming the env), so it holds all envs; drop --repo-per-env"
            " (repoPerEnv in a workspace file)"
        )


def origin_url(git: pygit2.Repository) -> str:
    """The URL of the `origin` remote, or ""."""
    try:
        return git.remotes["origin"].url or ""
    except (KeyError, ValueError):
        return ""


def repo_name(git: pygit2.Repository, path: str, url: str | None = None) -> str:
    """`owner/repo` (or `repo`) from the remote URL's path (default: origin's), else the folder's name."""
    url = origin_url(git) if url is None else url
    url_path = ""
    if "://" in url:
        try:
            url_path = urlsplit(url).path
        except ValueError:  # a URL that does not parse names nothing
            url_path = ""
    elif is_url(url):  # scp-like: [user@]host:path, an ssh alias
        url_path = url.split(":", 1)[1]
    parts = [p for p in url_path.strip("/").removesuffix(".git").split("/") if p]
    if parts:
        return "/".join(parts[-2:])
    return os.path.basename(path.rstrip("/")).removesuffix(".git") or path
