"""What was deployed, in words an on-call engineer knows: container images and chart versions.

Manifests are read as YAML *nodes* (see `yaml_nodes`), never constructed into objects: no tag can
run code or build a Python object, and an alias is a shared node that is visited once, so
"billion laughs" documents cost what their text costs. Anything that
cannot be read becomes a problem note; what could be read is still shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gimlet_tui.gitops.model import Deployed, Image
from gimlet_tui.gitops.yaml_nodes import MappingNode, Node, ScalarNode, SequenceNode, YAMLError, compose_all, problem_of

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DOCUMENTS = 1000
MAX_NODES = 200_000  # per file: bounds the time spent on a hostile file
# A YAML node takes at least one character of its own, or two nodes share one (`?`, `-`, `:` with
# empty values), so a file this small cannot compose to MAX_NODES nodes: its count is not needed.
UNCOUNTED_BYTES = MAX_NODES // 4
MANIFEST_SUFFIXES = (".yaml", ".yml")

# Where each workload kind keeps its pod spec.
POD_SPEC_PATHS = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}


def _get(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found: Node = value
            return found
    return None


def _path(node: Node | None, keys: tuple[str, ...]) -> Node | None:
    for key in keys:
        node = _get(node, key)
    return node


def _text(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) and node.value != "" else None


def count_nodes(root: Node) -> int:
    """Distinct nodes of a document (aliases are shared nodes, counted once), up to MAX_NODES + 1."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) <= MAX_NODES:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
    return len(seen)


def _too_large_note(name: str) -> str:
    return f"{name}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB, not read"


def too_large(name: str) -> Deployed:
    """The facts of a manifest file too large to read: none, and a problem note (checked before reading it)."""
    return Deployed(problem=_too_large_note(name))


def _documents(data: bytes, name: str, problems: list[str]) -> Iterator[Node]:
    if len(data) > MAX_FILE_BYTES:
        problems.append(_too_large_note(name))
        return
    try:
        small = len(data) < UNCOUNTED_BYTES
        for count, document in enumerate(compose_all(data, typed=False)):
            if count >= MAX_DOCUMENTS:
                problems.append(f"{name}: more than {MAX_DOCUMENTS} documents, the rest not read")
                return
            if document is None:
                continue
            if not small and count_nodes(document) > MAX_NODES:
                problems.append(f"{name}: a document with more than {MAX_NODES:,} nodes, not read")
                continue
            yield document
    except YAMLError as error:
        line, reason = problem_of(error)
        where = f" line {line}" if line is not None else ""
        problems.append(f"{name}:{where}: {reason}")
    except (RecursionError, MemoryError, ValueError) as error:
        problems.append(f"{name}: cannot be read ({type(error).__name__})")


def documents_of(data: bytes, name: str) -> Iterator[Node]:
    """The YAML documents of a file as nodes, within the limits manifests are read with (problems left out)."""
    return _documents(data, name, [])


def field_text(node: Node | None, keys: tuple[str, ...]) -> str | None:
    """The text of the scalar at `keys` in a mapping node, or None."""
    return _text(_path(node, keys))


def _objects(document: Node) -> Iterator[Node]:
    """A document's Kubernetes objects: itself, or the items of a `kind: List`."""
    if _text(_get(document, "kind")) == "List":
        items = _get(document, "items")
        if isinstance(items, SequenceNode):
            yield from items.value
        return
    yield document


def read_file(name: str, data: bytes) -> Deployed:
    """Images and versions from one manifest file (any number of YAML documents)."""
    images: list[Image] = []
    chart = app_version = None
    problems: list[str] = []
    for document in _documents(data, name, problems):
        for resource in _objects(document):
            kind = _text(_get(resource, "kind"))
            metadata = _get(resource, "metadata")
            labels = _get(metadata, "labels")
            chart = chart or _text(_get(labels, "helm.sh/chart"))
            app_version = app_version or _text(_get(labels, "app.kubernetes.io/version"))
            spec = _path(resource, POD_SPEC_PATHS[kind]) if kind in POD_SPEC_PATHS else None
            if spec is None:
                continue
            workload = f"{kind}/{_text(_get(metadata, 'name')) or '?'}"
            for field, init in (("initContainers", True), ("containers", False)):
                containers = _get(spec, field)
                if not isinstance(containers, SequenceNode):
                    continue
                for container in containers.value:
                    image = _text(_get(container, "image"))
                    if image:
                        images.append(Image(image, _text(_get(container, "name")) or "?", workload, init))
    return Deployed(tuple(images), chart, app_version, "; ".join(problems) or None)


def combine(files: Iterable[Deployed]) -> Deployed:
    """One release's facts from its files' facts, in file order."""
    images: list[Image] = []
    chart = app_version = None
    problems = []
    for facts in files:
        images.extend(facts.images)
        chart = chart or facts.chart
        app_version = app_version or facts.app_version
        if facts.problem:
            problems.append(facts.problem)
    return Deployed(tuple(images), chart, app_version, "; ".join(problems) or None)
