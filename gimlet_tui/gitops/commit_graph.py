"""git's commit-graph with changed-path Bloom filters: whether a repository has one, and writing one.

With these filters, `git rev-list --first-parent -- <folder>` (the fast path of the history walk)
skips most commits without reading a tree: on a 100,000-commit repository it is several times
faster than without. The mirrors of remote repositories get them after the first clone and every
fetch, written by git in the background (`--split`: after the first, only new commits cost
anything); a user's own clone is never written to unasked: the CLI suggests the one command
instead (`speed_up_hint`).
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from gimlet_tui.git_binary import git_environment, git_executable
from gimlet_tui.gitops.repository import GitopsRepo

WRITE = ("commit-graph", "write", "--reachable", "--changed-paths", "--split")


def _objects(git_dir: str) -> Path:
    """The object folder of a repository (a linked work tree shares its main repository's)."""
    path = Path(git_dir)
    try:
        common = (path / "commondir").read_text().strip()
    except OSError:
        return path / "objects"
    return (path / common).resolve() / "objects"


def _has_bloom_chunks(graph: Path) -> bool:
    """True when a commit-graph file carries the changed-path Bloom filter chunks (BIDX and BDAT)."""
    try:
        with graph.open("rb") as handle:
            header = handle.read(8)
            if len(header) < 8 or header[:4] != b"CGPH":
                return False
            table = handle.read((header[6] + 1) * 12)
    except OSError:
        return False
    ids = {table[i : i + 4] for i in range(0, len(table), 12)}
    return {b"BIDX", b"BDAT"} <= ids


def has_changed_paths(git_dir: str) -> bool:
    """True when the repository's commit-graph (every layer of a split one) has Bloom filters."""
    info = _objects(git_dir) / "info"
    single = info / "commit-graph"
    if single.exists():
        return _has_bloom_chunks(single)
    try:
        chain = (info / "commit-graphs" / "commit-graph-chain").read_text().split()
    except OSError:
        return False
    return bool(chain) and all(_has_bloom_chunks(info / "commit-graphs" / f"graph-{h}.graph") for h in chain)


def write_changed_paths(git_dir: str) -> bool:
    """Start git adding the commits the commit-graph lacks, with Bloom filters, in the background.

    Nobody waits for it: the first write covers the whole history (seconds at 100,000 commits,
    minutes at a million), later ones only what a fetch brought. Reads work the same without it,
    only slower, and git writes the graph whole or not at all (a lock, then a rename), so a reader
    never sees half of one. False when git is missing or could not be started.
    """
    executable = git_executable()
    if executable is None:
        return False
    try:
        subprocess.Popen(
            [executable, f"--git-dir={git_dir}", *WRITE],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=git_environment(),
            start_new_session=True,  # not ended with the terminal's signals; reaped by the next subprocess call
        )
    except OSError:
        return False
    return True


def speed_up_hint(repo: GitopsRepo) -> str | None:
    """The git command that makes cold reads of a user's repository faster, when it lacks Bloom filters.

    None for the mirror of a remote repository (it gets them on every fetch) and without git.
    """
    if repo.origin is not None or git_executable() is None or has_changed_paths(repo.git.path):
        return None
    return f"git -C {shlex.quote(repo.path)} commit-graph write --reachable --changed-paths"
