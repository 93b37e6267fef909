"""Writing a rollback's files into a work tree as git does: libgit2's checkout, then the index, under its lock.

The files are written by libgit2's checkout, limited to the exact paths the two trees differ in, so
attributes and filters (eol, text), symlinks, modes and type changes (a link becoming a folder) are
handled as git handles them, and a link on the way is removed, never followed. The checkout is
"safe" against an explicit baseline (what the work tree is expected to hold): a file that is neither
the baseline's nor the target's was changed by someone else, and is a conflict, never overwritten.

libgit2 writes the repository's index under its own `index.lock`; we hold that lock for the whole
rollback (so that `git commit` and a second rollback wait or fail, as against git itself), so the
checkout leaves the index alone and the new index is built here: the index file as it is, with the
entries of the changed paths set to the target's (object id and mode, and the stat of the file just
written, as git records it). Its bytes are written into the held lock file and renamed over the
index: git's own protocol.

pygit2 does not expose the checkout's baseline: this module fills libgit2's options through pygit2's
cffi binding (pinned below 2 in pyproject.toml; the rollback tests fail loudly if that changes).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterable, Sequence
from typing import Any

import pygit2
from pygit2.callbacks import CheckoutCallbacks, git_checkout_options
from pygit2.enums import CheckoutNotify, CheckoutStrategy, FileMode
from pygit2.ffi import C, ffi

SAFE = CheckoutStrategy.SAFE | CheckoutStrategy.DONT_UPDATE_INDEX | CheckoutStrategy.DISABLE_PATHSPEC_MATCH
# Putting a half-written work tree back: keep what someone else changed, put back what is missing.
RESTORE = SAFE | CheckoutStrategy.ALLOW_CONFLICTS | CheckoutStrategy.RECREATE_MISSING
TEMPORARY_INDEX = "gimlet-tui-index.tmp"


class CheckoutConflict(Exception):
    """Files that are neither the baseline's nor the target's stopped a checkout before anything was written."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


class _FsPath:
    """A path as the bytes git stores (pygit2 would encode a str as strict UTF-8)."""

    def __init__(self, path: str) -> None:
        self.path = os.fsencode(path)

    def __fspath__(self) -> bytes:
        return self.path


