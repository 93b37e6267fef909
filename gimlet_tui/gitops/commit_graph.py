"""git's commit-graph with changed-path Bloom filters: whether a repository has one, and writing one.

With these filters, `git rev-list --first-parent -- <folder>` (the fast path of the history walk)
skips most commits without reading a tree: on a 100,000-commit repository it is several times
faster than without. The mirrors of remote repositories get them after every fetch (incrementally,
`--split`, so only new commits cost anything); a user's own clone is never written to unasked: the
CLI suggests the one command instead (`speed_up_hint`).
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from gimlet_tui.gitops.git_revlist import git_environment, git_executable
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
    """Add the commits the commit-graph lacks, with Bloom filters. False when git is missing or failed.

    It only speeds reads up, so a failure is not an error: reads work the same without it.
    """
    executable = git_executable()
    if executable is None:
        return False
    try:
        done = subprocess.run(
            [executable, f"--git-dir={git_dir}", *WRITE],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=git_environment(),
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0


def speed_up_hint(repo: GitopsRepo) -> str | None:
    """The git command that makes cold reads of a user's repository faster, when it lacks Bloom filters.

    None for the mirror of a remote repository (it gets them on every fetch) and without git.
    """
    if repo.origin is not None or git_executable() is None or has_changed_paths(repo.git.path):
        return None
    return f"git -C {shlex.quote(repo.path)} commit-graph write --reachable --changed-paths"
