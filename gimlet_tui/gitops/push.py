"""Pushing one commit to one branch with `git push --porcelain --atomic --force-with-lease`.

Never forced: the lease names the value the branch must still have on the server (the head the
plan was made on), and the commit is a descendant of it, so the push is a fast-forward or nothing.
A branch that moved meanwhile comes back as `moved` for the caller to re-plan; any other refusal
(a hook, a protected branch) is an error in the server's own words. A push to a local path runs
`git receive-pack` there, so its hooks run as they would on a server.
"""

from __future__ import annotations

from dataclasses import dataclass

from gimlet_tui.gitops.errors import RemoteError, RollbackFailed
from gimlet_tui.gitops.git_cli import GitRun, run_git
from gimlet_tui.gitops.git_errors import failure, hide_secrets
from gimlet_tui.gitops.urls import Access, redact

_MOVED = (
    "stale info",
    "fetch first",
    "non-fast-forward",
    "cannot lock ref",
    "failed to lock",
    "incorrect old value",
    "but expected",
    "reference already exists",
)
_FLAGS = " +-*!="


@dataclass(frozen=True)
class Pushed:
    """How a push went: taken, or refused because the branch moved (with git's reason)."""

    taken: bool
    reason: str = ""


def _statuses(run: GitRun) -> list[tuple[str, str, str]]:
    """(flag, ref, summary) for each ref line of `git push --porcelain`."""
    found = []
    for line in run.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and len(parts[0]) == 1 and parts[0] in _FLAGS:
            found.append((parts[0], parts[1].rsplit(":", 1)[-1], parts[2]))
    return found


def push_commit(cwd: str, remote: str, url: str, access: Access, commit: str, ref: str, expected: str) -> Pushed:
    """Push `commit` to `ref` of `remote` if the server's `ref` is still `expected`."""
    args = ["push", "--porcelain", "--atomic", f"--force-with-lease={ref}:{expected}", remote, f"{commit}:{ref}"]
    run = run_git(args, cwd, access, url, what="push")
    if run.code != 0 and any("does not support --atomic" in line for line in run.lines):
        args.remove("--atomic")  # one ref is atomic anyway; old servers lack the capability
        run = run_git(args, cwd, access, url, what="push")
    statuses = _statuses(run)
    if not statuses:
        raise failure(run, url, access, pushing=True)
    flag, name, summary = statuses[0]
    if flag != "!":
        return Pushed(True)
    reason = f"{name}: {summary.removeprefix('[rejected] ').removeprefix('[remote rejected] ').strip('() ')}"
    said = run.server_said[-5:]
    if any(word in text for text in (summary, *said) for word in _MOVED):
        return Pushed(False, reason)
    told = f" (the server said: {' / '.join(said)})" if said else ""
    raise RollbackFailed(hide_secrets(f"the server refused the push: {reason}{told}; nothing was changed", url))


def gave_up(url: str, reason: str, attempts: int) -> RemoteError:
    return RemoteError(
        f"the branch kept moving on {redact(url)} ({reason}); gave up after {attempts} attempts: run again"
    )
