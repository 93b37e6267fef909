"""The walk: commits that changed one app's folder, newest first, along first parents.

A commit is in the history of an app when the app's folder differs from its first parent's. The walk
compares trees level by level (env, then app) so that commits which did not touch the env cost one
tree-entry comparison, and each commit's lookups are reused when it is the next commit's parent.
What it yields are facts fixed by the commit and its first parent (`FolderChange`), which the history
cache stores; states (ROLLED BACK, CURRENT) are computed later, in `history`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pygit2

from gimlet_tui.gitops.model import Deployed
from gimlet_tui.gitops.release_json import parse_release
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.trees import lookup, read_blob, walk_files


def first_parent_chain(
    git: pygit2.Repository, head: pygit2.Oid
) -> Iterator[tuple[pygit2.Commit, pygit2.Commit | None]]:
    """(commit, first parent) pairs from `head` back to the root, following first parents only."""
    walker = git.walk(head, pygit2.enums.SortMode.NONE)
    walker.simplify_first_parent()
    commit = next(walker, None)
    while commit is not None:
        parent = next(walker, None)
        yield commit, parent
        commit = parent


def message_of(commit: pygit2.Commit) -> str:
    """The commit message as text, whatever bytes it holds."""
    raw: bytes = commit.raw_message
    return raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class FolderChange:
    """A commit that changed an app's folder, as git records it, before any state is computed."""

    sha: str
    committed_at: int
    message: str
    author_name: str
    author_email: str
    removed: bool
    release_data: bytes | None
    release_source: str | None
    deployed: Deployed | None = None


_UNKNOWN = object()  # an id not looked up yet (None means "looked up: not there")


class ChangeWalk:
    """The commits that changed `paths.folder`, newest first, from `start` back along first parents.

    With `stop`, the walk ends before that commit (`reached_stop` then says it was on the chain);
    `last` is the oldest commit compared whose changes have all been yielded, `exhausted` says the
    root was reached, and `compared` counts the commits read.
    """

    def __init__(self, repo: GitopsRepo, paths: AppPaths, app: str, start: pygit2.Oid, stop: str | None = None) -> None:
        self.repo = repo
        self.paths = paths
        self.app = app
        self.start = start
        self.stop = stop
        self.reached_stop = False
        self.exhausted = False
        self.last: str | None = None
        self.compared = 0

    def __iter__(self) -> Iterator[FolderChange]:
        # The hot loop of every cold read: locals only, each tree loaded once, Oids compared as Oids.
        folder = self.paths.folder
        env, name = (folder[0], folder[1]) if len(folder) == 2 else (None, folder[0])
        stop = pygit2.Oid(hex=self.stop) if self.stop else None
        manifests: dict[pygit2.Oid, Deployed] = {}  # a file's facts by blob id: most files repeat
        carried: tuple[pygit2.Tree | None, pygit2.Oid | None, object] | None = None
        for commit, parent in first_parent_chain(self.repo.git, self.start):
            if commit.id == stop:
                self.reached_stop = True
                return
            self.compared += 1
            outer, outer_id, app_id = carried or (*_outer(commit, env), _UNKNOWN)
            parent_outer, parent_outer_id = _outer(parent, env) if parent is not None else (None, None)
            parent_app: object = _UNKNOWN
            if outer_id != parent_outer_id:
                if app_id is _UNKNOWN:
                    app_id = _child_id(outer, name)
                parent_app = _child_id(parent_outer, name)
                if app_id != parent_app:
                    self.last = str(commit.id)
                    yield _change(commit, self.paths, app_id is None, self.app, manifests)
            self.last = str(commit.id)
            carried = (parent_outer, parent_outer_id, parent_app)
        self.exhausted = True


def _outer(commit: pygit2.Commit, env: str | None) -> tuple[pygit2.Tree | None, pygit2.Oid | None]:
    """The folder that holds the app (the env folder, or the root tree) and its id."""
    tree = commit.tree
    if env is None:
        return tree, tree.id
    try:
        outer = tree[env]
    except KeyError:
        return None, None
    if not isinstance(outer, pygit2.Tree):
        return None, outer.id
    return outer, outer.id


def _child_id(tree: pygit2.Tree | None, name: str) -> pygit2.Oid | None:
    if tree is None:
        return None
    try:
        oid: pygit2.Oid = tree[name].id
    except KeyError:
        return None
    return oid


def _deployed(tree: pygit2.Tree, paths: AppPaths, memo: dict[pygit2.Oid, Deployed]) -> Deployed | None:
    """Images and versions from the app folder's manifests at a commit."""
    # Imported here for start-up time: YAML loads only when a walk reads manifests.
    from gimlet_tui.gitops.manifests import MANIFEST_SUFFIXES, combine, read_file

    folder = lookup(tree, paths.folder)
    if not isinstance(folder, pygit2.Tree):
        return None
    facts = []
    for name, blob in walk_files(folder):
        if not name.endswith(MANIFEST_SUFFIXES) or not isinstance(blob, pygit2.Blob):
            continue
        if blob.id not in memo:
            memo[blob.id] = read_file(name, blob.data)
        facts.append(memo[blob.id])
    return combine(facts)


def _change(
    commit: pygit2.Commit, paths: AppPaths, removed: bool, app: str, memo: dict[pygit2.Oid, Deployed]
) -> FolderChange:
    author = commit.author
    data, source = (None, None) if removed else _release_bytes(commit.tree, paths, app)
    return FolderChange(
        sha=str(commit.id),
        committed_at=commit.commit_time,
        message=message_of(commit),
        author_name=author.raw_name.decode("utf-8", "replace"),
        author_email=author.raw_email.decode("utf-8", "replace"),
        removed=removed,
        release_data=data,
        release_source=source,
        deployed=None if removed else _deployed(commit.tree, paths, memo),
    )


def _release_bytes(tree: pygit2.Tree, paths: AppPaths, app: str) -> tuple[bytes | None, str | None]:
    """The app's own release.json, else the env-level one if it names the app (never another app's)."""
    own = read_blob(tree, (*paths.folder, "release.json"))
    if own is not None:
        return own, "/".join((*paths.folder, "release.json"))
    env_level = read_blob(tree, paths.env_release)
    if env_level is not None and parse_release(env_level).app == app:
        return env_level, "/".join(paths.env_release)
    return None, None
