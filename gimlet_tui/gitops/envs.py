"""The envs of a repository: the folders that hold apps (or, repo-per-env, its one env)."""

from __future__ import annotations

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import UnknownTarget
from gimlet_tui.gitops.layout import repo_per_env_name
from gimlet_tui.gitops.model import Layout
from gimlet_tui.gitops.names import check_env_name, is_env_name
from gimlet_tui.gitops.repository import GitopsRepo


@at_edge
def list_envs(repo: GitopsRepo) -> list[str]:
    """The envs at the branch head, sorted. In a repo-per-env repository, its one env."""
    tree = repo.head_commit().tree
    if repo.layout is Layout.REPO_PER_ENV:
        return [repo.env_name or repo_per_env_name(tree, repo.path)]
    return sorted(
        entry.name for entry in tree if isinstance(entry, pygit2.Tree) and entry.name and _is_env_folder(entry)
    )


def _is_env_folder(tree: pygit2.Tree) -> bool:
    if tree.name is None or not is_env_name(tree.name) or tree.name.startswith("."):
        return False
    if "release.json" in tree or "flux" in tree:
        return True
    return any(isinstance(sub, pygit2.Tree) and "release.json" in sub for sub in tree)


@at_edge
def check_env(repo: GitopsRepo, env: str) -> None:
    """Raise `UnknownTarget` naming the known envs when `env` is not one of this repository."""
    check_env_name(env)
    known = list_envs(repo)
    if env not in known:
        names = ", ".join(known) or "none"
        raise UnknownTarget(f"unknown env {env!r} on {repo.branch}; known envs: {names}")


def env_parts(repo: GitopsRepo, env: str) -> tuple[str, ...]:
    """The path components of the env's folder (none in a repo-per-env repository)."""
    return () if repo.layout is Layout.REPO_PER_ENV else (env,)
