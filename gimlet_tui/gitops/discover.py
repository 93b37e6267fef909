"""What the selectors show: the envs of the repository and, per env, its apps."""

from __future__ import annotations

import pygit2

from gimlet_tui.gitops.errors import UnknownTarget
from gimlet_tui.gitops.history import first_parent_chain
from gimlet_tui.gitops.model import AppSummary, Layout
from gimlet_tui.gitops.names import is_app_name, is_env_name
from gimlet_tui.gitops.release_json import parse_release
from gimlet_tui.gitops.repository import GitopsRepo, env_name_for_repo_per_env
from gimlet_tui.gitops.trees import entry_id, lookup, read_blob


def list_envs(repo: GitopsRepo) -> list[str]:
    """The envs at the branch head, sorted. In a repo-per-env repository, its one env."""
    tree = repo.head_commit().tree
    if repo.layout is Layout.REPO_PER_ENV:
        return [repo.env_name or env_name_for_repo_per_env(repo, tree)]
    return sorted(entry.name for entry in tree if isinstance(entry, pygit2.Tree) and _is_env_folder(entry))


def _is_env_folder(tree: pygit2.Tree) -> bool:
    if not is_env_name(tree.name) or tree.name.startswith("."):
        return False
    if "release.json" in tree or "flux" in tree:
        return True
    return any(isinstance(sub, pygit2.Tree) and "release.json" in sub for sub in tree)


def _env_parts(repo: GitopsRepo, env: str) -> tuple[str, ...]:
    return () if repo.layout is Layout.REPO_PER_ENV else (env,)


def _apps_in(env_tree: pygit2.Object | None) -> dict[str, pygit2.Tree]:
    if not isinstance(env_tree, pygit2.Tree):
        return {}
    return {
        entry.name: entry
        for entry in env_tree
        if isinstance(entry, pygit2.Tree) and is_app_name(entry.name) and "release.json" in entry
    }


def _version_sha(app_tree: pygit2.Tree) -> str | None:
    data = read_blob(app_tree, ["release.json"])
    if data is None:
        return None
    release = parse_release(data)
    return release.version.sha if release.version else None


def list_apps(repo: GitopsRepo, env: str) -> list[AppSummary]:
    """The apps of `env`: those at the head, then deleted ones met while finding when each last changed.

    One newest-first walk finds when each app last changed; it stops as soon as every app at the head
    has been seen, so an app deleted before that point is not listed (it can still be named).
    """
    repo.check_env(env)
    parts = _env_parts(repo, env)
    head = repo.head_commit()
    apps = _apps_in(lookup(head.tree, parts))
    last_changed: dict[str, int] = {}
    deleted: dict[str, str | None] = {}
    for commit, parent in first_parent_chain(repo.git, head.id):
        if all(name in last_changed for name in apps):
            break
        parent_tree = parent.tree if parent is not None else None
        if parent_tree is not None and entry_id(commit.tree, parts) == entry_id(parent_tree, parts):
            continue
        now = _apps_in(lookup(commit.tree, parts))
        before = _apps_in(lookup(parent_tree, parts)) if parent_tree is not None else {}
        for name in now.keys() | before.keys():
            if name in last_changed:
                continue
            if name not in now or name not in before or now[name].id != before[name].id:
                last_changed[name] = commit.commit_time
                if name not in apps:
                    deleted[name] = _version_sha(before[name]) if name in before else None
    summaries = [
        AppSummary(env, name, False, _version_sha(tree), last_changed.get(name)) for name, tree in sorted(apps.items())
    ]
    summaries += [
        AppSummary(env, name, True, sha, last_changed.get(name)) for name, sha in sorted(deleted.items())
    ]
    return summaries


def no_history(repo: GitopsRepo, env: str, app: str) -> UnknownTarget:
    """The error for an app with no history on the branch, naming the apps that env has."""
    names = ", ".join(a.name for a in list_apps(repo, env) if not a.deleted) or "none"
    return UnknownTarget(f"{env}/{app} has no history on {repo.branch}; apps in {env}: {names}")
