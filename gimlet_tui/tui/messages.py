"""Messages the git workers post to the screen, named after what happened."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from gimlet_tui.gitops import AppSummary, HistoryEntry, RepoInfo, RollbackPlan, RollbackResult, TreeChanges
from gimlet_tui.workspace import Workspace


@dataclass
class _Event(Message):
    """A message from a git worker (Textual initialises dataclass messages itself)."""


@dataclass
class EnvsLoaded(_Event):
    """The workspace was (re)read: its envs, each with its repository."""

    workspace: Workspace


@dataclass
class AppsLoaded(_Event):
    """The apps of one env, for the app selector, and the header facts of the env's repository."""

    env: str
    apps: list[AppSummary]
    info: RepoInfo


@dataclass
class HistoryBatch(_Event):
    """The next entries of an app's history, newest first; `done` when the walk reached the root."""

    env: str
    app: str
    generation: int
    entries: tuple[HistoryEntry, ...]
    done: bool


@dataclass
class ChangesLoaded(_Event):
    """What one gitops commit changed, for the detail view and the diff."""

    sha: str
    changes: TreeChanges


@dataclass
class RollbackPlanned(_Event):
    """A rollback plan is ready for the user to confirm."""

    plan: RollbackPlan


@dataclass
class RollbackFinished(_Event):
    """The revert commits were made and the branch moved."""

    result: RollbackResult


@dataclass
class GitWorkFailed(_Event):
    """A git worker stopped with a one-line reason; nothing was changed."""

    what: str
    reason: str


@dataclass
class TransferProgress(_Event):
    """Objects received so far while cloning or fetching a remote repository."""

    what: str
    received: int
    total: int
