"""Messages the git workers post to the screen, named after what happened."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from gimlet_tui.gitops import AppSummary, HistoryEntry, RepoInfo, RollbackPlan, RollbackResult, TreeDiff
from gimlet_tui.workspace import Workspace


@dataclass
class EnvsLoaded(Message):
    """The workspace was (re)read: its envs, each with its repository."""

    workspace: Workspace


@dataclass
class AppsLoaded(Message):
    """The apps of one env, for the app selector, and the header facts of the env's repository.

    Not `complete`: the apps at the head only, before the walk that finds when each last changed.
    """

    env: str
    apps: list[AppSummary]
    info: RepoInfo
    complete: bool = True


@dataclass
class HistoryBatch(Message):
    """The next entries of an app's history, newest first; `done` when the walk reached the root.

    `head` is the branch head the history was read from.
    """

    env: str
    app: str
    generation: int
    entries: tuple[HistoryEntry, ...]
    done: bool
    head: str = ""


@dataclass
class DiffLoaded(Message):
    """What one gitops commit changed, for the detail view and the diff."""

    sha: str
    diff: TreeDiff


@dataclass
class RollbackPlanned(Message):
    """A rollback (or redeploy) plan is ready for the user to confirm.

    `destination` is where it will be pushed before anything moves here ("origin/main"), None when it
    stays local; `note` says what was done to get ready (the branch fast-forwarded).
    """

    plan: RollbackPlan
    destination: str | None = None
    note: str | None = None


@dataclass
class RollbackFinished(Message):
    """The commits were made and the branch moved; where they were pushed, and how Flux applies them at once.

    `not_pushed` is the loud line for a change kept in a clone whose branch has an upstream.
    """

    result: RollbackResult
    destination: str | None = None
    reconcile: str | None = None
    not_pushed: str | None = None


@dataclass
class RepositoryNotice(Message):
    """Something the core did on its own and says in one line (it finished an interrupted rollback)."""

    text: str


@dataclass
class GitWorkFailed(Message):
    """A git worker stopped with a one-line reason. `task` is the worker's group (see `workers.TASKS`)."""

    task: str
    reason: str


@dataclass
class TransferProgress(Message):
    """Objects received so far while cloning or fetching a remote repository."""

    url: str
    received: int
    total: int

    def can_replace(self, message: Message) -> bool:
        """A newer count makes an older one of the same transfer pointless (a flood never queues)."""
        return isinstance(message, TransferProgress) and message.url == self.url
