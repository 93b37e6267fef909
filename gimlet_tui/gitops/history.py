"""The history of one env/app, newest first, with ROLLED BACK and CURRENT known as each entry is reached.

A commit is in the history of an app when the app's folder differs from its first parent's. The walk
compares trees level by level (env, then app) so that commits which did not touch the env cost one
tree-entry comparison. Reverts are always newer than what they revert, so by the time the walk
reaches a commit it knows whether a live revert names it.

Two layers: `ChangeWalk` finds the commits that changed the folder (facts, which the index stores),
and `with_states` turns them into entries with ROLLED BACK and CURRENT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import pygit2

from gimlet_tui.gitops.model import Deployed, EntryKind, HistoryEntry, ReleaseInfo
from gimlet_tui.gitops.release_json import parse_release
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.trees import lookup, read_blob, walk_files

REVERTS = re.compile(r"This reverts commit ([0-9a-f]{40})")


def first_parent_chain(git: pygit2.Repository, head: pygit2.Oid) -> Iterator[tuple[pygit2.Commit, pygit2.Commit | None]]:
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
    return commit.raw_message.decode("utf-8", "replace")


@dataclass(frozen=True)
class Change:
    """A commit that changed an app's folder, as git records it, before any state is computed.

    This is what the history index stores: facts fixed by the commit and its first parent.
    """

    sha: str
    committed_at: int
    message: str
    author_name: str
    author_email: str
    parent_count: int
    removed: bool
    release_data: bytes | None
    release_source: str | None
    deployed: Deployed | None = None


class ChangeWalk:
    """The commits that changed `paths.folder`, newest first, from `start` back along first parents.

    Trees are compared level by level (the env folder, then the app folder), and each commit's
    lookups are reused when it is the next commit's parent. With `stop`, the walk ends before that
    commit (`reached_stop` then says it was on the chain); `last` is the oldest commit compared whose
    changes have all been yielded, and `exhausted` says the root was reached.
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

    def __iter__(self) -> Iterator[Change]:
        # The hot loop of every cold read: locals only, each tree loaded once, Oids compared as Oids.
        folder = self.paths.folder
        env, name = (folder[0], folder[1]) if len(folder) == 2 else (None, folder[0])
        stop = pygit2.Oid(hex=self.stop) if self.stop else None
        manifests: dict[pygit2.Oid, Deployed] = {}  # a file's facts by blob id: most files repeat
        carried = None  # this commit's lookups, made when it was the previous commit's parent
        for commit, parent in first_parent_chain(self.repo.git, self.start):
            if commit.id == stop:
                self.reached_stop = True
                return
            outer, outer_id, app_id = carried or (*_outer(commit, env), _UNKNOWN)
            parent_outer, parent_outer_id = _outer(parent, env) if parent is not None else (None, None)
            parent_app = _UNKNOWN
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
    return outer, outer.id


def _child_id(tree: pygit2.Object | None, name: str) -> pygit2.Oid | None:
    if not isinstance(tree, pygit2.Tree):
        return None
    try:
        return tree[name].id
    except KeyError:
        return None


_UNKNOWN = object()  # an id not looked up yet (None means "looked up: not there")


def _deployed(tree: pygit2.Tree, paths: AppPaths, memo: dict[pygit2.Oid, Deployed]) -> Deployed | None:
    """Images and versions from the app folder's manifests at a commit."""
    from gimlet_tui.gitops.manifests import MANIFEST_SUFFIXES, combine, read_file  # YAML only when walking

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


def _change(commit: pygit2.Commit, paths: AppPaths, removed: bool, app: str, memo: dict[pygit2.Oid, Deployed]) -> Change:
    author = commit.author
    data, source = (None, None) if removed else _release_bytes(commit.tree, paths, app)
    return Change(
        sha=str(commit.id),
        committed_at=commit.commit_time,
        message=message_of(commit),
        author_name=author.raw_name.decode("utf-8", "replace"),
        author_email=author.raw_email.decode("utf-8", "replace"),
        parent_count=len(commit.parent_ids),
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


def to_entry(change: Change) -> HistoryEntry:
    """A history entry (states not yet known) from a recorded change."""
    message = change.message
    reverts = tuple(REVERTS.findall(message))
    if reverts:
        kind = EntryKind.REVERT
    elif change.removed:
        kind = EntryKind.DELETION
    else:
        kind = EntryKind.RELEASE
    release = None
    if kind is EntryKind.RELEASE:
        if change.release_data is None:
            release = ReleaseInfo(problem="no release.json for this app at this commit")
        else:
            release = parse_release(change.release_data, change.release_source)
    return HistoryEntry(
        sha=change.sha,
        kind=kind,
        committed_at=change.committed_at,
        subject=message.split("\n", 1)[0],
        message=message,
        author_name=change.author_name,
        author_email=change.author_email,
        parent_count=change.parent_count,
        release=release,
        deployed=change.deployed if kind is EntryKind.RELEASE else None,
        reverts=reverts,
    )


def with_states(changes: Iterable[Change]) -> Iterator[HistoryEntry]:
    """Entries newest first, each with ROLLED BACK and CURRENT decided by what came before it."""
    reverted_by: dict[str, str] = {}
    state_known = False  # set once the newest live release or deletion has been reached
    for change in changes:
        entry = to_entry(change)
        rolled_back_by = reverted_by.get(entry.sha)
        if entry.kind is EntryKind.REVERT and rolled_back_by is None:
            for target in entry.reverts:
                reverted_by.setdefault(target, entry.sha)
        current = False
        if not state_known and rolled_back_by is None and entry.kind is not EntryKind.REVERT:
            state_known = True
            current = entry.kind is EntryKind.RELEASE
        yield replace(entry, rolled_back=rolled_back_by is not None, rolled_back_by=rolled_back_by, current=current)


def iter_history(
    repo: GitopsRepo, env: str, app: str, head: str | None = None, use_index: bool = True
) -> Iterator[HistoryEntry]:
    """Every commit that changed `env/app`, newest first, each with its final state.

    The generator stops whenever the caller stops: asking for ten releases reads only as far back as
    the tenth release. With `use_index`, what earlier walks learnt comes from the history index.
    """
    paths = repo.app_paths(env, app)
    head_id = pygit2.Oid(hex=head) if head else repo.head_commit().id
    if use_index:
        from gimlet_tui.gitops.index import indexed_changes

        changes: Iterable[Change] = indexed_changes(repo, paths, app, head_id)
    else:
        changes = ChangeWalk(repo, paths, app, head_id)
    yield from with_states(changes)


def read_history(repo: GitopsRepo, env: str, app: str, limit: int | None = None) -> list[HistoryEntry]:
    """The history as a list; with `limit`, it stops after that many releases (other entries ride along)."""
    entries: list[HistoryEntry] = []
    releases = 0
    for entry in iter_history(repo, env, app):
        entries.append(entry)
        if entry.kind is EntryKind.RELEASE:
            releases += 1
            if limit and releases >= limit:
                break
    return entries
