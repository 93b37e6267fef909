"""A rollback in a work tree: refuse first, then files, branch and index change together or not at all.

Refused before anything moves (at planning, and again under the index lock): the branch checked
out in another work tree (git refuses to move it too), local changes under the app's paths, a
submodule among the changed paths, a link or a file where a folder of the app's paths belongs, an
untracked or ignored file where the rollback puts one, a path that cannot be written.

`WorkTreeRollback` then carries the rollback out the way git would promise it: the index lock is
taken first and held to the end; a journal is written before the first file; libgit2 writes the
files (a file someone changed since the check is a conflict: nothing is written, and the rollback
stops naming it); the new index is prepared; the branch moves under its own lock; the index is
renamed into place. A failure before the branch moved puts the files back. A process killed in
between leaves the journal, and the next command finishes or undoes the rollback (`recovery`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pygit2
from pygit2.enums import FileMode, FileStatus, RepositoryState

from gimlet_tui.gitops.checkout import Changes
from gimlet_tui.gitops.errors import DirtyWorkTree, RollbackRefused, UnsafePath
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo


def checked_out(repo: GitopsRepo) -> bool:
    """True when the branch we roll back is the one checked out in this work tree."""
    git = repo.git
    return not git.is_bare and not git.head_is_detached and not git.head_is_unborn and git.head.name == repo.ref


def _common_dir(git: pygit2.Repository) -> str:
    try:
        relative = Path(git.path, "commondir").read_text().strip()
    except OSError:
        return os.path.normpath(git.path)
    return os.path.normpath(os.path.join(git.path, relative))


def _head_of(git_dir: str) -> str:
    try:
        return Path(git_dir, "HEAD").read_text().strip().removeprefix("ref:").strip()
    except OSError:
        return ""


def _work_trees(git: pygit2.Repository) -> list[tuple[str, str]]:
    """(git directory, work tree) of every work tree of the repository, ours included."""
    common = _common_dir(git)
    found = []
    if not pygit2.Repository(common).is_bare:
        found.append((common, os.path.dirname(common)))
    folder = Path(common, "worktrees")
    for linked in sorted(folder.iterdir()) if folder.is_dir() else []:
        try:
            where = os.path.dirname(Path(linked, "gitdir").read_text().strip())
        except OSError:
            where = str(linked)
        found.append((str(linked), where))
    return found


def refuse_checked_out_elsewhere(repo: GitopsRepo) -> None:
    """Refuse when another work tree has the branch checked out (moving it would leave that one stale)."""
    ours = os.path.normpath(repo.git.path)
    for git_dir, where in _work_trees(repo.git):
        if os.path.normpath(git_dir) != ours and _head_of(git_dir) == repo.ref:
            raise RollbackRefused(
                f"{repo.branch} is checked out in the work tree at {where}: roll back from there "
                "(git refuses to move a branch another work tree uses); nothing was changed"
            )


def _under(path: str, paths: AppPaths) -> bool:
    folder = paths.folder_path
    return path == folder or path.startswith(folder + "/") or path == paths.kustomization_path


def check_clean(repo: GitopsRepo, paths: AppPaths) -> None:
    """Raise `DirtyWorkTree` when the index or work tree has changes under the app's paths."""
    if not checked_out(repo):
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


def refuse_submodules(changes: Changes) -> None:
    """Refuse a rollback that would change a gitlink: its commit would move while its files stay behind."""
    for path in changes.paths:
        for entries in (changes.old, changes.new):
            entry = entries.get(path)
            if entry is not None and entry[1] == FileMode.COMMIT:
                raise UnsafePath(
                    f"{path} is a submodule: gimlet-tui does not roll back submodules (roll it back by hand "
                    "with git); nothing was changed"
                )


def refuse_unsafe_paths(repo: GitopsRepo, changes: Changes) -> None:
    """Refuse links and files on the way, things in the way, and what cannot be written (see the module)."""
    top = repo.git.workdir
    removed_first = set(changes.old)  # tracked files, links: the checkout removes or rewrites them, as git does
    checked: set[str] = set()
    for path in changes.paths:
        parts = path.split("/")
        deepest = top  # the deepest folder on the way that exists: where the checkout creates or removes
        fresh = False  # below a tracked link or file the checkout removes first (as git does): all made anew
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in removed_first:
                fresh = True
                break
            if folder not in checked:
                _refuse_non_folder(top, folder)
                checked.add(folder)
            if not os.path.lexists(top + folder):
                break
            deepest = top + folder
        if not fresh and path not in removed_first and os.path.lexists(top + path) and not os.path.isdir(top + path):
            raise UnsafePath(
                f"{path} is in the way (untracked or ignored) where the rollback puts a file: move it away, then "
                "run again; nothing was changed"
            )
        _refuse_unwritable(top, deepest, path if path in removed_first else None)


def _refuse_non_folder(top: str, folder: str) -> None:
    try:
        mode = os.lstat(top + folder).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UnsafePath(
            f"{folder} is a symbolic link in the work tree, where the rollback needs a folder: gimlet-tui never "
            "writes through links; move it away, then run again; nothing was changed"
        )
    if not stat.S_ISDIR(mode):
        raise UnsafePath(
            f"{folder} is a file in the work tree, where the rollback needs a folder: move it away, then run "
            "again; nothing was changed"
        )


def _refuse_unwritable(top: str, folder: str, existing: str | None) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        shown = folder.removeprefix(top) or "the work tree's top folder"
        raise UnsafePath(f"{shown} cannot be written (permission denied): fix its permissions; nothing was changed")
    if existing is not None and os.path.isfile(top + existing) and not os.access(top + existing, os.W_OK):
        raise UnsafePath(f"{existing} cannot be written (permission denied): fix its permissions; nothing was changed")


def check_work_tree(
    repo: GitopsRepo, paths: AppPaths, old: pygit2.Tree, new: pygit2.Tree, clean: bool = True
) -> Changes:
    """Everything refused before anything moves (see the module); returns what the trees differ in.

    `clean=False` skips the check for local changes (the caller has just made it).
    """
    changes = Changes(old, new)
    refuse_submodules(changes)
    refuse_checked_out_elsewhere(repo)
    if checked_out(repo):
        if clean:
            check_clean(repo, paths)
        refuse_unsafe_paths(repo, changes)
    return changes
