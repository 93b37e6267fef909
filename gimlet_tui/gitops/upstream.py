"""Rollbacks that land: a local clone's branch brought level with its upstream, and the reverts pushed there.

As Gimlet's own rollback always lands in the repository Flux watches, a rollback in a clone whose
branch has an upstream is pushed by default:

1. `ready_to_push` fetches the upstream first. A branch behind it is fast-forwarded (by `git merge
   --ff-only`, so the work tree follows as git would move it, or not at all) and the caller is told
   so; a branch with commits of its own, or one that diverged, is refused with the git commands that
   fix it, so that nothing but the rollback is ever pushed.
2. `push_local_rollback` writes the commits, pushes them with the planned head as the lease, and
   moves the branch only when the server took them. When the server's branch moved meanwhile, it
   fetches, fast-forwards, plans again and retries (three attempts), stopping if the app itself
   changed since the plan was shown.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import GitopsError, RemoteError
from gimlet_tui.gitops.execute import execute_rollback
from gimlet_tui.gitops.git_cli import run_git
from gimlet_tui.gitops.git_errors import failure
from gimlet_tui.gitops.identity import Identity
from gimlet_tui.gitops.model import RollbackPlan, RollbackResult
from gimlet_tui.gitops.push import gave_up, push_commit
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.tracking import Tracking, tracking_of
from gimlet_tui.gitops.urls import Access, Progress, redact
from gimlet_tui.gitops.worktree import checked_out

PUSH_ATTEMPTS = 3
Replan = Callable[[GitopsRepo, RollbackPlan], RollbackPlan]


class _Moved(GitopsError):
    """The server's branch moved between the plan and the push (retried, never shown)."""


@dataclass(frozen=True)
class Ready:
    """A clone ready for a rollback that will be pushed: its upstream, and what was done to get there."""

    tracking: Tracking
    note: str | None  # "fast-forwarded main to origin/main (2 new commits)", or None
    planned_on: GitopsRepo  # the repository to plan on (the upstream's tip for a dry run of a branch behind)


def _tracking(repo: GitopsRepo) -> Tracking:
    tracking = tracking_of(repo.git, repo.branch) if repo.ref.startswith("refs/heads/") else None
    if tracking is None:
        raise RemoteError(
            f"{repo.branch} has no upstream to push to: set one with `git branch -u origin/{repo.branch}`"
        )
    return tracking


@at_edge
def fetch_upstream(repo: GitopsRepo, access: Access, progress: Progress | None = None) -> Tracking:
    """Fetch the remote of the branch's upstream (as `git fetch REMOTE` would); return the upstream as it is now."""
    tracking = _tracking(repo)
    run = run_git(["fetch", "--progress", tracking.remote], repo.path, access, tracking.url, progress)
    if run.code != 0:
        raise failure(run, tracking.url, access)
    return _tracking(repo)


def _refuse_unless_behind(repo: GitopsRepo, tracking: Tracking) -> None:
    branch, upstream = repo.branch, tracking.name
    if tracking.target is None:
        raise RemoteError(
            f"{upstream} does not exist on {redact(tracking.url)} yet: push {branch} first (`git push -u`)"
        )
    if tracking.ahead and tracking.behind:
        raise RemoteError(
            f"{branch} and {upstream} have diverged ({tracking.ahead} and {tracking.behind} commits of their own): "
            f"bring them together with `git pull --rebase` (or `git pull`), check, `git push`, then run again; "
            "nothing was changed"
        )
    if tracking.ahead:
        raise RemoteError(
            f"{branch} is {tracking.ahead} commit(s) ahead of {upstream}, and only the rollback may be pushed: "
            f"push them first (`git push`) or drop them, then run again, or roll back locally with --no-push; "
            "nothing was changed"
        )


