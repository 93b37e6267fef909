"""Remote gitops repositories: a bare mirror in the user's cache, fetched; rollbacks pushed, never forced.

A URL (ssh://, scp-like user@host:path, https://, git://, file://) is cloned on first use into a
per-URL folder of $XDG_CACHE_HOME/gimlet-tui/repos whose branches mirror the server's
(`+refs/heads/*:refs/heads/*`). A rollback fetches, plans on the fetched tip, writes the revert
commits without moving anything, pushes them, and only after the server took them moves the mirror's
branch: a failed push leaves no local branch pointing at unpushed commits. When the push is
rejected because the branch moved, it fetches, plans again (the target may have become current or
rolled back) and retries, three times at most. Secrets never appear in messages: URLs are shown
with their password removed, and the cache's config never stores one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pygit2

from gimlet_tui.dirs import cache_dir, private_dir
from gimlet_tui.gitops.callbacks import Callbacks
from gimlet_tui.gitops.commit_graph import write_changed_paths
from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import NotARepository, RemoteError, RollbackFailed
from gimlet_tui.gitops.execute import execute_rollback, write_reverts
from gimlet_tui.gitops.identity import Identity
from gimlet_tui.gitops.model import RollbackPlan, RollbackResult
from gimlet_tui.gitops.repository import FETCHED_FILE, GitopsRepo, RemoteOrigin
from gimlet_tui.gitops.rollback import plan_rollback
from gimlet_tui.gitops.urls import Access, Progress, check_url, redact, without_password

PUSH_ATTEMPTS = 3
CONNECT_TIMEOUT_MS = 10_000
SERVER_TIMEOUT_MS = 30_000


def _timeouts() -> None:
    pygit2.settings.server_connect_timeout = CONNECT_TIMEOUT_MS
    pygit2.settings.server_timeout = SERVER_TIMEOUT_MS


def cache_path(url: str) -> Path:
    """The per-URL folder of the mirror (the URL without any password names it)."""
    clean = without_password(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", clean.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])[:40]
    digest = hashlib.sha256(clean.encode()).hexdigest()[:16]
    return cache_dir() / "repos" / f"{name}-{digest}"


def _failure(url: str, error: Exception) -> RemoteError:
    if isinstance(error, RemoteError):
        return error
    text = str(error).replace(url, redact(url))
    return RemoteError(f"cannot reach {redact(url)}: {text}")


def fetch(git: pygit2.Repository, url: str, access: Access, progress: Progress | None = None) -> None:
    """Bring the mirror's branches level with the server's (pruning deleted ones)."""
    _timeouts()
    callbacks = Callbacks(url, access, progress)
    remote = git.remotes["origin"]
    try:
        remote.fetch(callbacks=callbacks, prune=pygit2.enums.FetchPrune.PRUNE)
    except (pygit2.GitError, OSError) as error:
        raise _failure(url, error) from None
    with contextlib.suppress(OSError):
        Path(git.path, FETCHED_FILE).write_text(str(int(time.time())))


def _clone(url: str, path: Path, access: Access, progress: Progress | None) -> None:
    private_dir(path.parent)
    partial = Path(tempfile.mkdtemp(prefix=path.name + ".partial-", dir=path.parent))
    try:
        git = pygit2.init_repository(str(partial), bare=True)
        remote = git.remotes.create("origin", without_password(url), "+refs/heads/*:refs/heads/*")
        _timeouts()
        try:
            heads = remote.list_heads(callbacks=Callbacks(url, access))
        except (pygit2.GitError, OSError) as error:
            raise _failure(url, error) from None
        fetch(git, url, access, progress)
        head = next((h.symref_target for h in heads if h.name == "HEAD" and h.symref_target), None)
        if head is None:
            branches = list(git.branches.local)
            head = "refs/heads/" + (branches[0] if len(branches) == 1 else "main")
        git.set_head(head)
        os.replace(partial, path)  # whole or not at all: an interrupted clone leaves no half mirror
    finally:
        shutil.rmtree(partial, ignore_errors=True)


@at_edge
def open_remote(
    url: str,
    branch: str | None = None,
    access: Access = Access(),
    *,
    fetch_now: bool = True,
    progress: Progress | None = None,
    repo_per_env: bool | None = None,
    env_name: str | None = None,
) -> GitopsRepo:
    """The mirror of `url`: cloned if missing, fetched when `fetch_now`, opened on `branch` (default: the server's)."""
    check_url(url)
    path = cache_path(url)
    if not (path / "HEAD").exists():
        _clone(url, path, access, progress)
        write_changed_paths(str(path))  # Bloom filters for the fast path of history walks
    elif fetch_now:
        fetch(pygit2.Repository(str(path)), url, access, progress)
        write_changed_paths(str(path))  # ... for the commits just fetched
    try:
        repo = GitopsRepo.open(str(path), branch=branch, repo_per_env=repo_per_env, env_name=env_name)
    except NotARepository as error:
        raise RemoteError(f"{redact(url)}: {error}") from None
    repo.origin = RemoteOrigin(url, redact(url), branch, repo_per_env, env_name)
    return repo


def _push(
    git: pygit2.Repository, remote_name: str, url: str, access: Access, commit: pygit2.Oid, ref: str
) -> str | None:
    """Push `commit` to `ref` (never forced). Returns why the branch had moved, or None when it was taken."""
    callbacks = Callbacks(url, access)
    try:
        git.remotes[remote_name].push([f"{commit}:{ref}"], callbacks=callbacks)
    except (pygit2.GitError, OSError) as error:
        if _moved(str(error)):
            return str(error)
        raise _failure(url, error) from None
    if callbacks.rejected:
        reason = "; ".join(callbacks.rejected)
        if _moved(reason):
            return reason
        said = f" (the server said: {' / '.join(callbacks.server_said[-3:])})" if callbacks.server_said else ""
        raise RollbackFailed(f"the server refused the push: {reason}{said}; nothing was changed")
    return None


@at_edge
def push_local_rollback(
    repo: GitopsRepo, plan: RollbackPlan, who: Identity | None = None, access: Access = Access()
) -> RollbackResult:
    """A rollback in a local clone, pushed to its branch's upstream first: the branch moves only if the server took it.

    The branch must be level with its upstream after a fetch, so that nothing but the reverts is pushed.
    """
    git = repo.git
    branch = git.branches.local.get(repo.branch)
    upstream = branch.upstream if branch is not None else None
    if upstream is None:
        raise RemoteError(
            f"{repo.branch} has no upstream to push to: set one with `git branch -u origin/{repo.branch}`"
        )
    remote_name = upstream.remote_name
    url = git.remotes[remote_name].url or remote_name
    _timeouts()
    try:
        git.remotes[remote_name].fetch(callbacks=Callbacks(url, access))
    except (pygit2.GitError, OSError) as error:
        raise _failure(url, error) from None
    upstream = git.branches.remote[upstream.branch_name]
    if str(upstream.target) != plan.head:
        raise RemoteError(
            f"{repo.branch} is not level with {upstream.branch_name}: pull (or push) first, then run again; nothing was changed"
        )
    remote_branch = upstream.branch_name.removeprefix(remote_name + "/")

    def publish(final: pygit2.Commit) -> None:
        moved = _push(git, remote_name, url, access, final.id, f"refs/heads/{remote_branch}")
        if moved is not None:
            raise RemoteError(
                f"{upstream.branch_name} moved on the server ({moved}): pull, then run again; nothing was changed"
            )

    result = execute_rollback(repo, plan, who, publish=publish)
    git.references.create(upstream.name, pygit2.Oid(hex=result.new_head), force=True)  # as a fetch would now show
    return result


@at_edge
def push_rollback(
    origin: RemoteOrigin, confirmed_plan: RollbackPlan, who: Identity | None = None, access: Access = Access()
) -> RollbackResult:
    """Roll back on the server: fetch, plan, write, push (never forced); re-plan and retry if it moved.

    `confirmed_plan` is what the user agreed to: a fresh plan that would revert anything else (the
    app itself changed on the server meanwhile) stops instead of pushing.
    """
    url, env, app = origin.url, confirmed_plan.env, confirmed_plan.app
    confirmed = tuple(p.entry.sha for p in confirmed_plan.reverts)
    last_reason = ""
    for _ in range(PUSH_ATTEMPTS):
        repo = open_remote(url, confirmed_plan.ref, access, repo_per_env=origin.repo_per_env, env_name=origin.env_name)
        plan = plan_rollback(repo, env, app, confirmed_plan.target.sha)
        if tuple(p.entry.sha for p in plan.reverts) != confirmed:
            raise RemoteError(
                f"{env}/{app} changed on {redact(url)} since the plan was shown: nothing was pushed; run again to see the new plan"
            )
        made, final = write_reverts(repo, plan, who)
        moved = _push(repo.git, "origin", url, access, final.id, plan.ref)
        if moved is not None:
            last_reason = moved
            continue
        # The server took it: the mirror's branch follows (libgit2 may already have moved it).
        repo.git.references.create(plan.ref, final.id, force=True)
        return RollbackResult(plan, made, str(final.id))
    raise RemoteError(
        f"the branch kept moving on {redact(url)} ({last_reason}); gave up after {PUSH_ATTEMPTS} attempts: run again"
    )


def _moved(reason: str) -> bool:
    text = reason.lower()
    return any(
        word in text
        for word in (
            "non-fast-forward",
            "fetch first",
            "not fast-forward",
            "stale info",
            "cannot push because a reference",
        )
    )
