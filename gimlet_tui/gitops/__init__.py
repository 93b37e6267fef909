"""The release engine: read a Gimlet gitops repository and roll an app back with revert commits.

This package never imports Textual and never prints: it hands out frozen dataclasses and raises
`GitopsError` with one-line messages. The CLI and the TUI are two faces over these functions.
"""

from gimlet_tui.gitops.changes import TreeChanges, commit_changes
from gimlet_tui.gitops.discover import list_apps, list_envs
from gimlet_tui.gitops.errors import (
    BadName,
    BranchMoved,
    DirtyWorkTree,
    GitopsError,
    NotARepository,
    RollbackFailed,
    RollbackRefused,
    UnknownTarget,
)
from gimlet_tui.gitops.execute import execute_rollback
from gimlet_tui.gitops.history import iter_history, read_history
from gimlet_tui.gitops.identity import Identity, configured_identity, parse_identity
from gimlet_tui.gitops.model import (
    AppSummary,
    Deployed,
    EntryKind,
    FileChange,
    HistoryEntry,
    Image,
    Layout,
    ReleaseInfo,
    RepoInfo,
    RevertCommit,
    RollbackPlan,
    RollbackResult,
    Version,
)
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.rollback import ALREADY_ROLLED_BACK, plan_rollback

__all__ = [
    "ALREADY_ROLLED_BACK",
    "AppSummary",
    "BadName",
    "BranchMoved",
    "Deployed",
    "DirtyWorkTree",
    "EntryKind",
    "FileChange",
    "GitopsError",
    "GitopsRepo",
    "HistoryEntry",
    "Identity",
    "Image",
    "Layout",
    "NotARepository",
    "ReleaseInfo",
    "RepoInfo",
    "RevertCommit",
    "RollbackFailed",
    "RollbackPlan",
    "RollbackRefused",
    "RollbackResult",
    "TreeChanges",
    "UnknownTarget",
    "Version",
    "commit_changes",
    "configured_identity",
    "execute_rollback",
    "iter_history",
    "list_apps",
    "list_envs",
    "parse_identity",
    "plan_rollback",
    "read_history",
]
