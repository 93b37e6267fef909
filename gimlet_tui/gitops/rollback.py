"""Planning a rollback: which commits to revert, the trees the reverts will have, the files that change.

A rollback to a target release makes one revert commit for every commit newer than the target that
changed the app and whose effect is still live, newest first. Each revert is a three-way merge of the
app's own paths only (its folder and its Flux Kustomization file), so other apps and the env-level
release.json never change. Nothing here moves a ref or touches a work tree.
"""

from __future__ import annotations

import enum
import re

import pygit2

from gimlet_tui.gitops.apps import no_history
from gimlet_tui.gitops.diffs import tree_diff
from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.errors import RollbackFailed, RollbackRefused, UnknownTarget
from gimlet_tui.gitops.history import iter_history
from gimlet_tui.gitops.model import EntryKind, HistoryEntry, PlannedRevert, RollbackPlan
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.trees import EMPTY_TREE, entry_id, graft, lookup
from gimlet_tui.gitops.worktree import check_clean, check_work_tree

ALREADY_ROLLED_BACK = "You can't roll back an already rolled back commit. Best to roll forward in this case."
_HEX = re.compile(r"[0-9a-f]{7,40}")


class NotATarget(enum.Enum):
    """Why an entry of the history cannot be a rollback target; the value is the short reason."""

    REVERT = "a revert commit is not a release"
    DELETION = "a deletion is not a release"
    ROLLED_BACK = "already rolled back: roll forward (redeploy) instead"
    CURRENT = "this is the current release"


def why_not_target(entry: HistoryEntry) -> NotATarget | None:
    """The one rule for rollback targets: None when `entry` can be rolled back to."""
    if entry.kind is EntryKind.REVERT:
        return NotATarget.REVERT
    if entry.kind is EntryKind.DELETION:
        return NotATarget.DELETION
    if entry.rolled_back:
        return NotATarget.ROLLED_BACK
    if entry.current:
        return NotATarget.CURRENT
    return None


def refusal_message(reason: NotATarget, entry: HistoryEntry, env: str, app: str) -> str:
    """The one-line error for a refused target, in the words Gimlet's users know."""
    short = entry.short
    return {
        NotATarget.REVERT: f"{short} is a revert commit, not a release of {env}/{app}; pick a release",
        NotATarget.DELETION: f"{short} deleted {env}/{app}; pick the release before it",
        NotATarget.ROLLED_BACK: f"{ALREADY_ROLLED_BACK} To bring it back: release redeploy --to {short}",
        NotATarget.CURRENT: f"{short} is already the current release of {env}/{app}",
    }[reason]


def resolve_commit(repo: GitopsRepo, text: str) -> str:
    """The full sha of the commit `text` names: a full sha or a unique prefix of at least 7 hex digits."""
    wanted = text.strip().lower()
    if not _HEX.fullmatch(wanted):
        raise UnknownTarget(f"bad sha {text!r}: give a gitops commit sha (at least 7 hex digits)")
    try:
        obj = repo.git[wanted]
    except pygit2.AmbiguousError:
        raise UnknownTarget(f"ambiguous sha {wanted}: several objects start with it; give more digits") from None
    except (KeyError, ValueError):
        raise UnknownTarget(f"unknown sha {wanted}: no such commit in this repository") from None
    if not isinstance(obj, pygit2.Commit):
        raise UnknownTarget(f"{wanted} is a {obj.type_str}, not a commit")
    return str(obj.id)


