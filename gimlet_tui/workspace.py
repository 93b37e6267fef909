"""The workspace: which repository (and branch, and layout) holds each environment.

Read from a YAML file (`--config PATH`, `./.gimlet-tui.yaml`, `$XDG_CONFIG_HOME/gimlet-tui/config.yaml`,
first found) or, without one, the single repository given by `--repo` with its envs discovered.
The file is read as YAML nodes, so that every error names its line, and no tag constructs
anything. A malformed file is one clear error and nothing runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygit2
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gimlet_tui.gitops import GitopsError, GitopsRepo, Layout, UnknownTarget, list_envs
from gimlet_tui.gitops.names import is_env_name
from gimlet_tui.gitops.remote import Access, Progress, is_url, open_remote, redact

try:
    _LOADER = yaml.CSafeLoader
except AttributeError:
    _LOADER = yaml.SafeLoader

CONFIG_NAME = ".gimlet-tui.yaml"
ENV_KEYS = {"name", "repo", "branch", "repoPerEnv", "protected", "readOnly"}


class ConfigError(GitopsError):
    """A workspace file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class EnvSource:
    """Where one environment lives."""

    name: str
    repo: str
    branch: str | None = None
    repo_per_env: bool | None = None
    protected: bool = False
    read_only: bool = False

    @property
    def remote(self) -> bool:
        """True when the env lives in a remote repository (a URL), mirrored in the cache."""
        return is_url(self.repo)

    def open(self, access: Access = Access(), fetch_now: bool = False, progress: Progress | None = None) -> GitopsRepo:
        """A repository handle for this env (one per thread: pygit2 objects are not shared).

        A remote one is cloned on first use, and fetched when `fetch_now`.
        """
        if self.remote:
            return open_remote(
                self.repo, self.branch, access, fetch_now=fetch_now, progress=progress,
                repo_per_env=self.repo_per_env, env_name=self.name,
            )
        return GitopsRepo.open(self.repo, branch=self.branch, repo_per_env=self.repo_per_env, env_name=self.name)


@dataclass(frozen=True)
class Workspace:
    """The envs a user works with. `config` is the file they came from (None: one repository)."""

    config: str | None
    sources: tuple[EnvSource, ...]
    branch: str | None = None  # of the one repository, when there is no file
    repo: str | None = None  # the one repository, when there is no file

    @property
    def key(self) -> str:
        """Names this workspace in remembered state."""
        return os.path.abspath(self.config) if self.config else f"{self.repo}#{self.branch}"

    def refreshed(self) -> Workspace:
        """The workspace as it is now: one repository's envs are discovered again (a file is read once)."""
        if self.config is not None or self.repo is None:
            return self
        if is_url(self.repo):
            return single_repository(open_remote(self.repo, self.branch, repo_per_env=self._repo_per_env, fetch_now=False), self.repo)
        repo = GitopsRepo.open(self.repo, branch=self.branch, repo_per_env=self._repo_per_env)
        return single_repository(repo)

    def fetch_remotes(self, access: Access, progress: Callable[[str], Progress]) -> list[str]:
        """Fetch (or clone) each remote repository once; return the one-line reasons of those that failed.

        `progress(url)` gives the progress callback for that URL (password removed).
        """
        remotes: dict[str, tuple[str | None, bool | None]] = {}
        if self.config is None and self.repo is not None and is_url(self.repo):
            remotes[self.repo] = (self.branch, self._repo_per_env)
        for source in self.sources:
            if source.remote:
                remotes.setdefault(source.repo, (source.branch, source.repo_per_env))
        failures = []
        for url, (branch, per_env) in remotes.items():
            try:
                open_remote(url, branch, access, fetch_now=True, progress=progress(redact(url)), repo_per_env=per_env)
            except GitopsError as error:
                failures.append(str(error))
        return failures

    @property
    def _repo_per_env(self) -> bool | None:
        return self.sources[0].repo_per_env if self.sources else None

    def names(self) -> list[str]:
        return [source.name for source in self.sources]

    def env(self, name: str) -> EnvSource:
        """The source of env `name`, or an error naming the known envs."""
        for source in self.sources:
            if source.name == name:
                return source
        where = f" in {self.config}" if self.config else f" on {self.branch}" if self.branch else ""
        raise UnknownTarget(f"unknown env {name!r}{where}; known envs: {', '.join(self.names()) or 'none'}")


