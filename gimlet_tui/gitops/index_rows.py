"""The history index's rows: what one change is written as, and its checked reading back.

SQLite accepts a text where an integer belongs, so every row is checked as it is read: one that is
not what `facts_of` and the index write is `Damaged`, and the index is rebuilt as for a damaged file.
What was parsed at a commit (release.json's fields, the manifests' facts) is one JSON text, read
back with one decoder call.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

import pygit2

from gimlet_tui.gitops.model import Deployed, Image, ReleaseInfo
from gimlet_tui.gitops.release_json import VERSION_ORDER, packed, unpacked
from gimlet_tui.gitops.repository import GitopsRepo
from gimlet_tui.gitops.walk import FolderChange

_SHA = re.compile(r"[0-9a-f]{40}")
_VERSION_TEXTS = tuple(name for name in VERSION_ORDER if name != "created")
_INT64 = 2**63
Row = tuple[Any, ...]


def facts_of(change: FolderChange) -> str:
    """What was parsed at the commit (release.json's fields, the manifests' facts) as one JSON text."""
    release = None if change.release is None else packed(change.release)
    deployed = change.deployed
    manifests = None
    if deployed is not None:
        images = [[i.image, i.container, i.workload, i.init] for i in deployed.images]
        manifests = [images, deployed.chart, deployed.app_version, deployed.problem]
    return json.dumps([release, manifests], separators=(",", ":"))


_decode = json.JSONDecoder().raw_decode  # the index's own texts: one decoder call, no whitespace to skip


class Damaged(sqlite3.DatabaseError):
    """A row SQLite accepted but this module did not write: the cache is rebuilt, as for a damaged file."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise Damaged(f"history index: {what}")


def _is_int(value: object, low: int = -_INT64, high: int = _INT64 - 1) -> bool:
    return type(value) is int and low <= value <= high


# The checks below run for every stored change a warm read returns (5,127 at 1,000,000 commits): plain
# loops, where `all()` over a generator expression cost 0.09 s of a 0.42 s read (profiled).


def _texts(values: Sequence[object]) -> bool:
    for value in values:  # noqa: SIM110 (a loop, not all() over a generator: see above)
        if not isinstance(value, str):
            return False
    return True


def _optional_texts(values: Sequence[object]) -> bool:
    for value in values:  # noqa: SIM110 (a loop, not all() over a generator: see above)
        if value is not None and not isinstance(value, str):
            return False
    return True


def _deployed_from_facts(manifests: object) -> Deployed | None:
    if manifests is None:
        return None
    _check(isinstance(manifests, list) and len(manifests) == 4, "the manifests' facts are not a list of four")
    assert isinstance(manifests, list)
    images, chart, app_version, problem = manifests
    _check(isinstance(images, list), "the images are not a list")
    _check(_optional_texts((chart, app_version, problem)), "deployed")
    return Deployed(tuple(Image(*_image(item)) for item in images), chart, app_version, problem)


def _image(item: object) -> tuple[str, str, str, bool]:
    _check(isinstance(item, list) and len(item) == 4, "an image is not a list of four")
    assert isinstance(item, list)
    image, container, workload, init = item
    _check(_texts((image, container, workload)) and type(init) is bool, "an image")
    return image, container, workload, init


def _release_from_facts(fields: object, data: bytes | None) -> ReleaseInfo:
    """The stored fields of a release.json, checked field by field (see `release_json.packed`)."""
    _check(isinstance(fields, list) and len(fields) == 7, "release fields are not a list of seven")
    assert isinstance(fields, list)
    version = fields[6]
    _check(version is None or (isinstance(version, list) and len(version) == len(VERSION_ORDER)), "a version")
    release = unpacked(fields, data)
    texts = (release.app, release.env, release.artifact_id, release.triggered_by, release.problem, release.source_path)
    _check(_optional_texts(texts), "a release field that is not text")
    version = release.version
    if version is not None:
        _check(_optional_texts([getattr(version, name) for name in _VERSION_TEXTS]), "a version field")
        _check(version.created is None or _is_int(version.created), "a version time that is not an integer")
    return release


def change_from_row(row: Row) -> FolderChange:
    """A stored row as the change it records; `Damaged` when it is not what this module writes."""
    _check(len(row) == 8, "a row of another shape")
    sha, committed_at, message, name, email, removed, data, facts = row
    _check(isinstance(sha, str) and bool(_SHA.fullmatch(sha)), "a sha that is not 40 hex digits")
    _check(_is_int(committed_at), "a commit time that is not an integer")
    _check(_texts((message, name, email)), "a message or author that is not text")
    _check(_is_int(removed, 0, 1), "a removed flag that is not 0 or 1")
    _check(data is None or isinstance(data, bytes), "release data that is not bytes")
    _check(isinstance(facts, str), "facts that are not text")
    try:
        parsed, end = _decode(str(facts))
    except (ValueError, RecursionError):
        raise Damaged("history index: facts are not what was stored") from None
    _check(end == len(facts) and isinstance(parsed, list) and len(parsed) == 2, "facts of another shape")
    release, manifests = parsed
    return FolderChange(
        sha,
        committed_at,
        message,
        name,
        email,
        bool(removed),
        data,
        None if release is None else _release_from_facts(release, data),
        _deployed_from_facts(manifests),
    )


def checked_app_row(repo: GitopsRepo, row: Row) -> Row:
    """The app's stored head, tail and completeness, checked (a tail must be a commit of this repository)."""
    head, tail, complete = row
    _check(isinstance(head, str) and bool(_SHA.fullmatch(head)), "a head that is not 40 hex digits")
    _check(tail is None or (isinstance(tail, str) and bool(_SHA.fullmatch(tail))), "a tail that is not 40 hex digits")
    _check(_is_int(complete, 0, 1), "a completeness flag that is not 0 or 1")
    _check(bool(complete) or tail is not None, "an incomplete walk without a tail")
    _check(tail is None or isinstance(repo.git.get(tail), pygit2.Commit), "a tail that is not a commit here")
    return row
