"""The locks and the journal of a rollback in a work tree, and signals held off while it is written.

- `IndexLock` is git's own `index.lock`, created as atomically as git creates it (a hard link that
  fails when the name exists): while we hold it, `git commit`, `git add` and a second rollback fail
  or wait, as they do against git itself. The link's first name (`index.lock.gimlet-tui-PID-THREAD`)
  stays until the journal is written, so a lock left by a kill in between is still known as ours
  (`remove_stale_locks`). A lock that stays otherwise is a refusal that names the file.
- `Journal` is `gimlet-tui-rollback.json` beside the index: what a rollback is about to do (the
  branch, the heads before and after, the app), written before anything in the work tree changes
  and removed when index and files agree with the branch. Its owner holds an `flock` on it for as
  long as it lives, so a journal nobody holds was left by a process that died: `recovery` finishes
  or undoes what it describes.
- `held_signals.deferred_signals` holds SIGINT, SIGTERM and SIGHUP off while the work tree and the branch are
  being changed, so that an interrupt lands before or after, never in the middle (kill -9 cannot
  be held off: the journal is for that).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol

from gimlet_tui.gitops.errors import IndexLocked, Interrupted

LOCK_WAIT = 3.0  # seconds: git's own commands hold the index lock for moments; an editor may poll git
JOURNAL = "gimlet-tui-rollback.json"
MARK = "index.lock.gimlet-tui-"  # + "PID-THREAD": the first name of an index lock we create
Identity = tuple[int, int]  # (device, inode) of a lock file: tells ours from one made since


def _identity(fd_or_path: int | str) -> Identity:
    status = os.fstat(fd_or_path) if isinstance(fd_or_path, int) else os.lstat(fd_or_path)
    return status.st_dev, status.st_ino


class IndexLock:
    """`index.lock` of a work tree, held by this process."""

    def __init__(self, git_dir: str, fd: int, mark: str | None = None) -> None:
        self.path = os.path.join(git_dir, "index.lock")
        self.index = os.path.join(git_dir, "index")
        self.fd: int | None = fd
        self.identity = _identity(fd)
        self.mark = mark  # the lock's first name, which says whose it is until the journal does

    @classmethod
    def acquire(cls, git_dir: str, wait: float = LOCK_WAIT) -> IndexLock:
        """Create the lock as git does; wait up to `wait` seconds for another holder, then refuse."""
        path = os.path.join(git_dir, "index.lock")
        mark = os.path.join(git_dir, f"{MARK}{os.getpid()}-{threading.get_ident()}")
        fd = os.open(mark, os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
        deadline = time.monotonic() + wait
        while True:
            try:
                os.link(mark, path)  # atomic, and refused while the name exists: git's O_EXCL, with our name on it
                return cls(git_dir, fd, mark)
            except FileExistsError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    _unlink(mark)
                    raise IndexLocked(
                        f"{path} exists: another git command is running in this repository, or one was stopped "
                        f"before it could clean up. If no git command is running, remove it (rm '{path}') and run "
                        "again; nothing was changed"
                    ) from None
                time.sleep(0.05)

    @classmethod
    def adopt(cls, git_dir: str, identity: Identity | None) -> IndexLock | None:
        """The lock a dead rollback left (same file), or a new one; None while someone else holds it."""
        path = os.path.join(git_dir, "index.lock")
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            with contextlib.suppress(IndexLocked):
                return cls.acquire(git_dir, wait=0)
            return None
        if identity is not None and _identity(fd) == tuple(identity):
            return cls(git_dir, fd)
        os.close(fd)
        return None

    def unmark(self) -> None:
        """The journal names the lock now: its first name can go."""
        if self.mark is not None:
            _unlink(self.mark)
            self.mark = None

    def commit(self, data: bytes) -> None:
        """Write `data` as the new index and release the lock: one rename, as git does."""
        assert self.fd is not None
        self.unmark()
        os.lseek(self.fd, 0, os.SEEK_SET)
        os.ftruncate(self.fd, 0)
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]
        os.fsync(self.fd)
        _close_once(self)
        os.rename(self.path, self.index)

    def abandon(self) -> None:
        """Stop holding the lock but leave the file, for `recovery` (the journal names it) to take over."""
        self.unmark()
        _close_once(self)

    def release(self) -> None:
        """Give the lock up without changing the index (removes the file only if it is still ours)."""
        if self.fd is None:
            return
        with contextlib.suppress(OSError):  # the name first: stopped before the end, a second call finishes
            if _identity(self.path) == self.identity:
                os.unlink(self.path)
        _close_once(self)
        self.unmark()


class Journal:
    """What an unfinished rollback in this work tree is doing; held (flock) by the process doing it."""

    def __init__(self, path: str, fd: int, record: dict[str, Any] | None) -> None:
        self.path = path
        self.fd: int | None = fd
        self.record = record

    @classmethod
    def create(cls, git_dir: str, record: dict[str, Any]) -> Journal:
        """Write the journal whole and locked before it appears under its name (or FileExistsError)."""
        path = os.path.join(git_dir, JOURNAL)
        fd, partial = _written(path, record)
        try:
            os.link(partial, path)  # atomic, and refused when a journal is there
        except BaseException:
            os.close(fd)
            raise
        finally:
            with contextlib.suppress(OSError):
                os.unlink(partial)
        return cls(path, fd, record)

    def update(self, record: dict[str, Any]) -> None:
        """Replace what the journal says, at once (a new file, locked, renamed over the old one)."""
        fd, partial = _written(self.path, record)
        try:
            os.replace(partial, self.path)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise
        self.release()
        self.fd, self.record = fd, record

    @classmethod
    def claim(cls, git_dir: str) -> Journal | None:
        """The journal of a rollback whose process is gone, now held by us; None when there is none or it is alive."""
        path = os.path.join(git_dir, JOURNAL)
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _identity(fd) != _identity(path):  # finished and removed while we waited
                raise FileNotFoundError(path)
            try:
                record = json.loads(os.read(fd, 1 << 20) or b"null")
            except ValueError:
                record = None
        except OSError:
            os.close(fd)
            return None
        return cls(path, fd, record if isinstance(record, dict) else None)

    def remove(self) -> None:
        """The rollback is over (done or undone): the journal goes."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        self.release()

    def release(self) -> None:
        """Stop holding the journal, leaving it for a later command to act on."""
        _close_once(self)


