"""A cold read's head start: git's walk of one app's folder, started before Python loads the engine.

A cold read (no history index yet) waits for `git rev-list --first-parent <head> -- <env>/<app>`
(`gitops.git_revlist`), and before it can ask, Python spends 100 to 150 ms loading the engine and
pygit2. When the command line names a local repository, an env and an app, `start` reads the branch
head as git does (HEAD, a loose ref or packed-refs), and starts that walk at once, beside the loading.

Nothing depends on these guesses: the first walk the engine asks for (`take`) gets the process
only if it asks exactly the same question, with the git directory, start commit and folder libgit2
resolved, and git's answer depends on nothing else. Any other first question (another layout, a
head that moved or was finished by a recovery) stops it, and so does the screen once its first rows
are painted, or the exit. Anything this cannot read for sure (a worktree's `.git` file, a symbolic
branch, a SHA-256 repository, an index already there) and no walk is started: the read goes as before.
"""

from __future__ import annotations

import atexit
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from gimlet_tui.dirs import history_index_disabled, history_index_file
from gimlet_tui.git_binary import end_git, folder_walk, git_executable, start_git

_SHA = re.compile(r"[0-9a-f]{40}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # env and app names the walk could ask for (checked again there)
_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


@dataclass(frozen=True)
class _Walk:
    git_dir: str  # real path
    start: str
    folder: str
    process: subprocess.Popen[bytes]


_lock = threading.Lock()
_started: list[_Walk] = []  # at most one


def start(repo: str, branch: str | None, env: str, app: str) -> bool:
    """Start git walking `env/app` from the branch head of the local repository at `repo`; True if started."""
    stop()  # one at a time: one left by an earlier command in this process is of no use now
    executable = git_executable()
    git_dir = _git_dir(repo)
    if executable is None or git_dir is None or not (_NAME.fullmatch(env) and _NAME.fullmatch(app)):
        return False
    ref = _branch_ref(git_dir, branch)
    head = _resolve(git_dir, ref) if ref is not None else None
    if ref is None or head is None or not _cold(git_dir, ref):
        return False
    folder = f"{env}/{app}"
    try:
        process = start_git(executable, git_dir, folder_walk(head, folder))
    except OSError:
        return False
    with _lock:
        _started.append(_Walk(os.path.realpath(git_dir), head, folder, process))
    return True


def take(git_dir: str, start: str, folder: str) -> subprocess.Popen[bytes] | None:
    """The walk started early, handed over if the first walk asked for is exactly this one; else None.

    Only the first question counts (the command line starts it for the history it reads first):
    whatever it asks, the early walk is then handed over or stopped.
    """
    with _lock:
        walk = _started[0] if _started else None
        _started.clear()
    if walk is None:
        return None
    if (walk.git_dir, walk.start, walk.folder) == (os.path.realpath(git_dir), start, folder):
        return walk.process
    end_git(walk.process)
    return None


@atexit.register
def stop() -> None:
    """Stop a walk nobody took."""
    with _lock:
        walks = list(_started)
        _started.clear()
    for walk in walks:
        end_git(walk.process)


def _git_dir(repo: str) -> str | None:
    """The git directory of a work tree (`.git` a folder) or of a bare repository; None for anything else."""
    dot_git = os.path.join(repo, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    if os.path.isfile(os.path.join(repo, "HEAD")) and os.path.isdir(os.path.join(repo, "objects")):
        return repo
    return None


def _branch_ref(git_dir: str, branch: str | None) -> str | None:
    """The branch a read uses: --branch, else the one HEAD names; None when HEAD is not a branch."""
    if branch is not None:
        name = branch.removeprefix("refs/heads/")
        return f"refs/heads/{name}" if _BRANCH.fullmatch(name) and ".." not in name else None
    head = _read(os.path.join(git_dir, "HEAD"))
    if head is None or not head.startswith("ref: refs/heads/"):
        return None
    ref = head.removeprefix("ref: ")
    return ref if _BRANCH.fullmatch(ref) and ".." not in ref else None


def _resolve(git_dir: str, ref: str) -> str | None:
    """The commit a loose ref or packed-refs names (a loose ref wins, as in git)."""
    loose = _read(os.path.join(git_dir, ref))
    if loose is not None:
        return loose if _SHA.fullmatch(loose) else None
    packed = _read(os.path.join(git_dir, "packed-refs"))
    for line in (packed or "").splitlines():
        sha, _, name = line.partition(" ")
        if name == ref:
            return sha if _SHA.fullmatch(sha) else None
    return None


def _cold(git_dir: str, ref: str) -> bool:
    """True when the read will walk: no history index is used, or this repository and branch have none yet."""
    return history_index_disabled() or not history_index_file(git_dir, ref).exists()


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
