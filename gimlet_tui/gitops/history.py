"""The history of one env/app, newest first, with ROLLED BACK and CURRENT known as each entry is reached.

The folder changes come from the history cache (or a fresh walk, see `walk`); this module turns them
into entries. Reverts are always newer than what they revert, so by the time the walk reaches a
commit it knows whether a live revert names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import pygit2

from gimlet_tui.gitops.edge import at_edge
from gimlet_tui.gitops.history_cache import cached_changes, knows
from gimlet_tui.gitops.model import EntryKind, HistoryEntry, RollbackResult
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.walk import ChangeWalk, FolderChange

REVERTS = re.compile(r"This reverts commit ([0-9a-f]{40})")
REASON = re.compile(r"^(?:Rollback|Redeploy)-Reason: *(.+?) *$", re.MULTILINE)


def reason_of(message: str) -> str | None:
    """The Rollback-Reason (or Redeploy-Reason) trailer of a commit message, if any (the last one wins)."""
    found = REASON.findall(message)
    return found[-1] if found else None


def to_entry(change: FolderChange) -> HistoryEntry:
    """A history entry (states not yet known) from a recorded change."""
    message = change.message
    reverts = tuple(REVERTS.findall(message))
    if reverts:
        kind = EntryKind.REVERT
    elif change.removed:
        kind = EntryKind.DELETION
    else:
        kind = EntryKind.RELEASE
    release = change.release if kind is EntryKind.RELEASE else None  # None: no release.json, as Gimlet's CLI writes
    return HistoryEntry(
        sha=change.sha,
        kind=kind,
        committed_at=change.committed_at,
        subject=message.split("\n", 1)[0],
        author_name=change.author_name,
        author_email=change.author_email,
        release=release,
        deployed=change.deployed if kind is EntryKind.RELEASE else None,
        reverts=reverts,
        reason=reason_of(message) if "-Reason:" in message else None,
    )


def restate(entries: Iterable[HistoryEntry]) -> Iterator[HistoryEntry]:
    """Entries newest first, each with ROLLED BACK and CURRENT decided by what came before it."""
    reverted_by: dict[str, HistoryEntry] = {}  # a reverted sha -> the live revert commit that names it
    state_known = False  # set once the newest live release or deletion has been reached
    for entry in entries:
        revert = reverted_by.get(entry.sha)
        if entry.kind is EntryKind.REVERT and revert is None:
            for target in entry.reverts:
                reverted_by.setdefault(target, entry)
        current = False
        if not state_known and revert is None and entry.kind is not EntryKind.REVERT:
            state_known = True
            current = entry.kind is EntryKind.RELEASE
        if revert is None and not current and _stateless(entry):
            yield entry  # its state is already this (most entries): the same entry, nothing made
            continue
        yield HistoryEntry(  # (not dataclasses.replace: this runs for every entry of every read)
            entry.sha,
            entry.kind,
            entry.committed_at,
            entry.subject,
            entry.author_name,
            entry.author_email,
            entry.release,
            entry.deployed,
            entry.reverts,
            rolled_back=revert is not None,
            rolled_back_by=revert.sha if revert else None,
            rolled_back_by_name=revert.author_name if revert else None,
            rolled_back_at=revert.committed_at if revert else None,
            current=current,
            reason=entry.reason,
            rolled_back_reason=revert.reason if revert else None,
        )


def _stateless(entry: HistoryEntry) -> bool:
    """Neither ROLLED BACK nor CURRENT, and no rolled-back field set: what `restate` gives such an entry."""
    return (
        not entry.rolled_back
        and not entry.current
        and entry.rolled_back_by is None
        and entry.rolled_back_by_name is None
        and entry.rolled_back_at is None
        and entry.rolled_back_reason is None
    )


def with_states(changes: Iterable[FolderChange]) -> Iterator[HistoryEntry]:
    """The entries of recorded changes, newest first, with their states."""
    return restate(to_entry(change) for change in changes)


def after_rollback(history: Sequence[HistoryEntry], result: RollbackResult) -> list[HistoryEntry]:
    """The history (newest first, as loaded before the rollback or redeploy) as it is after `result`.

    The commits it made go on top (a redeploy's is a release like its target) and every state is
    decided again: what a new walk would give, as long as nobody else changed the app's folder in
    between (a face shows this at once and reads the history again when the branch head is not the
    one it had loaded).
    """
    target = result.plan.target
    made = [
        HistoryEntry(
            sha=commit.sha,
            kind=EntryKind.REVERT if commit.reverted else EntryKind.RELEASE,
            committed_at=commit.committed_at,
            subject=commit.subject,
            author_name=commit.author_name,
            author_email=commit.author_email,
            release=None if commit.reverted else target.release,
            deployed=None if commit.reverted else target.deployed,
            reverts=(commit.reverted,) if commit.reverted else (),
            reason=commit.reason,
        )
        for commit in reversed(result.commits)
    ]
    return list(restate([*made, *history]))


@at_edge
def iter_history(
    repo: GitopsRepo, env: str, app: str, head: str | None = None, use_cache: bool = True
) -> Iterator[HistoryEntry]:
    """Every commit that changed `env/app`, newest first, each with its final state.

    The generator stops whenever the caller stops: asking for ten releases reads only as far back as
    the tenth release. With `use_cache`, what earlier walks learnt comes from the history cache.
    """
    paths = repo.app_paths(env, app)
    head_id = pygit2.Oid(hex=head) if head else repo.head_commit().id
    changes: Iterable[FolderChange]
    changes = cached_changes(repo, paths, app, head_id) if use_cache else ChangeWalk(repo, paths, app, head_id)
    yield from with_states(changes)


@at_edge
def history_cached(repo: GitopsRepo, env: str, app: str) -> bool:
    """True when the history index holds this app's history: reading it is warm, not a long walk."""
    return knows(repo, repo.app_paths(env, app))


SINCE_SLOP = 5  # older entries read past --since before stopping, as `git log --since` does for clock skew


@at_edge
def read_history(
    repo: GitopsRepo,
    env: str,
    app: str,
    limit: int | None = None,
    since: int | None = None,
    until: int | None = None,
) -> list[HistoryEntry]:
    """The history as a list; with `limit`, it stops after that many releases (other entries ride along).

    `since` and `until` (unix seconds, inclusive) keep the entries committed in that window; states
    (CURRENT, ROLLED BACK) are those of the whole history. The walk stops a few entries past `since`.
    """
    entries: list[HistoryEntry] = []
    releases = 0
    older = 0
    for entry in iter_history(repo, env, app):
        if since is not None and entry.committed_at < since:
            older += 1
            if older >= SINCE_SLOP:
                break
            continue
        older = 0
        if until is not None and entry.committed_at > until:
            continue
        entries.append(entry)
        if entry.kind is EntryKind.RELEASE:
            releases += 1
            if limit and releases >= limit:
                break
    return entries
