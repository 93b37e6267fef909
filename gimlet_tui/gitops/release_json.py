"""Lenient reading of Gimlet's release.json: every file loads, a broken one carries a problem note."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from gimlet_tui.gitops.model import ReleaseInfo, Version

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


def parse_release(data: bytes, source_path: str | None = None) -> ReleaseInfo:
    """Read a release.json. Never raises: what cannot be read becomes `problem`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return ReleaseInfo(
            source_path=source_path, problem=f"release.json is not UTF-8 ({error.reason} at byte {error.start})"
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return ReleaseInfo(
            source_path=source_path,
            problem=f"release.json is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
        )
    except RecursionError:
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
