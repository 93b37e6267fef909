"""A history entry in words, the same in both faces: every value escaped for the terminal (see `text`)."""

from __future__ import annotations

from gimlet_tui.gitops import EntryKind, HistoryEntry
from gimlet_tui.text import ago, one_line, safe


def version_sha(entry: HistoryEntry) -> str:
    """The deployed source commit, 8 characters, or ""."""
    version = entry.release.version if entry.release else None
    return safe((version.sha or "")[:8]) if version else ""


def message(entry: HistoryEntry) -> str:
    """The deployed commit's message on one line, or the gitops commit's subject."""
    version = entry.release.version if entry.release else None
    if version is not None and version.message:
        return one_line(version.message)
    return one_line(entry.subject)


def ref_label(entry: HistoryEntry) -> str:
    """Branch, tag or PR of the deployed commit."""
    version = entry.release.version if entry.release else None
    return safe(version.ref_label) if version else ""


def triggered_by(entry: HistoryEntry) -> str:
    """Who (or which policy) triggered the deploy."""
    return safe(entry.release.triggered_by) if entry.release and entry.release.triggered_by else ""


def author(entry: HistoryEntry) -> str:
    """The deployed commit's author, else the gitops commit's."""
    version = entry.release.version if entry.release else None
    return one_line(version.author_name) if version and version.author_name else one_line(entry.author_name)


def main_image(entry: HistoryEntry) -> str:
    """The main container image of a release, or ""."""
    image = entry.deployed.main_image if entry.deployed else None
    return safe(image.image) if image else ""


def image_tag(entry: HistoryEntry) -> str:
    """The main image's tag (or digest), or ""."""
    image = entry.deployed.main_image if entry.deployed else None
    return safe(image.tag) if image else ""


def state_word(entry: HistoryEntry) -> str:
    """CURRENT, ROLLED BACK, DELETED or ""."""
    if entry.kind is EntryKind.DELETION:
        return "DELETED"
    if entry.rolled_back:
        return "ROLLED BACK"
    if entry.current:
        return "CURRENT"
    return ""


def rolled_back_words(entry: HistoryEntry, now: float | None = None) -> str:
    """ "rolled back by NAME, AGE: REASON" for a ROLLED BACK release (the revert's author, time, reason)."""
    who = one_line(entry.rolled_back_by_name) or (entry.rolled_back_by or "?")[:10]
    line = f"rolled back by {who}, {ago(entry.rolled_back_at, now)}"
    return f"{line}: {one_line(entry.rolled_back_reason)}" if entry.rolled_back_reason else line
