"""The git binary for read-only questions: where it is, the environment it answers them in, and how
a walk is asked, started and ended.

Standard library only, so that the command line can start git before it loads the engine
(`early_walk`); the engine's walks (`gitops.git_revlist`) and commit-graph writes use the same.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from functools import cache

from gimlet_tui.held_signals import deferred_signals

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


def folder_walk(start: str, folder: str, exclude: str | None = None) -> list[str]:
    """git's question for the commits from `start` back along first parents that changed `folder`
    (newest first; with `exclude`, down to that commit). One home: the walk started early
    (`early_walk`) is taken only for exactly the question the engine asks (`gitops.git_revlist`)."""
    return ["rev-list", "--first-parent", start, *([f"^{exclude}"] if exclude else []), "--", folder]


def start_git(executable: str, git_dir: str, args: list[str]) -> subprocess.Popen[bytes]:
    """git answering `args` about the repository at `git_dir`, its output piped to us; OSError if it
    cannot start.

    An interrupt inside Popen can leave its pipes closed twice (a later close then hits a descriptor
    reused by the index lock or the journal): it waits until git has started, then stops it and
    raises KeyboardInterrupt.
    """
    with deferred_signals() as received:
        process = subprocess.Popen(
            [executable, f"--git-dir={git_dir}", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_environment(),
        )
    if signal.SIGINT in received:
        end_git(process)
        raise KeyboardInterrupt
    return process


def end_git(process: subprocess.Popen[bytes]) -> None:
    """Stop git before it has answered, and wait for it."""
    process.kill()
    if process.stdout is not None:
        process.stdout.close()
    process.wait()
