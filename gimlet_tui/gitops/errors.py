"""Every error the core raises. Each carries a one-line message meant for users.

Errors of pygit2 and the operating system are translated into `GitFailure` at the core's edge
(`gimlet_tui.gitops.edge`), so a face needs one `except GitopsError` for "the operation failed,
here is one line".
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


class BranchMoved(GitopsError):
    """The branch no longer points at the head the plan was made on."""


class RollbackFailed(GitopsError):
    """A conflict or a failed check while building the revert commits; nothing was changed."""


class RemoteError(GitopsError):
    """The server could not be reached, refused us, or refused the push."""


class GitFailure(GitopsError):
    """git's storage or the file system failed under an operation (a pygit2 or OS error, translated)."""
