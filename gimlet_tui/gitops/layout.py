"""Telling the layout of a repository, its apps as Gimlet counts them, and the env of a repo-per-env repository.

Apps are counted as Gimlet does (`pkg/dashboard/gitops/helper.go`): every folder of an env is an
app except `flux`, with or without a release.json (the Gimlet CLI's `gimlet manifest` writes none).
Folders whose names start with a dot are never apps: `.gimlet` holds an env's variables, Flux is told
to ignore it, and no app name may start with a dot (Gimlet itself would list it, an accident of its
directory listing that no user deploys to).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pygit2

from gimlet_tui.gitops.model import Layout
from gimlet_tui.gitops.names import is_app_name, is_env_name
from gimlet_tui.gitops.trees import lookup, read_blob

FLUX = "flux"  # an env's Flux objects, never an app
_CONVENTION = re.compile(r"^gitops-(?P<env>.+)-(?:apps|infra)$")  # the names Gimlet's set-up wizard proposes
_NOTIFICATION_ENV = re.compile(rb"[?&]env=([A-Za-z0-9][A-Za-z0-9_.-]*)")


def _document(data: bytes | None) -> dict[str, object] | None:
    if data is None:
        return None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


def app_folders(tree: pygit2.Object | None) -> dict[str, pygit2.Tree]:
    """The apps of an env folder (or of a repo-per-env root), as Gimlet counts them, by name."""
    if not isinstance(tree, pygit2.Tree):
        return {}
    return {
        entry.name: entry
        for entry in tree
        if isinstance(entry, pygit2.Tree) and entry.name and entry.name != FLUX and is_app_name(entry.name)
    }


def _folders(tree: pygit2.Tree) -> list[pygit2.Tree]:
    return [e for e in tree if isinstance(e, pygit2.Tree) and e.name and not e.name.startswith(".")]


def shared_evidence(tree: pygit2.Tree) -> list[str]:
    """Top-level folders that are envs beyond doubt: they hold a `flux` folder, or a release.json naming them as env.

    Gimlet writes `flux/` at the root of a repo-per-env repository, and inside each env's folder in a
    shared one; release.json files name their env.
    """
    found = []
    for folder in _folders(tree):
        documents = [_document(read_blob(folder, ["release.json"]))]
        documents += [_document(read_blob(sub, ["release.json"])) for sub in _folders(folder)]
        named = any(d is not None and d.get("env") == folder.name for d in documents)
        if named or isinstance(lookup(folder, [FLUX]), pygit2.Tree):
            found.append(str(folder.name))
    return found


def detect_layout(tree: pygit2.Tree) -> Layout:
    """Tell the layout from the head tree.

    A root release.json or a root `flux` folder, or top-level folders that are apps (their release.json
    names the folder as its app), mean one repository per env; folders holding env-level files or app
    folders mean the shared layout.
    """
    if isinstance(lookup(tree, ["release.json"]), pygit2.Blob) or isinstance(lookup(tree, [FLUX]), pygit2.Tree):
        return Layout.REPO_PER_ENV
    per_env_votes = shared_votes = 0
    for entry in _folders(tree):
        document = _document(read_blob(entry, ["release.json"]))
        if document is not None:
            if document.get("app") == entry.name:
                per_env_votes += 1
            elif document.get("env") == entry.name:
                shared_votes += 1
        if any(isinstance(sub, pygit2.Tree) and "release.json" in sub for sub in entry):
            shared_votes += 1
    return Layout.REPO_PER_ENV if per_env_votes > shared_votes else Layout.SHARED


@dataclass(frozen=True)
class EnvNaming:
    """The env of a repo-per-env repository, and where its name was found (for `env list`)."""

    name: str
    source: str


def _from_release_files(tree: pygit2.Tree) -> str | None:
    candidates = [read_blob(tree, ["release.json"])]
    candidates += [read_blob(folder, ["release.json"]) for folder in app_folders(tree).values()]
    for data in candidates:
        document = _document(data)
        env = document.get("env") if document is not None else None
        if isinstance(env, str) and is_env_name(env):
            return env
    return None


def _from_notifications(tree: pygit2.Tree) -> str | None:
    """`env=` in the Flux notification provider Gimlet writes (the file also holds a token: never shown)."""
    flux = lookup(tree, [FLUX])
    if not isinstance(flux, pygit2.Tree):
        return None
    for entry in flux:
        if isinstance(entry, pygit2.Blob) and (entry.name or "").startswith("notifications-") and entry.size < 1 << 20:
            match = _NOTIFICATION_ENV.search(entry.data)
            if match is not None and is_env_name(match.group(1).decode()):
                return match.group(1).decode()
    return None


def repo_per_env_naming(tree: pygit2.Tree, remote_name: str | None, folder_name: str) -> EnvNaming | None:
    """The one env of a repo-per-env repository, from the most stable source that names it.

    release.json's `env`, then the `env=` of Gimlet's Flux notifications, then the remote's name when it
    follows Gimlet's `gitops-<env>-apps` convention, then the folder's name (the only source a rename
    changes); None when nothing gives a usable env name.
    """
    found = _from_release_files(tree)
    if found is not None:
        return EnvNaming(found, "release.json")
    found = _from_notifications(tree)
    if found is not None:
        return EnvNaming(found, "Flux notifications (flux/notifications-*.yaml)")
    for name, where in ((remote_name, "the remote's name"), (folder_name, "the folder's name")):
        match = _CONVENTION.match(name or "")
        if match is not None and is_env_name(match["env"]):
            return EnvNaming(match["env"], f"{where} ({name})")
    if remote_name and is_env_name(remote_name):
        return EnvNaming(remote_name, "the remote's name")
    if is_env_name(folder_name):
        return EnvNaming(folder_name, "the folder's name: it changes if the folder is renamed")
    return None
