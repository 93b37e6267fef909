"""Lenient reading of Gimlet's release.json: every file loads, a broken one carries a problem note.

A release.json is parsed once, when the walk meets it; the history cache keeps the parsed fields
(`packed`, `unpacked`) and the file itself, whose whole document is parsed again only when asked
for (`-o json`, the details screen).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import Any

from gimlet_tui.gitops.model import ReleaseInfo, Version

_VERSION_ORDER = tuple(f.name for f in fields(Version))

_VERSION_FIELDS = {
    "repositoryName": "repository_name",
    "sha": "sha",
    "branch": "branch",
    "event": "event",
    "sourceBranch": "source_branch",
    "targetBranch": "target_branch",
    "tag": "tag",
    "authorName": "author_name",
    "authorEmail": "author_email",
    "committerName": "committer_name",
    "committerEmail": "committer_email",
    "message": "message",
    "url": "url",
}


def _text(value: Any) -> str | None:
    """A field as text: strings as they are, numbers and booleans spelled out, anything else None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _seconds(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _version(value: Any) -> Version | None:
    if not isinstance(value, dict):
        return None
    fields = {attr: _text(value.get(key)) for key, attr in _VERSION_FIELDS.items()}
    return Version(created=_seconds(value.get("created")), **fields)


def _document(data: bytes) -> Any:
    """The JSON value of a release.json, or an exception saying why it has none."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        return error


def parse_release(data: bytes, source_path: str | None = None) -> ReleaseInfo:
    """Read a release.json. Never raises: what cannot be read becomes `problem`."""
    document = _document(data)
    if isinstance(document, UnicodeDecodeError):
        return ReleaseInfo(
            source_path=source_path,
            problem=f"release.json is not UTF-8 ({document.reason} at byte {document.start})",
        )
    if isinstance(document, json.JSONDecodeError):
        return ReleaseInfo(
            source_path=source_path,
            problem=f"release.json is not valid JSON: {document.msg} at line {document.lineno} column {document.colno}",
        )
    if isinstance(document, RecursionError):
        return ReleaseInfo(source_path=source_path, problem="release.json is nested too deeply")
    if not isinstance(document, dict):
        return ReleaseInfo(
            source_path=source_path, problem=f"release.json holds a JSON {type(document).__name__}, not an object"
        )
    problems = []
    raw_version = document.get("version")
    if raw_version is not None and not isinstance(raw_version, dict):
        problems.append("its version is not an object")
    return ReleaseInfo(
        app=_text(document.get("app")),
        env=_text(document.get("env")),
        artifact_id=_text(document.get("artifactId")),
        triggered_by=_text(document.get("triggeredBy")),
        version=_version(raw_version),
        document=MappingProxyType(document),
        problem=("release.json: " + "; ".join(problems)) if problems else None,
        source_path=source_path,
    )


class LazyDocument(Mapping[str, Any]):
    """Every field of a release.json, parsed from the file on first use (as `parse_release` does)."""

    __slots__ = ("_data", "_fields")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._fields: dict[str, Any] | None = None

    def _parsed(self) -> dict[str, Any]:
        if self._fields is None:
            document = _document(self._data)
            self._fields = document if isinstance(document, dict) else {}
        return self._fields

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __repr__(self) -> str:
        return f"LazyDocument({self._parsed()!r})"


def packed(release: ReleaseInfo) -> str:
    """The parsed fields of a release.json as one compact JSON text (the document aside)."""
    version = release.version
    return json.dumps(
        [
            release.app,
            release.env,
            release.artifact_id,
            release.triggered_by,
            release.problem,
            release.source_path,
            None if version is None else [getattr(version, name) for name in _VERSION_ORDER],
        ],
        separators=(",", ":"),
    )


def unpacked(text: str, data: bytes | None) -> ReleaseInfo:
    """The release `packed` stored, its document read lazily from the file's bytes `data`."""
    app, env, artifact_id, triggered_by, problem, source_path, version = json.loads(text)
    return ReleaseInfo(
        app=app,
        env=env,
        artifact_id=artifact_id,
        triggered_by=triggered_by,
        version=None if version is None else Version(*version),
        document=LazyDocument(data) if data is not None else MappingProxyType({}),
        problem=problem,
        source_path=source_path,
    )
