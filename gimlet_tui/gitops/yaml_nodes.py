"""The one YAML set-up: documents are composed into nodes, never constructed into objects.

No tag can run code or build a Python object, and an alias is a shared node. The C composer is used
where PyYAML was built with libyaml. Manifests and the workspace file both read YAML through here.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    LOADER: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    LOADER = yaml.SafeLoader

YAMLError = yaml.YAMLError

__all__ = [
    "LOADER",
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "YAMLError",
    "compose",
    "compose_all",
    "problem_of",
]


def compose(data: bytes | str) -> Node | None:
    """The single document of `data` as nodes (None when empty); raises `YAMLError`."""
    node: Node | None = yaml.compose(data, Loader=LOADER)
    return node


def compose_all(data: bytes | str) -> Iterator[Node | None]:
    """Every document of `data` as nodes, lazily; raises `YAMLError` where the text stops making sense."""
    documents: Iterator[Node | None] = yaml.compose_all(data, Loader=LOADER)
    return documents


def problem_of(error: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line (when known) and the reason of a YAML error."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return line, getattr(error, "problem", None) or type(error).__name__
