"""The work tree's side of a rollback on its checked-out branch: files, branch and index together, or not at all.

The order (see `worktree` for what is refused, `checkout` for how files and index are written):

1. a rollback that died here earlier is finished or undone (`recovery`);
2. `index.lock` is taken and held to the end (`git commit`, `git add`, another rollback wait or fail),
   and at once a journal that says so (a lock left by a kill is then known as ours);
3. everything is checked again under the lock, then the journal names the new head;
4. [the reverts are pushed, when the rollback goes to a server first];
5. libgit2 writes the files; the new index is prepared; the branch moves under its own lock; the
   index is renamed into place; the journal goes.

A failure in 5 before the branch moved puts the files back (nothing changed). If even that fails,
or the process dies, lock and journal stay for the next command to finish or undo the rollback.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import TracebackType

import pygit2

from gimlet_tui.gitops.checkout import SAFE, Changes, CheckoutConflict, checkout, holds, new_index, restore
from gimlet_tui.gitops.edge import describe
from gimlet_tui.gitops.errors import DirtyWorkTree, GitFailure, GitopsError, IndexLocked, PartlyApplied
from gimlet_tui.gitops.locks import IndexLock, Journal
from gimlet_tui.gitops.model import RollbackPlan
from gimlet_tui.gitops.recovery import finish_interrupted, journal_record
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.worktree import check_work_tree
from gimlet_tui.held_signals import deferred_signals


class WorkTreeRollback:
    """A rollback of the checked-out branch, as one change to branch, index and files (see the module)."""

    def __init__(self, repo: GitopsRepo, plan: RollbackPlan) -> None:
        self.repo = repo
        self.plan = plan
        self.git = repo.git
        self.lock: IndexLock | None = None
        self.journal: Journal | None = None
        self.changes = Changes.none()  # until `prepare`
        self.moved = False  # the branch moved although moving it raised
        self.touched = False  # files may have been written
        self.keep = False  # lock and journal stay: the next command finishes or undoes the rollback
        self.left: list[str] = []  # files someone changed while ours were put back: left as they are

    def __enter__(self) -> WorkTreeRollback:
        finish_interrupted(self.git)
        with deferred_signals() as received:  # lock and journal come into being together, or neither stays
            self._begin()
        if signal.SIGINT in received:
            self._give_up()
            raise KeyboardInterrupt
        return self

    def _give_up(self) -> None:
        """Nothing is left to finish: the lock goes, then the journal (a kill between leaves a journal the next
        command clears; the other order would leave a lock nobody knows as ours)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if self.journal is not None:
            self.journal.remove()
            self.journal = None

    def _begin(self) -> None:
        self.lock = IndexLock.acquire(self.git.path)
        self.what = f"{self.plan.env}/{self.plan.app} to {self.plan.target.short}"
        record = journal_record(self.plan.ref, self.plan.head, None, self.what, self.lock, False)
        try:  # at once, so that a lock left by a kill is known as ours
            self.journal = Journal.create(self.git.path, record)
            self.lock.unmark()  # the journal says whose the lock is now
        except FileExistsError:
            self.lock.release()
            raise IndexLocked(
                "another rollback is under way in this work tree (it has a journal beside the index): wait for it "
                "to finish, then run again; nothing was changed"
            ) from None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with deferred_signals() as received:  # a Ctrl-C here would leave the lock without its journal
            if self.keep:
                if self.lock is not None:
                    self.lock.abandon()
                if self.journal is not None:
                    self.journal.release()
            else:
                self._give_up()
        if signal.SIGINT in received and kind is None:
            raise KeyboardInterrupt

    def prepare(self, final: pygit2.Commit, paths: AppPaths, pushes: bool) -> None:
        """Under the lock: every refusal checked again against the final tree, then the journal written."""
        self.old = self.git[self.plan.head].peel(pygit2.Commit).tree
        self.new = final.tree
        self.final = final
        self.changes = check_work_tree(self.repo, paths, self.old, self.new)
        self.folder = paths.folder_path
        self.pushes = pushes
        assert self.lock is not None and self.journal is not None
        self.journal.update(journal_record(self.plan.ref, self.plan.head, str(final.id), self.what, self.lock, pushes))

    def write(self, move_branch: Callable[[], None]) -> None:
        """Files, then the branch (`move_branch`), then the index; the files go back if the branch did not move.

        After a push (the server took the reverts) a failure here is `PartlyApplied`, saying so.
        """
        try:
            self._write(move_branch)
        except GitopsError as error:
            if not self.pushes or isinstance(error, PartlyApplied):
                raise
            stays = f"{self.repo.branch} here stays at {self.plan.head[:10]}"
            if isinstance(error, DirtyWorkTree):
                raise PartlyApplied(
                    f"the server took the rollback, but {error.paths} changed here meanwhile and was left as it is; "
                    f"{stays}: commit or stash your change, then `git pull`"
                ) from error
            raise PartlyApplied(
                f"the server took the rollback, but this work tree could not follow ({error}); {stays}: `git pull` "
                "when ready"
            ) from error

    def _write(self, move_branch: Callable[[], None]) -> None:
        try:
            self._write_files()
            data = new_index(self.git, self.changes, new=True)
            move_branch()
        except BaseException as error:
            self._put_back()
            if self.moved:
                raise PartlyApplied(
                    f"{self.repo.branch} moved to {str(self.final.id)[:10]}, but the work tree could not be finished "
                    f"({_reason(error)}): run any gimlet-tui command here to finish"
                ) from error
            if self.keep:
                raise PartlyApplied(
                    f"the rollback stopped while writing the work tree ({_reason(error)}) and the files could not "
                    f"all be put back; {self.repo.branch} did not move: run any gimlet-tui command here to put "
                    "them back"
                ) from error
            if isinstance(error, (OSError, pygit2.GitError)):
                put_back = "the files were put back and nothing was changed"
                if self.left:
                    more = f" (and {len(self.left) - 1} more)" if len(self.left) > 1 else ""
                    put_back = (
                        f"the files were put back, except {self.left[0]}{more}, which someone changed meanwhile "
                        "and is left as it is; nothing else was changed"
                    )
                raise GitFailure(f"writing the work tree failed ({describe(error)}); {put_back}") from error
            raise
        assert self.lock is not None and self.journal is not None
        try:
            self.lock.commit(data)
        except OSError as error:
            self.keep = True
            raise PartlyApplied(
                f"{self.repo.branch} moved to {str(self.final.id)[:10]}, but the index could not be written "
                f"({describe(error)}): run any gimlet-tui command here to finish"
            ) from error
        self.journal.remove()

    def _write_files(self) -> None:
        self.touched = True
        try:
            checkout(self.git, self.new, self.old, self.changes.covered_by(self.folder), SAFE)
        except CheckoutConflict as conflict:
            self.touched = False  # a conflict stops libgit2 before it writes anything
            more = f" (and {len(conflict.paths) - 1} more)" if len(conflict.paths) > 1 else ""
            error = DirtyWorkTree(
                f"{conflict.paths[0]}{more} changed while the rollback was under way and was left as it is; "
                "nothing was changed: commit or stash it, then run again"
            )
            error.paths = f"{conflict.paths[0]}{more}"
            raise error from None

    def _put_back(self) -> None:
        """Make the changed paths the old tree's again (the branch did not move); else keep lock and journal."""
        if not self.touched:
            return
        reference = self.git.references.get(self.plan.ref)
        if reference is not None and reference.target == self.final.id:
            self.keep = self.moved = True  # it moved after all: the next command finishes the rollback
            return
        try:
            written = [path for path in self.changes.paths if not holds(self.git, self.changes, path, new=False)]
            self.left = restore(self.git, self.changes, False, written, self.old, self.new)
        except (pygit2.GitError, OSError):
            self.keep = True


def _reason(error: BaseException) -> str:
    if isinstance(error, (OSError, pygit2.GitError)):
        return describe(error)
    if isinstance(error, GitopsError):
        return str(error)
    return type(error).__name__
