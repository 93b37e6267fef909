"""Making ordinary commits in a work tree: files written, the index updated, the branch advanced.

This is how the demo repository (and the tests' histories) are written; Gimlet-shaped commits are
composed over it in `gimlet_tui.demo.writer`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

import pygit2

from gimlet_tui.gitops.edge import at_edge


@at_edge
def init_work_tree(path: str, branch: str = "main") -> None:
    """Make `path` a new repository with a work tree whose first commit will be on `branch` (unless it is one)."""
    if not os.path.isdir(os.path.join(path, ".git")):
        pygit2.init_repository(path, initial_head=branch)


@at_edge
def commit_files(
    path: str,
    changes: Mapping[str, bytes | str | None],
    message: str,
    when: int,
    author: tuple[str, str],
    remove_dirs: tuple[str, ...] = (),
) -> str:
    """Remove `remove_dirs`, write `changes` (path -> content, None deletes) and commit them on HEAD.

    Returns the new commit's sha. Work tree and index stay in step, as after `git commit`.
    """
    git = pygit2.Repository(path)
    top = git.workdir
    index = git.index
    index.read()
    for folder in remove_dirs:
        shutil.rmtree(os.path.join(top, folder), ignore_errors=True)
        for entry in [e.path for e in index if e.path.startswith(folder.rstrip("/") + "/")]:
            index.remove(entry)
    for name, content in changes.items():
        target = os.path.join(top, name)
        if content is None:
            if os.path.exists(target):
                os.unlink(target)
            if name in index:
                index.remove(name)
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content.encode() if isinstance(content, str) else content)
        index.add(name)
    index.write()
    tree = index.write_tree()
    signature = pygit2.Signature(author[0], author[1], when, 0)
    parents = [] if git.head_is_unborn else [git.head.target]
    return str(git.create_commit("HEAD", signature, signature, message, tree, parents))
