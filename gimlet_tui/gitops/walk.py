"""The walk: commits that changed one app's folder, newest first, along first parents.

A commit is in the history of an app when the app's folder differs from its first parent's. Where the
git binary is present, git names those commits from its commit-graph and Bloom filters
(`git_revlist`) and only they are read. Otherwise the walk compares trees level by level (env, then
app) so that commits which did not touch the env cost one tree-entry comparison, and each commit's
lookups are reused when it is the next commit's parent. What it yields are facts fixed by the commit
and its first parent (`FolderChange`), which the history cache stores; states (ROLLED BACK, CURRENT)
are computed later, in `history`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pygit2

from gimlet_tui.git_binary import git_executable
from gimlet_tui.gitops.errors import GitFailure
from gimlet_tui.gitops.git_revlist import RevListFailed, changed_folder, reaches
from gimlet_tui.gitops.model import Deployed, ReleaseInfo
from gimlet_tui.gitops.release_json import parse_release
from gimlet_tui.gitops.repository import AppPaths, GitopsRepo
from gimlet_tui.gitops.trees import lookup, read_blob, walk_files


def first_parent_chain(
    git: pygit2.Repository, head: pygit2.Oid
) -> Iterator[tuple[pygit2.Commit, pygit2.Commit | None]]:
    """(commit, first parent) pairs from `head` back to the root, following first parents only.

    Each commit is read once: the parent read for one pair is the commit of the next (libgit2's
    revwalk would read every commit a second time when the object cache is off). A parent missing
    from the object store (the edge of a shallow clone) ends the chain like a root.
    """
    commit: pygit2.Commit = git[head].peel(pygit2.Commit)
    while True:
        parent_ids = commit.parent_ids
        parent: pygit2.Commit | None = None
        if parent_ids:
            try:
                parent = cast(pygit2.Commit, git[parent_ids[0]])
            except KeyError:
                parent = None
        yield commit, parent
        if parent is None:
            return
        commit = parent


def message_of(commit: pygit2.Commit) -> str:
    """The commit message as text, whatever bytes it holds."""
    raw: bytes = commit.raw_message
    return raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class FolderChange:
    """A commit that changed an app's folder, as git records it, before any state is computed."""

    sha: str
    committed_at: int
    message: str
    author_name: str
    author_email: str
    removed: bool
    release_data: bytes | None  # the release.json read, kept for its whole document
    release: ReleaseInfo | None  # ... and its fields, parsed once
    deployed: Deployed | None = None


_UNKNOWN = object()  # an id not looked up yet (None means "looked up: not there")


class ChangeWalk:
    """The commits that changed `paths.folder`, newest first, from `start` back along first parents.

    With `stop`, the walk ends before that commit (`reached_stop` then says it was on the chain);
    `last` is the oldest commit whose changes have all been yielded (the walk has passed it),
    `exhausted` says the root was reached, and `compared` counts the commits read.

    Where the git binary is present, git names the commits that changed the folder
    (`git_revlist`) and only those are read: `engine` is then "git". Otherwise, or when git fails,
    every commit on the chain is compared here ("pygit2"); both give the same changes.
    """

    def __init__(
        self,
        repo: GitopsRepo,
        paths: AppPaths,
        app: str,
        start: pygit2.Oid,
        stop: str | None = None,
        use_git: bool | None = None,
    ) -> None:
        self.repo = repo
        self.paths = paths
        self.app = app
        self.start = start
        self.stop = stop
        self.reached_stop = False
        self.exhausted = False
        self.last: str | None = None
        self.compared = 0
        self.use_git = git_executable() is not None if use_git is None else use_git
        self.engine = "git" if self.use_git else "pygit2"

    def __iter__(self) -> Iterator[FolderChange]:
        if not self.use_git:
            yield from self._compared_here()
            return
        given: list[str] = []
        try:
            for change in self._named_by_git():
                given.append(change.sha)
                yield change
        except RevListFailed:
            # git could not answer: walk here, skipping what git already led us to give.
            self.engine, self.compared, self.reached_stop, self.exhausted = "pygit2", 0, False, False
            for change in self._compared_here():
                if given:
                    if change.sha != given.pop(0):
                        raise GitFailure("the history changed during the walk; try again") from None
                    continue
                yield change

    def _named_by_git(self) -> Iterator[FolderChange]:
        """The changes at the commits git names; only those commits are read."""
        git_dir = self.repo.git.path
        start, stop = str(self.start), self.stop
        on_chain = stop is not None and stop in self.repo.git and reaches(git_dir, start, stop)
        if on_chain and stop == start:
            self.reached_stop = True
            return
        manifests: dict[pygit2.Oid, Deployed] = {}
        for sha in changed_folder(git_dir, start, self.paths.folder_path, stop if on_chain else None):
            commit = cast(pygit2.Commit, self.repo.git[sha])
            self.compared += 1
            tree = commit.tree
            self.last = sha
            yield _change(self.repo.git.odb, commit, tree, lookup(tree, self.paths.folder), self, manifests)
        self.reached_stop = on_chain
        self.exhausted = not on_chain

    def _compared_here(self) -> Iterator[FolderChange]:
        """Every commit on the chain compared with its first parent, level by level."""
        # The hot loop of every cold read: locals only, each tree loaded once, Oids compared as Oids.
        folder = self.paths.folder
        env, name = (folder[0], folder[1]) if len(folder) == 2 else (None, folder[0])
        stop = pygit2.Oid(hex=self.stop) if self.stop else None
        manifests: dict[pygit2.Oid, Deployed] = {}  # a file's facts by blob id: most files repeat
        odb = self.repo.git.odb
        carried: tuple[pygit2.Tree | None, pygit2.Oid | None, object] | None = None
        for commit, parent in first_parent_chain(self.repo.git, self.start):
            if commit.id == stop:
                self.reached_stop = True
                return
            self.compared += 1
            outer, outer_id, app_id = carried or (*_outer(commit, env), _UNKNOWN)
            parent_outer, parent_outer_id = _outer(parent, env) if parent is not None else (None, None)
            parent_app: object = _UNKNOWN
            if outer_id != parent_outer_id:
                if app_id is _UNKNOWN:
                    app_id = _child_id(outer, name)
                parent_app = _child_id(parent_outer, name)
                if app_id != parent_app:
                    self.last = str(commit.id)
                    folder_obj = None if app_id is None or outer is None else outer[name]
                    yield _change(odb, commit, commit.tree, folder_obj, self, manifests)
            self.last = str(commit.id)
            carried = (parent_outer, parent_outer_id, parent_app)
        self.exhausted = True


