"""Carrying out a confirmed rollback plan: the one place that chooses how it lands.

- the mirror of a remote repository: fetch, re-plan, write, push, then move the mirror's branch;
- a local clone, pushing: push the reverts to the branch's upstream, then move the branch;
- a local repository: write the reverts and move the branch.

Both faces call `apply_rollback` after the user said yes.
"""

from __future__ import annotations

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.execute import check_reason, execute_rollback
from gimlet_tui.gitops.identity import Identity
from gimlet_tui.gitops.locks import interrupt_means
from gimlet_tui.gitops.model import RollbackPlan, RollbackResult
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.urls import Access


def pushes(repo: GitopsRepo, push_upstream: bool) -> bool:
    """True when applying a plan in `repo` sends the reverts to a server before anything moves here."""
    return repo.origin is not None or push_upstream


@at_edge
def apply_rollback(
    repo: GitopsRepo,
    plan: RollbackPlan,
    who: Identity | None = None,
    *,
    push_upstream: bool = False,
    access: Access = Access(),
    reason: str | None = None,
) -> RollbackResult:
    """Carry out `plan`, which the user confirmed, in the way `repo` calls for (see the module).

    `reason` (one line, see `execute.check_reason`) is written as a `Rollback-Reason` trailer.
    """
    reason = check_reason(reason)
    if repo.origin is not None:
        # Imported here for start-up time: the transport loads only where something is pushed.
        from gimlet_tui.gitops.remote import push_rollback

        with interrupt_means(
            f"during the rollback on {repo.origin.shown}: the server may already have it (list with --fetch to see)"
        ):
            return push_rollback(repo.origin, plan, who, access, reason)
    if push_upstream:
        # Imported here for start-up time, as above.
        from gimlet_tui.gitops.remote import push_local_rollback

        return push_local_rollback(repo, plan, who, access, reason)
    return execute_rollback(repo, plan, who, reason=reason)