def single_repository(repo: GitopsRepo, url: str | None = None) -> Workspace:
    """The workspace of one repository (local, or the mirror of `url`): its envs as discovered."""
    per_env = repo.layout is Layout.REPO_PER_ENV
    where = url or repo.git.path
    sources = tuple(EnvSource(name, where, repo.ref, per_env) for name in list_envs(repo))
    return Workspace(None, sources, repo.branch, where)


def find_config(explicit: str | None, cwd: str = ".") -> str | None:
    """The workspace file to use: `explicit`, else ./.gimlet-tui.yaml, else the XDG config file."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such workspace file")
        return explicit
    local = os.path.join(cwd, CONFIG_NAME)
    if os.path.isfile(local):
        return local
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    user = os.path.join(base, "gimlet-tui", "config.yaml")
    return user if os.path.isfile(user) else None


def load_workspace(path: str) -> Workspace:
    """Read and check a workspace file; raise `ConfigError` with file and line on any problem."""
    try:
        text = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: {getattr(error, 'problem', None) or 'not valid YAML'}") from None
    checker = _Checker(path)
    return Workspace(path, checker.workspace(root))


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.base = os.path.dirname(os.path.abspath(path))

    def fail(self, node: Node | None, message: str) -> ConfigError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ConfigError(f"{self.path}{line}: {message}")

    def mapping(self, node: Node | None, what: str, allowed: set[str]) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        found: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                raise self.fail(key, f"{what}: keys must be plain names")
            if key.value not in allowed:
                raise self.fail(key, f"unknown key {key.value!r} in {what} (known: {', '.join(sorted(allowed))})")
            if key.value in found:
                raise self.fail(key, f"duplicate key {key.value!r} in {what}")
            found[key.value] = (key, value)
        return found

    def string(self, entry: dict[str, tuple[Node, Node]], key: str, what: str, required: bool = False) -> str | None:
        if key not in entry:
            if required:
                raise self.fail(self.at, f"{what} needs {key!r}")
            return None
        node = entry[key][1]
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value:
            raise self.fail(node, f"{key!r} of {what} must be a non-empty string")
        return node.value

    def boolean(self, entry: dict[str, tuple[Node, Node]], key: str, what: str) -> bool | None:
        if key not in entry:
            return None
        node = entry[key][1]
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(node, f"{key!r} of {what} must be true or false")
        return node.value.lower() in ("true", "yes", "on", "y")

    def workspace(self, root: Node | None) -> tuple[EnvSource, ...]:
        if root is None:
            raise ConfigError(f"{self.path}: empty workspace file; it needs 'environments'")
        top = self.mapping(root, "the workspace file", {"environments"})
        if "environments" not in top:
            raise self.fail(root, "the workspace file needs 'environments'")
        listing = top["environments"][1]
        if not isinstance(listing, SequenceNode) or not listing.value:
            raise self.fail(listing, "'environments' must be a non-empty list")
        sources: list[EnvSource] = []
        first_line: dict[str, int] = {}
        for item in listing.value:
            self.at = item
            source = self.environment(item)
            if source.name in first_line:
                raise self.fail(item, f"duplicate env name {source.name!r} (first at line {first_line[source.name]})")
            first_line[source.name] = item.start_mark.line + 1
            sources.append(source)
        return tuple(sources)

    def environment(self, item: Node) -> EnvSource:
        entry = self.mapping(item, "an environment", ENV_KEYS)
        name = self.string(entry, "name", "an environment", required=True)
        what = f"environment {name!r}"
        if not is_env_name(name):
            raise self.fail(entry["name"][1], f"bad env name {name!r}: use letters, digits, '.', '_' and '-' only")
        repo = self.string(entry, "repo", what, required=True)
        repo_node = entry["repo"][1]
        if not is_url(repo):  # a URL is checked when it is first cloned
            path = os.path.join(self.base, os.path.expanduser(repo))
            if not os.path.exists(path):
                raise self.fail(repo_node, f"{what}: {repo} does not exist")
            if pygit2.discover_repository(path) is None:
                raise self.fail(repo_node, f"{what}: no git repository at {repo}")
            repo = os.path.normpath(path)
        return EnvSource(
            name=name,
            repo=repo,
            branch=self.string(entry, "branch", what),
            repo_per_env=self.boolean(entry, "repoPerEnv", what),
            protected=bool(self.boolean(entry, "protected", what)),
            read_only=bool(self.boolean(entry, "readOnly", what)),
        )
