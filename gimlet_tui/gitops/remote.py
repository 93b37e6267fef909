"""Remote gitops repositories: a bare mirror in the user's cache, fetched and pushed by the user's own git.

A URL (ssh://, scp-like host:path, an ssh config alias, https://, git://, file://, anything git
takes) is cloned on first use into a per-URL folder of $XDG_CACHE_HOME/gimlet-tui/repos whose
branches mirror the server's (`+refs/heads/*:refs/heads/*`). The `git` executable does every
network step (`git_cli`), so the user's ssh config, agents, proxies, credential helpers and
`insteadOf` rules apply as they do to `git fetch`. A lock per mirror lets concurrent first clones
and fetches share the cache.

A rollback fetches, plans on the fetched tip, writes the revert commits without moving anything,
pushes them with the planned head as the lease, and only after the server took them moves the
mirror's branch: a failed push leaves no local branch pointing at unpushed commits. When the
branch moved on the server, it fetches, plans again (the target may have become current or rolled
back) and retries, three times at most. Secrets never appear in messages: URLs are shown with their
password removed, and the cache's config never stores one.
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
from gimlet_tui.gitops.commit_graph import write_changed_paths
from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import NotARepository, RemoteError
from gimlet_tui.gitops.execute import write_reverts
from gimlet_tui.gitops.git_cli import run_git
from gimlet_tui.gitops.git_errors import failure
from gimlet_tui.gitops.identity import Identity
from gimlet_tui.gitops.mirror_lock import mirror_lock
from gimlet_tui.gitops.model import RollbackPlan, RollbackResult
from gimlet_tui.gitops.push import gave_up, push_commit
from gimlet_tui.gitops.replan import replan
from gimlet_tui.gitops.repository import FETCHED_FILE, GitopsRepo, RemoteOrigin, fetched_at
from gimlet_tui.gitops.urls import Access, Progress, check_url, redact, without_password

PUSH_ATTEMPTS = 3
MIRROR_REFSPEC = "+refs/heads/*:refs/heads/*"


def cache_path(url: str) -> Path:
    """The per-URL folder of the mirror (the URL without any password names it)."""
    clean = without_password(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", clean.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])[:40]
    digest = hashlib.sha256(clean.encode()).hexdigest()[:16]
    return cache_dir() / "repos" / f"{name}-{digest}"


def _fetched_now(path: Path) -> None:
    with contextlib.suppress(OSError):
        Path(path, FETCHED_FILE).write_text(repr(time.time()))


def fetch(path: Path, url: str, access: Access, progress: Progress | None = None) -> None:
    """Bring the mirror's branches level with the server's (pruning deleted ones)."""
    run = run_git(["fetch", "--prune", "--progress", "origin"], str(path), access, url, progress)
    if run.code != 0:
        raise failure(run, url, access)
    _fetched_now(path)
    write_changed_paths(str(path))  # the commit-graph of the new commits: cold walks read fewer commits


def _clone(url: str, path: Path, access: Access, progress: Progress | None) -> None:
    """Clone into a temporary folder beside the mirror, then rename it: whole or not at all."""
    private_dir(path.parent)
    partial = Path(tempfile.mkdtemp(prefix=path.name + ".partial-", dir=path.parent))
    try:
        args = ["clone", "--bare", "--no-tags", "--progress", without_password(url), str(partial)]
        run = run_git(args, str(path.parent), access, url, progress, what="clone")
        if run.code != 0:
            raise failure(run, url, access)
        pygit2.Repository(str(partial)).config["remote.origin.fetch"] = MIRROR_REFSPEC
        _fetched_now(partial)
        os.replace(partial, path)  # under the mirror's lock: nobody else is renaming onto it
        write_changed_paths(str(path))
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def mirror_of(url: str) -> str | None:
    """The folder of `url`'s mirror when it is cloned already (reading it needs no network), else None."""
    path = cache_path(url)
    return str(path) if (path / "HEAD").exists() else None


def _refresh(url: str, path: Path, access: Access, fetch_now: bool, progress: Progress | None, clone: bool) -> None:
    """Clone the mirror if missing, fetch it when asked (unless another process just did, while we waited)."""
    asked = time.time()
    with mirror_lock(path, access.timeout, redact(url)):
        if not (path / "HEAD").exists():
            if not clone:
                raise RemoteError(f"{redact(url)} has not been fetched yet: fetch it first (f in the TUI)")
            _clone(url, path, access, progress)
        elif fetch_now and (fetched_at(path) or 0) < asked:
            fetch(path, url, access, progress)


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
    clone: bool = True,
) -> GitopsRepo:
    """The mirror of `url`: cloned if missing (when `clone`), fetched when `fetch_now`, opened on `branch`
    (default: the server's)."""
    check_url(url)
    path = cache_path(url)
    _refresh(url, path, access, fetch_now, progress, clone)
    try:
        repo = GitopsRepo.open(str(path), branch=branch, repo_per_env=repo_per_env, env_name=env_name)
    except NotARepository as error:
        raise RemoteError(f"{redact(url)}: {error}") from None
    repo.origin = RemoteOrigin(url, redact(url), branch, repo_per_env, env_name)
    return repo


@at_edge
def push_rollback(
    origin: RemoteOrigin,
    confirmed_plan: RollbackPlan,
    who: Identity | None = None,
    access: Access = Access(),
    reason: str | None = None,
) -> RollbackResult:
    """Roll back on the server: plan, write, push with the planned head as the lease; fetch, re-plan and retry if it moved.

    `confirmed_plan` is what the user agreed to, made on a fresh fetch: the first attempt pushes on
    the mirror as it is (the lease tells if the server moved since). A fresh plan that would revert
    anything else (the app itself changed on the server meanwhile) stops instead of pushing.
    """
    url = origin.url
    path = cache_path(url)
    last_reason = ""
    for attempt in range(PUSH_ATTEMPTS):
        with mirror_lock(path, access.timeout, redact(url)):
            repo = open_remote(
                url,
                confirmed_plan.ref,
                access,
                fetch_now=attempt > 0,
                repo_per_env=origin.repo_per_env,
                env_name=origin.env_name,
            )
            plan = replan(repo, confirmed_plan, redact(url))
            made, final = write_reverts(repo, plan, who, reason=reason)
            pushed = push_commit(repo.path, "origin", url, access, str(final.id), plan.ref, plan.head)
            if not pushed.taken:
                last_reason = pushed.reason
                continue
            # The server took it: the mirror's branch follows (git push may already have moved it).
            repo.git.references.create(plan.ref, final.id, force=True)
            return RollbackResult(plan, made, str(final.id))
    raise gave_up(url, last_reason, PUSH_ATTEMPTS)
