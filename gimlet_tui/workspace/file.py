"""Reading a workspace file: YAML nodes checked one by one, so that every error names its line.

No tag constructs anything: values are taken from scalar nodes whose resolved tag is the expected
one (str or bool), and anything else is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

from gimlet_tui.gitops import GitopsError, find_repository
from gimlet_tui.gitops.names import is_env_name
from gimlet_tui.gitops.urls import check_url, is_url
from gimlet_tui.gitops.yaml_nodes import MappingNode, Node, ScalarNode, SequenceNode, YAMLError, compose, problem_of
from gimlet_tui.workspace.errors import ConfigError
from gimlet_tui.workspace.sources import EnvSource, KeymapEntry

ENV_KEYS = {"name", "repo", "branch", "repoPerEnv", "protected", "readOnly"}
TOP_KEYS = {"environments", "keymap"}


def read_workspace_file(path: str) -> tuple[tuple[EnvSource, ...], tuple[KeymapEntry, ...]]:
    """Read and check a workspace file: its envs and its TUI keymap; `ConfigError` with file and line on any problem."""
    try:
        text = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    try:
        root = compose(text)
    except YAMLError as error:
        line, reason = problem_of(error)
        where = f":{line}" if line is not None else ""
        raise ConfigError(f"{path}{where}: {reason}") from None
    if root is None:
        raise ConfigError(f"{path}: empty workspace file; it needs 'environments'")
    checker = _Checker(path)
    return checker.workspace(root), checker.keymap(root)


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.base = os.path.dirname(os.path.abspath(path))
        self.at: Node | None = None  # the environment being checked, for errors about a missing key

    def fail(self, node: Node | None, message: str) -> ConfigError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ConfigError(f"{self.path}{line}: {message}")

    def mapping(
        self, node: Node | None, what: str, allowed: set[str], any_key: bool = False
    ) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        found: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                raise self.fail(key, f"{what}: keys must be plain names")
            if not any_key and key.value not in allowed:
                raise self.fail(key, f"unknown key {key.value!r} in {what} (known: {', '.join(sorted(allowed))})")
            if key.value in found:
                raise self.fail(key, f"duplicate key {key.value!r} in {what}")
            found[key.value] = (key, value)
        return found

    def string(self, entry: dict[str, tuple[Node, Node]], key: str, what: str) -> str | None:
        if key not in entry:
            return None
        node = entry[key][1]
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value:
            raise self.fail(node, f"{key!r} of {what} must be a non-empty string")
        value: str = node.value
        return value

    def required(self, entry: dict[str, tuple[Node, Node]], key: str, what: str) -> str:
        value = self.string(entry, key, what)
        if value is None:
            raise self.fail(self.at, f"{what} needs {key!r}")
        return value

    def boolean(self, entry: dict[str, tuple[Node, Node]], key: str, what: str) -> bool | None:
        if key not in entry:
            return None
        node = entry[key][1]
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(node, f"{key!r} of {what} must be true or false")
        return node.value.lower() in ("true", "yes", "on", "y")

    def keymap(self, root: Node) -> tuple[KeymapEntry, ...]:
        """The `keymap:` mapping (binding id: keys); which ids and keys exist is the TUI's to check."""
        top = self.mapping(root, "the workspace file", TOP_KEYS)
        if "keymap" not in top:
            return ()
        entries = self.mapping(top["keymap"][1], "'keymap'", set(), any_key=True)
        found = []
        for binding, (key_node, value) in entries.items():
            if not isinstance(value, ScalarNode) or value.tag != "tag:yaml.org,2002:str" or not value.value.strip():
                raise self.fail(value, f'keymap {binding!r} must be keys as text, e.g. "ctrl+r" or "r,f5"')
            found.append(KeymapEntry(binding, value.value, key_node.start_mark.line + 1))
        return tuple(found)

    def workspace(self, root: Node) -> tuple[EnvSource, ...]:
        top = self.mapping(root, "the workspace file", TOP_KEYS)
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
        name = self.required(entry, "name", "an environment")
        what = f"environment {name!r}"
        if not is_env_name(name):
            raise self.fail(entry["name"][1], f"bad env name {name!r}: use letters, digits, '.', '_' and '-' only")
        repo = self.required(entry, "repo", what)
        repo_node = entry["repo"][1]
        if is_url(repo):  # its server is reached when it is first cloned; its form is checked now
            try:
                check_url(repo)
            except GitopsError as error:
                raise self.fail(repo_node, f"{what}: {error}") from None
        else:
            path = os.path.join(self.base, os.path.expanduser(repo))
            if not os.path.exists(path):
                raise self.fail(repo_node, f"{what}: {repo} does not exist")
            if find_repository(path) is None:
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
