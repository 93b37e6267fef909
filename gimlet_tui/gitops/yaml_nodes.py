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

_PLAIN_TAGS = {
    ScalarNode: "tag:yaml.org,2002:str",
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}


class _UntaggedLoader(LOADER):  # type: ignore[misc]
    """LOADER without the guess of each plain scalar's type (int? bool? date?): every node gets
    its kind's plain tag. For readers that only look at the text of values, such as manifests:
    the guess is a regular expression per scalar, a third of composing a small manifest."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _PLAIN_TAGS[kind]


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


def compose_all(data: bytes | str, typed: bool = True) -> Iterator[Node | None]:
    """Every document of `data` as nodes, lazily; raises `YAMLError` where the text stops making sense.

    With `typed` False, plain scalars are all tagged as strings (their text is what is read).
    """
    documents: Iterator[Node | None] = yaml.compose_all(data, Loader=LOADER if typed else _UntaggedLoader)
    return documents


def problem_of(error: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line (when known) and the reason of a YAML error."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return line, getattr(error, "problem", None) or type(error).__name__
