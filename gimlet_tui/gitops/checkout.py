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
from pygit2.enums import CheckoutNotify, CheckoutStrategy, DeltaStatus, FileMode
from pygit2.ffi import C, ffi

# Paths given to it are folders or files (git's pathspec: "staging/api" covers what is below it).
SAFE = CheckoutStrategy.SAFE | CheckoutStrategy.DONT_UPDATE_INDEX
# Putting a half-written work tree back, file by file (an exact list): keep what someone else changed,
# put back what is missing.
RESTORE = (
    SAFE
    | CheckoutStrategy.DISABLE_PATHSPEC_MATCH
    | CheckoutStrategy.ALLOW_CONFLICTS
    | CheckoutStrategy.RECREATE_MISSING
)
# Our own half-written files (see `partly_written`), file by file, whatever they hold.
OVERWRITE = CheckoutStrategy.FORCE | CheckoutStrategy.DONT_UPDATE_INDEX | CheckoutStrategy.DISABLE_PATHSPEC_MATCH
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


Entry = tuple[pygit2.Oid, int]  # an object id and its file mode


class Changes:
    """What two trees differ in, from one diff (no tree is looked up path by path: objects are not cached).

    `old` and `new` map each changed path to its entry on that side (absent: no file there);
    `paths` is every changed path, sorted (both sides of a type change: a link becoming a folder).
    """

    def __init__(self, old: pygit2.Tree, new: pygit2.Tree) -> None:
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        for delta in old.diff_to_tree(new).deltas:
            if delta.status != DeltaStatus.ADDED:
                self.old[delta.old_file.path] = (delta.old_file.id, delta.old_file.mode)
            if delta.status != DeltaStatus.DELETED:
                self.new[delta.new_file.path] = (delta.new_file.id, delta.new_file.mode)
        self.paths = sorted(self.old.keys() | self.new.keys())
        self.folders = {side: _folders(entries) for side, entries in (("old", self.old), ("new", self.new))}

    @classmethod
    def none(cls) -> Changes:
        """No change at all."""
        changes = cls.__new__(cls)
        changes.old, changes.new, changes.paths = {}, {}, []
        changes.folders = {"old": set(), "new": set()}
        return changes

    def side(self, new: bool) -> dict[str, Entry]:
        return self.new if new else self.old

    def is_folder(self, path: str, new: bool) -> bool:
        """True when a changed path lies below `path` on that side (it is a folder there)."""
        return path in self.folders["new" if new else "old"]

    def covered_by(self, folder: str) -> list[str]:
        """`folder` and the changed paths outside it: few paths that cover every change, for libgit2's pathspec
        (an exact list of thousands of files costs it n squared). Names of env and app folders hold no
        wildcard (see `names`), so `folder` matches only itself and what is below it."""
        return [folder, *(p for p in self.paths if p != folder and not p.startswith(folder + "/"))]


def _folders(entries: dict[str, Entry]) -> set[str]:
    folders: set[str] = set()
    for path in entries:
        parts = path.split("/")
        folders.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
    return folders


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


def holds(git: pygit2.Repository, changes: Changes, path: str, new: bool) -> bool:
    """True when the work tree already holds that side's entry at `path` (as checkout writes it, or as git reads it)."""
    entry = changes.side(new).get(path)
    full = os.path.join(git.workdir, path)
    try:
        status = os.lstat(full)
    except FileNotFoundError:
        return entry is None and not changes.is_folder(path, new)
    if entry is None:
        return stat.S_ISDIR(status.st_mode) and changes.is_folder(path, new)
    oid, mode = entry
    if stat.S_ISLNK(status.st_mode):
        return mode == FileMode.LINK and pygit2.hash(os.fsencode(os.readlink(full))) == oid
    if not stat.S_ISREG(status.st_mode):
        return False
    if mode == FileMode.BLOB_EXECUTABLE and not status.st_mode & 0o100:
        return False
    with open(full, "rb") as stream:
        data = stream.read()
    if pygit2.hash(data) == oid:
        return True
    filters = git.load_filter_list(path)
    return filters is not None and pygit2.hash(filters.apply_to_buffer(data)) == oid


def partly_written(git: pygit2.Repository, changes: Changes, path: str) -> bool:
    """True when the file at `path` is the start of one side's content: a write that was cut short (kill -9,
    a full disk), ours; a person's edit is not a strict prefix of either version."""
    full = os.path.join(git.workdir, path)
    try:
        if not stat.S_ISREG(os.lstat(full).st_mode):
            return False
        with open(full, "rb") as stream:
            data = stream.read()
    except OSError:
        return False
    for entries in (changes.old, changes.new):
        entry = entries.get(path)
        if entry is None or entry[1] not in (FileMode.BLOB, FileMode.BLOB_EXECUTABLE):
            continue
        content = git[entry[0]].peel(pygit2.Blob).data
        filters = git.load_filter_list(path, pygit2.enums.FilterMode.TO_WORKTREE)
        for written in (content, filters.apply_to_buffer(content) if filters is not None else content):
            if len(data) < len(written) and written.startswith(data):
                return True
    return False


def restore(
    git: pygit2.Repository, changes: Changes, new: bool, paths: list[str], target: pygit2.Tree, baseline: pygit2.Tree
) -> list[str]:
    """Make `paths` (that do not hold it yet) hold that side's version: ours, half-written ones included.

    Returns the paths left alone because someone else changed them.
    """
    left = checkout(git, target, baseline, paths, RESTORE)
    cut_short = [path for path in left if partly_written(git, changes, path)]
    checkout(git, target, baseline, cut_short, OVERWRITE)
    return [path for path in left if path not in cut_short]


def _set_entry(index: pygit2.Index, path: str, target: Entry, top: str, with_stat: bool) -> None:
    """Put `target` at `path` in `index`, with the stat of the file in the work tree when `with_stat`."""
    entry = ffi.new("git_index_entry *")
    name = ffi.new("char[]", os.fsencode(path))
    entry.path = name
    entry.mode = int(target[1])
    ffi.buffer(ffi.addressof(entry, "id"))[:] = target[0].raw
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


def new_index(git: pygit2.Repository, changes: Changes, new: bool, left_alone: Iterable[str] = ()) -> bytes:
    """The bytes of the index with the changed paths set to one side's entries (see the module).

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
        entries = changes.side(new)
        for path in changes.paths:
            target = entries.get(path)
            if target is None:
                if path in index:
                    index.remove(path)
            else:
                _set_entry(index, path, target, top, with_stat=path not in skipped and os.path.lexists(top + path))
        index.write()
        with open(temporary, "rb") as stream:
            return stream.read()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
