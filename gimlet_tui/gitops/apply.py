"""Carrying out a confirmed rollback plan: the one place that chooses how it lands.

- the mirror of a remote repository: write, push (re-plan if the server moved), then move the mirror's branch;
- a local clone whose branch has an upstream: the same, pushed to that upstream (by default, as
  Gimlet's own rollback lands in the repository Flux watches; `push_upstream=False` keeps it local);
- a local repository: write the reverts and move the branch.

Both faces call `push_destination` to say where it will go, and `apply_rollback` after the user said yes.
"""

from __future__ import annotations

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import RemoteError
from gimlet_tui.gitops.execute import check_reason, execute_rollback
from gimlet_tui.gitops.identity import Identity
from gimlet_tui.gitops.locks import interrupt_means
from gimlet_tui.gitops.model import RollbackPlan, RollbackResult
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.tracking import Tracking, tracking_of
from gimlet_tui.gitops.urls import Access


def _tracking(repo: GitopsRepo) -> Tracking | None:
    return tracking_of(repo.git, repo.branch) if repo.ref.startswith("refs/heads/") else None


@at_edge
def push_destination(repo: GitopsRepo, push_upstream: bool | None = None) -> str | None:
    """Where applying a plan in `repo` pushes first ("origin/main", or the remote's URL), or None: local only.

    `push_upstream`: None pushes a local clone's rollback when its branch has an upstream, True
    requires one (an error names how to set it), False keeps it local.
    """
    if repo.origin is not None:
        return f"{repo.origin.shown} ({repo.branch})"
    if push_upstream is False:
        return None
    tracking = _tracking(repo)
    if tracking is None and push_upstream:
        raise RemoteError(
            f"{repo.branch} has no upstream to push to: set one with `git branch -u origin/{repo.branch}`"
        )
    return tracking.name if tracking is not None else None


def pushes(repo: GitopsRepo, push_upstream: bool | None = None) -> bool:
    """True when applying a plan in `repo` sends the reverts to a server before anything moves here."""
    return push_destination(repo, push_upstream) is not None


@at_edge
def apply_rollback(
    repo: GitopsRepo,
    plan: RollbackPlan,
    who: Identity | None = None,
    *,
    push_upstream: bool | None = None,
    access: Access = Access(),
    reason: str | None = None,
) -> RollbackResult:
    """Carry out `plan`, which the user confirmed, in the way `repo` calls for (see the module).

    `reason` (one line, see `execute.check_reason`) is written as a `Rollback-Reason` trailer;
    `push_upstream` as for `push_destination`.
    """
    reason = check_reason(reason)
    if repo.origin is not None:
        # Imported here for start-up time: the transport loads only where something is pushed.
        from gimlet_tui.gitops.remote import push_rollback

        with interrupt_means(
            f"during the rollback on {repo.origin.shown}: the server may already have it (list with --fetch to see)"
        ):
            return push_rollback(repo.origin, plan, who, access, reason)
    if push_destination(repo, push_upstream) is not None:
        # Imported here for start-up time, as above.
        from gimlet_tui.gitops.replan import replan
        from gimlet_tui.gitops.upstream import push_local_rollback

        where = _tracking(repo)
        shown = where.name if where is not None else repo.branch
        return push_local_rollback(repo, plan, lambda again, done: replan(again, done, shown), who, access, reason)
    return execute_rollback(repo, plan, who, reason=reason)
