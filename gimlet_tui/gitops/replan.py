"""Planning again, after the server's branch moved: the same change, or a refusal.

A rollback pushed to a server that moved meanwhile is planned again on the fetched tip. The user
agreed to one plan: if the new one would revert anything else (the app itself changed), it stops
rather than push something nobody saw.
"""

from __future__ import annotations

from gimlet_tui.gitops.errors import RemoteError
from gimlet_tui.gitops.model import RollbackPlan
from gimlet_tui.gitops.redeploy import plan_redeploy
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.rollback import plan_rollback


def replan(repo: GitopsRepo, confirmed: RollbackPlan, where: str) -> RollbackPlan:
    """`confirmed` planned again on `repo`'s branch as it is now; a `RemoteError` when that changes what it does.

    A rollback must revert the same commits; a redeploy must make the same change to the app's paths.
    """
    env, app = confirmed.env, confirmed.app
    if confirmed.redeploy:
        fresh = plan_redeploy(repo, env, app, confirmed.target.sha)
        same = fresh.diff == confirmed.diff
    else:
        fresh = plan_rollback(repo, env, app, confirmed.target.sha)
        same = tuple(p.entry.sha for p in fresh.reverts) == tuple(p.entry.sha for p in confirmed.reverts)
    if not same:
        raise RemoteError(
            f"{env}/{app} changed on {where} since the plan was shown: nothing was pushed; run again to see the new plan"
        )
    return fresh
