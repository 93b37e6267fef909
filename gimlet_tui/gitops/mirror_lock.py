"""One lock per mirror of a remote repository, so that processes and threads take turns with it.

A first clone, a fetch and the moves that follow a push each hold the lock (`flock` on a file beside
the mirror, plus a lock per thread inside this process). It is re-entrant in one thread, so a
rollback can hold it from its fetch to its push. Waiting is bounded by the caller's deadline.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from gimlet_tui.dirs import private_dir
from gimlet_tui.gitops.errors import RemoteError

_guard = threading.Lock()
_locks: dict[str, threading.RLock] = {}
_held = threading.local()  # path -> (file descriptor, depth) in this thread


def lock_file(mirror: Path) -> Path:
    return mirror.parent / (mirror.name + ".lock")


@contextlib.contextmanager
def mirror_lock(mirror: Path, seconds: float, shown: str) -> Iterator[None]:
    """Hold the mirror's lock; wait at most `seconds` for it (`shown` names the remote in the error)."""
    key = str(mirror)
    with _guard:
        thread_lock = _locks.setdefault(key, threading.RLock())
    deadline = time.monotonic() + seconds
    if not thread_lock.acquire(timeout=max(seconds, 0.001)):
        raise _busy(mirror, shown)
    try:
        held: dict[str, tuple[int, int]] = _held.__dict__.setdefault("locks", {})
        if key in held:
            descriptor, depth = held[key]
            held[key] = (descriptor, depth + 1)
        else:
            held[key] = (_take(mirror, deadline, shown), 1)
        try:
            yield
        finally:
            descriptor, depth = held[key]
            if depth == 1:
                del held[key]
                os.close(descriptor)  # releases the flock
            else:
                held[key] = (descriptor, depth - 1)
    finally:
        thread_lock.release()


def _take(mirror: Path, deadline: float, shown: str) -> int:
    private_dir(mirror.parent)
    descriptor = os.open(lock_file(mirror), os.O_RDWR | os.O_CREAT, 0o600)
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return descriptor
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise _busy(mirror, shown) from None
            time.sleep(0.05)


def _busy(mirror: Path, shown: str) -> RemoteError:
    return RemoteError(
        f"another gimlet-tui is still fetching or pushing {shown} (it holds {lock_file(mirror)}); try again when it is done"
    )
