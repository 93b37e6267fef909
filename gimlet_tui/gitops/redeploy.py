"""Rolling forward: one commit that makes an app's paths what they were at one of its releases.

Gimlet has no way back from a rollback but a new deploy. A redeploy here is the forward twin of a
rollback: the same paths (the app's folder and its Flux Kustomization), the same checks before
anything moves, and the same atomic landing (`execute`, `apply`). Any release can be redeployed,
ROLLED BACK ones included, which is how a rollback is undone: a redeploy of what was current
before it. Gimlet lists the commit as a release (it reverts nothing); the release it brings back
stays ROLLED BACK in Gimlet's eyes and ours alike, and the new commit becomes CURRENT.
"""

from __future__ import annotations

import pygit2

from gimlet_tui.gitops.apps import no_history
from gimlet_tui.gitops.diffs import tree_diff
from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import RollbackRefused
from gimlet_tui.gitops.history import iter_history
from gimlet_tui.gitops.model import EntryKind, HistoryEntry, RollbackPlan
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.rollback import resolve_commit
from gimlet_tui.gitops.trees import graft, lookup
from gimlet_tui.gitops.worktree import check_clean, check_work_tree


def _with_paths_of(git: pygit2.Repository, head: pygit2.Tree, target: pygit2.Tree, paths: AppPaths) -> pygit2.Tree:
    """`head` with the app's folder and Kustomization file as `target` has them (absent there: removed)."""
    root: pygit2.Tree = head
    for parts in (paths.folder, paths.kustomization):
        new_id = graft(git, root, parts, lookup(target, parts))
        root = git[new_id if new_id is not None else git.TreeBuilder().write()].peel(pygit2.Tree)  # empty: no files
    return root


def _find(repo: GitopsRepo, env: str, app: str, sha: str) -> tuple[HistoryEntry | None, HistoryEntry | None, bool]:
    """(the entry `sha`, the current release, whether the app has any history) from one newest-first walk."""
    current = found = None
    seen = False
    for entry in iter_history(repo, env, app):
        seen = True
        if entry.current:
            current = entry
        if entry.sha == sha:
            found = entry
        if found is not None and current is not None:
            break  # the current release may be older than the target (after a rollback): walk on to it
    return found, current, seen


@at_edge
def plan_redeploy(repo: GitopsRepo, env: str, app: str, target: str) -> RollbackPlan:
    """Plan one forward commit that makes `env/app` what it was at release `target`; refused with one line."""
    paths = repo.app_paths(env, app)
    sha = resolve_commit(repo, target)
    found, current, seen = _find(repo, env, app, sha)
    if found is None:
        if not seen:
            raise no_history(repo, env, app)
        raise RollbackRefused(f"{sha[:10]} is not a release of {env}/{app} on {repo.branch}")
    if found.kind is EntryKind.REVERT:
        raise RollbackRefused(f"{found.short} is a revert commit, not a release of {env}/{app}; pick a release")
    if found.kind is EntryKind.DELETION:
        raise RollbackRefused(f"{found.short} deleted {env}/{app}; pick the release before it")
    head = repo.head_commit()
    final = _with_paths_of(repo.git, head.tree, repo.git[found.sha].peel(pygit2.Commit).tree, paths)
    if final.id == head.tree.id:
        raise RollbackRefused(f"{env}/{app} is already as {found.short} made it: nothing to redeploy")
    check_clean(repo, paths)
    check_work_tree(repo, paths, head.tree, final, clean=False)  # refused now, not after the user said yes
    diff = tree_diff(head.tree, final)
    return RollbackPlan(
        env, app, repo.ref, str(head.id), found, current, (), (), diff.files, diff.patch, "redeploy", str(final.id)
    )
