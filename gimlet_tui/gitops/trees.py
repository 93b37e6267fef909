"""Small helpers over pygit2 trees: look a path up, read a blob, graft a subtree in, list files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pygit2
from pygit2.enums import FileMode

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def lookup(tree: pygit2.Tree, parts: Sequence[str]) -> pygit2.Object | None:
    """The object at `parts` below `tree`, or None when any component is missing."""
    obj: pygit2.Object = tree
    for part in parts:
        if not isinstance(obj, pygit2.Tree):
            return None
        try:
            obj = obj[part]
        except KeyError:
            return None
    return obj


def entry_id(tree: pygit2.Tree, parts: Sequence[str]) -> pygit2.Oid | None:
    """The id of the object at `parts`, or None."""
    obj = lookup(tree, parts)
    return None if obj is None else obj.id


def read_blob(tree: pygit2.Tree, parts: Sequence[str]) -> bytes | None:
    """The content of the blob at `parts`, or None when it is missing or not a file."""
    obj = lookup(tree, parts)
    if isinstance(obj, pygit2.Blob):
        return obj.data
    return None


def graft(
    repo: pygit2.Repository,
    tree: pygit2.Tree | None,
    parts: Sequence[str],
    obj: pygit2.Object | None,
) -> pygit2.Oid | None:
    """Write a copy of `tree` with `obj` at `parts` (removed when `obj` is None).

    Returns the new tree's id, or None when the result is empty (git keeps no empty folders).
    """
    builder = repo.TreeBuilder(tree) if tree is not None else repo.TreeBuilder()
    name = parts[0]
    if len(parts) == 1:
        new_id = None
        if obj is not None and not (isinstance(obj, pygit2.Tree) and len(obj) == 0):
            new_id = obj.id
            mode = FileMode.TREE if isinstance(obj, pygit2.Tree) else obj.filemode
    else:
        child = None
        if tree is not None and name in tree:
            candidate = tree[name]
            child = candidate if isinstance(candidate, pygit2.Tree) else None
        new_id = graft(repo, child, parts[1:], obj)
        mode = FileMode.TREE
    if new_id is None:
        if builder.get(name) is not None:
            builder.remove(name)
    else:
        builder.insert(name, new_id, mode)
    if len(builder) == 0:
        return None
    return builder.write()


def walk_files(tree: pygit2.Tree, prefix: str = "") -> Iterator[tuple[str, pygit2.Object]]:
    """Every non-tree entry below `tree` as (path, object), depth first."""
    for entry in tree:
        path = f"{prefix}{entry.name}"
        if isinstance(entry, pygit2.Tree):
            yield from walk_files(entry, path + "/")
        else:
            yield path, entry