class _Conflicts(CheckoutCallbacks):
    """Records the paths libgit2 will not touch because they are neither the baseline's nor the target's."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def checkout_notify_flags(self) -> CheckoutNotify:
        return CheckoutNotify.CONFLICT

    def checkout_notify(self, why: CheckoutNotify, path: str, *_: Any) -> None:
        self.paths.append(path)


def changed_paths(git: pygit2.Repository, old: pygit2.Tree, new: pygit2.Tree) -> list[str]:
    """Every path whose entry differs between two trees (both sides of a type change), sorted."""
    paths: set[str] = set()
    for delta in old.diff_to_tree(new).deltas:
        paths.add(delta.old_file.path)
        paths.add(delta.new_file.path)
    return sorted(paths)


def checkout(
    git: pygit2.Repository,
    target: pygit2.Tree,
    baseline: pygit2.Tree,
    paths: Sequence[str],
    strategy: CheckoutStrategy = SAFE,
) -> list[str]:
    """Make `paths` in the work tree hold `target`'s content, where they hold `baseline`'s (or already `target`'s).

    Returns the paths left alone because they hold something else. Without ALLOW_CONFLICTS in
    `strategy`, any such path stops the checkout before a file is written (`CheckoutConflict`).
    """
    if not paths:
        return []
    conflicts = _Conflicts()
    with git_checkout_options(callbacks=conflicts, strategy=strategy, paths=[_FsPath(p) for p in paths]) as payload:
        options = payload.checkout_options
        base = ffi.new("git_tree **")
        ffi.buffer(base)[:] = baseline._pointer[:]
        options.baseline = base[0]
        tree = ffi.new("git_object **")
        ffi.buffer(tree)[:] = target._pointer[:]
        error = C.git_checkout_tree(git._repo, tree[0], options)
        if error < 0 and conflicts.paths and not strategy & CheckoutStrategy.ALLOW_CONFLICTS:
            raise CheckoutConflict(conflicts.paths)
        payload.check_error(error)
    return conflicts.paths


def holds(git: pygit2.Repository, tree: pygit2.Tree, path: str) -> bool:
    """True when the work tree already holds `tree`'s entry at `path` (as checkout writes it, or as git reads it)."""
    entry = _entry(git, tree, path)
    full = os.path.join(git.workdir, path)
    try:
        status = os.lstat(full)
    except FileNotFoundError:
        return entry is None
    if entry is None:
        return False
    if entry.filemode == FileMode.TREE:
        return stat.S_ISDIR(status.st_mode)
    if stat.S_ISLNK(status.st_mode):
        return entry.filemode == FileMode.LINK and pygit2.hash(os.fsencode(os.readlink(full))) == entry.id
    if not stat.S_ISREG(status.st_mode):
        return False
    if entry.filemode == FileMode.BLOB_EXECUTABLE and not status.st_mode & 0o100:
        return False
    with open(full, "rb") as stream:
        data = stream.read()
    if pygit2.hash(data) == entry.id:
        return True
    filters = git.load_filter_list(path)
    return filters is not None and pygit2.hash(filters.apply_to_buffer(data)) == entry.id


def _entry(git: pygit2.Repository, tree: pygit2.Tree, path: str) -> pygit2.Object | None:
    try:
        found: pygit2.Object = tree[path]
    except KeyError:
        return None
    return found


def _set_entry(index: pygit2.Index, path: str, obj: pygit2.Object, top: str, with_stat: bool) -> None:
    """Put `obj` at `path` in `index`, with the stat of the file in the work tree when `with_stat`."""
    entry = ffi.new("git_index_entry *")
    name = ffi.new("char[]", os.fsencode(path))
    entry.path = name
    entry.mode = int(obj.filemode)
    ffi.buffer(ffi.addressof(entry, "id"))[:] = obj.id.raw
    if with_stat:
        status = os.lstat(os.path.join(top, path))
        entry.ctime.seconds, entry.ctime.nanoseconds = divmod(status.st_ctime_ns, 1_000_000_000)
        entry.mtime.seconds, entry.mtime.nanoseconds = divmod(status.st_mtime_ns, 1_000_000_000)
        entry.ctime.seconds &= 0x7FFFFFFF
        entry.mtime.seconds &= 0x7FFFFFFF
        entry.dev, entry.ino = status.st_dev & 0xFFFFFFFF, status.st_ino & 0xFFFFFFFF
        entry.uid, entry.gid = status.st_uid & 0xFFFFFFFF, status.st_gid & 0xFFFFFFFF
        entry.file_size = status.st_size & 0xFFFFFFFF
    error = C.git_index_add(index._index, entry)
    if error < 0:
        raise pygit2.GitError(f"cannot add {path} to the index")


def new_index(
    git: pygit2.Repository, target: pygit2.Tree, paths: Iterable[str], left_alone: Iterable[str] = ()
) -> bytes:
    """The bytes of the index with `paths` set to `target`'s entries (see the module).

    Paths in `left_alone` hold someone else's change: their entry gets no stat, so git compares
    their content and shows the change.
    """
    index_path = os.path.join(git.path, "index")
    temporary = os.path.join(git.path, TEMPORARY_INDEX)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    try:
        if os.path.exists(index_path):
            shutil.copyfile(index_path, temporary)
        index = pygit2.Index(temporary)
        skipped = set(left_alone)
        top = git.workdir
        for path in paths:
            obj = _entry(git, target, path)
            if obj is None or obj.filemode == FileMode.TREE:
                if path in index:
                    index.remove(path)
            else:
                _set_entry(index, path, obj, top, with_stat=path not in skipped and os.path.lexists(top + path))
        index.write()
        with open(temporary, "rb") as stream:
            return stream.read()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