def _outer(commit: pygit2.Commit, env: str | None) -> tuple[pygit2.Tree | None, pygit2.Oid | None]:
    """The folder that holds the app (the env folder, or the root tree) and its id."""
    tree = commit.tree
    if env is None:
        return tree, tree.id
    try:
        outer = tree[env]
    except KeyError:
        return None, None
    if not isinstance(outer, pygit2.Tree):
        return None, outer.id
    return outer, outer.id


def _child_id(tree: pygit2.Tree | None, name: str) -> pygit2.Oid | None:
    if tree is None:
        return None
    try:
        oid: pygit2.Oid = tree[name].id
    except KeyError:
        return None
    return oid


def _deployed(odb: pygit2.Odb, folder: pygit2.Object, memo: dict[pygit2.Oid, Deployed]) -> Deployed | None:
    """Images and versions from the manifests of the app's folder at a commit."""
    # Imported here for start-up time: YAML loads only when a walk reads manifests.
    from gimlet_tui.gitops.manifests import MANIFEST_SUFFIXES, MAX_FILE_BYTES, combine, read_file, too_large

    if not isinstance(folder, pygit2.Tree):
        return None
    facts = []
    for name, blob in walk_files(folder):
        if not name.endswith(MANIFEST_SUFFIXES) or not isinstance(blob, pygit2.Blob):
            continue
        if blob.id not in memo:
            _, size = odb.read_header(blob.id)  # the size, without reading a 400 MB file to learn it
            memo[blob.id] = too_large(name) if size > MAX_FILE_BYTES else read_file(name, blob.data)
        facts.append(memo[blob.id])
    return combine(facts)


def _change(
    odb: pygit2.Odb,
    commit: pygit2.Commit,
    tree: pygit2.Tree,
    folder: pygit2.Object | None,
    walk: ChangeWalk,
    memo: dict[pygit2.Oid, Deployed],
) -> FolderChange:
    """The change at `commit`, whose tree is `tree` and whose app folder is `folder` (None: removed).

    The folder is looked up once by the caller and read from here: a commit's tree is loaded once.
    """
    author = commit.author
    removed = folder is None
    data, release = (None, None) if folder is None else _release(tree, folder, walk.paths, walk.app)
    return FolderChange(
        sha=str(commit.id),
        committed_at=commit.commit_time,
        message=message_of(commit),
        author_name=author.raw_name.decode("utf-8", "replace"),
        author_email=author.raw_email.decode("utf-8", "replace"),
        removed=removed,
        release_data=data,
        release=release,
        deployed=None if folder is None else _deployed(odb, folder, memo),
    )


def _release(
    tree: pygit2.Tree, folder: pygit2.Object, paths: AppPaths, app: str
) -> tuple[bytes | None, ReleaseInfo | None]:
    """The app's own release.json, else the env-level one if it names the app (never another app's)."""
    own = read_blob(folder, ("release.json",)) if isinstance(folder, pygit2.Tree) else None
    if own is not None:
        return own, parse_release(own, "/".join((*paths.folder, "release.json")))
    env_level = read_blob(tree, paths.env_release)
    if env_level is not None:
        release = parse_release(env_level, "/".join(paths.env_release))
        if release.app == app:
            return env_level, release
    return None, None
