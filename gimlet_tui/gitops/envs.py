"""The envs of a repository: the folders that hold apps (or, repo-per-env, its one env)."""

from __future__ import annotations

import os

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import UnknownTarget
from gimlet_tui.gitops.layout import EnvNaming, repo_per_env_naming
from gimlet_tui.gitops.model import Layout
from gimlet_tui.gitops.names import check_env_name, is_env_name
from gimlet_tui.gitops.repository import GitopsRepo, origin_url, repo_name

WORKSPACE = "the workspace file"


@at_edge
def env_naming(repo: GitopsRepo) -> EnvNaming | None:
    """The env of a repo-per-env repository and where its name comes from (None: nothing names it)."""
    if repo.env_name is not None:
        return EnvNaming(repo.env_name, WORKSPACE)
    url = repo.origin.url if repo.origin is not None else origin_url(repo.git)
    remote = repo_name(repo.git, "", url).rsplit("/", 1)[-1] if url else None
    folder = "" if repo.origin is not None else os.path.basename(repo.path.rstrip("/")).removesuffix(".git")
    return repo_per_env_naming(repo.head_commit().tree, remote, folder)


@at_edge
def list_envs(repo: GitopsRepo) -> list[str]:
    """The envs at the branch head, sorted. In a repo-per-env repository, its one env (if anything names it)."""
    tree = repo.head_commit().tree
    if repo.layout is Layout.REPO_PER_ENV:
        naming = env_naming(repo)
        return [naming.name] if naming is not None else []
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


@at_edge
def no_envs(repo: GitopsRepo) -> str:
    """One line for a repository where no env was found: why, and what to try."""
    where = f"{repo.origin.shown if repo.origin is not None else repo.path} on {repo.branch}"
    if repo.layout is Layout.REPO_PER_ENV:
        return (
            f"no env found in {where}: it holds one env (its apps are at the top), but nothing names it (no env in "
            "release.json, no Flux notifications, and the folder's name is not an env name); name it in a "
            "workspace file: environments: [{name: ENV, repo: PATH}]"
        )
    return (
        f"no env found in {where}: no top-level folder holds apps (an env folder has flux/, a release.json or app "
        "folders); if the repository holds one env, pass --repo-per-env, or name the envs in a workspace file"
    )
