"""The history cache: what earlier walks learnt about an app's history, kept in SQLite.

One database per repository and branch, in the user's cache directory. For each app it holds the
folder changes (see `walk.FolderChange`) from a head commit back to a tail commit (or to the root). Changes
are facts fixed by commit ids, so the only question is whether the stored head is still on the
branch's first-parent chain:

- the branch head is the stored head: the stored changes are the answer;
- the stored head is met while walking back from the new head: the new commits are walked, the
  stored ones follow (a new head walks only the new commits);
- the walk reaches the root without meeting it (force-push, reset): the history was rewritten, and
  what was just walked replaces the stored changes.

A walk that stopped early (`--limit`) stores how far it got, and a later walk resumes from there.
A damaged or foreign file is deleted and rebuilt; if SQLite fails mid-read, the walk takes over
from where the cache left off. Every row is checked as it is read (SQLite accepts a text where an
integer belongs): one that is not what this module writes counts as damage too. The cache can only
make answers faster, never different.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pygit2

from gimlet_tui.dirs import history_index_disabled, history_index_file, history_index_identity, private_file
from gimlet_tui.gitops.index_rows import Row, change_from_row, checked_app_row, facts_of
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.walk import ChangeWalk, FolderChange

SCHEMA = "gimlet-tui history index 5"  # 4: release.json stored parsed; 5: with the manifests' facts in one column
_COLUMNS = "sha, committed_at, message, author_name, author_email, removed, release_data, facts"


def cache_path(repo: GitopsRepo) -> Path:
    """The database file of this repository and branch."""
    return history_index_file(repo.git.path, repo.ref)


def _connect(path: Path, identity: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS apps (
                key TEXT PRIMARY KEY, head TEXT NOT NULL, tail TEXT, complete INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS changes (
                key TEXT NOT NULL, pos INTEGER NOT NULL, sha TEXT NOT NULL, committed_at INTEGER NOT NULL,
                message TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL,
                removed INTEGER NOT NULL, release_data BLOB,
                facts TEXT NOT NULL, PRIMARY KEY (key, pos)) WITHOUT ROWID;
            """
        )
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?), ('identity', ?)", (SCHEMA, identity))
        stored = dict(connection.execute("SELECT key, value FROM meta"))
        if stored.get("schema") != SCHEMA or stored.get("identity") != identity:
            raise sqlite3.DatabaseError("index of another repository or version")
    except BaseException:
        connection.close()
        raise
    return connection


def open_cache(repo: GitopsRepo) -> sqlite3.Connection | None:
    """A connection to the cache, rebuilt when the file is damaged or foreign; None if it cannot be had."""
    if history_index_disabled():
        return None
    path = cache_path(repo)
    identity = history_index_identity(repo.git.path, repo.ref)
    for _ in range(2):
        try:
            for suffix in ("-wal", "-shm", ""):  # SQLite makes its companions with the database's permissions
                if suffix == "" or os.path.lexists(f"{path}{suffix}"):
                    private_file(Path(f"{path}{suffix}"))
            return _connect(path, identity)
        except (sqlite3.Error, OSError):
            discard(path)
    return None


def discard(path: Path) -> None:
    """Delete a cache file and its WAL companions."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


def _key(repo: GitopsRepo, paths: AppPaths) -> str:
    return f"{repo.layout.value}|{paths.folder_path}|{'/'.join(paths.env_release)}"


def _stored(connection: sqlite3.Connection, key: str, below: int | None) -> Iterator[FolderChange]:
    """The stored changes, newest first, at positions up to `below` (all when None)."""
    cursor = connection.execute(
        f"SELECT {_COLUMNS} FROM changes WHERE key = ? AND pos <= ? ORDER BY pos DESC",
        (key, below if below is not None else 2**62),
    )
    for row in cursor:
        yield change_from_row(row)


def knows(repo: GitopsRepo, paths: AppPaths) -> bool:
    """True when the cache holds the app's history (so a read of it walks little or nothing)."""
    connection = open_cache(repo)
    if connection is None:
        return False
    try:
        return connection.execute("SELECT 1 FROM apps WHERE key = ?", (_key(repo, paths),)).fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def stored_changes(repo: GitopsRepo, paths: AppPaths, most: int) -> list[FolderChange]:
    """Up to `most` changes the index holds for the app, newest first, read-only: [] when it knows none.

    Nothing is walked and nothing is written (for completion, which must answer at once); the
    stored head may be behind the branch's.
    """
    path = cache_path(repo)
    if history_index_disabled() or not path.is_file():
        return []
    identity = history_index_identity(repo.git.path, repo.ref)
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            stored = dict(connection.execute("SELECT key, value FROM meta"))
            if stored.get("schema") != SCHEMA or stored.get("identity") != identity:
                return []
            changes = _stored(connection, _key(repo, paths), None)
            return [change for _, change in zip(range(most), changes, strict=False)]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def cached_changes(repo: GitopsRepo, paths: AppPaths, app: str, head: pygit2.Oid) -> Iterator[FolderChange]:
    """The changes of the app from `head`, newest first: from the cache where it knows them."""
    connection = open_cache(repo)
    if connection is None:
        yield from ChangeWalk(repo, paths, app, head)
        return
    yielded = 0
    try:
        for change in _changes_with(connection, repo, paths, app, head):
            yield change
            yielded += 1
    except sqlite3.Error:
        # The cache failed under us: the walk gives the same sequence, so skip what was given.
        connection.close()
        discard(cache_path(repo))
        for position, change in enumerate(ChangeWalk(repo, paths, app, head)):
            if position >= yielded:
                yield change
        return
    finally:
        connection.close()


