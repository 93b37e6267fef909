"""What a commit, or a planned rollback, changes: per-file +/- counts and the unified diff."""

from __future__ import annotations

from dataclasses import dataclass

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.model import FileChange
from gimlet_tui.gitops.repository import GitopsRepo

_STATUS = {"A": "added", "D": "deleted", "M": "modified", "T": "modified", "R": "renamed"}


@dataclass(frozen=True)
class TreeDiff:
    """The files two trees differ in, and the unified diff between them."""

    files: tuple[FileChange, ...]
    patch: str


def tree_diff(old: pygit2.Tree | None, new: pygit2.Tree) -> TreeDiff:
    """Diff two root trees (`old` None means the empty tree)."""
    diff = new.diff_to_tree(swap=True) if old is None else old.diff_to_tree(new)
    files = []
    for patch in diff:
        if patch is None:
            continue
        delta = patch.delta
        status = delta.status_char()
        _, added, removed = patch.line_stats
        files.append(
            FileChange(
                path=(delta.old_file.path if status == "D" else delta.new_file.path) or "",
                status=_STATUS.get(status, "modified"),
                added=added,
                removed=removed,
                binary=bool(delta.is_binary),
            )
        )
    return TreeDiff(tuple(files), diff.patch or "")


@at_edge
def commit_diff(repo: GitopsRepo, sha: str) -> TreeDiff:
    """What the commit `sha` changed against its first parent (the whole commit, every path)."""
    commit = repo.git[sha].peel(pygit2.Commit)
    parent = commit.parents[0].tree if commit.parents else None
    return tree_diff(parent, commit.tree)
