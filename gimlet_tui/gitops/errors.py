"""Every error the core raises. Each carries a one-line message meant for users.

Errors of pygit2 and the operating system are translated into `GitFailure` at the core's edge
(`gimlet_tui.gitops.edge`), so a face needs one `except GitopsError` for "the operation failed,
here is one line". `Interrupted` is the one exception that is not a `GitopsError`: it is a
KeyboardInterrupt that says what had already changed.
"""


class GitopsError(Exception):
    """A refused or failed operation. `str(error)` is one line that says what to do."""


class NotARepository(GitopsError):
    """The path holds no git repository, or a branch is missing."""


class BadName(GitopsError):
    """An env or app name that could escape the repository or is not a valid name."""


class BadInput(GitopsError):
    """A value given by the user (an author, a URL, a sha) that cannot be used as it is."""


class UnknownTarget(GitopsError):
    """An env, app or sha that the repository does not know."""


class RollbackRefused(GitopsError):
    """A rollback that the rules forbid (current release, rolled-back release, revert commit...)."""


class DirtyWorkTree(GitopsError):
    """The index or work tree has changes under the app's paths."""

    paths = ""  # the changed paths, as a message names them


class BranchMoved(GitopsError):
    """The branch no longer points at the head the plan was made on."""


class RollbackFailed(GitopsError):
    """A conflict or a failed check while building the revert commits; nothing was changed."""


class RemoteError(GitopsError):
    """The server could not be reached, refused us, or refused the push."""


class GitFailure(GitopsError):
    """git's storage or the file system failed under an operation (a pygit2 or OS error, translated)."""


class IndexLocked(GitopsError):
    """The work tree's index.lock is held by another git command (or one that was killed): nothing moved."""


class UnsafePath(GitopsError):
    """A path the rollback would write is a link, is in the way, cannot be written, or is a submodule."""


class PartlyApplied(GitopsError):
    """Something did change before the failure (the server took the push, or the branch moved): the message says what."""


class Interrupted(KeyboardInterrupt):
    """An interrupt (Ctrl-C) that came after something changed; `str()` says what is true now.

    A plain KeyboardInterrupt from the core means nothing was changed.
    """