@at_edge
def plan_rollback(repo: GitopsRepo, env: str, app: str, target: str | None = None) -> RollbackPlan:
    """Plan rolling `env/app` back to the release `target`; raise with a one-line reason if refused.

    Without `target`, the release before the current one: the newest release older than CURRENT
    that can be a target (rolled-back releases and deletions are passed over), as `j r y` in the TUI.
    """
    paths = repo.app_paths(env, app)
    sha = resolve_commit(repo, target) if target is not None else None
    head = repo.head_commit()
    newer: list[HistoryEntry] = []
    current: HistoryEntry | None = None
    found: HistoryEntry | None = None
    for entry in iter_history(repo, env, app, head=str(head.id)):
        if entry.current:
            current = entry
        if entry.sha == sha or (sha is None and why_not_target(entry) is None):
            found = entry
            break
        newer.append(entry)
    if found is None:
        if not newer:
            raise no_history(repo, env, app)
        if sha is None:
            raise RollbackRefused(f"{env}/{app} has no earlier release to roll back to on {repo.branch}")
        raise RollbackRefused(f"{sha[:10]} is not a release of {env}/{app} on {repo.branch}")
    reason = why_not_target(found)
    if reason is not None:
        raise RollbackRefused(refusal_message(reason, found, env, app))
    check_clean(repo, paths)
    live = _live_entries(newer)
    reverts, final = _revert_trees(repo.git, head.tree, live, paths)
    target_tree = repo.git[found.sha].peel(pygit2.Commit).tree
    if entry_id(final, paths.folder) != entry_id(target_tree, paths.folder):
        raise RollbackFailed(
            f"check failed: after reverting, {paths.folder_path} would not equal {found.short}; nothing was changed"
        )
    check_work_tree(repo, paths, head.tree, final, clean=False)  # refused now, not after the user said yes
    diff = tree_diff(head.tree, final)
    skipped = tuple(e for e in newer if e.rolled_back and e.kind is not EntryKind.REVERT)
    return RollbackPlan(env, app, repo.ref, str(head.id), found, current, reverts, skipped, diff.files, diff.patch)


def _live_entries(newer: list[HistoryEntry]) -> list[HistoryEntry]:
    """The commits newer than the target whose effect is still in the app, newest first.

    Rolled-back commits are skipped, and so is a live revert of a newer commit (the two cancel). A live
    revert of something at or before the target still has an effect, so it is reverted too.
    """
    newer_shas = {e.sha for e in newer}
    return [
        e
        for e in newer
        if not e.rolled_back and not (e.kind is EntryKind.REVERT and all(t in newer_shas for t in e.reverts))
    ]


def _scoped(git: pygit2.Repository, root: pygit2.Tree | None, paths: AppPaths) -> pygit2.Tree:
    """A small tree holding just the app's paths: "app" for its folder, "kustomization" for its file."""
    builder = git.TreeBuilder()
    if root is not None:
        for name, parts in (("app", paths.folder), ("kustomization", paths.kustomization)):
            obj = lookup(root, parts)
            if obj is not None:
                builder.insert(name, obj.id, obj.filemode)
    return git[builder.write()].peel(pygit2.Tree)


def _real_path(scoped_path: str, paths: AppPaths) -> str:
    """The repository path of a path inside a `_scoped` tree."""
    if scoped_path == "kustomization":
        return paths.kustomization_path
    return paths.folder_path + scoped_path.removeprefix("app")


def _unscoped(git: pygit2.Repository, root: pygit2.Tree, scoped: pygit2.Tree, paths: AppPaths) -> pygit2.Tree:
    """`root` with the app's paths replaced by what `scoped` holds."""
    root_id = graft(git, root, paths.folder, lookup(scoped, ["app"]))
    partial = git[root_id].peel(pygit2.Tree) if root_id is not None else None
    root_id = graft(git, partial, paths.kustomization, lookup(scoped, ["kustomization"]))
    return git[root_id if root_id is not None else pygit2.Oid(hex=EMPTY_TREE)].peel(pygit2.Tree)


def _revert_trees(
    git: pygit2.Repository, head_tree: pygit2.Tree, live: list[HistoryEntry], paths: AppPaths
) -> tuple[tuple[PlannedRevert, ...], pygit2.Tree]:
    """Revert each live commit on the app's paths, newest first; return the trees and the final root."""
    planned = []
    root = head_tree
    for entry in live:
        commit = git[entry.sha].peel(pygit2.Commit)
        parent = commit.parents[0].tree if commit.parents else None
        index = git.merge_trees(
            _scoped(git, commit.tree, paths), _scoped(git, root, paths), _scoped(git, parent, paths)
        )
        if index.conflicts:
            files = sorted({_real_path(side.path, paths) for conflict in index.conflicts for side in conflict if side})
            raise RollbackFailed(f"reverting {entry.short} conflicts in {', '.join(files)}; nothing was changed")
        merged = git[index.write_tree(git)].peel(pygit2.Tree)
        new_root = _unscoped(git, root, merged, paths)
        if new_root.id == root.id:
            continue  # its change is already undone: no empty commit
        planned.append(PlannedRevert(entry, str(new_root.id)))
        root = new_root
    return tuple(planned), root
