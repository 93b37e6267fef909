"""Lenient reading of Gimlet's release.json: every file loads, a broken one carries a problem note.

A release.json is parsed once, when the walk meets it; the history cache keeps the parsed fields
(`packed`, `unpacked`) and the file itself, whose whole document is parsed again only when asked
for (`-o json`, the details screen).

The file is repository content, so anything may be in it: numbers too large to convert (Python
refuses integers of more than 4,300 digits), `NaN` and `Infinity` (which Python's JSON reader
accepts), `1e999`, lone surrogates (`"\\ud800"`, which no UTF-8 encoder accepts), times past the
year 9999. Such values are replaced (a number by null, a character by U+FFFD) and named in the
problem note; the rest of the release is read as usual.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import Any

from gimlet_tui.gitops.model import ReleaseInfo, Version

VERSION_ORDER = tuple(f.name for f in fields(Version))

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


MAX_DIGITS = 30  # more than any time or count; longer numbers are not converted at all
MAX_BRACKETS = 100  # a release.json has a handful; more takes the checked pass (see `_shallow`)
MAX_SECONDS = 253_402_300_799  # 9999-12-31 23:59:59 UTC, the last time a date can show


class _Unreadable:
    """A JSON number that cannot be used (NaN, Infinity, 1e999, 5,000 digits), with its text."""

    def __init__(self, text: str) -> None:
        self.text = text if len(text) <= 24 else f"a number of {len(text):,} characters"


def _number(text: str) -> Any:
    if len(text) > MAX_DIGITS:
        return _Unreadable(text)
    value = float(text) if "." in text or "e" in text or "E" in text else int(text)
    return value if not isinstance(value, float) or math.isfinite(value) else _Unreadable(text)


def _clean(value: Any, where: str, problems: list[str]) -> Any:
    """`value` with unusable numbers made null and lone surrogates replaced, each named in `problems`."""
    if isinstance(value, _Unreadable):
        problems.append(f"{where or 'it'} is not a number that can be read ({value.text})")
        return None
    if isinstance(value, str):
        if value.isascii() or not any("\ud800" <= char <= "\udfff" for char in value):
            return value
        problems.append(f"{where or 'it'} holds an invalid character (a lone surrogate)")
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in value)
    if isinstance(value, list):
        return [_clean(item, f"{where}[{i}]", problems) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {
            _clean(key, f"a key in {where or 'the file'}", problems): _clean(
                item, f"{where}.{key}".lstrip("."), problems
            )
            for key, item in value.items()
        }
    return value


def _seconds(value: Any, problems: list[str]) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= MAX_DIGITS:
        value = int(value.strip())
    if not isinstance(value, (int, float)):
        return None
    if not 0 <= value <= MAX_SECONDS:
        problems.append(f"version.created is not a time that can be shown ({value:.0f} seconds)")
        return None
    return int(value)


def _version(value: Any, problems: list[str]) -> Version | None:
    if not isinstance(value, dict):
        return None
    fields = {attr: _text(value.get(key)) for key, attr in _VERSION_FIELDS.items()}
    return Version(created=_seconds(value.get("created"), problems), **fields)


# A JSON escape of a UTF-16 surrogate (\ud800 to \udfff): the only way a lone one gets into a
# decoded document, since the UTF-8 decoder refuses encoded surrogates. Also matches escaped
# backslashes and valid pairs; those take the slower pass, which leaves them as they are.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _shallow(text: str) -> bool:
    """Too few brackets to nest deeply: the second pass is also the depth guard (it fails on what
    every later reader, the YAML writer first, would fail on), so a file with many takes it."""
    return text.count("[") + text.count("{") <= MAX_BRACKETS


class _Reader(threading.local):
    """A JSON decoder with the number hooks, made once per thread: making one cost about as much as
    reading a release.json with it (20 of 42 ms for the 5,127 files of a warm read at 1,000,000 commits)."""

    def __init__(self) -> None:
        self.unreadable: list[_Unreadable] = []
        self.decoder = json.JSONDecoder(parse_int=self.number, parse_float=self.number, parse_constant=self.constant)

    def number(self, token: str) -> Any:
        value = _number(token)
        if isinstance(value, _Unreadable):
            self.unreadable.append(value)
        return value

    def constant(self, token: str) -> _Unreadable:
        self.unreadable.append(_Unreadable(token))
        return self.unreadable[-1]

    def read(self, text: str) -> tuple[Any, bool]:
        """The document, and whether it held a number that cannot be used; raises as `json.loads` does."""
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        self.unreadable.clear()
        document = self.decoder.decode(text)
        return document, bool(self.unreadable)


_reader = _Reader()


def _document(data: bytes, problems: list[str] | None = None) -> Any:
    """The JSON value of a release.json (values it cannot hold replaced, see the module), or an exception."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error
    try:
        document, unreadable = _reader.read(text)
        if not unreadable and not _SURROGATE_ESCAPE.search(text) and _shallow(text):
            return document  # nothing to replace, as in almost every file: no second pass over it
        return _clean(document, "", [] if problems is None else problems)
    except (json.JSONDecodeError, RecursionError) as error:
        return error


def parse_release(data: bytes, source_path: str | None = None) -> ReleaseInfo:
    """Read a release.json. Never raises: what cannot be read becomes `problem`."""
    problems: list[str] = []
    document = _document(data, problems)
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
    raw_version = document.get("version")
    if raw_version is not None and not isinstance(raw_version, dict):
        problems.append("its version is not an object")
    return ReleaseInfo(
        app=_text(document.get("app")),
        env=_text(document.get("env")),
        artifact_id=_text(document.get("artifactId")),
        triggered_by=_text(document.get("triggeredBy")),
        version=_version(raw_version, problems),
        document=MappingProxyType(document),
        problem=_problem_note(problems),
        source_path=source_path,
    )


def _problem_note(problems: list[str]) -> str | None:
    if not problems:
        return None
    more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    return "release.json: " + "; ".join(problems[:3]) + more


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


def packed(release: ReleaseInfo) -> list[Any]:
    """The parsed fields of a release.json as a JSON-ready list (the document aside), for the index."""
    version = release.version
    return [
        release.app,
        release.env,
        release.artifact_id,
        release.triggered_by,
        release.problem,
        release.source_path,
        None if version is None else [getattr(version, name) for name in VERSION_ORDER],
    ]


def unpacked(fields: list[Any], data: bytes | None) -> ReleaseInfo:
    """The release `packed` gave, its document read lazily from the file's bytes `data`."""
    app, env, artifact_id, triggered_by, problem, source_path, version = fields
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
