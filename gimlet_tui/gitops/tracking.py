"""A local branch and its upstream, as git tracks them: which remote, how far ahead and behind, when fetched.

Read from the repository alone (no network): the remote-tracking branch says what the server had at
the last fetch, `FETCH_HEAD`'s time (or, in a fresh clone, the reflogs') says when that was. The transport
(`upstream`) fetches it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import pygit2


@dataclass(frozen=True)
class Tracking:
    """The upstream of a local branch."""

    remote: str  # the remote's name ("origin")
    url: str  # its URL as configured (it may hold a password: show it with `redact`)
    name: str  # the remote-tracking branch as git names it ("origin/main")
    ref: str  # its full ref ("refs/remotes/origin/main")
    merge: str  # the branch on the server ("refs/heads/main")
    target: str | None  # where the remote-tracking branch points (None: never fetched)
    ahead: int  # commits on the local branch that the upstream lacks
    behind: int  # commits on the upstream that the local branch lacks
    fetched_at: float | None  # when the remote was last fetched (FETCH_HEAD's time), or None

    @property
    def level(self) -> bool:
        return self.ahead == 0 and self.behind == 0


def tracking_of(git: pygit2.Repository, branch: str) -> Tracking | None:
    """The upstream of local `branch` in `git`, or None when it has none (or its remote is gone)."""
    local = git.branches.local.get(branch)
    try:
        upstream = local.upstream if local is not None else None
    except (KeyError, ValueError, pygit2.GitError):
        upstream = None
    if upstream is None or local is None:
        return _configured_but_unfetched(git, branch)
    remote = upstream.remote_name
    ahead, behind = git.ahead_behind(local.target, upstream.target)
    return Tracking(
        remote,
        _url(git, remote),
        upstream.branch_name,
        upstream.name,
        _merge(git, branch, upstream.branch_name.removeprefix(remote + "/")),
        str(upstream.target),
        ahead,
        behind,
        _fetch_time(git, upstream.name, remote),
    )


def _configured_but_unfetched(git: pygit2.Repository, branch: str) -> Tracking | None:
    """An upstream set in the config whose remote-tracking branch does not exist yet (never fetched)."""
    try:
        remote = str(git.config[f"branch.{branch}.remote"])
        merge = str(git.config[f"branch.{branch}.merge"])
    except KeyError:
        return None
    if remote == "." or remote not in git.remotes.names():
        return None
    name = f"{remote}/{merge.removeprefix('refs/heads/')}"
    return Tracking(remote, _url(git, remote), name, f"refs/remotes/{name}", merge, None, 0, 0, None)


def _url(git: pygit2.Repository, remote: str) -> str:
    try:
        return git.remotes[remote].url or remote
    except (KeyError, ValueError):
        return remote


def _merge(git: pygit2.Repository, branch: str, fallback: str) -> str:
    try:
        return str(git.config[f"branch.{branch}.merge"])
    except KeyError:
        return f"refs/heads/{fallback}"


def _fetch_time(git: pygit2.Repository, ref: str, remote: str) -> float | None:
    """When the upstream was last fetched: FETCH_HEAD's time, else its reflogs' (a clone writes no FETCH_HEAD)."""
    times = []
    logs = os.path.join(git.path, "logs", "refs", "remotes", remote)
    for path in (os.path.join(git.path, "FETCH_HEAD"), os.path.join(git.path, "logs", ref), os.path.join(logs, "HEAD")):
        with contextlib.suppress(OSError):
            times.append(os.stat(path).st_mtime)
    return max(times, default=None)
