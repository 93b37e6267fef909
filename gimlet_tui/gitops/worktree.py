"""The work tree and index of a non-bare repository: refuse to touch local changes, sync after a rollback."""

from __future__ import annotations

import contextlib
import os

import pygit2
from pygit2.enums import FileMode, FileStatus, RepositoryState

from gimlet_tui.gitops.errors import DirtyWorkTree
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.trees import lookup, walk_files


def _checked_out(repo: GitopsRepo) -> bool:
    """True when the branch we roll back is the one checked out in a work tree."""
    git = repo.git
    return not git.is_bare and not git.head_is_detached and not git.head_is_unborn and git.head.name == repo.ref


def _under(path: str, paths: AppPaths) -> bool:
    folder = paths.folder_path
    return path == folder or path.startswith(folder + "/") or path == paths.kustomization_path


def check_clean(repo: GitopsRepo, paths: AppPaths) -> None:
    """Raise `DirtyWorkTree` when the index or work tree has changes under the app's paths."""
    if not _checked_out(repo):
        return
    git = repo.git
    if git.state() != RepositoryState.NONE:
        raise DirtyWorkTree("a merge, revert, cherry-pick or rebase is in progress; finish or abort it first")
    dirty = sorted(
        path
        for path, flags in git.status(untracked_files="all").items()
        if flags not in (FileStatus.CURRENT, FileStatus.IGNORED) and _under(path, paths)
    )
    if dirty:
        more = f" and {len(dirty) - 1} more" if len(dirty) > 1 else ""
        raise DirtyWorkTree(
            f"uncommitted changes under {paths.folder_path}: {dirty[0]!r}{more}; commit or stash them first"
        )


def _files(tree: pygit2.Tree, paths: AppPaths) -> dict[str, tuple[pygit2.Oid, int]]:
    files: dict[str, tuple[pygit2.Oid, int]] = {}
    folder = lookup(tree, paths.folder)
    if isinstance(folder, pygit2.Tree):
        for path, obj in walk_files(folder, paths.folder_path + "/"):
            files[path] = (obj.id, obj.filemode)
    kustomization = lookup(tree, paths.kustomization)
    if isinstance(kustomization, pygit2.Blob):
        files[paths.kustomization_path] = (kustomization.id, kustomization.filemode)
    return files


def sync_work_tree(repo: GitopsRepo, old: pygit2.Tree, new: pygit2.Tree, paths: AppPaths) -> None:
    """Make the app's files in the work tree and index match `new` (they matched `old` before)."""
    if not _checked_out(repo):
        return
    git = repo.git
    top = git.workdir
    before, after = _files(old, paths), _files(new, paths)
    index = git.index
    index.read()
    for path in sorted(before.keys() - after.keys()):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(top, path))
        index.remove(path)
    for path, (oid, mode) in sorted(after.items()):
        if before.get(path) == (oid, mode):
            continue
        _write_file(os.path.join(top, path), git[oid].peel(pygit2.Blob).data, mode)
        index.add(path)
    _prune_empty_dirs(top, paths)
    index.write()


def _write_file(target: str, data: bytes, mode: int) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    if mode == FileMode.LINK:
        os.symlink(data, target)
        return
    with open(target, "wb") as handle:
        handle.write(data)
    os.chmod(target, 0o755 if mode == FileMode.BLOB_EXECUTABLE else 0o644)


def _prune_empty_dirs(top: str, paths: AppPaths) -> None:
    folder = os.path.join(top, *paths.folder)
    if not os.path.isdir(folder):
        return
    for current, _, _ in sorted(os.walk(folder), key=lambda item: -len(item[0])):
        with contextlib.suppress(OSError):
            os.rmdir(current)  # only succeeds on empty folders
