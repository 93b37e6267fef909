"""Opening a gitops repository: find it, pick the branch, detect the layout.

`GitopsRepo` is the core's handle on one repository and branch. It holds a pygit2 repository, so
it belongs to one thread: a worker thread opens its own with `GitopsRepo.open` (about 0.1 ms).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pygit2

from gimlet_tui.gitops.errors import NotARepository, UnknownTarget
from gimlet_tui.gitops.model import Layout, RepoInfo
from gimlet_tui.gitops.names import check_app_name, check_env_name, is_app_name, is_env_name
from gimlet_tui.gitops.trees import lookup, read_blob


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


class GitopsRepo:
    """One gitops repository and the branch we read and roll back."""

    def __init__(self, git: pygit2.Repository, ref: str, layout: Layout, path: str, env_name: str | None = None) -> None:
        self.git = git
        self.ref = ref
        self.layout = layout
        self.path = path
        self.env_name = env_name  # the one env of a repo-per-env repository, when a workspace names it
        self.remote_url: str | None = None  # set when this is the cached mirror of a remote repository

    @classmethod
    def open(
        cls, path: str = ".", branch: str | None = None, repo_per_env: bool | None = None, env_name: str | None = None
    ) -> GitopsRepo:
        """Open the repository holding `path` (a work tree, any folder in it, or a bare repository).

        `env_name` names the env of a repo-per-env repository (else its release.json files name it).
        """
        found = pygit2.discover_repository(os.path.abspath(path))
        if found is None:
            raise NotARepository(f"no git repository at {path!r}; pass --repo PATH")
        git = pygit2.Repository(found)
        ref = _branch_ref(git, branch)
        if repo_per_env is None:
            layout = detect_layout(git[git.references[ref].target].peel(pygit2.Commit).tree)
        else:
            layout = Layout.REPO_PER_ENV if repo_per_env else Layout.SHARED
        top = git.workdir or git.path
        return cls(git, ref, layout, os.path.normpath(top), env_name if layout is Layout.REPO_PER_ENV else None)

    @property
    def branch(self) -> str:
        return self.ref.removeprefix("refs/heads/")

    def head_commit(self) -> pygit2.Commit:
        """The commit the branch points at now."""
        return self.git[self.git.references[self.ref].target].peel(pygit2.Commit)

    def info(self) -> RepoInfo:
        fetched = None
        if self.remote_url is not None:
            try:
                fetched = int(Path(self.git.path, FETCHED_FILE).read_text())
            except (OSError, ValueError):
                fetched = None
        return RepoInfo(
            path=self.path,
            name=repo_name(self.git, self.path),
            branch=self.branch,
            head=str(self.head_commit().id),
            layout=self.layout,
            bare=self.git.is_bare,
            remote=self.remote_url,
            fetched_at=fetched,
        )

    def app_paths(self, env: str, app: str) -> AppPaths:
        """The app's folder, Kustomization file and env-level release.json, after checking both names."""
        check_env_name(env)
        check_app_name(app)
        kustomization = f"kustomization-{app}.yaml"
        if self.layout is Layout.REPO_PER_ENV:
            return AppPaths((app,), ("flux", kustomization), ("release.json",))
        return AppPaths((env, app), (env, "flux", kustomization), (env, "release.json"))

    def check_env(self, env: str) -> None:
        """Raise `UnknownTarget` naming the known envs when `env` is not one of this repository."""
        check_env_name(env)
        from gimlet_tui.gitops.discover import list_envs

        known = list_envs(self)
        if env not in known:
            names = ", ".join(known) or "none"
            raise UnknownTarget(f"unknown env {env!r} on {self.branch}; known envs: {names}")


def _branch_ref(git: pygit2.Repository, branch: str | None) -> str:
    if branch is not None:
        ref = branch if branch.startswith("refs/") else f"refs/heads/{branch}"
        if ref not in git.references:
            known = ", ".join(git.branches.local) or "none"
            raise NotARepository(f"no branch {branch!r} in this repository; branches: {known}")
        return ref
    if git.head_is_unborn:
        raise NotARepository("the repository has no commits yet")
    if git.head_is_detached:
        raise NotARepository("HEAD is detached; name the branch with --branch")
    return git.head.name


def detect_layout(tree: pygit2.Tree) -> Layout:
    """Tell the layout from the head tree.

    A root release.json, or top-level folders that are apps (their release.json names the folder as
    its app), mean one repository per env; folders holding app folders mean the shared layout.
    """
    if isinstance(lookup(tree, ["release.json"]), pygit2.Blob):
        return Layout.REPO_PER_ENV
    per_env_votes = shared_votes = 0
    for entry in tree:
        if not isinstance(entry, pygit2.Tree) or entry.name.startswith("."):
            continue
        own = read_blob(entry, ["release.json"])
        if own is not None:
            try:
                document = json.loads(own)
            except (ValueError, RecursionError):
                document = None
            if isinstance(document, dict):
                if document.get("app") == entry.name:
                    per_env_votes += 1
                elif document.get("env") == entry.name:
                    shared_votes += 1
        if any(isinstance(sub, pygit2.Tree) and "release.json" in sub for sub in entry):
            shared_votes += 1
    return Layout.REPO_PER_ENV if per_env_votes > shared_votes else Layout.SHARED


def repo_name(git: pygit2.Repository, path: str) -> str:
    """`owner/repo` (or `repo`) from the origin URL's path, else the folder's name."""
    try:
        url = git.remotes["origin"].url or ""
    except (KeyError, ValueError):
        url = ""
    if "://" in url:
        url_path = urlsplit(url).path
    elif re.match(r"^[\w.+-]+@[\w.-]+:", url):
        url_path = url.split(":", 1)[1]
    else:
        url_path = ""
    parts = [p for p in url_path.strip("/").removesuffix(".git").split("/") if p]
    if parts:
        return "/".join(parts[-2:])
    return os.path.basename(path.rstrip("/")).removesuffix(".git") or path


def env_name_for_repo_per_env(repo: GitopsRepo, tree: pygit2.Tree) -> str:
    """The one env of a repo-per-env repository: named by its release.json files, else the folder."""
    candidates = [read_blob(tree, ["release.json"])]
    candidates += [read_blob(e, ["release.json"]) for e in tree if isinstance(e, pygit2.Tree) and is_app_name(e.name)]
    for data in candidates:
        if data is None:
            continue
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            continue
        if isinstance(document, dict) and isinstance(document.get("env"), str) and is_env_name(document["env"]):
            return document["env"]
    folder = os.path.basename(repo.path.rstrip("/")).removesuffix(".git")
    return folder if is_env_name(folder) else "default"