def _fast_forward(repo: GitopsRepo, tracking: Tracking) -> str:
    """Move the branch to its upstream's tip (behind, not ahead); the work tree follows as `git merge --ff-only` moves it."""
    old = str(repo.head_commit().id)
    assert tracking.target is not None
    if checked_out(repo):
        merged = subprocess.run(
            ["git", "merge", "--ff-only", "--quiet", "--no-edit", tracking.ref],
            cwd=repo.path,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if merged.returncode != 0:
            said = " ".join((merged.stderr or merged.stdout).split()) or f"git merge exited with {merged.returncode}"
            raise RemoteError(
                f"{repo.branch} is {tracking.behind} commit(s) behind {tracking.name} and git cannot fast-forward it "
                f"here ({said}); commit or stash, then run again; nothing was changed"
            )
    else:
        with repo.git.transaction() as transaction:
            transaction.lock_ref(repo.ref)
            if str(repo.git.references[repo.ref].target) != old:
                raise RemoteError(f"{repo.branch} moved meanwhile: run again; nothing was changed")
            transaction.set_target(
                repo.ref, pygit2.Oid(hex=tracking.target), message=f"gimlet-tui: fast-forward to {tracking.name}"
            )
    return f"fast-forwarded {repo.branch} to {tracking.name} ({tracking.behind} new commit(s)) before planning"


@at_edge
def ready_to_push(repo: GitopsRepo, access: Access, progress: Progress | None = None, dry_run: bool = False) -> Ready:
    """Fetch the upstream, then bring the branch level with it (fast-forward) or refuse; see the module.

    A dry run changes nothing: a branch behind is planned on the upstream's tip instead.
    """
    try:
        tracking = fetch_upstream(repo, access, progress)
    except RemoteError as error:  # offline in an incident: say how to roll back here alone
        said = str(error).rstrip(".")
        raise RemoteError(f"{said}; nothing was changed (to make the change in this clone only: --no-push)") from None
    _refuse_unless_behind(repo, tracking)
    if not tracking.behind:
        return Ready(tracking, None, repo)
    if dry_run:
        note = f"{repo.branch} is {tracking.behind} commit(s) behind {tracking.name}: it will be fast-forwarded first; planned on {tracking.name}"
        return Ready(tracking, note, repo.at_ref(tracking.ref))
    note = _fast_forward(repo, tracking)
    return Ready(_tracking(repo), note, repo)


@at_edge
def push_local_rollback(
    repo: GitopsRepo,
    confirmed: RollbackPlan,
    replan: Replan,
    who: Identity | None = None,
    access: Access = Access(),
    reason: str | None = None,
) -> RollbackResult:
    """Carry out `confirmed` in a local clone, pushed to the branch's upstream first (see the module).

    `replan(repo, confirmed)` plans again after a fetch and raises when the app changed meanwhile.
    """
    tracking = _tracking(repo)
    plan = confirmed
    last = ""
    for attempt in range(PUSH_ATTEMPTS):
        if attempt:
            tracking = fetch_upstream(repo, access)
            _refuse_unless_behind(repo, tracking)
            if tracking.behind:
                _fast_forward(repo, tracking)
            plan = replan(repo, confirmed)

        def publish(final: pygit2.Commit, plan: RollbackPlan = plan, tracking: Tracking = tracking) -> None:
            pushed = push_commit(
                repo.path, tracking.remote, tracking.url, access, str(final.id), tracking.merge, plan.head
            )
            if not pushed.taken:
                raise _Moved(pushed.reason)

        try:
            return execute_rollback(repo, plan, who, publish=publish, reason=reason)
        except _Moved as moved:
            last = str(moved)
    raise gave_up(tracking.url, last, PUSH_ATTEMPTS)


def not_pushed(repo: GitopsRepo) -> str | None:
    """The loud line after a rollback kept local in a clone with an upstream (None without one)."""
    tracking = tracking_of(repo.git, repo.branch) if repo.ref.startswith("refs/heads/") else None
    if tracking is None:
        return None
    return (
        f"NOT PUSHED: {repo.branch} is {tracking.ahead} ahead of {tracking.name}; Flux will not see this until you push"
    )
