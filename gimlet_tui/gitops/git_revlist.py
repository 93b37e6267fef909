"""The git binary as the fast path of the history walk: the commits that changed one folder.

`git rev-list --first-parent <start> -- <folder>` lists, newest first, the commits along the first-parent
chain whose folder differs from their first parent's: the same question `walk.ChangeWalk` answers by
comparing trees. git answers it from its commit-graph and, where the repository has them, changed-path
Bloom filters (git 2.39 uses them for one pathspec only), which libgit2 cannot read. The walk then
reads only the commits git named.

git runs with the repository given explicitly, without replace objects (libgit2 ignores them too),
with literal pathspecs, and as plumbing (`rev-list`, so no `log.*` setting such as `log.follow`
applies). Anything unexpected (no git, an error, a repository git cannot read) is `RevListFailed`,
and the walk falls back to pygit2 alone.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

from gimlet_tui import early_walk
from gimlet_tui.git_binary import folder_walk, git_executable, start_git


class RevListFailed(Exception):
    """git could not answer (missing, refused the repository, or died); the caller walks without it."""


def _lines(git_dir: str, args: list[str], started: subprocess.Popen[bytes] | None = None) -> Iterator[str]:
    """The lines git prints, read as they come; git is ended when the caller stops early.

    `started`: the same command, started already (`early_walk`).
    """
    process = started if started is not None else _start(git_dir, args)
    assert process.stdout is not None
    finished = False
    try:
        for line in process.stdout:
            yield line.decode("ascii").rstrip("\n")
        finished = True
    finally:
        if not finished:
            process.kill()
        process.stdout.close()
        code = process.wait()
    if code != 0:
        raise RevListFailed(f"git rev-list exited with {code}")


def _start(git_dir: str, args: list[str]) -> subprocess.Popen[bytes]:
    executable = git_executable()
    if executable is None:
        raise RevListFailed("no git binary")
    try:
        return start_git(executable, git_dir, args)
    except OSError as error:
        raise RevListFailed(str(error)) from error


def changed_folder(git_dir: str, start: str, folder: str, exclude: str | None = None) -> Iterator[str]:
    """Shas of the commits from `start` back along first parents that changed `folder`, newest first.

    With `exclude`, the walk ends at that commit (which must be on the chain; see `reaches`).
    """
    started = early_walk.take(git_dir, start, folder) if exclude is None else None
    yield from _lines(git_dir, folder_walk(start, folder, exclude), started)


def reaches(git_dir: str, start: str, stop: str) -> bool:
    """True when `stop` is on the first-parent chain from `start` (start itself included)."""
    if start == stop:
        return True
    last = None
    for line in _lines(git_dir, ["rev-list", "--first-parent", "--parents", start, f"^{stop}"]):
        last = line
    # The oldest commit above `stop` on the chain has `stop` as its first parent; when `stop` is
    # off the chain, the walk ends at a commit whose first parent is merely reachable from it.
    return last is not None and last.split(" ")[1:2] == [stop]