class _HoldsDescriptor(Protocol):
    fd: int | None


def _close_once(holder: _HoldsDescriptor) -> None:
    """Close the holder's descriptor, forgotten first: an interrupt between may leak it (for the rest
    of the process), never close it twice (a second close could hit a descriptor reused meanwhile)."""
    fd, holder.fd = holder.fd, None
    if fd is not None:
        os.close(fd)


def _written(path: str, record: dict[str, Any]) -> tuple[int, str]:
    """A file beside `path` holding `record`, locked (flock) by us: (its descriptor, its name)."""
    partial = f"{path}.{os.getpid()}-{threading.get_ident()}.partial"
    fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, json.dumps(record).encode())
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd, partial


def remove_partials(git_dir: str) -> None:
    """Remove journal files a process that died was still writing (named with its pid)."""
    prefix = JOURNAL + "."
    for name in os.listdir(git_dir):
        if name.startswith(prefix) and name.endswith(".partial"):
            pid = name[len(prefix) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(git_dir, name))


def remove_stale_locks(git_dir: str) -> bool:
    """Remove the index lock of a rollback that died before its journal said so; True when there was one.

    Such a rollback had changed nothing yet (the journal comes before any change). Only a lock that is
    still the same file as the first name of a dead process's lock is removed; a journal, when there
    is one, decides instead (see `recovery`).
    """
    if exists(git_dir):
        return False
    removed = False
    lock = os.path.join(git_dir, "index.lock")
    for name in os.listdir(git_dir):
        pid = name[len(MARK) :].split("-", 1)[0] if name.startswith(MARK) else ""
        if not pid.isdigit() or _alive(int(pid)):
            continue
        mark = os.path.join(git_dir, name)
        with contextlib.suppress(OSError):
            if _identity(mark) == _identity(lock):
                os.unlink(lock)
                removed = True
        _unlink(mark)
    return removed


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exists(git_dir: str) -> bool:
    """True when a rollback journal is in this git directory (held or not)."""
    return os.path.lexists(os.path.join(git_dir, JOURNAL))


@contextlib.contextmanager
def interrupt_means(truth: str) -> Iterator[None]:
    """An interrupt inside the block becomes `Interrupted(truth)`: what is true if it comes there."""
    try:
        yield
    except Interrupted:
        raise
    except KeyboardInterrupt:
        raise Interrupted(truth) from None
