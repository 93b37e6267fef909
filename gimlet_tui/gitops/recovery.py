"""Finishing or undoing a rollback whose process died (kill -9, a crash, a power cut) in a work tree.

A rollback writes its journal (see `locks`) before anything in the work tree changes, and removes it
when index and files agree with the branch. A later command that finds a journal nobody holds
(every `GitopsRepo.open`, and every rollback before it starts) puts things right, under the index
lock the dead process left:

- the branch is at the rollback's new head: the files and index of the changed paths are made the
  new head's ("finished");
- the branch is still at the old head: they are made the old head's again ("undid");
- the branch is elsewhere (someone moved it since): nothing is touched, the journal goes.

Files someone changed since are left as they are, and named. What was done is one line, kept for
the faces to show (`take_reports`): the core never prints.
"""

from __future__ import annotations

import os
import re
import threading

import pygit2

from gimlet_tui.gitops.checkout import Changes, holds, new_index, restore
from gimlet_tui.gitops.errors import Interrupted
from gimlet_tui.gitops.locks import IndexLock, Journal, exists, remove_partials, remove_stale_locks
from gimlet_tui.held_signals import deferred_signals

_SHA = re.compile(r"[0-9a-f]{40}")
_reports: list[str] = []
_reports_lock = threading.Lock()


def report(line: str) -> None:
    """Keep one line for the faces to show."""
    with _reports_lock:
        _reports.append(line)


def take_reports() -> list[str]:
    """The lines kept since the last call (what recoveries did), oldest first."""
    with _reports_lock:
        taken = list(_reports)
        _reports.clear()
    return taken


def journal_record(ref: str, old: str, new: str | None, what: str, lock: IndexLock, pushed: bool) -> dict[str, object]:
    """What a journal says about a rollback: `new` is None until it is about to change the work tree."""
    return {"ref": ref, "old": old, "new": new, "what": what, "lock": list(lock.identity), "pushed": pushed}


def _readable(record: dict[str, object] | None) -> bool:
    if record is None:
        return False
    texts = (record.get("ref"), record.get("what"))
    shas = (record.get("old"), record.get("new") or "0" * 40)
    lock = record.get("lock")
    return (
        all(isinstance(t, str) for t in texts)
        and all(isinstance(s, str) and _SHA.fullmatch(s) for s in shas)
        and isinstance(lock, list)
        and len(lock) == 2
        and all(type(n) is int for n in lock)
    )


def finish_interrupted(git: pygit2.Repository) -> str | None:
    """Finish or undo a rollback that died in this work tree; the line saying so, or None when there was none."""
    if git.is_bare:
        return None
    if not exists(git.path):
        return _removed_stale_lock(git.path)
    remove_partials(git.path)
    journal = Journal.claim(git.path)
    if journal is None:
        return None  # none, or its rollback is still running
    try:
        line = _recover(git, journal)
    finally:
        journal.release()
    if line is not None:
        report(line)
    return line


def _removed_stale_lock(git_dir: str) -> str | None:
    """A lock a rollback took and left, killed before its journal: nothing had changed; the lock goes."""
    if not remove_stale_locks(git_dir):
        return None
    lock = os.path.join(git_dir, "index.lock")
    line = f"removed {lock}, left by a rollback that was stopped before it changed anything"
    report(line)
    return line


def _recover(git: pygit2.Repository, journal: Journal) -> str | None:
    record = journal.record
    if record is None or not _readable(record):
        journal.remove()
        return f"removed a rollback journal that could not be read ({journal.path})"
    first, second = record["lock"]
    lock = IndexLock.adopt(git.path, (first, second))
    if lock is None:
        return None  # a git command holds the index now: the next command will finish
    try:
        return _put_right(git, journal, lock, record)
    finally:
        lock.release()


def _put_right(git: pygit2.Repository, journal: Journal, lock: IndexLock, record: dict[str, object]) -> str:
    ref, old, new, what = (str(record[key]) for key in ("ref", "old", "new", "what"))
    branch = ref.removeprefix("refs/heads/")
    if record["new"] is None:  # it died before it could change anything
        journal.remove()
        return f"cleaned up after an interrupted rollback of {what}: it had changed nothing"
    reference = git.references.get(ref)
    tip = str(reference.target) if reference is not None else None
    on_branch = not git.head_is_detached and not git.head_is_unborn and git.head.name == ref
    if not on_branch or tip not in (old, new):
        journal.remove()
        return (
            f"an interrupted rollback of {what} was left as it was: {branch} is no longer where it put it "
            f"(or no longer checked out); check `git status`"
        )
    old_tree = git[old].peel(pygit2.Commit).tree
    new_tree = git[new].peel(pygit2.Commit).tree
    forward = tip == new
    target, baseline = (new_tree, old_tree) if forward else (old_tree, new_tree)
    with deferred_signals() as received:
        changes = Changes(old_tree, new_tree)
        unfinished = [path for path in changes.paths if not holds(git, changes, path, new=forward)]
        left = restore(git, changes, forward, unfinished, target, baseline)
        lock.commit(new_index(git, changes, forward, left))
        journal.remove()
    if forward:
        line = f"finished an interrupted rollback of {what}: {branch} is at {new[:10]} and the work tree matches it"
    else:
        line = (
            f"undid an interrupted rollback of {what}: {branch} had not moved from {old[:10]}; the work tree matches it"
        )
        if record.get("pushed"):
            line += " (its push may have reached the server: fetch to see)"
    if left:
        more = f" and {len(left) - 1} more" if len(left) > 1 else ""
        line += f"; left {left[0]}{more} as someone changed it"
    if received:
        raise Interrupted(f"{line}; then interrupted")
    return line
