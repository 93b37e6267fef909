"""The apps of an env, as the app selector shows them: at the head, and deleted ones met on the way."""

from __future__ import annotations

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.envs import check_env, env_parts
from gimlet_tui.gitops.errors import UnknownTarget
from gimlet_tui.gitops.layout import app_folders
from gimlet_tui.gitops.model import AppSummary
from gimlet_tui.gitops.release_json import parse_release
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.trees import entry_id, lookup, read_blob
from gimlet_tui.gitops.walk import first_parent_chain


def _apps_in(env_tree: pygit2.Object | None) -> dict[str, pygit2.Tree]:
    """Every folder of the env but `flux`, release.json or not, as Gimlet counts apps (see `layout`)."""
    return app_folders(env_tree)


def _version_sha(app_tree: pygit2.Tree) -> str | None:
    data = read_blob(app_tree, ["release.json"])
    if data is None:
        return None
    release = parse_release(data)
    return release.version.sha if release.version else None


@at_edge
def apps_at_head(repo: GitopsRepo, env: str) -> list[AppSummary]:
    """The apps of `env` at the branch head, without when each last changed: no walk, for a first paint.

    The same apps, in the same order, as the first part of `list_apps`.
    """
    check_env(repo, env)
    apps = _apps_in(lookup(repo.head_commit().tree, env_parts(repo, env)))
    return [AppSummary(name, False, _version_sha(tree), None) for name, tree in sorted(apps.items())]


@at_edge
def list_apps(repo: GitopsRepo, env: str) -> list[AppSummary]:
    """The apps of `env`: those at the head, then deleted ones met while finding when each last changed.

    One newest-first walk finds when each app last changed; it stops as soon as every app at the head
    has been seen, so an app deleted before that point is not listed (it can still be named).
    """
    check_env(repo, env)
    parts = env_parts(repo, env)
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
        AppSummary(name, False, _version_sha(tree), last_changed.get(name)) for name, tree in sorted(apps.items())
    ]
    summaries += [AppSummary(name, True, sha, last_changed.get(name)) for name, sha in sorted(deleted.items())]
    return summaries


@at_edge
def no_history(repo: GitopsRepo, env: str, app: str) -> UnknownTarget:
    """The error for an app with no history on the branch, naming the apps that env has."""
    names = ", ".join(a.name for a in list_apps(repo, env) if not a.deleted) or "none"
    return UnknownTarget(f"{env}/{app} has no history on {repo.branch}; apps in {env}: {names}")