def _changes_with(
    connection: sqlite3.Connection, repo: GitopsRepo, paths: AppPaths, app: str, head: pygit2.Oid
) -> Iterator[FolderChange]:
    key = _key(repo, paths)
    row = connection.execute("SELECT head, tail, complete FROM apps WHERE key = ?", (key,)).fetchone()
    head_sha = str(head)
    if row is None:
        yield from _record_fresh(connection, key, repo, paths, app, head)
        return
    stored_head, tail, complete = row = checked_app_row(repo, row)
    newer: list[FolderChange] = []
    (below,) = connection.execute("SELECT MAX(pos) FROM changes WHERE key = ?", (key,)).fetchone()
    if stored_head != head_sha:
        walk = ChangeWalk(repo, paths, app, head, stop=stored_head)
        yield from _kept(walk, newer)
        if not walk.reached_stop:  # rewritten history: the walk went to the root
            _replace(connection, key, row, head_sha, newer, walk)
            return
        _prepend(connection, key, row, head_sha, newer)
        row = (head_sha, tail, complete)
    yield from _stored(connection, key, below)
    if not complete:
        yield from _resume(connection, key, row, repo, paths, app)


def _kept(walk: ChangeWalk, found: list[FolderChange]) -> Iterator[FolderChange]:
    """The walk's changes, each also kept in `found` (to be stored however far the caller reads)."""
    for change in walk:
        found.append(change)
        yield change


def _record_fresh(
    connection: sqlite3.Connection, key: str, repo: GitopsRepo, paths: AppPaths, app: str, head: pygit2.Oid
) -> Iterator[FolderChange]:
    """No stored history: walk, and store what was walked (also when the caller stops early)."""
    walk = ChangeWalk(repo, paths, app, head)
    found: list[FolderChange] = []
    try:
        yield from _kept(walk, found)
    finally:
        _replace(connection, key, None, str(head), found, walk)


def _resume(
    connection: sqlite3.Connection, key: str, row: Row, repo: GitopsRepo, paths: AppPaths, app: str
) -> Iterator[FolderChange]:
    """Continue an earlier walk that stopped at `tail`, storing the older changes it finds."""
    tail = row[1]
    commit = repo.git[tail].peel(pygit2.Commit)
    if not commit.parent_ids:
        _store(connection, key, row, (row[0], tail, 1), [], older=True)
        return
    walk = ChangeWalk(repo, paths, app, commit.parent_ids[0])
    found: list[FolderChange] = []
    try:
        yield from _kept(walk, found)
    finally:
        new_tail = walk.last or tail
        _store(connection, key, row, (row[0], new_tail, int(walk.exhausted)), found, older=True)


def _write_if_unchanged(connection: sqlite3.Connection, key: str, row: Row | None, write: Callable[[], None]) -> None:
    """Run `write` in one immediate transaction, only if the app's row is still `row`.

    Another process may have stored something meanwhile: its answer is as good as ours, keep it.
    Any SQLite error leaves the cache as it was (it is only ever a cache).
    """
    try:
        connection.execute("BEGIN IMMEDIATE")
        now = connection.execute("SELECT head, tail, complete FROM apps WHERE key = ?", (key,)).fetchone()
        if now != (tuple(row) if row else None):
            connection.execute("ROLLBACK")
            return
        write()
        connection.execute("COMMIT")
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def _replace(
    connection: sqlite3.Connection,
    key: str,
    row: Row | None,
    head_sha: str,
    changes: list[FolderChange],
    walk: ChangeWalk,
) -> None:
    """Store `changes` as the whole known history (from `head_sha` down to where the walk got)."""
    if walk.last is None and not walk.exhausted:
        return  # nothing was compared: nothing learnt

    def write() -> None:
        connection.execute("DELETE FROM changes WHERE key = ?", (key,))
        _insert(connection, key, changes, start=len(changes) - 1, step=-1)
        connection.execute(
            "INSERT OR REPLACE INTO apps VALUES (?, ?, ?, ?)", (key, head_sha, walk.last, int(walk.exhausted))
        )

    _write_if_unchanged(connection, key, row, write)


def _prepend(connection: sqlite3.Connection, key: str, row: Row, head_sha: str, newer: list[FolderChange]) -> None:
    """Store the changes of new commits on top of the stored ones, and the new head."""
    _store(connection, key, row, (head_sha, row[1], row[2]), newer, older=False)


def _store(
    connection: sqlite3.Connection, key: str, row: Row, new_row: Row, changes: list[FolderChange], older: bool
) -> None:
    """Add `changes` below (older) or above the stored ones, and update the app's row."""

    def write() -> None:
        low, high = connection.execute("SELECT MIN(pos), MAX(pos) FROM changes WHERE key = ?", (key,)).fetchone()
        if older:
            _insert(connection, key, changes, start=(low if low is not None else 0) - 1, step=-1)
        else:
            _insert(connection, key, changes, start=(high if high is not None else 0) + len(changes), step=-1)
        connection.execute("UPDATE apps SET head = ?, tail = ?, complete = ? WHERE key = ?", (*new_row, key))

    _write_if_unchanged(connection, key, row, write)


def _insert(connection: sqlite3.Connection, key: str, changes: list[FolderChange], start: int, step: int) -> None:
    """Insert `changes` (newest first) at positions start, start+step, ... (newer means higher)."""
    connection.executemany(
        f"INSERT INTO changes (key, pos, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                key,
                start + i * step,
                c.sha,
                c.committed_at,
                c.message,
                c.author_name,
                c.author_email,
                int(c.removed),
                c.release_data,
                facts_of(c),
            )
            for i, c in enumerate(changes)
        ],
    )
