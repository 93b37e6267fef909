"""Telling the layout of a repository, and the env of a repo-per-env repository, from its head tree."""

from __future__ import annotations

import json
import os

import pygit2

from gimlet_tui.gitops.model import Layout
from gimlet_tui.gitops.names import is_app_name, is_env_name
from gimlet_tui.gitops.trees import lookup, read_blob


def _document(data: bytes | None) -> dict[str, object] | None:
    if data is None:
        return None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


def detect_layout(tree: pygit2.Tree) -> Layout:
    """Tell the layout from the head tree.

    A root release.json, or top-level folders that are apps (their release.json names the folder as
    its app), mean one repository per env; folders holding app folders mean the shared layout.
    """
    if isinstance(lookup(tree, ["release.json"]), pygit2.Blob):
        return Layout.REPO_PER_ENV
    per_env_votes = shared_votes = 0
    for entry in tree:
        if not isinstance(entry, pygit2.Tree) or entry.name is None or entry.name.startswith("."):
            continue
        document = _document(read_blob(entry, ["release.json"]))
        if document is not None:
            if document.get("app") == entry.name:
                per_env_votes += 1
            elif document.get("env") == entry.name:
                shared_votes += 1
        if any(isinstance(sub, pygit2.Tree) and "release.json" in sub for sub in entry):
            shared_votes += 1
    return Layout.REPO_PER_ENV if per_env_votes > shared_votes else Layout.SHARED


def repo_per_env_name(tree: pygit2.Tree, folder: str) -> str:
    """The one env of a repo-per-env repository: named by its release.json files, else the folder."""
    candidates = [read_blob(tree, ["release.json"])]
    candidates += [
        read_blob(e, ["release.json"]) for e in tree if isinstance(e, pygit2.Tree) and is_app_name(e.name or "")
    ]
    for data in candidates:
        document = _document(data)
        env = document.get("env") if document is not None else None
        if isinstance(env, str) and is_env_name(env):
            return env
    name = os.path.basename(folder.rstrip("/")).removesuffix(".git")
    return name if is_env_name(name) else "default"
