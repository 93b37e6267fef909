"""Plain, frozen values the core hands out. No pygit2 object ever leaves the package."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class Layout(enum.StrEnum):
    """Where an env's apps live in the repository."""

    SHARED = "shared"  # <env>/<app>/..., one repository for all envs
    REPO_PER_ENV = "repo-per-env"  # <app>/..., one repository per env


@dataclass(frozen=True)
class Version:
    """The `version` object of a release.json: the source commit that was deployed."""

    repository_name: str | None = None
    sha: str | None = None
    created: int | None = None
    branch: str | None = None
    event: str | None = None
    source_branch: str | None = None
    target_branch: str | None = None
    tag: str | None = None
    author_name: str | None = None
    author_email: str | None = None
    committer_name: str | None = None
    committer_email: str | None = None
    message: str | None = None
    url: str | None = None

    @property
    def ref_label(self) -> str:
        """Branch, tag or PR as a user would name it ("main", "tag v1.2", "PR feature->main")."""
        if self.event == "tag" and self.tag:
            return f"tag {self.tag}"
        if self.event == "pr":
            source = self.source_branch or self.branch or "?"
            return f"PR {source}->{self.target_branch or '?'}"
        return self.branch or ""


@dataclass(frozen=True)
class ReleaseInfo:
    """A release.json as read from one gitops commit, leniently.

    `document` keeps every field of the file (unknown ones too) for `-o json`; `problem` says what
    was wrong with the file when it could not be read whole.
    """

    app: str | None = None
    env: str | None = None
    artifact_id: str | None = None
    triggered_by: str | None = None
    version: Version | None = None
    document: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    problem: str | None = None
    source_path: str | None = None


@dataclass(frozen=True)
class Image:
    """One container image of a release, and where it runs."""

    image: str
    container: str
    workload: str  # "Deployment/api"
    init: bool = False

    @property
    def tag(self) -> str:
        """The part after the last ':' of the name (or the digest), as people say it."""
        name = self.image.split("@", 1)
        if len(name) == 2:
            return "@" + name[1][:19]
        last = name[0].rsplit("/", 1)[-1]
        return last.split(":", 1)[1] if ":" in last else "latest"


@dataclass(frozen=True)
class Deployed:
    """What the manifests of one release run: images, chart and app versions, and any problem."""

    images: tuple[Image, ...] = ()
    chart: str | None = None
    app_version: str | None = None
    problem: str | None = None

    @property
    def main_image(self) -> Image | None:
        """The first non-init container of the first workload: what a release is about."""
        return next((i for i in self.images if not i.init), self.images[0] if self.images else None)


class EntryKind(enum.StrEnum):
    """What a commit that changed an app's folder did to it."""

    RELEASE = "release"
    DELETION = "deletion"
    REVERT = "revert"


@dataclass(frozen=True)
class HistoryEntry:
    """One commit in the history of an env/app, with its state computed by the newest-first walk."""

    sha: str
    kind: EntryKind
    committed_at: int
    subject: str
    author_name: str
    author_email: str
    release: ReleaseInfo | None = None
    deployed: Deployed | None = None
    reverts: tuple[str, ...] = ()
    rolled_back: bool = False
    rolled_back_by: str | None = None  # the sha of the revert commit that rolled it back
    rolled_back_by_name: str | None = None  # that commit's author: who rolled it back
    rolled_back_at: int | None = None  # that commit's time
    current: bool = False
    reason: str | None = None  # why, from the commit's Rollback-Reason (or Redeploy-Reason) trailer
    rolled_back_reason: str | None = None  # why it was rolled back: the reverting commit's reason

    @property
    def short(self) -> str:
        """The 10-character sha Gimlet shows."""
        return self.sha[:10]

    @property
    def is_release(self) -> bool:
        return self.kind is EntryKind.RELEASE


@dataclass(frozen=True)
class AppSummary:
    """An app as the app selector shows it."""

    name: str
    deleted: bool
    version_sha: str | None
    last_changed_at: int | None


@dataclass(frozen=True)
class RepoInfo:
    """What a header shows about an opened repository."""

    name: str
    branch: str
    head: str
    remote: str | None = None  # the URL (password removed) when this is a remote repository's mirror
    fetched_at: int | None = None  # when the remote (a mirror's, or a clone's upstream) was last fetched
    upstream: str | None = None  # a local clone's upstream ("origin/main"), when the branch has one
    ahead: int = 0  # commits on the branch that the upstream lacks (as of the last fetch)
    behind: int = 0  # commits on the upstream that the branch lacks


@dataclass(frozen=True)
class FileChange:
    """One file a rollback will change, with added and removed line counts."""

    path: str
    status: str  # "added", "deleted" or "modified"
    added: int
    removed: int
    binary: bool = False


@dataclass(frozen=True)
class PlannedRevert:
    """One commit the rollback will revert, and the root tree the revert commit will have."""

    entry: HistoryEntry
    tree: str


@dataclass(frozen=True)
class RollbackPlan:
    """Everything a rollback (or a redeploy) will do, computed before anything is written.

    A rollback reverts `reverts`, newest first; a redeploy (`action` "redeploy") makes one forward
    commit whose root tree is `tree`, with the app's paths as they were at `target`.
    """

    env: str
    app: str
    ref: str
    head: str
    target: HistoryEntry
    current: HistoryEntry | None
    reverts: tuple[PlannedRevert, ...]
    skipped: tuple[HistoryEntry, ...]
    changes: tuple[FileChange, ...]
    diff: str
    action: str = "rollback"  # or "redeploy"
    tree: str | None = None  # a redeploy's root tree

    @property
    def redeploy(self) -> bool:
        return self.action == "redeploy"


@dataclass(frozen=True)
class RevertCommit:
    """A revert commit a rollback made."""

    sha: str
    reverted: str
    subject: str
    committed_at: int = 0
    author_name: str = ""
    author_email: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class RollbackResult:
    """What an executed rollback made: the revert commits (newest last) and the new branch head."""

    plan: RollbackPlan
    commits: tuple[RevertCommit, ...]
    new_head: str
