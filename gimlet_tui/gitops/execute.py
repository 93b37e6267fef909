"""Executing a rollback plan: write the revert commits, then move the branch once, atomically.

The revert commits are written without moving any ref. The branch moves last, from the head the
plan was made on to the last revert commit, under the ref's lock and only if it still points at
that head. A conflict, a failed check or an interrupted process therefore leaves the branch where
it was; the commits written so far are unreachable objects that `git gc` removes. When the branch
is checked out here, its work tree and index move with it, as one change (`sync`).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import BranchMoved, Interrupted, RollbackFailed
from gimlet_tui.gitops.history import reason_of
from gimlet_tui.gitops.identity import Identity, configured_identity
from gimlet_tui.gitops.locks import interrupt_means
from gimlet_tui.gitops.messages import check_reason, redeploy_message, revert_message
from gimlet_tui.gitops.model import RevertCommit, RollbackPlan, RollbackResult
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.sync import WorkTreeRollback
from gimlet_tui.gitops.trees import entry_id
from gimlet_tui.gitops.worktree import check_work_tree, checked_out
from gimlet_tui.held_signals import deferred_signals

__all__ = ["check_reason", "execute_rollback", "move_branch", "revert_message", "write_reverts"]


def _branch_moved(repo: GitopsRepo, plan: RollbackPlan, now: pygit2.Oid | str) -> BranchMoved:
    return BranchMoved(
        f"the branch moved: {repo.branch} is at {str(now)[:10]}, not {plan.head[:10]} as planned; run again"
    )


def _commits(plan: RollbackPlan, who: Identity, reason: str | None) -> list[tuple[str, str, str]]:
    """(message, root tree, reverted sha or "") of each commit the plan makes, in order."""
    if plan.redeploy:
        assert plan.tree is not None
        return [(redeploy_message(plan, who, reason), plan.tree, "")]
    return [
        (revert_message(p.entry.subject, p.entry.sha, plan.target.sha, who, reason), p.tree, p.entry.sha)
        for p in plan.reverts
    ]


def write_reverts(
    repo: GitopsRepo,
    plan: RollbackPlan,
    who: Identity | None = None,
    when: tuple[int, int] | None = None,
    reason: str | None = None,
) -> tuple[tuple[RevertCommit, ...], pygit2.Commit]:
    """Write the plan's revert commits (or its one redeploy commit; no ref moves) and check the result.

    Returns them and the last one. `reason`, when given, is written as a `Rollback-Reason` (or
    `Redeploy-Reason`) trailer on each (see `check_reason`).
    """
    git = repo.git
    who = who or configured_identity(repo)
    paths = repo.app_paths(plan.env, plan.app)
    seconds, offset = when if when is not None else (int(time.time()), _utc_offset_minutes())
    signature = pygit2.Signature(who.name, who.email, seconds, offset)
    parent = pygit2.Oid(hex=plan.head)
    made = []
    for message, tree, reverted in _commits(plan, who, reason):
        parent = git.create_commit(None, signature, signature, message, pygit2.Oid(hex=tree), [parent])
        subject = message.split("\n", 1)[0]
        made.append(RevertCommit(str(parent), reverted, subject, seconds, who.name, who.email, reason_of(message)))
    final = git[parent].peel(pygit2.Commit)
    target = git[plan.target.sha].peel(pygit2.Commit)
    if entry_id(final.tree, paths.folder) != entry_id(target.tree, paths.folder):
        raise RollbackFailed(
            f"check failed: {paths.folder_path} does not equal {plan.target.short}; nothing was changed"
        )
    return tuple(made), final


def move_branch(repo: GitopsRepo, plan: RollbackPlan, new_head: pygit2.Oid) -> None:
    """Move the plan's branch from its planned head to `new_head`, under the ref's lock, or raise BranchMoved."""
    git = repo.git
    with git.transaction() as transaction:
        transaction.lock_ref(plan.ref)
        locked = git.references[plan.ref].target
        if str(locked) != plan.head:
            raise _branch_moved(repo, plan, locked)
        transaction.set_target(
            plan.ref, new_head, message=f"gimlet-tui: roll back {plan.env}/{plan.app} to {plan.target.short}"
        )


@at_edge
def execute_rollback(
    repo: GitopsRepo,
    plan: RollbackPlan,
    who: Identity | None = None,
    when: tuple[int, int] | None = None,
    publish: Callable[[pygit2.Commit], None] | None = None,
    reason: str | None = None,
) -> RollbackResult:
    """Write one revert commit per planned revert and move the branch to the last one.

    `who` defaults to the repository's git identity; `when` (unix seconds, UTC offset in minutes)
    to now in the local time zone. `publish`, when given, is called with the last revert commit
    before the branch moves (to push it): if it raises, nothing has moved. When the branch is the
    one checked out here, files, index and branch change together (`sync`). An interrupt before
    the branch moves leaves everything as it was; one that comes while branch and work tree are
    being changed waits until they agree, and is then raised as `Interrupted`, saying so. `reason`
    becomes a `Rollback-Reason` trailer.
    """
    made: list[RevertCommit] = []  # filled as the commits are written, for what an interrupt says
    try:
        return _carry_out(repo, plan, who, when, publish, made, reason)
    except Interrupted:
        raise
    except KeyboardInterrupt:
        if made and str(repo.git.references[plan.ref].target) == made[-1].sha:
            raise Interrupted(finished_words(RollbackResult(plan, tuple(made), made[-1].sha))) from None
        raise  # the branch did not move: nothing was changed


def _carry_out(
    repo: GitopsRepo,
    plan: RollbackPlan,
    who: Identity | None,
    when: tuple[int, int] | None,
    publish: Callable[[pygit2.Commit], None] | None,
    made: list[RevertCommit],
    reason: str | None,
) -> RollbackResult:
    _check_head(repo, plan)
    paths = repo.app_paths(plan.env, plan.app)
    old_tree = repo.git[plan.head].peel(pygit2.Commit).tree
    if not checked_out(repo):
        commits, final = write_reverts(repo, plan, who, when, reason)
        made += commits
        check_work_tree(repo, paths, old_tree, final.tree)
        _publish(publish, final)
        result = RollbackResult(plan, commits, str(final.id))
        with deferred_signals() as received:
            move_branch(repo, plan, final.id)
            _landed[:] = [result]
        return _done(result, received)
    with WorkTreeRollback(repo, plan) as work:
        _check_head(repo, plan)  # again, under the index lock: a `git commit` may have got in first
        commits, final = write_reverts(repo, plan, who, when, reason)
        made += commits
        work.prepare(final, paths, publish is not None)
        _publish(publish, final)
        result = RollbackResult(plan, commits, str(final.id))
        with deferred_signals() as received:
            work.write(lambda: move_branch(repo, plan, final.id))
            _landed[:] = [result]
    return _done(result, received)


_landed: list[RollbackResult] = []  # the last rollback this process carried out, set as its branch moved


def last_landed() -> RollbackResult | None:
    """The last rollback (or redeploy) this process carried out, from the moment its branch moved.

    For a face that is interrupted on its way out: whatever frame the interrupt lands in, this says
    whether something had changed (and `finished_words` says what).
    """
    return _landed[-1] if _landed else None


def _check_head(repo: GitopsRepo, plan: RollbackPlan) -> None:
    now = repo.git.references[plan.ref].target
    if str(now) != plan.head:
        raise _branch_moved(repo, plan, now)


def _publish(publish: Callable[[pygit2.Commit], None] | None, final: pygit2.Commit) -> None:
    if publish is None:
        return
    with interrupt_means(
        "while pushing: the server may already have the revert commits (fetch to see); nothing changed here"
    ):
        publish(final)


def finished_words(result: RollbackResult) -> str:
    """What is true when an interrupt comes after the rollback (or redeploy) was carried out."""
    plan = result.plan
    branch = plan.ref.removeprefix("refs/heads/")
    where = f"{plan.env}/{plan.app}"
    done = (
        f"the redeploy had finished: {where} is as {plan.target.short} made it"
        if plan.redeploy
        else f"the rollback had finished: {where} is back at {plan.target.short}"
    )
    return f"{done}; {branch} is now at {result.new_head[:10]}"


def _done(result: RollbackResult, received: list[int]) -> RollbackResult:
    """The result; or, when an interrupt was held off while the rollback finished, `Interrupted` saying so."""
    if signal.SIGINT in received:
        raise Interrupted(finished_words(result))
    return result


def _utc_offset_minutes() -> int:
    local = time.localtime()
    return (local.tm_gmtoff or 0) // 60
