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

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from functools import cache

from gimlet_tui.gitops.locks import deferred_signals

# What would point git at another repository or change what it reads than libgit2 does.
_UNSET = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_SHALLOW_FILE",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
)


class RevListFailed(Exception):
    """git could not answer (missing, refused the repository, or died); the caller walks without it."""


@cache
def git_executable() -> str | None:
    """The git binary on PATH, or None (also when GIMLET_TUI_NO_GIT is set: walks use pygit2 alone)."""
    if os.environ.get("GIMLET_TUI_NO_GIT"):
        return None
    return shutil.which("git")


def git_environment() -> dict[str, str]:
    """The environment git runs in: ours, less what would point it elsewhere or read paths differently."""
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update({"GIT_NO_REPLACE_OBJECTS": "1", "GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C"})
    return env


def _lines(git_dir: str, args: list[str]) -> Iterator[str]:
    """The lines git prints, read as they come; git is ended when the caller stops early."""
    executable = git_executable()
    if executable is None:
        raise RevListFailed("no git binary")
    try:
        # An interrupt inside Popen can leave its pipes closed twice (a later close then hits a descriptor
        # reused by the index lock or the journal): it waits until git has started, then stops it.
        with deferred_signals() as received:
            process = subprocess.Popen(
                [executable, f"--git-dir={git_dir}", *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(),
            )
    except OSError as error:
        raise RevListFailed(str(error)) from error
    if signal.SIGINT in received:
        process.kill()
        process.wait()
        raise KeyboardInterrupt
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


def changed_folder(git_dir: str, start: str, folder: str, exclude: str | None = None) -> Iterator[str]:
    """Shas of the commits from `start` back along first parents that changed `folder`, newest first.

    With `exclude`, the walk ends at that commit (which must be on the chain; see `reaches`).
    """
    revisions = [start] + ([f"^{exclude}"] if exclude else [])
    yield from _lines(git_dir, ["rev-list", "--first-parent", *revisions, "--", folder])


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
