"""The history of one env/app, newest first, with ROLLED BACK and CURRENT known as each entry is reached.

A commit is in the history of an app when the app's folder differs from its first parent's. The walk
compares trees level by level (env, then app) so that commits which did not touch the env cost one
tree-entry comparison. Reverts are always newer than what they revert, so by the time the walk
reaches a commit it knows whether a live revert names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pygit2

from gimlet_tui.gitops.model import EntryKind, HistoryEntry, ReleaseInfo
from gimlet_tui.gitops.release_json import parse_release
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.trees import entry_id, read_blob

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


def iter_history(repo: GitopsRepo, env: str, app: str, head: str | None = None) -> Iterator[HistoryEntry]:
    """Every commit that changed `env/app`, newest first, each with its final state.

    The generator stops whenever the caller stops: asking for ten releases reads only as far back as
    the tenth release.
    """
    paths = repo.app_paths(env, app)
    git = repo.git
    head_id = pygit2.Oid(hex=head) if head else repo.head_commit().id
    reverted_by: dict[str, str] = {}
    state_known = False  # set once the newest live release or deletion has been reached
    outer = paths.folder[:-1]  # the env folder, or the root in a repo-per-env repository
    cached: tuple[object, object] | None = None  # this commit's (outer id, app id), found as a parent
    for commit, parent in first_parent_chain(git, head_id):
        tree = commit.tree
        outer_id, app_id = cached if cached is not None else (entry_id(tree, outer), _UNKNOWN)
        parent_tree = parent.tree if parent is not None else None
        parent_outer = entry_id(parent_tree, outer) if parent_tree is not None else None
        cached = (parent_outer, _UNKNOWN)
        if outer_id == parent_outer:
            continue
        if app_id is _UNKNOWN:
            app_id = entry_id(tree, paths.folder)
        parent_app = entry_id(parent_tree, paths.folder) if parent_tree is not None else None
        cached = (parent_outer, parent_app)
        if app_id == parent_app:
            continue
        sha = str(commit.id)
        entry = _entry(commit, tree, paths, app_id is None, app)
        rolled_back_by = reverted_by.get(sha)
        if entry.kind is EntryKind.REVERT and rolled_back_by is None:
            for target in entry.reverts:
                reverted_by.setdefault(target, sha)
        current = False
        if not state_known and rolled_back_by is None and entry.kind is not EntryKind.REVERT:
            state_known = True
            current = entry.kind is EntryKind.RELEASE
        yield _with_state(entry, rolled_back_by, current)


_UNKNOWN = object()  # an id not looked up yet (None means "looked up: not there")


def _with_state(entry: HistoryEntry, rolled_back_by: str | None, current: bool) -> HistoryEntry:
    return replace(entry, rolled_back=rolled_back_by is not None, rolled_back_by=rolled_back_by, current=current)


def _entry(commit: pygit2.Commit, tree: pygit2.Tree, paths: AppPaths, removed: bool, app: str) -> HistoryEntry:
    message = message_of(commit)
    reverts = tuple(REVERTS.findall(message))
    if reverts:
        kind = EntryKind.REVERT
    elif removed:
        kind = EntryKind.DELETION
    else:
        kind = EntryKind.RELEASE
    author = commit.author
    return HistoryEntry(
        sha=str(commit.id),
        kind=kind,
        committed_at=commit.commit_time,
        subject=message.split("\n", 1)[0],
        message=message,
        author_name=author.raw_name.decode("utf-8", "replace"),
        author_email=author.raw_email.decode("utf-8", "replace"),
        parent_count=len(commit.parent_ids),
        release=read_release(tree, paths, app) if kind is EntryKind.RELEASE else None,
        reverts=reverts,
    )


def read_release(tree: pygit2.Tree, paths: AppPaths, app: str) -> ReleaseInfo:
    """The release metadata at a commit: the app's own release.json, else the env-level one if it names the app."""
    own = read_blob(tree, (*paths.folder, "release.json"))
    if own is not None:
        return parse_release(own, "/".join((*paths.folder, "release.json")))
    env_level = read_blob(tree, paths.env_release)
    if env_level is not None:
        info = parse_release(env_level, "/".join(paths.env_release))
        if info.app == app:
            return info
    return ReleaseInfo(problem="no release.json for this app at this commit")


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
