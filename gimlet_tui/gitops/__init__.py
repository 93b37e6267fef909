"""The release engine: read a Gimlet gitops repository and roll an app back with revert commits.

This package never imports Textual and never prints: it hands out frozen dataclasses and raises
`GitopsError` (see `errors`) with one-line messages; pygit2 and OS errors are translated at its
edge. The CLI and the TUI are two faces over these functions. Modules inside the package import
each other directly, never this file.
"""

from gimlet_tui.gitops.apply import apply_rollback, push_destination, pushes
from gimlet_tui.gitops.apps import apps_at_head, list_apps, no_history
from gimlet_tui.gitops.commit_graph import speed_up_hint
from gimlet_tui.gitops.completion import known_targets
from gimlet_tui.gitops.diffs import TreeDiff, commit_diff
from gimlet_tui.gitops.envs import check_env, env_naming, list_envs, no_envs
from gimlet_tui.gitops.errors import (
    BadInput,
    BadName,
    BranchMoved,
    DirtyWorkTree,
    GitFailure,
    GitopsError,
    IndexLocked,
    Interrupted,
    NotARepository,
    PartlyApplied,
    RemoteError,
    RollbackFailed,
    RollbackRefused,
    UnknownTarget,
    UnsafePath,
)
from gimlet_tui.gitops.execute import check_reason, execute_rollback, finished_words, last_landed
from gimlet_tui.gitops.history import after_rollback, history_cached, iter_history, read_history
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
from gimlet_tui.gitops.names import check_app_name, check_env_name
from gimlet_tui.gitops.recovery import take_reports
from gimlet_tui.gitops.redeploy import plan_redeploy
from gimlet_tui.gitops.repository import GitopsRepo, find_repository
from gimlet_tui.gitops.rollback import ALREADY_ROLLED_BACK, NotATarget, plan_rollback, refusal_message, why_not_target
from gimlet_tui.gitops.settings import stream_objects

__all__ = [
    "ALREADY_ROLLED_BACK",
    "AppSummary",
    "BadInput",
    "BadName",
    "BranchMoved",
    "Deployed",
    "DirtyWorkTree",
    "EntryKind",
    "FileChange",
    "GitFailure",
    "GitopsError",
    "GitopsRepo",
    "HistoryEntry",
    "Identity",
    "Image",
    "IndexLocked",
    "Interrupted",
    "Layout",
    "NotARepository",
    "NotATarget",
    "PartlyApplied",
    "ReleaseInfo",
    "RemoteError",
    "RepoInfo",
    "RevertCommit",
    "RollbackFailed",
    "RollbackPlan",
    "RollbackRefused",
    "RollbackResult",
    "TreeDiff",
    "UnknownTarget",
    "UnsafePath",
    "Version",
    "after_rollback",
    "apply_rollback",
    "apps_at_head",
    "check_app_name",
    "check_env",
    "check_env_name",
    "check_reason",
    "commit_diff",
    "configured_identity",
    "env_naming",
    "execute_rollback",
    "find_repository",
    "finished_words",
    "history_cached",
    "iter_history",
    "known_targets",
    "last_landed",
    "list_apps",
    "list_envs",
    "no_envs",
    "no_history",
    "parse_identity",
    "plan_redeploy",
    "plan_rollback",
    "push_destination",
    "pushes",
    "read_history",
    "refusal_message",
    "speed_up_hint",
    "stream_objects",
    "take_reports",
    "why_not_target",
]
